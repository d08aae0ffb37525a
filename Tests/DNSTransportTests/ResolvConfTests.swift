// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import Testing

@Suite struct ResolvConfTests {
    struct Case: Sendable, CustomStringConvertible {
        var text: String
        /// Hosts in order, each with the reason given for /etc/resolv.conf.
        var servers: [(String, String)]
        var description: String { self.text.replacingNewlines }
    }

    static let path = "/etc/resolv.conf"

    static let nameserverCases: [Case] = [
        Case(
            text: "nameserver 192.0.2.53\n",
            servers: [("192.0.2.53", "from nameserver 192.0.2.53 in /etc/resolv.conf")]),
        Case(
            text: "nameserver 0.0.0.0\n",
            servers: [("127.0.0.1", "from nameserver 0.0.0.0 in /etc/resolv.conf: this host")]),
        Case(
            text: "# local\nnameserver ::\n",
            servers: [("::1", "from nameserver :: in /etc/resolv.conf: this host")]),
        Case(
            text: "nameserver 0::0\nnameserver 0.0.0.0\n",
            servers: [
                ("::1", "from nameserver 0::0 in /etc/resolv.conf: this host"),
                ("127.0.0.1", "from nameserver 0.0.0.0 in /etc/resolv.conf: this host"),
            ]),
        Case(
            text: "nameserver 2001:DB8::35\n",
            servers: [("2001:db8::35", "from nameserver 2001:db8::35 in /etc/resolv.conf")]),
        Case(
            text: "nameserver fe80::1%eth0\n",
            servers: [("fe80::1%eth0", "from nameserver fe80::1%eth0 in /etc/resolv.conf")]),
        Case(
            text: "nameserver 192.0.2.1 # primary\n\tnameserver\t192.0.2.2;second\n",
            servers: [
                ("192.0.2.1", "from nameserver 192.0.2.1 in /etc/resolv.conf"),
                ("192.0.2.2", "from nameserver 192.0.2.2 in /etc/resolv.conf"),
            ]),
        // glibc's MAXNS: the fourth is ignored.
        Case(
            text: "nameserver 192.0.2.1\nnameserver 192.0.2.2\nnameserver 192.0.2.3\nnameserver 192.0.2.4\n",
            servers: [
                ("192.0.2.1", "from nameserver 192.0.2.1 in /etc/resolv.conf"),
                ("192.0.2.2", "from nameserver 192.0.2.2 in /etc/resolv.conf"),
                ("192.0.2.3", "from nameserver 192.0.2.3 in /etc/resolv.conf"),
            ]),
        // No nameserver (or none usable): this host, IPv4 then IPv6.
        Case(
            text: "",
            servers: [
                ("127.0.0.1", "no nameserver in /etc/resolv.conf: this host, as glibc does"),
                ("::1", "no nameserver in /etc/resolv.conf: this host, as glibc does"),
            ]),
        Case(
            text:
                "search example.\n# nameserver 192.0.2.1\n; nameserver 192.0.2.2\nnameserver ns.example.\nnameserver\n",
            servers: [
                ("127.0.0.1", "no nameserver in /etc/resolv.conf: this host, as glibc does"),
                ("::1", "no nameserver in /etc/resolv.conf: this host, as glibc does"),
            ]),
        // Malformed addresses are skipped, not guessed at.
        Case(
            text: "nameserver 192.0.2.300\nnameserver 1.2.3\nnameserver 192.0.2.9\n",
            servers: [("192.0.2.9", "from nameserver 192.0.2.9 in /etc/resolv.conf")]),
    ]

    @Test(arguments: nameserverCases)
    func nameservers(_ c: Case) {
        let conf = ResolvConf(parsing: c.text)
        #expect(conf.nameservers.map(\.host) == c.servers.map(\.0))
        #expect(conf.nameservers.map { $0.reason(path: Self.path) } == c.servers.map(\.1))
    }

    @Test func originKeepsTheLine() {
        let conf = ResolvConf(parsing: "# x\nnameserver 192.0.2.1\n\nnameserver 0.0.0.0\n")
        #expect(conf.nameservers.map(\.origin) == [.listed(line: 2), .thisHost(written: "0.0.0.0", line: 4)])
        #expect(ResolvConf(parsing: "").nameservers.map(\.origin) == [.defaultNoNameserver, .defaultNoNameserver])
    }

    @Test func unspecifiedAddressKeepsItsFamily() {
        let conf = ResolvConf(parsing: "nameserver 0.0.0.0\nnameserver ::\n")
        #expect(conf.nameservers.map(\.isIPv6) == [false, true])
        #expect(conf.nameservers.map(\.address) == ["127.0.0.1", "::1"])
    }

    @Test func searchAndDomainLastOneWins() throws {
        #expect(ResolvConf(parsing: "search a.example. b.example\n").search == ["a.example.", "b.example."])
        #expect(ResolvConf(parsing: "search a.example.\ndomain c.example\n").search == ["c.example."])
        #expect(
            ResolvConf(parsing: "domain c.example\nsearch a.example b.example # x\n").search == [
                "a.example.", "b.example.",
            ])
        #expect(ResolvConf(parsing: "domain\n").search == [])
    }

    @Test func options() {
        let conf = ResolvConf(parsing: "options ndots:2 timeout:3 attempts:4 rotate edns0\noptions trust-ad\n")
        #expect(conf.ndots == 2)
        #expect(conf.timeout == 3)
        #expect(conf.attempts == 4)
        #expect(conf.otherOptions == ["rotate", "edns0", "trust-ad"])
    }

    @Test func optionsAreCappedAsGlibcDoes() {
        let conf = ResolvConf(parsing: "options ndots:99 timeout:100 attempts:9\n")
        #expect(conf.ndots == 15)
        #expect(conf.timeout == 30)
        #expect(conf.attempts == 5)
    }

    @Test func defaultsAndMalformedOptions() {
        let conf = ResolvConf(parsing: "options ndots: timeout:x attempts:-1\nbogus line\n")
        #expect(conf.ndots == 1)
        #expect(conf.timeout == 5)
        #expect(conf.attempts == 2)
        #expect(conf.ignoredLines.map(\.line) == [1, 1, 1, 2])
    }

    @Test func crlfAndBlankLines() {
        let conf = ResolvConf(parsing: "\r\nnameserver 192.0.2.1\r\n\r\n   \n")
        #expect(conf.nameservers.map(\.host) == ["192.0.2.1"])
    }
}

extension String {
    fileprivate var replacingNewlines: String {
        String(self.map { $0 == "\n" ? "⏎" : $0 })
    }
}
