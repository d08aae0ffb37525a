// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Testing

@Suite struct DigArgumentsTests {
    static let cookie: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]

    func parse(_ line: String) throws -> DigArguments {
        try DigArguments(line.split(separator: " ").map(String.init), makeCookie: { Self.cookie })
    }

    @Test func defaults() throws {
        let a = try self.parse("www.example")
        let q = a.query
        #expect(q.questions == [Question(name: "www.example.", type: .a)])
        #expect(q.header.recursionDesired)
        #expect(q.edns?.udpPayloadSize == 1232)
        #expect(q.edns?.dnssecOK == false)
        #expect(q.edns?.options == [])
        #expect(a.port == 53 && a.timeout == 5 && a.tries == 3 && !a.tcp && !a.short)
        #expect(a.server == nil)
    }

    @Test func noNameAsksForTheRootNS() throws {
        #expect(try self.parse("@127.0.0.1").query.questions == [Question(name: ".", type: .ns)])
    }

    /// Words in any order, types and classes by mnemonic (either case, TYPEnnn).
    @Test(arguments: [
        ("@192.0.2.1 example. MX", "example.", RecordType.mx, DNSClass.in),
        ("MX example. @192.0.2.1", "example.", .mx, .in),
        ("example. txt ch", "example.", .txt, .ch),
        ("CH TXT version.bind", "version.bind.", .txt, .ch),
        ("example. TYPE65534", "example.", RecordType(65534), .in),
        ("-t aaaa -c IN -q a.example", "a.example.", .aaaa, .in),
        ("-x 192.0.2.1", "1.2.0.192.in-addr.arpa.", .ptr, .in),
        ("-x 2001:db8::1", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.", .ptr, .in),
    ])
    func questionInAnyOrder(_ line: String, _ name: String, _ type: RecordType, _ dnsClass: DNSClass) throws {
        let q = try self.parse(line).query.questions
        #expect(q == [Question(name: try DomainName(name), type: type, dnsClass: dnsClass)])
    }

    @Test func plusOptions() throws {
        let a = try self.parse(
            "example. +tcp +dnssec +short +norecurse +bufsize=512 +nsid +cookie +timeout=2 +tries=4 +ignore +cd")
        #expect(a.tcp && a.dnssec && a.short && !a.recurse && a.ignoreTruncation && a.checkingDisabled)
        #expect(a.timeout == 2 && a.tries == 4)
        let q = a.query
        #expect(!q.header.recursionDesired)
        #expect(q.header.checkingDisabled)
        #expect(q.edns?.udpPayloadSize == 512)
        #expect(q.edns?.dnssecOK == true)
        #expect(q.edns?.options == [EDNSOption(code: .nsid, data: []), EDNSOption(code: .cookie, data: Self.cookie)])
    }

    @Test func optionForms() throws {
        #expect(try self.parse("x. +norec").recurse == false)
        #expect(try self.parse("x. +retry=0").tries == 1)
        #expect(try self.parse("x. +vc").tcp)
        #expect(try self.parse("x. -p5353").port == 5353)
        #expect(try self.parse("x. -p 5353").port == 5353)
        #expect(try self.parse("x. +noedns").query.edns == nil)
        #expect(try self.parse("x. +noedns +dnssec").query.edns?.dnssecOK == true)
        #expect(try self.parse("x. +cookie=0102030405060708aabb").cookie == [1, 2, 3, 4, 5, 6, 7, 8, 0xAA, 0xBB])
        #expect(try self.parse("x. +cookie +nocookie").query.edns?.options == [])
        #expect(try self.parse("x. -4").family == 4)
    }

    @Test(arguments: [
        "+nosuch", "+t", "-p", "-p 0", "-p 70000", "-z", "a.example. b.example.", "+bufsize=70000", "+bufsize",
        "+timeout=x", "+cookie=0102", "+cookie=zz", "+edns=1", "@", "-t NOTATYPE", "-x 300.1.1.1",
        "bad..name",
    ])
    func usageErrors(_ line: String) {
        #expect(throws: DigArguments.UsageError.self) { try self.parse(line) }
    }
}
