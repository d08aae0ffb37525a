// SPDX-License-Identifier: Apache-2.0

/// Parsers for the value forms config keys use: durations, listen addresses, domain names,
/// base64 and hex. Each returns nil (or a reason) on bad input and never traps.
enum ConfigValueParsers {
    /// `"10s"`, `"5m"`, `"1h30m"`, `"2d"`, `"0s"`: one or more `<digits><unit>` with units d, h, m, s,
    /// each unit at most once, largest first. Returns whole seconds; nil if malformed or above
    /// 100 years.
    static func durationSeconds(_ text: String) -> Int? {
        if text == "0" { return 0 }  // "never" for lifetimes, without a unit
        let units: [(Character, Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var total = 0
        var number: Int?
        var nextUnit = 0
        var sawUnit = false
        for ch in text {
            if let digit = ch.wholeNumberValue, ch.isASCII {
                let n = (number ?? 0) * 10 + digit
                guard n <= 3_153_600_000 else { return nil }
                number = n
                continue
            }
            guard let n = number, let index = units[nextUnit...].firstIndex(where: { $0.0 == ch }) else { return nil }
            total += n * units[index].1
            guard total <= 3_153_600_000 else { return nil }
            nextUnit = index + 1
            number = nil
            sawUnit = true
        }
        return sawUnit && number == nil ? total : nil
    }

    /// Dotted-quad IPv4 (`192.0.2.1`): four decimal octets, no leading zeros (which some
    /// parsers read as octal).
    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(part), value <= 255, part.count == 1 || part.first != "0"
            else { return false }
        }
        return true
    }

    /// IPv6 text form (RFC 4291 §2.2): eight groups of 1–4 hex digits, one `::` for a run of zero
    /// groups, optionally ending in a dotted-quad IPv4 address.
    static func isIPv6(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 45 else { return false }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        func groups(_ s: Substring, allowIPv4: Bool) -> Int? {
            if s.isEmpty { return 0 }
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            var count = 0
            for (index, part) in parts.enumerated() {
                if allowIPv4 && index == parts.count - 1 && part.contains(".") {
                    guard isIPv4(part) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(part.count), part.allSatisfy({ $0.isHexDigit }) else { return nil }
                    count += 1
                }
            }
            return count
        }
        if halves.count == 1 {
            return groups(text, allowIPv4: true) == 8
        }
        guard let head = groups(halves[0], allowIPv4: false),
            let tail = groups(halves[1], allowIPv4: true)
        else { return false }
        return head + tail <= 7
    }

    /// A domain name in presentation form, without escapes (RFC 1035 §2.3.4: labels of 1–63
    /// octets, at most 255 octets in wire form). Letters, digits, `-` and `_`; internationalised
    /// names in their A-label (`xn--`) form. Returns the absolute name (with the final dot) or the
    /// reason it is not valid.
    static func domainName(_ text: String) -> Result<String, NameProblem> {
        if text == "." { return .success(".") }
        var name = text
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { return .failure(.init("the name is empty")) }
        var wireLength = 1
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty else { return .failure(.init("it has an empty label")) }
            guard label.utf8.count <= 63 else {
                return .failure(.init("the label '\(label)' is longer than 63 octets"))
            }
            for ch in label.unicodeScalars {
                guard ch.isASCII else {
                    return .failure(.init("'\(ch)' is not allowed; write internationalised names in xn-- form"))
                }
                let ok = ch.properties.isAlphabetic || ("0"..."9").contains(ch) || ch == "-" || ch == "_"
                guard ok else { return .failure(.init("'\(ch)' is not allowed in a name")) }
            }
            wireLength += label.utf8.count + 1
        }
        guard wireLength <= 255 else { return .failure(.init("the name is longer than 255 octets")) }
        return .success(name + ".")
    }

    struct NameProblem: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Base64 (RFC 4648 §4) with padding, no whitespace.
    static func base64(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard !chars.isEmpty, chars.count % 4 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt32? {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): 62
            case UInt8(ascii: "/"): 63
            default: nil
            }
        }
        var out: [UInt8] = []
        var index = 0
        while index < chars.count {
            let quad = chars[index..<(index + 4)]
            let isLast = index + 4 == chars.count
            let padding = quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, padding == 0 || isLast else { return nil }
            var bits: UInt32 = 0
            for (k, c) in quad.enumerated() {
                if k >= 4 - padding {
                    bits <<= 6
                    continue
                }
                guard let v = value(c) else { return nil }
                bits = bits << 6 | v
            }
            out.append(UInt8(bits >> 16 & 0xFF))
            if padding < 2 { out.append(UInt8(bits >> 8 & 0xFF)) }
            if padding < 1 { out.append(UInt8(bits & 0xFF)) }
            // Non-canonical encodings (bits set in the padding) are refused, as RFC 4648 §3.5 allows.
            if padding == 1 && bits & 0xFF != 0 { return nil }
            if padding == 2 && bits & 0xFFFF != 0 { return nil }
            index += 4
        }
        return out
    }

    /// Hex digits, an even number of them.
    static func hex(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < chars.count {
            guard let hi = TOMLParser.hexValue(chars[index]), let lo = TOMLParser.hexValue(chars[index + 1]) else {
                return nil
            }
            out.append(hi << 4 | lo)
            index += 2
        }
        return out
    }

    /// Levenshtein distance, for "did you mean" suggestions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}
