// SPDX-License-Identifier: Apache-2.0

import HanonDDNS
import Testing

/// Address detection: from text (web page, command output), interfaces, and the refusal of
/// addresses that must not be published.
@Suite struct DetectionTests {
    @Test(arguments: [
        ("Current IP Address: 198.51.100.23", "ipv4", nil, "198.51.100.23"),
        ("<html><body>Current IP Address: 203.0.113.9</body></html>", "ipv4", nil, "203.0.113.9"),
        ("router 192.168.1.1 wan 198.51.100.5", "ipv4", "wan", "198.51.100.5"),
        ("router 192.168.1.1 wan 198.51.100.5", "ipv4", nil, "192.168.1.1"),
        ("1.2.3.4.5 then 198.51.100.1.", "ipv4", nil, "198.51.100.1"),
        ("999.1.1.1 10.0.0.256 8.8.8.8", "ipv4", nil, "8.8.8.8"),
        ("Your address: 2001:db8::42\n", "ipv6", nil, "2001:db8::42"),
        ("v4 198.51.100.1 v6 2001:db8:0:0:0:0:0:1", "ipv6", nil, "2001:db8::1"),
        ("lan fe80::1 IPv6: 2001:db8:aa::1", "ipv6", "IPv6:", "2001:db8:aa::1"),
        ("::ffff:198.51.100.1", "ipv6", nil, "::ffff:198.51.100.1"),
    ])
    func addressesAreFoundInText(text: String, family: String, skip: String?, expected: String) throws {
        let f = try #require(IPAddress.Family(rawValue: family))
        #expect(AddressScanner.firstAddress(in: text, family: f, after: skip)?.description == expected)
    }

    @Test(arguments: [
        ("no address here", "ipv4", nil as String?),
        ("skip marker missing 198.51.100.1", "ipv4", "Address:"),
        ("marker at the end Address:", "ipv4", "Address:"),
        ("only v4 198.51.100.1", "ipv6", nil),
        ("dead:beef is not an address", "ipv6", nil),
        (String(repeating: "1.", count: 10000), "ipv4", nil),
        (String(repeating: ":", count: 10000), "ipv6", nil),
        ("", "ipv4", nil),
    ])
    func textWithoutAnAddressGivesNone(text: String, family: String, skip: String?) throws {
        let f = try #require(IPAddress.Family(rawValue: family))
        #expect(AddressScanner.firstAddress(in: text, family: f, after: skip) == nil)
    }

