import DNSCore
import NIOCore
import Testing

/// Bad input gives a `DNSWireError`, never a crash or a hang; whatever
/// parses survives serialize → parse unchanged.
@Suite struct RobustnessTests {
    /// Parses `bytes`; when that succeeds, checks the round-trip property.
    /// Returns whether the input parsed.
    @discardableResult
    static func check(_ bytes: [UInt8], _ context: @autoclosure () -> String = "") -> Bool {
        let message: DNSMessage
        do {
            message = try DNSMessage(wire: bytes)
        } catch {
            return false  // typed throws: the error is a DNSWireError
        }
        let again = message.serialize(maxSize: 1 << 24)
        do {
            let reparsed = try DNSMessage(wire: again)
            if reparsed != message {
                Issue.record("round trip changed the message \(context()): \(hex(bytes))")
            }
        } catch {
            Issue.record("re-encoded message does not parse (\(error)) \(context()): \(hex(bytes))")
        }
        return true
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { Hex.encode([$0], uppercase: false) }.joined() }

    @Test func corpusParsesAndRoundTrips() throws {
        for (i, wire) in Corpus.messages.enumerated() {
            let message = try DNSMessage(wire: wire)
            #expect(i == 2 || message.answers.count + message.authorities.count + message.additionals.count > 1)
            #expect(Self.check(wire, "corpus \(i)"))
            // Encoding is deterministic: the re-encoded octets are the same.
            #expect(message.wireBytes == wire, "corpus \(i)")
        }
        #expect(Corpus.messages[0].count > 700)
    }

    /// Every strict prefix of a valid message is an error.
    @Test func everyTruncationIsAnError() {
        for (i, wire) in Corpus.messages.enumerated() {
            for length in 0..<wire.count {
                if Self.check(Array(wire[0..<length])) {
                    Issue.record("corpus \(i) cut to \(length) octets parsed")
                }
            }
        }
    }

    // MARK: Compression pointers (RFC 1035 §4.1.4)

