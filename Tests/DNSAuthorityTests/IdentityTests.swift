// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Testing

/// NSID (RFC 5001) and CHAOS identity queries (RFC 4892).
@Suite struct IdentityTests {
    func processor(nsid: [UInt8]? = nil, identity: String? = nil, version: String? = nil) throws -> QueryProcessor {
        try exampleProcessor(AuthorityOptions(nsid: nsid, identity: identity, version: version))
    }

    func nsidQuery() -> DNSMessage {
        DNSMessage.query(
            id: 1, name: "www.example.", type: .a, edns: EDNS(options: [EDNSOption(code: .nsid, data: [])]))
    }

    @Test func nsidWhenAskedAndConfigured() throws {
        let response = try #require(
            try self.processor(nsid: Array("ns1.test".utf8)).respond(to: self.nsidQuery(), transport: .udp))
        #expect(response.edns?.nsid?.bytes == Array("ns1.test".utf8))
        #expect(response.answers.count == 1)
    }

    @Test func noNSIDWhenNotAskedOrNotConfigured() throws {
        let plain = DNSMessage.query(id: 1, name: "www.example.", type: .a)
        let configured = try self.processor(nsid: [1, 2, 3])
        #expect(try #require(configured.respond(to: plain, transport: .udp)).edns?.nsid == nil)
        #expect(try #require(try self.processor().respond(to: self.nsidQuery(), transport: .udp)).edns?.nsid == nil)
    }

    @Test func nsidOnErrorsAndRefusals() throws {
        let query = DNSMessage.query(
            id: 1, name: "elsewhere.test.", type: .a, edns: EDNS(options: [EDNSOption(code: .nsid, data: [])]))
        let response = try #require(try self.processor(nsid: [0x61]).respond(to: query, transport: .udp))
        #expect(response.rcode == .refused)
        #expect(response.edns?.nsid?.bytes == [0x61])
    }

    @Test(arguments: ["id.server.", "hostname.bind.", "ID.SERVER."])
    func identity(_ name: String) throws {
        let processor = try self.processor(identity: "host-1")
        try check(Case(q: "\(name) CH TXT", aa: false, answer: ["\(name) 0 CH TXT \"host-1\""]), processor)
        try check(Case(q: "\(name) CH TXT", rcode: .refused, aa: false), try self.processor())
    }

    @Test(arguments: ["version.bind.", "version.server."])
    func version(_ name: String) throws {
        try check(Case(q: "\(name) CH TXT", rcode: .refused, aa: false), try self.processor(identity: "host-1"))
        try check(
            Case(q: "\(name) CH TXT", aa: false, answer: ["\(name) 0 CH TXT \"hanon 0.1\""]),
            try self.processor(version: "hanon 0.1"))
    }

    @Test func refusalsCarryExtendedErrors() throws {
        let processor = try self.processor()
        func ede(_ name: DomainName, _ type: RecordType, _ dnsClass: DNSClass, _ transport: Transport = .udp) throws
            -> UInt16?
        {
            let query = DNSMessage.query(id: 1, name: name, type: type, dnsClass: dnsClass, edns: EDNS())
            let response = try #require(processor.respond(to: query, transport: transport))
            #expect(response.rcode == .refused)
            return try response.edns?.option(.extendedError).map { try EDNSOption.ExtendedError($0).infoCode.rawValue }
        }
        #expect(try ede("www.elsewhere.", .a, .in) == 20)  // Not Authoritative
        #expect(try ede("authors.bind.", .txt, .ch) == 21)  // Not Supported
        #expect(try ede("example.", .ixfr, .in) == 18)  // Prohibited
        #expect(try ede("example.", .axfr, .in, .tcp) == 18)
        // Without EDNS there is no OPT to carry it.
        let plain = DNSMessage.query(id: 1, name: "www.elsewhere.", type: .a, edns: nil)
        #expect(try #require(processor.respond(to: plain, transport: .udp)).edns == nil)
    }

    @Test func otherChaosQueriesAreRefused() throws {
        let processor = try self.processor(identity: "host-1", version: "v")
        try check(Case(q: "authors.bind. CH TXT", rcode: .refused, aa: false), processor)
        try check(Case(q: "id.server. CH A", rcode: .refused, aa: false), processor)
        try check(Case(q: "www.example. CH A", rcode: .refused, aa: false), processor)
    }

    @Test func longIdentityIsSplitIntoStrings() throws {
        let long = String(repeating: "x", count: 300)
        let response = try #require(
            try self.processor(identity: long).respond(
                to: DNSMessage.query(id: 1, name: "id.server.", type: .txt, dnsClass: .ch), transport: .udp))
        guard case .txt(let txt) = response.answers.first?.rdata else {
            Issue.record("no TXT answer")
            return
        }
        #expect(txt.strings.map(\.count) == [255, 45])
    }
}