    @Test(arguments: [
        ("10.1.2.3", "RFC 1918"), ("172.20.0.1", "RFC 1918"), ("192.168.0.1", "RFC 1918"),
        ("100.64.0.1", "CGNAT"), ("127.0.0.1", "loopback"), ("169.254.1.1", "link-local"),
        ("192.0.2.1", "documentation"), ("198.51.100.1", "documentation"), ("203.0.113.1", "documentation"),
        ("0.1.2.3", "this network"), ("224.0.0.1", "multicast"), ("255.255.255.255", "reserved"),
        ("198.18.0.1", "benchmarking"),
        ("::1", "loopback"), ("fe80::1", "link-local"), ("fd00::1", "unique local"), ("fc00::1", "unique local"),
        ("2001:db8::1", "documentation"), ("::", "unspecified"), ("::ffff:8.8.8.8", "IPv4-mapped"),
        ("ff02::1", "multicast"),
    ])
    func specialAddressesAreNotPublic(text: String, range: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isPublic)
        #expect(address.specialPurpose?.contains(range) == true)
    }

    @Test(arguments: [
        "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.32.0.1", "2606:4700::1111", "2a00:1450::1",
    ])
    func globalAddressesArePublic(text: String) throws {
        #expect(try #require(IPAddress(text)).isPublic)
    }

    @Test func aPrivateAddressIsRefusedUnlessAllowed() throws {
        let found = [try #require(IPAddress("192.168.1.10"))]
        let source = AddressSource.interface("eth0")
        #expect(throws: DDNSError.self) {
            try AddressDetector.choose(found, family: .v4, source: source, allowPrivate: false)
        }
        do {
            _ = try AddressDetector.choose(found, family: .v4, source: source, allowPrivate: false)
        } catch {
            #expect(error.message.contains("RFC 1918"))
            #expect(error.message.contains("allow-private"))
        }
        #expect(try AddressDetector.choose(found, family: .v4, source: source, allowPrivate: true) == found[0])
        let mixed = [try #require(IPAddress("10.0.0.1")), try #require(IPAddress("8.8.4.4"))]
        #expect(try AddressDetector.choose(mixed, family: .v4, source: source, allowPrivate: false) == mixed[1])
        #expect(throws: DDNSError.self) {
            try AddressDetector.choose([], family: .v6, source: source, allowPrivate: true)
        }
    }

    @Test func theLoopbackInterfaceIsReadAndItsAddressRefused() async throws {
        let addresses = try AddressDetector.interfaceAddresses("lo", family: .v4)
        #expect(addresses.contains(try #require(IPAddress("127.0.0.1"))))
        let ca = try SharedCA.get()
        let refusing = AddressDetector(https: try ca.client(), allowPrivate: false)
        await #expect(throws: DDNSError.self) { _ = try await refusing.detect(.interface("lo"), family: .v4) }
        let allowing = AddressDetector(https: try ca.client(), allowPrivate: true)
        #expect(try await allowing.detect(.interface("lo"), family: .v4) == IPAddress("127.0.0.1"))
        #expect(throws: DDNSError.self) { try AddressDetector.interfaceAddresses("nosuch0", family: .v4) }
    }

    /// A "what is my IP" page over HTTPS, with and without a skip marker, IPv4 and IPv6.
    @Test func webPagesGiveTheFirstAddressAfterTheMarker() async throws {
        let ca = try SharedCA.get()
        let server = try await TestHTTPSServer.start(ca.good) { request in
            switch request.path {
            case "/v4": return (200, "<html><body>Current IP Address: 8.8.4.4</body></html>")
            case "/v4skip": return (200, "LAN 192.168.0.2 via 10.0.0.1<br>WAN IP: 1.0.0.1\n")
            case "/v6": return (200, "2606:4700:4700::1111\n")
            case "/v6skip": return (200, "link fe80::1 ula fd00::5 IPv6 Address: 2a00:1450:4001::200e")
            case "/private": return (200, "Current IP Address: 192.168.178.20")
            default: return (404, "not found")
            }
        }
        defer { Task { await server.stop() } }
        let detector = AddressDetector(https: try ca.client(), allowPrivate: false)
        func web(_ path: String, _ skip: String? = nil) throws -> AddressSource {
            .web(try #require(HTTPSURL("https://localhost:\(server.port)\(path)")), skip: skip)
        }
        #expect(try await detector.detect(try web("/v4"), family: .v4) == IPAddress("8.8.4.4"))
        #expect(try await detector.detect(try web("/v4skip", "WAN IP:"), family: .v4) == IPAddress("1.0.0.1"))
        #expect(try await detector.detect(try web("/v6"), family: .v6) == IPAddress("2606:4700:4700::1111"))
        #expect(
            try await detector.detect(try web("/v6skip", "IPv6 Address:"), family: .v6)
                == IPAddress("2a00:1450:4001::200e"))
        // Without the marker the first address is private, and refused.
        await #expect(throws: DDNSError.self) { _ = try await detector.detect(try web("/v4skip"), family: .v4) }
        await #expect(throws: DDNSError.self) { _ = try await detector.detect(try web("/private"), family: .v4) }
        await #expect(throws: DDNSError.self) { _ = try await detector.detect(try web("/v4", "absent"), family: .v4) }
        await #expect(throws: DDNSError.self) { _ = try await detector.detect(try web("/missing"), family: .v4) }
    }

    @Test func aCommandsOutputIsScanned() async throws {
        let ca = try SharedCA.get()
        let detector = AddressDetector(https: try ca.client(), allowPrivate: false)
        let echo = AddressSource.command(["/bin/echo", "wan=9.9.9.9 lan=10.0.0.1 v6=2620:fe::fe"])
        #expect(try await detector.detect(echo, family: .v4) == IPAddress("9.9.9.9"))
        #expect(try await detector.detect(echo, family: .v6) == IPAddress("2620:fe::fe"))
        await #expect(throws: DDNSError.self) { _ = try await detector.detect(.command(["/bin/false"]), family: .v4) }
        await #expect(throws: DDNSError.self) {
            _ = try await detector.detect(.command(["/nonexistent/program"]), family: .v4)
        }
    }
}
