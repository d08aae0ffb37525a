// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import NIOCore
import Testing

/// The answer path's encoder against `DNSMessage.serialize`: same message
/// once decoded, and no larger (both compress the same names).
@Suite struct ResponseEncoderTests {
    @Test(arguments: answerCases)
    func sameMessageAsSerialize(_ c: Case) throws {
        try self.compare(c, try exampleProcessor())
    }

    @Test(arguments: rfc4592Cases)
    func sameMessageAsSerializeRFC4592(_ c: Case) throws {
        try self.compare(c, QueryProcessor(zones: ZoneTable([try makeZone(rfc4592Zone, origin: "example.")])))
    }

    @Test func sameMessageAsSerializeWhenTruncated() throws {
        let processor = try TruncationTests.processor()
        for name: DomainName in ["medium.big.", "large.big.", "www.deleg.big.", "www.sibling.big."] {
            for edns in [nil, EDNS(udpPayloadSize: 1232)] {
                try self.compare(name, .txt, edns: edns, processor)
            }
        }
    }

    func compare(_ c: Case, _ processor: QueryProcessor) throws {
        let query = try c.query()
        try self.compare(
            query.questions[0].name, query.questions[0].type, edns: query.edns, processor, transport: c.transport)
    }

    func compare(
        _ name: DomainName, _ type: RecordType, edns: EDNS?, _ processor: QueryProcessor, transport: Transport = .udp
    ) throws {
        let query = DNSMessage.query(id: 3, name: name, type: type, edns: edns)
        guard case .query(let request) = ParsedRequest.parse(query.serialize()) else {
            Issue.record("query not parsed")
            return
        }
        let response = processor.answer(request, transport: transport)
        let fast = processor.encode(response, for: request.edns, transport: transport)
        let reference = response.message.serialize(
            maxSize: processor.sizeLimit(for: request.edns, transport: transport))
        var decodedFast = try DNSMessage(wire: fast)
        let decodedReference = try DNSMessage(wire: reference)
        // Required glue may set TC on the fast path only (serialize knows nothing of glue).
        if response.requiredAdditionalCount > 0 { decodedFast.header.truncated = decodedReference.header.truncated }
        #expect(decodedFast == decodedReference, "\(name) \(type)")
        #expect(fast.readableBytes <= reference.readableBytes)
    }

    @Test func compressionPointsBackAndKeepsCase() throws {
        let processor = try exampleProcessor()
        let query = DNSMessage.query(id: 1, name: "CHAIN1.example.", type: .a, edns: nil)
        let buffer = try #require(processor.respond(to: query.serialize(), transport: .udp))
        let response = try DNSMessage(wire: buffer)
        #expect(response.answers.count == 4)
        #expect(response.answers[0].name.isIdentical(to: "CHAIN1.example."))
        // Every owner after the first is compressed: far smaller than uncompressed.
        #expect(buffer.readableBytes < 12 + 19 + 4 * 40)
    }
}
