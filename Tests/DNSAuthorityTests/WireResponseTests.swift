// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import NIOCore
import Testing

/// The one-pass answer path (`respondWire`, RRsets straight into the buffer)
/// against the general one (`answer`, then `encode`): the same octets, and
/// the same classification for rate limiting and the query log, for every
/// table query under each EDNS variant, over UDP and TCP.
@Suite struct WireResponseTests {
    /// The request variants: no EDNS, EDNS, DO, a small client size, NSID asked.
    static let variants: [(String, EDNS?)] = [
        ("plain", nil),
        ("edns", EDNS(udpPayloadSize: 1232)),
        ("do", EDNS(udpPayloadSize: 1232, dnssecOK: true)),
        ("small", EDNS(udpPayloadSize: 512)),
        ("nsid", EDNS(udpPayloadSize: 4096, options: [EDNSOption(code: .nsid, data: [])])),
    ]

    static let cookie = EDNSOption(code: .cookie, data: Array(1...24))

    func compare(
        _ name: DomainName, _ type: RecordType, dnsClass: DNSClass = .in, _ processor: QueryProcessor,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        for (label, edns) in Self.variants {
            for transport in [Transport.udp, .tcp] {
                for cookie in [nil, Self.cookie] where cookie == nil || edns != nil {
                    let query = DNSMessage.query(id: 77, name: name, type: type, dnsClass: dnsClass, edns: edns)
                    guard case .query(let request) = ParsedRequest.parse(query.serialize()) else {
                        Issue.record("query not parsed", sourceLocation: sourceLocation)
                        return
                    }
                    var response = processor.answer(request, transport: transport)
                    if let cookie { response.message.edns?.setOption(cookie) }
                    let reference = processor.encode(response, for: request.edns, transport: transport)
                    let wire = processor.respondWire(to: request, transport: transport, cookie: cookie)
                    let what = "\(name) \(dnsClass) \(type) \(label) \(transport) cookie \(cookie != nil)"
                    // Written into a reused buffer (the UDP loop's last reply, dirty and small): the same octets.
                    var dirty = ByteBufferAllocator().buffer(capacity: 64)
                    dirty.writeRepeatingByte(0xEE, count: 64)
                    let reused = processor.respondWire(to: request, transport: transport, cookie: cookie, buffer: dirty)
                    #expect(
                        Array(reused.buffer.readableBytesView) == Array(reference.readableBytesView), "\(what), reused",
                        sourceLocation: sourceLocation)
                    #expect(
                        Array(wire.buffer.readableBytesView) == Array(reference.readableBytesView), "\(what)",
                        sourceLocation: sourceLocation)
                    #expect(wire.kind == response.kind, "\(what)", sourceLocation: sourceLocation)
                    #expect(wire.zone == response.zone, "\(what)", sourceLocation: sourceLocation)
                    #expect(wire.rcode == response.message.rcode, "\(what)", sourceLocation: sourceLocation)
                    #expect(
                        wire.authoritative == response.message.header.authoritative, "\(what)",
                        sourceLocation: sourceLocation)
                    if response.kind == .referral {
                        #expect(
                            wire.delegation == response.message.authorities.first?.name, "\(what)",
                            sourceLocation: sourceLocation)
                    }
                }
            }
        }
    }

    func compare(_ c: Case, _ processor: QueryProcessor) throws {
        let query = try c.query()
        let q = query.questions[0]
        try self.compare(q.name, q.type, dnsClass: q.dnsClass, processor)
    }

    @Test(arguments: answerCases)
    func sameOctetsAsTheGeneralPath(_ c: Case) throws {
        try self.compare(c, try exampleProcessor(AuthorityOptions(nsid: Array("ns-a".utf8))))
    }

    @Test(arguments: rfc4592Cases)
    func sameOctetsAsTheGeneralPathRFC4592(_ c: Case) throws {
        try self.compare(c, QueryProcessor(zones: ZoneTable([try makeZone(rfc4592Zone, origin: "example.")])))
    }

    @Test(arguments: [
        "www.example. A", "www.example. ANY", "nothere.example. A", "www.example. MX", "a.w.example. TXT",
        "nx.w.example. A", "example. SOA", "example. RRSIG", "cut.example. DS", "www.cut.example. A",
    ])
    func sameOctetsWithSignatures(_ q: String) throws {
        let parts = q.split(separator: " ").map(String.init)
        let type = try #require(RecordType(mnemonic: Array(parts[1].utf8)))
        try self.compare(try DomainName(parts[0]), type, try DNSSECRecordsTests.processor())
    }

    @Test func sameOctetsWhenTruncated() throws {
        for maxUDP in [512, 1232, 4096] {
            let processor = try TruncationTests.processor(maxUDP: maxUDP)
            for name: DomainName in ["medium.big.", "large.big.", "www.deleg.big.", "www.sibling.big.", "deleg.big."] {
                for type in [RecordType.txt, .ns, .a, .any] {
                    try self.compare(name, type, processor)
                }
            }
        }
    }

    /// More names than the compression table holds (a large TCP referral):
    /// the general path answers, with the same octets.
    @Test func manyNamesFallBackToTheGeneralPath() throws {
        var text = """
            $ORIGIN many.
            $TTL 300
            @ SOA ns1 hostmaster 1 7200 3600 1209600 300
            @ NS ns1
            ns1 A 192.0.2.1

            """
        for i in 0..<90 {
            text += "deleg NS ns.h\(i).deleg\n"
            text += "ns.h\(i).deleg A 192.0.2.\(i + 1)\n"
        }
        let processor = QueryProcessor(zones: ZoneTable([try makeZone(text, origin: "many.")]))
        try self.compare("www.deleg.many.", .a, processor)
        let query = DNSMessage.query(id: 1, name: "www.deleg.many.", type: .a, edns: nil)
        let buffer = try #require(processor.respond(to: query.serialize(), transport: .tcp))
        let response = try DNSMessage(wire: buffer)
        #expect(response.authorities.count == 90)
        #expect(response.additionals.count == 90)
        #expect(!response.header.truncated)
    }

    /// Answers above the first buffer's size (4096 octets) over TCP: a
    /// second, larger buffer, the same octets.
    @Test func largeTCPAnswerGetsALargerBuffer() throws {
        var text = """
            $ORIGIN big.
            $TTL 300
            @ SOA ns1 hostmaster 1 7200 3600 1209600 300
            @ NS ns1
            ns1 A 192.0.2.1

            """
        for i in 0..<100 { text += "huge TXT \"\(String(repeating: "h", count: 100))-\(i)\"\n" }
        let processor = QueryProcessor(zones: ZoneTable([try makeZone(text, origin: "big.")]))
        try self.compare("huge.big.", .txt, processor)
        let query = DNSMessage.query(id: 1, name: "huge.big.", type: .txt, edns: nil)
        let buffer = try #require(processor.respond(to: query.serialize(), transport: .tcp))
        #expect(buffer.readableBytes > 10_000)
        #expect(try DNSMessage(wire: buffer).answers.count == 100)
    }

    /// The question name is taken from the zone when it is the zone's own
    /// owner name octet for octet; any other case is echoed as sent.
    @Test(arguments: ["www.example.", "WWW.example.", "MiXeD.example.", "mixed.example.", "nothere.example."])
    func questionEchoedAsSent(_ text: String) throws {
        let processor = try exampleProcessor()
        let name = try DomainName(text)
        let query = DNSMessage.query(id: 9, name: name, type: .a, edns: EDNS())
        let buffer = try #require(processor.respond(to: query.serialize(), transport: .udp))
        let response = try DNSMessage(wire: buffer)
        #expect(response.questions.first?.name.isIdentical(to: name) == true)
        guard case .query(let request) = ParsedRequest.parse(query.serialize()) else {
            Issue.record("not parsed")
            return
        }
        let reference = processor.encode(processor.answer(request, transport: .udp), for: request.edns, transport: .udp)
        #expect(Array(buffer.readableBytesView) == Array(reference.readableBytesView))
        #expect(processor.parseCommonQuery(query.serialize()) == request)
    }
}
