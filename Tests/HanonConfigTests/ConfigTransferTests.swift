// SPDX-License-Identifier: Apache-2.0

import HanonConfig
import Testing

/// `zone.allow-transfer` and `zone.notify`.
@Suite struct ConfigTransferTests {
    static func zone(_ lines: String, keys: String = "") -> String {
        keys + "[[zone]]\nname = \"example.org\"\nfile = \"z\"\n" + lines
    }

    @Test func entriesAreReadInNormalForm() throws {
        let text = Self.zone(
            """
            allow-transfer = ["192.0.2.0/24", "2001:DB8::/32", "198.51.100.7", "::1", "key:Transfer"]
            notify = ["192.0.2.53", "192.0.2.54:5353", "[2001:db8::53]:5300", "2001:db8::54", "[::1]"]
            """,
            keys: "[[key]]\nname = \"transfer\"\nsecret = \"AQIDBA==\"\n")
        let config = try Config.parse(text: text, file: "hanon.toml")
        let zone = try #require(config.zones.first)
        #expect(zone.allowTransfer == ["192.0.2.0/24", "2001:db8::/32", "198.51.100.7/32", "::1/128", "key:Transfer."])
        #expect(
            zone.notify.map(\.description) == [
                "192.0.2.53:53", "192.0.2.54:5353", "[2001:db8::53]:5300", "[2001:db8::54]:53", "[::1]:53",
            ])
    }

    @Test func theDefaultIsNobodyAndNoNotify() throws {
        let zone = try #require(try Config.parse(text: Self.zone(""), file: "hanon.toml").zones.first)
        #expect(zone.allowTransfer.isEmpty && zone.notify.isEmpty)
    }

    @Test(arguments: [
        (
            "allow-transfer = [\"192.0.2.0/33\"]",
            "hanon.toml:4:19: zone.allow-transfer: '192.0.2.0/33' is not a network (192.0.2.0/24, 2001:db8::/32) or key:NAME"
        ),
        (
            "allow-transfer = [\"any\"]",
            "hanon.toml:4:19: zone.allow-transfer: 'any' is not a network (192.0.2.0/24, 2001:db8::/32) or key:NAME"
        ),
        ("allow-transfer = \"192.0.2.1\"", "hanon.toml:4:18: zone.allow-transfer: found a string"),
        ("allow-transfer = [1]", "hanon.toml:4:19: zone.allow-transfer: found an integer in the array"),
        ("allow-transfer = [\"::1\", \"::1/128\"]", "hanon.toml:4:26: zone.allow-transfer: '::1/128' is listed twice"),
        (
            "allow-transfer = [\"key:nokey\"]",
            "hanon.toml:4:19: zone.allow-transfer: key 'nokey.' is not defined; add a [[key]] with that name"
        ),
        (
            "notify = [\"192.0.2.1:0\"]",
            "hanon.toml:4:11: zone.notify: '192.0.2.1:0' is not an address (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53)"
        ),
        (
            "notify = [\"ns.example.org\"]",
            "hanon.toml:4:11: zone.notify: 'ns.example.org' is not an address (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53)"
        ),
        ("notify = [\"192.0.2.1\", \"192.0.2.1:53\"]", "hanon.toml:4:24: zone.notify: '192.0.2.1:53' is listed twice"),
    ])
    func badValuesAreReportedWithTheirPosition(line: String, message: String) {
        let errors = parseErrors(Self.zone(line))
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix(message) == true, "\(errors)")
    }
}
