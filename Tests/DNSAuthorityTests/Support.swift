// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import NIOCore
import Testing

/// Builds a zone from presentation text (fails the test on a parse error).
func makeZone(_ text: String, origin: DomainName) throws -> Zone {
    let parsed = ZoneFileParser.parse(text: text, origin: origin)
    #expect(parsed.errors.isEmpty, "\(parsed.errors)")
    return try Zone(parsed)
}

/// One query and its expected response, sections as presentation records
/// compared as sets (CoreDNS-style tables).
struct Case: CustomStringConvertible, Sendable {
    var q: String
    var rcode: RCode = .noError
    var aa: Bool = true
    var tc: Bool = false
    var answer: [String] = []
    var authority: [String] = []
    var additional: [String] = []
    var dnssec: Bool = false
    var edns: Bool = true
    var transport: Transport = .udp

    init(
        q: String, rcode: RCode = .noError, aa: Bool = true, tc: Bool = false, answer: [String] = [],
        authority: [String] = [], additional: [String] = [], dnssec: Bool = false, edns: Bool = true,
        transport: Transport = .udp
    ) {
        self.q = q
        self.rcode = rcode
        self.aa = aa
        self.tc = tc
        self.answer = answer
        self.authority = authority
        self.additional = additional
        self.dnssec = dnssec
        self.edns = edns
        self.transport = transport
    }

    var description: String { self.q }

    /// The query message for `q` ("name TYPE" or "name CLASS TYPE").
    func query() throws -> DNSMessage {
        let parts = self.q.split(separator: " ").map(String.init)
        let name = try DomainName(parts[0])
        let type = RecordType(mnemonic: Array(parts.last!.utf8))!
        let dnsClass = parts.count == 3 ? DNSClass(mnemonic: Array(parts[1].utf8))! : DNSClass.in
        return DNSMessage.query(
            id: 4242, name: name, type: type, dnsClass: dnsClass, recursionDesired: false,
            edns: self.edns ? EDNS(udpPayloadSize: 1232, dnssecOK: self.dnssec) : nil)
    }
}

func records(_ texts: [String]) throws -> Set<ResourceRecord> {
    Set(try texts.map { try ResourceRecord(text: $0) })
}

/// Runs a case through the wire path and checks every part of the response.
func check(_ c: Case, _ processor: QueryProcessor, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let query = try c.query()
    let response = try #require(processor.respond(to: query, transport: c.transport), sourceLocation: sourceLocation)
    #expect(response.header.id == 4242, sourceLocation: sourceLocation)
    try verify(c, query: query, response: response, sourceLocation: sourceLocation)
}

/// Checks a response against a case: rcode, flags, question, each section as a
/// set, OPT presence, and that no RRset is split.
func verify(
    _ c: Case, query: DNSMessage, response: DNSMessage, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(response.header.isResponse, sourceLocation: sourceLocation)
    #expect(response.rcode == c.rcode, "\(c.q): rcode", sourceLocation: sourceLocation)
    #expect(response.header.authoritative == c.aa, "\(c.q): AA", sourceLocation: sourceLocation)
    #expect(response.header.truncated == c.tc, "\(c.q): TC", sourceLocation: sourceLocation)
    #expect(response.questions == query.questions, "\(c.q): question", sourceLocation: sourceLocation)
    #expect(
        Set(response.answers) == (try records(c.answer)), "\(c.q): answer\n\(response.answers)",
        sourceLocation: sourceLocation)
    #expect(
        Set(response.authorities) == (try records(c.authority)), "\(c.q): authority\n\(response.authorities)",
        sourceLocation: sourceLocation)
    #expect(
        Set(response.additionals) == (try records(c.additional)), "\(c.q): additional\n\(response.additionals)",
        sourceLocation: sourceLocation)
    #expect((response.edns != nil) == c.edns, "\(c.q): OPT", sourceLocation: sourceLocation)
    // Whole RRsets only: each (owner, type) appears once, contiguously, per section.
    for section in [response.answers, response.authorities, response.additionals] {
        var seen: [(DomainName, RecordType)] = []
        var last: (DomainName, RecordType)? = nil
        for r in section {
            if let l = last, l.0 == r.name, l.1 == r.type { continue }
            #expect(
                !seen.contains { $0.0 == r.name && $0.1 == r.type }, "\(c.q): RRset split",
                sourceLocation: sourceLocation)
            seen.append((r.name, r.type))
            last = (r.name, r.type)
        }
    }
}
