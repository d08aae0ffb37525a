import DNSCore
import NIOCore
import Testing

/// RFC 1035 §4, RFC 6891 §6.1.1 and RFC 8945 §5.1 placement rules, and
/// limits checked before anything is allocated.
@Suite struct MessageStrictnessTests {
    static let a = Wire.rr(Wire.name("example."), type: 1, rdata: [192, 0, 2, 1])
    static let tsig = Wire.rr(Wire.name("key.example."), type: 250, cls: 255, ttl: 0, rdata: Wire.tsigRDATA)

    @Test func wellFormedBaseline() throws {
        let wire = Wire.header(an: 1, ar: 2) + Wire.question() + Self.a + Wire.opt() + Self.tsig
        let message = try DNSMessage(wire: wire)
        #expect(message.answers.count == 1)
        #expect(message.edns != nil)
        #expect(message.additionals.map(\.type) == [.tsig])
    }

    @Test func optOutsideAdditionalIsRejected() {
        #expect(throws: DNSWireError.badValue) {
            try DNSMessage(wire: Wire.header(an: 1) + Wire.question() + Wire.opt())
        }
        #expect(throws: DNSWireError.badValue) {
            try DNSMessage(wire: Wire.header(ns: 1) + Wire.question() + Wire.opt())
        }
    }

    @Test func twoOPTRecordsAreRejected() {
        #expect(throws: DNSWireError.badValue) {
            try DNSMessage(wire: Wire.header(ar: 2) + Wire.question() + Wire.opt() + Wire.opt())
        }
    }

    @Test func optOwnerMustBeRoot() {
        #expect(throws: DNSWireError.badValue) {
            try DNSMessage(wire: Wire.header(ar: 1) + Wire.question() + Wire.opt(owner: Wire.name("example.")))
        }
    }

    @Test func tsigMustBeLastAndInAdditional() {
        #expect(throws: DNSWireError.badValue) {
            try DNSMessage(wire: Wire.header(ar: 2) + Wire.question() + Self.tsig + Self.a)
        }
        #expect(throws: DNSWireError.badValue) {
            try DNSMessage(wire: Wire.header(ar: 2) + Wire.question() + Self.tsig + Wire.opt())
        }
        #expect(throws: DNSWireError.badValue) {
            try DNSMessage(wire: Wire.header(an: 1) + Wire.question() + Self.tsig)
        }
        #expect(throws: DNSWireError.badValue) {
            try DNSMessage(wire: Wire.header(ns: 1) + Wire.question() + Self.tsig)
        }
    }

    /// Counts that the remaining octets cannot hold fail at once, whatever their size.
    @Test(arguments: [
        (1, 1, 0, 0), (0, 1, 0, 0), (65535, 0, 0, 0), (0, 65535, 65535, 65535), (2, 0, 0, 0), (1, 0, 0, 1),
    ])
    func countsLargerThanMessage(counts: (Int, Int, Int, Int)) {
        let (qd, an, ns, ar) = counts
        // One question, nothing else: every count above it is impossible.
        var wire = Wire.header(qd: qd, an: an, ns: ns, ar: ar)
        if qd > 0 { wire += Wire.question() }
        #expect(throws: DNSWireError.truncated) { try DNSMessage(wire: wire) }
    }

    @Test func tooManyRecordsForTheLimits() {
        var limits = WireLimits()
        limits.maxRecords = 2
        let wire = Wire.header(an: 3) + Wire.question() + Self.a + Self.a + Self.a
        #expect(throws: DNSWireError.tooManyRecords) { try DNSMessage(wire: wire, limits: limits) }
        #expect((try? DNSMessage(wire: wire)) != nil)
    }

    @Test func trailingOctetsAreRejected() {
        #expect(throws: DNSWireError.trailingData) { try DNSMessage(wire: Wire.header() + Wire.question() + [0]) }
    }

    /// A server answers FORMERR from the header alone when the body is bad.
    @Test func headerOnlyParseForFormErr() throws {
        let wire = Wire.header(id: 0xBEEF, flags: 0x0120, qd: 1) + [0xC0, 0xFF, 0, 1, 0, 1]
        #expect(throws: DNSWireError.badPointer) { try DNSMessage(wire: wire) }
        let header = try #require(DNSMessage.header(of: wire))
        #expect(header.id == 0xBEEF)
        #expect(header.recursionDesired && header.authenticData && !header.isResponse)
        var reply = DNSMessage(header: Header(id: header.id))
        reply.header.isResponse = true
        reply.header.opcode = header.opcode
        reply.header.recursionDesired = header.recursionDesired
        reply.rcode = .formErr
        let decoded = try DNSMessage(wire: reply.wireBytes)
        #expect(decoded.rcode == .formErr && decoded.header.id == 0xBEEF && decoded.questions.isEmpty)
        #expect(DNSMessage.header(of: Array(wire.prefix(11))) == nil)
        #expect(DNSMessage.header(of: Array(wire.prefix(12)))?.id == 0xBEEF)
        #expect(DNSMessage.header(of: [UInt8]()) == nil)
    }

    @Test func formatErrorResponse() throws {
        let bad = Wire.header(id: 0x0102, flags: 0x2900, qd: 1) + [0xC0]
        let reply = try #require(DNSMessage.formatErrorResponse(to: ByteBuffer(bytes: bad)))
        #expect(reply.header.id == 0x0102 && reply.header.isResponse && reply.header.recursionDesired)
        #expect(reply.header.opcode == .update && reply.rcode == .formErr && reply.edns == nil)
        #expect(reply.wireBytes == Wire.header(id: 0x0102, flags: 0xA901, qd: 0))
        // Never answer a response, nor a message without a whole header.
        #expect(DNSMessage.formatErrorResponse(to: ByteBuffer(bytes: Wire.header(flags: 0x8000))) == nil)
        #expect(DNSMessage.formatErrorResponse(to: ByteBuffer(bytes: [1, 2, 3])) == nil)
    }

    /// RFC 2136 §2.4 / §2.5: empty RDATA with class ANY or NONE only in UPDATE.
    @Test func updateEmptyRDATA() throws {
        let body =
            Wire.question("example.", type: 6) + Wire.rr(Wire.name("a.example."), type: 1, cls: 255, ttl: 0, rdata: [])
        let update = try DNSMessage(wire: Wire.header(flags: 0x2800, ns: 1) + body)
        #expect(update.authorities.first?.rdata == .unknown(.a, RDATA.Opaque(bytes: [])))
        #expect(throws: DNSWireError.badFixedLength) { try DNSMessage(wire: Wire.header(flags: 0x0000, ns: 1) + body) }
        // Class IN with empty A data stays an error in an UPDATE too.
        let inClass = Wire.question("example.", type: 6) + Wire.rr(Wire.name("a.example."), type: 1, rdata: [])
        #expect(throws: DNSWireError.badFixedLength) {
            try DNSMessage(wire: Wire.header(flags: 0x2800, ns: 1) + inClass)
        }
    }

    @Test func extendedRCodeCombinesWithOPT() throws {
        // BADCOOKIE (23): low 4 bits 7 in the header, high bits 1 in the OPT TTL.
        let opt = Wire.name(".") + Wire.u16(41) + Wire.u16(1232) + [1, 0, 0, 0] + Wire.u16(0)
        let message = try DNSMessage(wire: Wire.header(flags: 0x8187, ar: 1) + Wire.question() + opt)
        #expect(message.rcode == .badCookie)
        #expect(message.wireBytes == Wire.header(flags: 0x8187, ar: 1) + Wire.question() + opt)
    }
}
