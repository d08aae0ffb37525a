// SPDX-License-Identifier: Apache-2.0

import HanonConfig
import Testing

/// `dnssec` on `[[zone]]`: the boolean form, the `[zone.dnssec]` table, and bad values.
@Suite struct ConfigDNSSECTests {
    static let head = """
        [[zone]]
        name = "example.org"
        file = "z"

        """

    @Test func offByDefault() throws {
        let zone = try #require(try Config.parse(text: Self.head, file: "hanon.toml").zones.first)
        #expect(zone.dnssec == nil)
        let off = try Config.parse(text: Self.head + "dnssec = false\n", file: "hanon.toml")
        #expect(off.zones.first?.dnssec == nil)
    }

    @Test func trueGivesTheDefaults() throws {
        let zone = try #require(try Config.parse(text: Self.head + "dnssec = true\n", file: "hanon.toml").zones.first)
        let dnssec = try #require(zone.dnssec)
        #expect(dnssec.algorithm == .ecdsap256sha256)
        #expect(dnssec.keys == .csk)
        #expect(dnssec.denial == .nsec)
        #expect(!dnssec.nsec3OptOut)
        #expect(dnssec.signatureValidity == .seconds(14 * 86400))
        #expect(dnssec.signatureRefresh == .seconds(5 * 86400))
        #expect(dnssec.jitter == .seconds(12 * 3600))
        #expect(dnssec.dnskeyTTL == .seconds(3600))
        #expect(dnssec.zskLifetime == .zero)
        #expect(dnssec.kskLifetime == .zero)
        #expect(dnssec.propagationDelay == .seconds(300))
        #expect(dnssec.parentDSCheck == .command)
        #expect(dnssec.location.description == "hanon.toml:4:10")
    }

    @Test func table() throws {
        let c = try Config.parse(
            text: Self.head + """
                [zone.dnssec]
                algorithm = "ed25519"
                keys = "ksk-zsk"
                denial = "nsec3"
                nsec3-opt-out = true
                signature-validity = "30s"
                signature-refresh = "10s"
                jitter = "5s"
                dnskey-ttl = "5m"
                zsk-lifetime = "30d"
                ksk-lifetime = "0"
                propagation-delay = "1h"
                parent-ds-check = ["192.0.2.1", "[2001:db8::1]:5353"]

                [[zone]]
                name = "example.net"
                file = "y"
                dnssec = { denial = "nsec3" }
                """, file: "hanon.toml")
        let dnssec = try #require(c.zones.first?.dnssec)
        #expect(dnssec.algorithm == .ed25519)
        #expect(dnssec.keys == .kskZSK)
        #expect(dnssec.denial == .nsec3)
        #expect(dnssec.nsec3OptOut)
        #expect(dnssec.signatureValidity == .seconds(30))
        #expect(dnssec.signatureRefresh == .seconds(10))
        #expect(dnssec.jitter == .seconds(5))
        #expect(dnssec.dnskeyTTL == .seconds(300))
        #expect(dnssec.zskLifetime == .seconds(30 * 86400))
        #expect(dnssec.kskLifetime == .zero)
        #expect(dnssec.propagationDelay == .seconds(3600))
        #expect(
            dnssec.parentDSCheck
                == .servers([
                    ListenAddress(host: "192.0.2.1", port: 53, isIPv6: false),
                    ListenAddress(host: "2001:db8::1", port: 5353, isIPv6: true),
                ]))
        #expect(c.zones.last?.dnssec?.denial == .nsec3)
        #expect(c.zones.last?.dnssec?.algorithm == .ecdsap256sha256)
    }

    @Test(arguments: [
        ("dnssec = \"yes\"", "hanon.toml:4:10: zone.dnssec: found a string; expected true or false, or a table"),
        (
            "dnssec = { algorithm = \"rsasha1\" }",
            "hanon.toml:4:24: zone.dnssec.algorithm: 'rsasha1' is not a choice; expected one of ecdsap256sha256, ecdsap384sha384, ed25519, rsasha256"
        ),
        (
            "dnssec = { keys = \"zsk\" }",
            "hanon.toml:4:19: zone.dnssec.keys: 'zsk' is not a choice; expected one of csk, ksk-zsk"
        ),
        (
            "dnssec = { nsec3-opt-out = true }",
            "hanon.toml:4:28: zone.dnssec.nsec3-opt-out: opt-out needs denial = \"nsec3\"; expected true or false"
        ),
        (
            "dnssec = { signature-validity = \"2w\" }",
            "hanon.toml:4:33: zone.dnssec.signature-validity: '2w' is not a duration"
        ),
        (
            "dnssec = { signature-validity = \"1d\", signature-refresh = \"20h\", jitter = \"4h\" }",
            "hanon.toml:4:10: zone.dnssec: signature-refresh (72000s) plus jitter (14400s) must be less than signature-validity (86400s)"
        ),
        (
            "dnssec = { parent-ds-check = \"dns\" }",
            "hanon.toml:4:30: zone.dnssec.parent-ds-check: found 'dns'; expected \"command\", or an array of addresses"
        ),
        (
            "dnssec = { parent-ds-check = [\"192.0.2.300\"] }",
            "hanon.toml:4:31: zone.dnssec.parent-ds-check: '192.0.2.300' is not an address"
        ),
        (
            "dnssec = { algoritm = \"ed25519\" }",
            "hanon.toml:4:12: unknown key 'zone.dnssec.algoritm' (did you mean 'algorithm'?)"
        ),
    ])
    func errorsNamePosition(_ line: String, _ message: String) throws {
        let error = try #require(throws: ConfigErrors.self) {
            try Config.parse(text: Self.head + line + "\n", file: "hanon.toml")
        }
        #expect(error.errors.first.map { "\($0)" }?.hasPrefix(message) == true, "\(error)")
    }

    @Test func notOnASecondary() throws {
        let error = try #require(throws: ConfigErrors.self) {
            try Config.parse(
                text: "[[zone]]\nname = \"example.net\"\nprimary = [\"192.0.2.1\"]\ndnssec = true\n", file: "hanon.toml"
            )
        }
        #expect("\(error)".hasPrefix("hanon.toml:4:10: zone.dnssec: a secondary zone is signed by its primary"))
    }
}
