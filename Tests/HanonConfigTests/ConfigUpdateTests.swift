// SPDX-License-Identifier: Apache-2.0

import HanonConfig
import Testing

/// `allow-update`, `serial-policy` and `zonefile-sync` on `[[zone]]`.
@Suite struct ConfigUpdateTests {
    static let head = """
        [[key]]
        name = "ddns"
        secret = "AQID"

        [[zone]]
        name = "example.org"
        file = "z"

        """

    @Test func rulesParse() throws {
        let c = try Config.parse(
            text: Self.head + """
                allow-update = [{ key = "ddns", names = ["home.example.org", "*.dyn.example.org"], types = ["a", "AAAA"] },
                                { address = "127.0.0.1/32" }]
                serial-policy = "date"
                zonefile-sync = "5s"
                """, file: "hanon.toml")
        let zone = try #require(c.zones.first)
        #expect(zone.allowUpdate.count == 2)
        #expect(zone.allowUpdate[0].identity == .key("ddns."))
        #expect(zone.allowUpdate[0].names == ["home.example.org.", "*.dyn.example.org."])
        #expect(zone.allowUpdate[0].types == ["A", "AAAA"])
        #expect(zone.allowUpdate[0].location.line == 8)
        #expect(zone.allowUpdate[1].identity == .address("127.0.0.1/32"))
        #expect(zone.allowUpdate[1].names.isEmpty)
        #expect(zone.serialPolicy == .date)
        #expect(zone.zonefileSync == .seconds(5))
    }

    @Test func defaults() throws {
        let zone = try #require(try Config.parse(text: Self.head, file: "hanon.toml").zones.first)
        #expect(zone.allowUpdate.isEmpty)
        #expect(zone.serialPolicy == .increment)
        #expect(zone.zonefileSync == .seconds(60))
    }

    @Test(
        arguments: [
            (
                "allow-update = [{ key = \"nokey\" }]",
                "hanon.toml:8:25: zone.allow-update.key: no [[key]] is named 'nokey.'; expected the name of a [[key]]"
            ),
            (
                "allow-update = [{ address = \"10.0.0.0/33\" }]",
                "hanon.toml:8:29: zone.allow-update.address: '10.0.0.0/33' is not a network; expected a network \"ADDRESS/LENGTH\" or an address"
            ),
            (
                "allow-update = [{ names = [\"a.example.org\"] }]",
                "hanon.toml:8:17: zone.allow-update: give either key or address; expected a table with key or address, names and types"
            ),
            (
                "allow-update = [{ key = \"ddns\", address = \"::1\" }]",
                "hanon.toml:8:17: zone.allow-update: give either key or address; expected a table with key or address, names and types"
            ),
            (
                "allow-update = [{ key = \"ddns\", names = [\"www.example.net\"] }]",
                "hanon.toml:8:42: zone.allow-update.names: 'www.example.net' is not in zone 'example.org.'; expected an array of domain names, or \"*.name\" for every name below name"
            ),
            (
                "allow-update = [{ key = \"ddns\", types = [\"A B\"] }]",
                "hanon.toml:8:42: zone.allow-update.types: 'A B' is not a record type; expected an array of record types"
            ),
            (
                "allow-update = [{ key = \"ddns\", name = [\"x\"] }]",
                "hanon.toml:8:33: unknown key 'zone.allow-update.name' (did you mean 'names'?)"
            ),
            (
                "allow-update = \"ddns\"",
                "hanon.toml:8:16: zone.allow-update: found a string; write [[zone.allow-update]] sections; expected an array of tables"
            ),
            (
                "serial-policy = \"random\"",
                "hanon.toml:8:17: zone.serial-policy: 'random' is not a choice; expected one of increment, unixtime, date"
            ),
        ])
    func errorsNamePosition(_ line: String, _ message: String) throws {
        let error = try #require(throws: ConfigErrors.self) {
            try Config.parse(text: Self.head + line, file: "hanon.toml")
        }
        #expect(error.description.split(separator: "\n").map(String.init) == [message])
    }
}
