// SPDX-License-Identifier: Apache-2.0

import Testing

@testable import HanonConfig

/// `[resolver] aggressive-nsec` (RFC 8198): on unless turned off.
@Suite("[resolver] aggressive-nsec")
struct ConfigAggressiveNSECTests {
    @Test(arguments: [
        ("", true),
        ("aggressive-nsec = true", true),
        ("aggressive-nsec = false", false),
    ])
    func value(_ line: String, _ expected: Bool) throws {
        let text = "[resolver]\nlisten = [\"127.0.0.1:53\"]\n\(line)"
        let r = try #require(try Config.parse(text: text, file: "hanon.toml").resolver)
        #expect(r.aggressiveNSEC == expected)
    }

    @Test(arguments: ["aggressive-nsec = \"yes\"", "aggressive-nsec = 1"])
    func notABoolean(_ line: String) {
        let errors = parseErrors("[resolver]\nlisten = [\"127.0.0.1:53\"]\n\(line)")
        #expect(errors.count == 1 && errors.first?.contains("resolver.aggressive-nsec") == true, "\(errors)")
    }
}
