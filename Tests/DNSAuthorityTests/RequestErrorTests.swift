// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import NIOCore
import Testing

/// FORMERR, NOTIMP, BADVERS and dropped requests (RFC 1035 §4.1.1, RFC 6891 §6.1.3).
@Suite struct RequestErrorTests {
    let processor: QueryProcessor
    init() throws { self.processor = try exampleProcessor() }

    func respond(_ bytes: [UInt8], transport: Transport = .udp) -> DNSMessage? {
        guard let buffer = self.processor.respond(to: ByteBuffer(bytes: bytes), transport: transport) else {
            return nil
        }
        return try? DNSMessage(wire: buffer)
    }

    var validQuery: [UInt8] { DNSMessage.query(id: 0x1234, name: "www.example.", type: .a, edns: EDNS()).wireBytes }

    /// A request that starts after other octets in its buffer (a TCP frame
    /// after its length prefix): offsets count from the reader index.
    @Test func requestAfterTheReaderIndex() throws {
        var buffer = ByteBuffer(bytes: [0, UInt8(self.validQuery.count)] + self.validQuery)
        buffer.moveReaderIndex(forwardBy: 2)
        let response = try DNSMessage(wire: try #require(self.processor.respond(to: buffer, transport: .tcp)))
        #expect(response.header.id == 0x1234)
        #expect(response.answers.count == 1)
    }

    @Test func shortMessagesAndResponsesAreDropped() {
        #expect(self.processor.respond(to: ByteBuffer(bytes: []), transport: .udp) == nil)
        #expect(self.processor.respond(to: ByteBuffer(bytes: [0x12, 0x34, 0, 0, 0, 1]), transport: .udp) == nil)
        var response = self.validQuery
        response[2] |= 0x80  // QR
        #expect(self.processor.respond(to: ByteBuffer(bytes: response), transport: .udp) == nil)
    }

    @Test func qdcountZeroIsFormErr() throws {
        let response = try #require(self.respond([0xAB, 0xCD, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        #expect(response.rcode == .formErr)
        #expect(response.header.id == 0xABCD)
        #expect(response.header.isResponse)
        #expect(response.header.recursionDesired)
        #expect(response.questions.isEmpty)
        #expect(response.edns == nil)
    }

    @Test func qdcountZeroWithOPTKeepsOPT() throws {
        var message = DNSMessage(header: Header(id: 7), edns: EDNS())
        message.questions = []
        let response = try #require(self.respond(message.wireBytes))
        #expect(response.rcode == .formErr)
        #expect(response.edns != nil)
    }

    @Test func qdcountTwoIsFormErr() throws {
        var message = DNSMessage.query(id: 9, name: "www.example.", type: .a, edns: nil)
        message.questions.append(Question(name: "mail.example.", type: .a))
        let response = try #require(self.respond(message.wireBytes))
        #expect(response.rcode == .formErr)
        #expect(response.header.id == 9)
        #expect(response.answers.isEmpty)
    }

    @Test func truncatedQuestionIsFormErrWithoutQuestion() throws {
        let bytes = Array(self.validQuery.prefix(20))
        let response = try #require(self.respond(bytes))
        #expect(response.rcode == .formErr)
        #expect(response.header.id == 0x1234)
        #expect(response.questions.isEmpty)
    }

    @Test func badOPTIsFormErrWithQuestion() throws {
        // Cut the OPT record short: the question parsed, the rest did not.
        let bytes = Array(self.validQuery.dropLast(3))
        let response = try #require(self.respond(bytes))
        #expect(response.rcode == .formErr)
        #expect(response.questions == [Question(name: "www.example.", type: .a)])
        #expect(response.answers.isEmpty)
        // Trailing garbage after the last record.
        let trailing = try #require(self.respond(self.validQuery + [0, 0, 0]))
        #expect(trailing.rcode == .formErr)
    }

    @Test func twoOPTRecordsAreFormErr() throws {
        var bytes = self.validQuery
        bytes[11] = 2  // ARCOUNT
        bytes += [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
        let response = try #require(self.respond(bytes))
        #expect(response.rcode == .formErr)
    }

    @Test(arguments: [Opcode.iquery, .status, .notify, .update, Opcode(3), Opcode(15)])
    func otherOpcodesAreNotImp(_ opcode: Opcode) throws {
        var message = DNSMessage.query(id: 77, name: "www.example.", type: .a, edns: nil)
        message.header.opcode = opcode
        let response = try #require(self.respond(message.wireBytes))
        #expect(response.rcode == .notImp)
        #expect(response.header.opcode == opcode)
        #expect(response.header.id == 77)
        #expect(!response.header.authoritative)
        #expect(response.answers.isEmpty)
    }

    @Test func ednsVersionOneIsBadVers() throws {
        var edns = EDNS()
        edns.version = 1
        let query = DNSMessage.query(id: 3, name: "www.example.", type: .a, edns: edns)
        let response = try #require(self.respond(query.wireBytes))
        #expect(response.rcode == .badVers)
        #expect(response.header.rcodeLow == 0)
        #expect(response.edns?.version == 0)
        #expect(response.edns?.extendedRCodeHigh == 1)
        #expect(response.answers.isEmpty)
        #expect(response.questions == query.questions)
    }

    @Test func unknownClassIsRefused() throws {
        let query = DNSMessage.query(id: 3, name: "www.example.", type: .a, dnsClass: .hs, edns: nil)
        let response = try #require(self.respond(query.wireBytes))
        #expect(response.rcode == .refused)
        #expect(!response.header.authoritative)
    }

    @Test func recordsInOtherSectionsAreSkipped() throws {
        var query = DNSMessage.query(id: 3, name: "www.example.", type: .a, edns: EDNS())
        query.answers = [try ResourceRecord(text: "x.example. 60 IN A 192.0.2.9")]
        query.authorities = [try ResourceRecord(text: "y.example. 60 IN MX 10 x.example.")]
        let response = try #require(self.respond(query.wireBytes))
        #expect(response.rcode == .noError)
        #expect(response.answers.count == 1)
    }

    /// Random messages and mutations of valid ones: never a crash; the
    /// response, when there is one, is a well-formed message with the request's ID.
    @Test func randomAndMutatedRequestsNeverCrash() throws {
        var rng = SplitMix64(seed: 0x5EED)
        let seeds: [[UInt8]] = [
            self.validQuery,
            DNSMessage.query(
                id: 1, name: "a.b.redir.example.", type: .any, edns: EDNS(options: [EDNSOption(code: .nsid, data: [])])
            ).wireBytes,
            DNSMessage.query(id: 2, name: "id.server.", type: .txt, dnsClass: .ch, edns: nil).wireBytes,
        ]
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 3 == 0 {
                bytes = (0..<Int(rng.next() % 80)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
                for _ in 0..<(1 + Int(rng.next() % 4)) where !bytes.isEmpty {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.removeSubrange(at...)
                    default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
                    }
                }
            }
            for transport in [Transport.udp, .tcp] {
                guard let buffer = self.processor.respond(to: ByteBuffer(bytes: bytes), transport: transport) else {
                    continue
                }
                #expect(bytes.count >= 12)
                if transport == .udp { #expect(buffer.readableBytes <= 1232) }
                let response = try DNSMessage(wire: buffer)
                #expect(response.header.id == UInt16(bytes[0]) << 8 | UInt16(bytes[1]))
                #expect(response.header.isResponse)
            }
        }
    }
}

/// A small deterministic generator for the fuzz loop.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
