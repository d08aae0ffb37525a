// SPDX-License-Identifier: Apache-2.0

/// An IPv4 address, four octets in network order.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var octets: (UInt8, UInt8, UInt8, UInt8)

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) { self.octets = (a, b, c, d) }

    public init(bytes: some Collection<UInt8>) throws(DNSWireError) {
        guard bytes.count == 4 else { throw DNSWireError.badFixedLength.at(0, "IPv4 address of \(bytes.count) octets") }
        let a = Array(bytes)
        self.octets = (a[0], a[1], a[2], a[3])
    }

    public var bytes: [UInt8] { [self.octets.0, self.octets.1, self.octets.2, self.octets.3] }
    public var value: UInt32 {
        UInt32(self.octets.0) << 24 | UInt32(self.octets.1) << 16 | UInt32(self.octets.2) << 8 | UInt32(self.octets.3)
    }

    /// Parses dotted-quad text; exactly four decimal parts of at most 255, no leading zeros beyond one digit.
    public init?(parsing text: some Collection<UInt8>) {
        var parts: [UInt8] = []
        var current = 0
        var digits = 0
        for c in text {
            if c == UInt8(ascii: ".") {
                guard digits > 0, parts.count < 3 else { return nil }
                parts.append(UInt8(current))
                current = 0
                digits = 0
            } else if isDigit(c) {
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
        self.octets = (parts[0], parts[1], parts[2], parts[3])
    }

    public init?(_ text: String) { self.init(parsing: Array(text.utf8)) }

    public var description: String { "\(self.octets.0).\(self.octets.1).\(self.octets.2).\(self.octets.3)" }

    public static func == (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.value) }
    public static func < (lhs: IPv4Address, rhs: IPv4Address) -> Bool { lhs.value < rhs.value }
}

/// An IPv6 address, sixteen octets in network order.
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: some Collection<UInt8>) throws(DNSWireError) {
        guard bytes.count == 16 else {
            throw DNSWireError.badFixedLength.at(0, "IPv6 address of \(bytes.count) octets")
        }
        self.bytes = Array(bytes)
    }

    /// Parses RFC 4291 §2.2 text, including `::` and an embedded dotted quad.
    public init?(parsing text: some Collection<UInt8>) {
        let chars = Array(text)
        guard chars.count >= 2, chars.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var i = 0
        if chars.starts(with: [58, 58]) {
            sawDoubleColon = true
            i = 2
            if i == chars.count { self.bytes = [UInt8](repeating: 0, count: 16); return }
        } else if chars[0] == 58 {
            return nil
        }
        var groups: [UInt16] { sawDoubleColon ? tail : head }
        while i < chars.count {
            // Embedded IPv4 in the last 32 bits.
            var j = i
            while j < chars.count && chars[j] != 58 { j += 1 }
            let part = chars[i..<j]
            if j == chars.count, part.contains(46) {
                guard let v4 = IPv4Address(parsing: part) else { return nil }
                let b = v4.bytes
                let hi = UInt16(b[0]) << 8 | UInt16(b[1])
                let lo = UInt16(b[2]) << 8 | UInt16(b[3])
                if sawDoubleColon { tail += [hi, lo] } else { head += [hi, lo] }
                i = j
                break
            }
            guard !part.isEmpty, part.count <= 4 else { return nil }
            var value: UInt16 = 0
            for c in part {
                guard let v = Hex.value(c) else { return nil }
                value = value << 4 | UInt16(v)
            }
            if sawDoubleColon { tail.append(value) } else { head.append(value) }
            i = j
            if i < chars.count {
                // At a colon.
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
        self.bytes = all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    public init?(_ text: String) { self.init(parsing: Array(text.utf8)) }

    /// RFC 5952 text: lower case, the longest run of two or more zero groups as `::`.
    public var description: String {
        var groups: [UInt16] = []
        for k in 0..<8 { groups.append(UInt16(self.bytes[2 * k]) << 8 | UInt16(self.bytes[2 * k + 1])) }
        var bestStart = -1
        var bestLength = 0
        var k = 0
        while k < 8 {
            if groups[k] == 0 {
                var e = k
                while e < 8 && groups[e] == 0 { e += 1 }
                if e - k > bestLength && e - k >= 2 {
                    bestStart = k
                    bestLength = e - k
                }
                k = e
            } else {
                k += 1
            }
        }
        // IPv4-mapped addresses (::ffff:a.b.c.d) print with a dotted quad, as inet_ntop does.
        if bestStart == 0 && bestLength == 5 && groups[5] == 0xFFFF {
            return "::ffff:\(self.bytes[12]).\(self.bytes[13]).\(self.bytes[14]).\(self.bytes[15])"
        }
        var out = ""
        var g = 0
        while g < 8 {
            if g == bestStart {
                out += "::"
                g += bestLength
                continue
            }
            if !out.isEmpty && !out.hasSuffix(":") { out += ":" }
            out += String(groups[g], radix: 16)
            g += 1
        }
        return out
    }

    public static func < (lhs: IPv6Address, rhs: IPv6Address) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
