// SPDX-License-Identifier: Apache-2.0

// The pieces of `DNSMessage.digText(_:)`: question and record columns, the
// OPT pseudosection line by line, and what only the client knows (its cookie,
// the recursion warning). Expected lines measured against dig 9.18.49
// (`dig +qr` for question lines; a stub UDP responder on 127.0.0.1 for options).
import DNSCore
import Testing

@Suite struct DigTextPartsTests {
    /// BIND `indent()`, counted from the name without the leading `;`:
    /// tabs to the column, one space once past it.
    @Test(arguments: [
        ("a.", "a.\t\t\t\tIN\tA"),
        ("abcdefghijklmno.", "abcdefghijklmno.\t\tIN\tA"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.\tIN\tA"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb. IN\tA"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb. IN\tA"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb. IN A"),
        ("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.\tIN A"),
    ])
    func questionColumns(_ name: String, _ expected: String) throws {
        let question = Question(name: try DomainName(name), type: .a)
        #expect(question.digText == ";" + expected)
        var message = DNSMessage(header: Header(id: 1))
        message.questions = [question]
        #expect(message.digText().contains("\n;; QUESTION SECTION:\n;\(expected)\n\n"))
    }

    @Test func recordColumns() throws {
        #expect(
            try ResourceRecord(text: "example. 300 IN SOA ns1.example. h.example. 1 2 3 4 5").digText()
                == "example.\t\t300\tIN\tSOA\tns1.example. h.example. 1 2 3 4 5")
        #expect(
            try ResourceRecord(text: "a-rather-long-owner-name.example. 3600 IN A 192.0.2.1").digText()
                == "a-rather-long-owner-name.example. 3600 IN A\t192.0.2.1")
    }

    @Test func recursionWarningIsTheClientsChoice() throws {
        var m = DNSMessage.query(id: 4711, name: "www.example.", type: .a)
        m.header.isResponse = true
        m.header.authoritative = true
        m.rcode = .nxDomain
        let received = DigTextOptions(recursionWarning: true)
        #expect(
            m.digText(received).hasPrefix(
                """
                ;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4711
                ;; flags: qr aa rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 1
                ;; WARNING: recursion requested but not available

                ;; OPT PSEUDOSECTION:
                ; EDNS: version: 0, flags:; udp: 1232
                ;; QUESTION SECTION:
                ;www.example.\t\t\tIN\tA


                """))
        #expect(!m.digText().contains("WARNING"))
        m.header.recursionAvailable = true
        #expect(!m.digText(received).contains("WARNING"))
        var none = DNSMessage.query(id: 1, name: ".", type: .ns, recursionDesired: false, edns: nil)
        none.header.truncated = true
        #expect(
            none.digText(received).hasPrefix(
                ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1\n;; flags: tc; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0\n\n"
            ))
    }

    /// A FORMERR or NOTIMP without OPT to a query that had one: dig 9.18
    /// advises `+noedns` (and `+nodnssec` when DO was sent), after a blank line.
    @Test func ednsWarningNeedsTheQuerysOPT() {
        var m = DNSMessage.query(id: 9, name: "example.com.", type: .a, edns: nil)
        m.header.isResponse = true
        m.rcode = .formErr
        let sent = DigTextOptions(recursionWarning: true, queryEDNS: EDNS(dnssecOK: true))
        #expect(
            m.digText(sent).hasPrefix(
                """
                ;; ->>HEADER<<- opcode: QUERY, status: FORMERR, id: 9
                ;; flags: qr rd; QUERY: 1, ANSWER: 0, AUTHORITY: 0, ADDITIONAL: 0
                ;; WARNING: recursion requested but not available

                ;; WARNING: EDNS query returned status FORMERR - retry with '+nodnssec +noedns'

                ;; QUESTION SECTION:

                """))
        m.rcode = .notImp
        #expect(
            m.digText(DigTextOptions(queryEDNS: EDNS())).contains(
                "\n\n;; WARNING: EDNS query returned status NOTIMP - retry with '+noedns'\n\n"))
        #expect(!m.digText().contains("EDNS query"))
        m.rcode = .servFail
        #expect(!m.digText(DigTextOptions(queryEDNS: EDNS())).contains("EDNS query"))
        m.rcode = .formErr
        m.edns = EDNS()
        #expect(!m.digText(DigTextOptions(queryEDNS: EDNS())).contains("EDNS query"))
    }

    @Test func ednsLineAndOptions() {
        var edns = EDNS(udpPayloadSize: 4096, dnssecOK: true)
        edns.flags |= 0x0001
        #expect(edns.digText() == "; EDNS: version: 0, flags: do; MBZ: 0x0001, udp: 4096\n")
        // Measured with dig 9.18.49: an empty option keeps its colon, padding shows its length.
        let cases: [(EDNSOption, String)] = [
            (EDNSOption(code: .nsid, data: Array("ns1".utf8)), "; NSID: 6e 73 31 (\"ns1\")"),
            (EDNSOption(code: .nsid, data: []), "; NSID:"),
            (EDNSOption(code: .nsid, data: [0x41, 0x00]), "; NSID: 41 00 (\"A.\")"),
            (EDNSOption(code: EDNSOptionCode(65001), data: [1]), "; OPT=65001: 01 (\".\")"),
            (EDNSOption(code: EDNSOptionCode(65001), data: []), "; OPT=65001:"),
            (EDNSOption(code: .padding, data: []), "; PAD:"),
            (EDNSOption(code: .padding, data: [0, 0]), "; PAD: (2 bytes)"),
            (EDNSOption(code: .expire, data: [0, 1, 0x51, 0x80]), "; EXPIRE: 86400 (1 day)"),
            (EDNSOption(code: .expire, data: []), "; EXPIRE:"),
            (EDNSOption(code: .tcpKeepalive, data: []), "; TCP KEEPALIVE:"),
        ]
        for (option, expected) in cases { #expect(option.digText() == expected) }
    }

    @Test func cookieIsJudgedAgainstWhatWasSent() {
        let client: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let good = EDNSOption(code: .cookie, data: client + [9, 9, 9, 9, 9, 9, 9, 9])
        #expect(good.digText(clientCookie: client) == "; COOKIE: 01020304050607080909090909090909 (good)")
        #expect(
            EDNSOption(code: .cookie, data: client).digText(clientCookie: client)
                == "; COOKIE: 0102030405060708 (echoed)")
        #expect(
            EDNSOption(code: .cookie, data: [8, 7, 6, 5, 4, 3, 2, 1]).digText(clientCookie: client)
                == "; COOKIE: 0807060504030201 (bad)")
        // `+cookie=HEX` may send a server cookie too: only the client part is echoed.
        #expect(good.digText(clientCookie: client + [7, 7, 7, 7, 7, 7, 7, 7]).hasSuffix(" (good)"))
        #expect(good.digText() == "; COOKIE: 01020304050607080909090909090909")
        // Through the whole message.
        var m = DNSMessage(header: Header(id: 1, flags: 0x8000))
        m.edns = EDNS(options: [good])
        #expect(
            m.digText(DigTextOptions(clientCookie: client)).contains(
                "\n; COOKIE: 01020304050607080909090909090909 (good)\n"))
    }

    /// RFC 8914: INFO-CODE with its name, EXTRA-TEXT in parentheses. dig 9.18
    /// rejects the malformed ones (shorter than 2 octets, text not UTF-8);
    /// they are shown as BIND's renderer would.
    @Test(
        arguments: [
            ([0, 18], "; EDE: 18 (Prohibited)"),
            ([0, 18] + Array("no thanks".utf8), "; EDE: 18 (Prohibited): (no thanks)"),
            ([0, 6] + Array("sig expired é".utf8), "; EDE: 6 (DNSSEC Bogus): (sig expired é)"),
            ([0, 0] + Array("a\u{1}b".utf8), "; EDE: 0 (Other): (a.b)"),
            ([0x01, 0x00], "; EDE: 256"),
            ([0, 0, 0xFF], "; EDE: 0 (Other): ff (.)"),
            ([7], "; EDE: 07 (\".\")"),
            ([], "; EDE:"),
        ] as [([UInt8], String)])
    func extendedError(_ data: [UInt8], _ expected: String) {
        #expect(EDNSOption(code: .extendedError, data: data).digText() == expected)
    }

    @Test func shortTextKeepsEscapes() throws {
        var m = DNSMessage()
        m.answers = [try ResourceRecord(text: "t.example. 1 IN TXT \"a b\" \"c\\\"d\"")]
        #expect(m.shortText == "\"a b\" \"c\\\"d\"\n")
    }
}
