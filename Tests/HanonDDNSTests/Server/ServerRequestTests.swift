// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import HanonDDNS

/// Parsing of the dyndns2 request target.
@Suite struct ServerRequestTests {
    /// Targets that parse: hostnames as sent, IPv4 and IPv6 addresses found.
    @Test(arguments: [
        ("/nic/update?hostname=home.example.org&myip=192.0.2.1", "home.example.org", "192.0.2.1", ""),
        ("/v3/update?hostname=home.example.org&myip=192.0.2.1", "home.example.org", "192.0.2.1", ""),
        (
            "/nic/update?hostname=a.example.org,b.example.org&myip=192.0.2.1,2001:db8::1",
            "a.example.org b.example.org",
            "192.0.2.1", "2001:db8::1"
        ),
        (
            "/nic/update?hostname=a.example.org&myip=2001:db8::1&myipv6=2001:db8::2", "a.example.org", "",
            "2001:db8::1 2001:db8::2"
        ),
        ("/nic/update?system=dyndns&hostname=a.example.org&myip=&wildcard=ON", "a.example.org", "", ""),  // ddclient
        ("/nic/update?hostname=a.example.org", "a.example.org", "", ""),
        ("/nic/update?hostname=a%2Eexample.org&myip=192.0.2.1%2C192.0.2.2", "a.example.org", "192.0.2.1 192.0.2.2", ""),
        ("/nic/update?myip=2001%3Adb8%3A%3A5&hostname=a.example.org", "a.example.org", "", "2001:db8::5"),
        ("/nic/update?HOSTNAME=a.example.org&myip=192.0.2.1,192.0.2.1", "a.example.org", "192.0.2.1", ""),
    ])
    func parses(target: String, hostnames: String, v4: String, v6: String) throws {
        let request = try DynDNS2Request.parse(target: target).get()
        #expect(request.hostnames.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ") == hostnames)
        #expect(request.v4.map(\.description).joined(separator: " ") == v4)
        #expect(request.v6.map(\.description).joined(separator: " ") == v6)
    }

    /// Targets refused: 404 for another path, 400 with a reason otherwise.
    @Test(arguments: [
        ("/", "notFound"),
        ("/nic/updatex?hostname=a.example.org", "notFound"),
        ("/nic/update", "no hostname"),
        ("/nic/update?hostname=", "no hostname"),
        ("/nic/update?hostname=a.example.org&myip=1.2.3", "is not an IP address"),
        ("/nic/update?hostname=a.example.org&myip=192.0.2.1&myip=192.0.2.2", "given twice"),
        ("/nic/update?hostname=a.example.org&myip=%zz", "percent-encoding"),
        ("/nic/update?hostname=a.example.org&myip=192.0.2.1%", "percent-encoding"),
        ("/nic/update?hostname=a.example.org&myip=192.0.2.1%4", "percent-encoding"),
        ("/nic%2", "percent-encoding"),
        ("/nic/update?hostname=ä.example.org", "not printable ASCII"),
        ("/nic/update?hostname=a b", "not printable ASCII"),
        ("/nic/update?hostname=a.example.org&myip=%FF%FE", "is not an IP address"),
        ("/nic/update?hostname=" + String(repeating: "a", count: 5000), "too long"),
    ])
    func refuses(target: String, problem: String) {
        switch DynDNS2Request.parse(target: target) {
        case .success(let r): Issue.record("parsed: \(r)")
        case .failure(.notFound): #expect(problem == "notFound")
        case .failure(.badRequest(let reason)): #expect(reason.contains(problem), "\(reason)")
        }
    }

    /// Fully qualified host names, and what is `notfqdn`.
    @Test(
        arguments: [
            ("home.example.org", "home.example.org."),
            ("home.example.org.", "home.example.org."),
            ("HOME.Example.ORG", "HOME.Example.ORG."),
            ("_x.example.org", "_x.example.org."),
            ("home", nil),
            ("home.", nil),
            ("", nil),
            (".", nil),
            ("a..example.org", nil),
            ("*.example.org", nil),
            ("a b.example.org", nil),
            ("a/b.example.org", nil),
            (String(repeating: "a", count: 64) + ".example.org", nil),
            ("ä.example.org", nil),
        ] as [(String, String?)])
    func fullyQualified(text: String, expected: String?) {
        #expect(DynDNS2Request.fullyQualifiedName(Array(text.utf8))?.description == expected)
    }

    @Test func nonUTF8HostnameIsNotFQDN() {
        #expect(DynDNS2Request.fullyQualifiedName([0xFF, 0x2E, 0x61, 0x62]) == nil)
    }
}
