// SPDX-License-Identifier: Apache-2.0

import Testing

@testable import DNSCore

/// The allocation-free address parsers (the zone parser's A and AAAA path)
/// against the array-based ones they replaced, kept here as the reference:
/// the same addresses accepted, the same octets, the same text refused.
@Suite struct IPAddressParsingTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("010.001.0.9", "10.1.0.9"),
    ])
    func acceptsIPv4(_ text: String, _ shown: String) {
        #expect(IPv4Address(text)?.description == shown)
    }

    @Test(arguments: [
        "", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4 ",
        "0001.2.3.4", "a.b.c.d", "1.2.3.-4", "1.2.3.4/24",
    ])
    func refusesIPv4(_ text: String) {
        #expect(IPv4Address(text) == nil)
    }

    @Test(arguments: [
        ("2001:db8::1", "2001:db8::1"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:DB8:0:0:8:800:200C:417A", "2001:db8::8:800:200c:417a"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("::ffff:192.0.2.128", "::ffff:192.0.2.128"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
        ("1:2:3:4:5::1.2.3.4", "1:2:3:4:5:0:102:304"),
        ("::1:2:3:4:5:6:7", "0:1:2:3:4:5:6:7"),
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
    ])
    func acceptsIPv6(_ text: String, _ shown: String) {
        #expect(IPv6Address(text)?.description == shown)
    }

    @Test(arguments: [
        "", ":", ":::", "1", ":1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1.2.3.4::", "1:2::3:", "g::", "1: :2",
        "1:2:3:4:5:6::1.2.3.4", "0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0",
    ])
    func refusesIPv6(_ text: String) {
        #expect(IPv6Address(text) == nil)
    }

    /// Every text of up to five characters over an alphabet that reaches each
    /// branch, and random longer ones: the new parsers agree with the old.
    @Test func sameAsTheArrayParsers() {
        let alphabet: [UInt8] = Array("0:1.f9".utf8)
        var texts: [[UInt8]] = [[]]
        var layer: [[UInt8]] = [[]]
        for _ in 1...5 {
            layer = layer.flatMap { prefix in alphabet.map { prefix + [$0] } }
            texts += layer
        }
        var rng = SplitMix64(seed: 7)
        let wide: [UInt8] = Array("0123456789abcdefABCDEFg:.:.::".utf8)
        for _ in 0..<50_000 {
            let count = Int(rng.next() % 46)
            texts.append((0..<count).map { _ in wide[Int(rng.next() % UInt64(wide.count))] })
        }
        var mismatches: [String] = []
        for text in texts {
            let v4 = IPv4Address(parsing: text)?.bytes
            if v4 != referenceIPv4(text) { mismatches.append("v4 " + String(decoding: text, as: UTF8.self)) }
            // Also through a non-contiguous collection (the fallback path).
            let v6 = IPv6Address(parsing: text)?.bytes
            let v6Lazy = IPv6Address(parsing: text.lazy.map { $0 })?.bytes
            let expected = referenceIPv6(text)
            if v6 != expected || v6Lazy != expected {
                mismatches.append("v6 " + String(decoding: text, as: UTF8.self))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}

/// The IPv4 parser as it was (arrays), the reference.
private func referenceIPv4(_ text: [UInt8]) -> [UInt8]? {
    var parts: [UInt8] = []
    var current = 0
    var digits = 0
    for c in text {
        if c == UInt8(ascii: ".") {
            guard digits > 0, parts.count < 3 else { return nil }
            parts.append(UInt8(current))
            current = 0
            digits = 0
        } else if c >= 48 && c <= 57 {
            guard digits < 3 else { return nil }
            current = current * 10 + Int(c - 48)
            digits += 1
            guard current <= 255 else { return nil }
        } else {
            return nil
        }
    }
    guard digits > 0, parts.count == 3 else { return nil }
    parts.append(UInt8(current))
    return parts
}

/// The IPv6 parser as it was (arrays), the reference.
private func referenceIPv6(_ chars: [UInt8]) -> [UInt8]? {
    guard chars.count >= 2, chars.count <= 45 else { return nil }
    var head: [UInt16] = []
    var tail: [UInt16] = []
    var sawDoubleColon = false
    var i = 0
    if chars.starts(with: [58, 58]) {
        sawDoubleColon = true
        i = 2
        if i == chars.count { return [UInt8](repeating: 0, count: 16) }
    } else if chars[0] == 58 {
        return nil
    }
    while i < chars.count {
        var j = i
        while j < chars.count && chars[j] != 58 { j += 1 }
        let part = chars[i..<j]
        if j == chars.count, part.contains(46) {
            guard let b = referenceIPv4(Array(part)) else { return nil }
            let hi = UInt16(b[0]) << 8 | UInt16(b[1])
            let lo = UInt16(b[2]) << 8 | UInt16(b[3])
            if sawDoubleColon { tail += [hi, lo] } else { head += [hi, lo] }
            i = j
            break
        }
        guard !part.isEmpty, part.count <= 4 else { return nil }
        var value: UInt16 = 0
        for c in part {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 65...70: v = c - 55
            case 97...102: v = c - 87
            default: return nil
            }
            value = value << 4 | UInt16(v)
        }
        if sawDoubleColon { tail.append(value) } else { head.append(value) }
        i = j
        if i < chars.count {
            if i + 1 < chars.count && chars[i + 1] == 58 {
                guard !sawDoubleColon else { return nil }
                sawDoubleColon = true
                i += 2
            } else {
                i += 1
                guard i < chars.count else { return nil }
            }
        }
    }
    let total = head.count + tail.count
    if sawDoubleColon {
        guard total <= 7 else { return nil }
    } else {
        guard total == 8 else { return nil }
    }
    let all = head + [UInt16](repeating: 0, count: 8 - total) + tail
    return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
}