    @Test func pointerToItself() {
        #expect(throws: DNSWireError.badPointer) {
            try DNSMessage(wire: Wire.header(qd: 1) + [0xC0, 12] + Wire.u16(1) + Wire.u16(1))
        }
    }

    @Test func forwardPointer() {
        // The question name points at the answer owner after it.
        let wire =
            Wire.header(qd: 1, an: 1) + [0xC0, 18, 0, 1, 0, 1] + Wire.rr(Wire.name("a."), type: 1, rdata: [1, 2, 3, 4])
        #expect(throws: DNSWireError.badPointer) { try DNSMessage(wire: wire) }
    }

    /// `a` then a pointer back to that `a`: every pass adds a label until a limit stops it.
    @Test func labelAndPointerLoop() {
        let wire = Wire.header(qd: 1) + [1, 0x61, 0xC0, 12] + Wire.u16(1) + Wire.u16(1)
        do {
            _ = try DNSMessage(wire: wire)
            Issue.record("a looping name parsed")
        } catch {
            #expect(error == .pointerLoop || error == .nameTooLong)
        }
    }

    @Test func pointerChainsAreBounded() {
        // 200 pointers, each to the previous one: over the pointer limit.
        var wire = Wire.header(qd: 0, an: 1) + [0]
        for k in 0..<200 { wire += [0xC0 | UInt8((12 + 2 * k) >> 8), UInt8((12 + 2 * k) & 0xFF)] }
        let last = 12 + 1 + 2 * 199
        wire += Wire.rr([0xC0 | UInt8(last >> 8), UInt8(last & 0xFF)], type: 1, rdata: [1, 2, 3, 4])
        #expect(throws: DNSWireError.self) { try DNSMessage(wire: wire) }
    }

    /// A name that reaches 256 octets only through a pointer is over-long; 255 is fine.
    @Test(arguments: [(61, true), (62, false)])
    func nameLengthThroughPointers(first: Int, valid: Bool) throws {
        let long = String(repeating: "x", count: 63)
        let target = Wire.name("\(long).\(long).\(long).")  // 193 octets
        let cname = Wire.rr(Wire.name("c."), type: 5, rdata: target)
        let targetOffset = 12 + 3 + 10  // owner "c." then the fixed fields
        let owner = [UInt8(first)] + [UInt8](repeating: 0x79, count: first) + [0xC0, UInt8(targetOffset)]
        let wire = Wire.header(qd: 0, an: 2) + cname + Wire.rr(owner, type: 1, rdata: [1, 2, 3, 4])
        if valid {
            let message = try DNSMessage(wire: wire)
            #expect(message.answers[1].name.wireLength == 255)
            Self.check(wire)
        } else {
            #expect(throws: DNSWireError.nameTooLong) { try DNSMessage(wire: wire) }
        }
    }

    @Test(arguments: [0x40, 0x80] as [UInt8])
    func reservedLabelTypes(type: UInt8) {
        #expect(throws: DNSWireError.badLabelType) {
            try DNSMessage(wire: Wire.header(qd: 1) + [type | 1, 0x61, 0] + Wire.u16(1) + Wire.u16(1))
        }
    }

    @Test func labelRunsPastTheEnd() {
        #expect(throws: DNSWireError.truncated) { try DNSMessage(wire: Wire.header(qd: 1) + [63, 0x61, 0x62]) }
    }

    // MARK: RDATA lengths

    @Test func rdlengthPastTheEnd() {
        let record = Wire.name("a.") + Wire.u16(1) + Wire.u16(1) + Wire.u32(60) + Wire.u16(8) + [1, 2, 3, 4]
        #expect(throws: DNSWireError.rdataLengthMismatch) { try DNSMessage(wire: Wire.header(qd: 0, an: 1) + record) }
    }

    @Test func rdlengthShorterThanTheName() {
        // CNAME RDATA of 3 octets holding a longer name: the name may not read past RDLENGTH.
        let record = Wire.name("a.") + Wire.u16(5) + Wire.u16(1) + Wire.u32(60) + Wire.u16(3) + Wire.name("abcdef.")
        #expect(throws: DNSWireError.self) { try DNSMessage(wire: Wire.header(qd: 0, an: 1) + record) }
    }

    @Test(arguments: [(1, 3), (1, 5), (1, 0), (28, 15), (28, 17), (28, 4)])
    func wrongFixedLengths(type: Int, length: Int) {
        let wire =
            Wire.header(qd: 0, an: 1)
            + Wire.rr(Wire.name("a."), type: type, rdata: [UInt8](repeating: 1, count: length))
        #expect(throws: DNSWireError.badFixedLength) { try DNSMessage(wire: wire) }
    }

    // MARK: Random input

    /// 100,000 random byte strings, half of them behind a plausible header
    /// so that parsing gets past the counts.
    @Test func randomByteStrings() async {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var parsed = 0
        for i in 0..<100_000 {
            // Give the cooperative pool back now and then: network tests with
            // timeouts run beside this one on the same two threads.
            if i % 500 == 0 { await Task.yield() }
            let length = Int(rng.next() % 300)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if i % 2 == 0 && length >= 12 {
                // qd 0–1, an/ns/ar 0–3.
                bytes[4] = 0
                bytes[5] = UInt8(rng.next() % 2)
                for k in [6, 8, 10] {
                    bytes[k] = 0
                    bytes[k + 1] = UInt8(rng.next() % 4)
                }
            }
            if Self.check(bytes, "random #\(i)") { parsed += 1 }
        }
        // Mostly errors, but the header-only and empty-section cases parse.
        #expect(parsed > 0)
    }

    /// 100,000 mutations of the corpus: bit flips, byte changes, truncations,
    /// insertions, deletions and copies of a span, one to four per input.
    /// Four shards of 25,000 with their own seeds, so they run in parallel.
    @Test(arguments: 0..<4)
    func mutationsOfRealMessages(shard: Int) async {
        let corpus = Corpus.messages
        var rng = SplitMix64(seed: 0x5EED_0002 &+ UInt64(shard) &* 0x1_0000)
        var parsed = 0
        for i in 0..<25_000 {
            if i % 500 == 0 { await Task.yield() }
            var bytes = corpus[i % corpus.count]
            let count = 1 + Int(rng.next() % 4)
            for _ in 0..<count {
                Self.mutate(&bytes, &rng)
            }
            if Self.check(bytes, "mutation shard \(shard) #\(i)") { parsed += 1 }
        }
        // Bit flips in TTLs, IDs and RDATA keep many inputs valid: the round trip is exercised.
        #expect(parsed > 250)
    }

    static func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        func index(_ n: Int) -> Int { n == 0 ? 0 : Int(rng.next() % UInt64(n)) }
        switch rng.next() % 6 {
        case 0 where !bytes.isEmpty:
            bytes[index(bytes.count)] ^= UInt8(1) << (rng.next() % 8)
        case 1 where !bytes.isEmpty:
            bytes[index(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
        case 2:
            bytes.removeLast(index(min(bytes.count, 40) + 1))
        case 3:
            bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: index(bytes.count + 1))
        case 4 where !bytes.isEmpty:
            bytes.remove(at: index(bytes.count))
        case 5 where bytes.count > 4:
            let from = index(bytes.count - 2)
            let length = 1 + index(min(16, bytes.count - from))
            bytes.insert(contentsOf: bytes[from..<(from + length)], at: index(bytes.count + 1))
        default:
            break
        }
    }
}
