// SPDX-License-Identifier: Apache-2.0

import HanonConfig
import Testing

/// `zone.dnssec.parent-ds-check-interval`: how often the parent's servers are
/// asked while a new DS is awaited (a minute by default; seconds in a lab).
@Suite struct ConfigParentDSCheckIntervalTests {
    static let head = """
        [[zone]]
        name = "example.org"
        file = "z"

        """

    @Test func aMinuteByDefault() throws {
        let c = try Config.parse(text: Self.head + "dnssec = true\n", file: "hanon.toml")
        #expect(c.zones.first?.dnssec?.parentDSCheckInterval == .seconds(60))
    }

    @Test func secondsForALab() throws {
        let c = try Config.parse(
            text: Self.head + "dnssec = { parent-ds-check = [\"127.0.0.1\"], parent-ds-check-interval = \"1s\" }\n",
            file: "hanon.toml")
        #expect(c.zones.first?.dnssec?.parentDSCheckInterval == .seconds(1))
    }

    @Test(arguments: ["\"0s\"", "\"2d\"", "\"soon\""])
    func outOfRangeIsAnErrorAtItsPosition(_ value: String) throws {
        let error = try #require(throws: ConfigErrors.self) {
            try Config.parse(text: Self.head + "dnssec = { parent-ds-check-interval = \(value) }\n", file: "hanon.toml")
        }
        #expect("\(error)".contains("hanon.toml:4:39: zone.dnssec.parent-ds-check-interval"), "\(error)")
    }
}
