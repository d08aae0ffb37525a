// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSZone

/// The parser's fast path for plain names must agree with DomainName(parsing:)
/// wherever it answers, and leave everything else to it.
@Suite struct PlainNameTests {
    static let texts = [
        "www", "www.", "www.example.", "a.b.c", ".", "..", "a..b", "a.", ".a", "@", "a\\.b", "a\\065",
        String(repeating: "a", count: 63), String(repeating: "a", count: 64),
        String(repeating: "abcdefg.", count: 31), String(repeating: "abcdefg.", count: 32) + "x",
        "*.wild", "_sip._tcp.host", "UPPER.Case.",
    ]

    @Test(arguments: texts)
    func agrees(text: String) {
        let bytes = Array(text.utf8)
        for origin in [DomainName?.some("example."), .some(.root)] {
            let reference = try? DomainName(parsing: bytes, origin: origin)
            if let fast = plainName(bytes, 0, bytes.count, origin: origin) {
                #expect(reference.map { fast.isIdentical(to: $0) } == true, "\(text)")
            } else {
                let special = text.contains("\\") || text == "@"
                #expect(reference == nil || special, "\(text): fast path refused a plain valid name")
            }
        }
    }
}
