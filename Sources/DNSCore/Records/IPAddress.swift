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
    /// Reads the text in place (no allocation): a zone's A records are parsed with this.
    public init?(parsing text: some Collection<UInt8>) {
        let parsed =
            text.withContiguousStorageIfAvailable { Self.parse($0) }
            ?? Array(text).withUnsafeBufferPointer {
                Self.parse($0)
            }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Dotted-quad text in `text`, or nil.
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> IPv4Address? {
        var value: UInt32 = 0
        var parts = 0
        var current = 0
        var digits = 0
        for c in text {
            if c == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | UInt32(current)
                parts += 1
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
        guard digits > 0, parts == 3 else { return nil }
        value = value << 8 | UInt32(current)
        return IPv4Address(
            UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
            UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
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
    /// Reads the text in place, groups on the stack: one allocation (``bytes``),
    /// as a zone's AAAA records are parsed with this.
    public init?(parsing text: some Collection<UInt8>) {
        let parsed =
            text.withContiguousStorageIfAvailable { Self.parse($0) }
            ?? Array(text).withUnsafeBufferPointer {
                Self.parse($0)
            }
        guard let parsed else { return nil }
        self.bytes = parsed
    }

    /// The sixteen octets of the address in `chars`, or nil.
    static func parse(_ chars: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let colon: UInt8 = 58
        guard chars.count >= 2, chars.count <= 45 else { return nil }
        // Groups before `::` (all of them when there is none) and after it.
        var head = SIMD8<UInt16>()
        var tail = SIMD8<UInt16>()
        var headCount = 0
        var tailCount = 0
        var sawDoubleColon = false
        var i = 0
        if chars[0] == colon && chars[1] == colon {
            sawDoubleColon = true
            i = 2
            if i == chars.count { return [UInt8](repeating: 0, count: 16) }
        } else if chars[0] == colon {
            return nil
        }
        // Appends a group; false when there would be more than eight (never valid).
        func append(_ value: UInt16) -> Bool {
            if sawDoubleColon {
                guard headCount + tailCount < 8 else { return false }
                tail[tailCount] = value
                tailCount += 1
            } else {
                guard headCount < 8 else { return false }
                head[headCount] = value
                headCount += 1
            }
            return true
        }
        while i < chars.count {
            var j = i
            var hasDot = false
            while j < chars.count && chars[j] != colon {
                if chars[j] == UInt8(ascii: ".") { hasDot = true }
                j += 1
            }
            // Embedded IPv4 in the last 32 bits.
            if j == chars.count, hasDot {
                guard let v4 = IPv4Address.parse(UnsafeBufferPointer(rebasing: chars[i..<j])) else { return nil }
                let hi = UInt16(v4.octets.0) << 8 | UInt16(v4.octets.1)
                let lo = UInt16(v4.octets.2) << 8 | UInt16(v4.octets.3)
                guard append(hi), append(lo) else { return nil }
                i = j
                break
            }
            guard j > i, j - i <= 4 else { return nil }
            var value: UInt16 = 0
            for k in i..<j {
                guard let v = Hex.value(chars[k]) else { return nil }
                value = value << 4 | UInt16(v)
            }
            guard append(value) else { return nil }
            i = j
            if i < chars.count {
                // At a colon.
                if i + 1 < chars.count && chars[i + 1] == colon {
                    guard !sawDoubleColon else { return nil }
                    sawDoubleColon = true
                    i += 2
                } else {
                    i += 1
                    guard i < chars.count else { return nil }
                }
            }
        }
        let total = headCount + tailCount
        if sawDoubleColon {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        // head, then zeros, then tail: group g is at octets 2g and 2g+1.
        var bytes = [UInt8](repeating: 0, count: 16)
        for g in 0..<headCount {
            bytes[2 * g] = UInt8(truncatingIfNeeded: head[g] >> 8)
            bytes[2 * g + 1] = UInt8(truncatingIfNeeded: head[g])
        }
        for g in 0..<tailCount {
            let at = 8 - tailCount + g
            bytes[2 * at] = UInt8(truncatingIfNeeded: tail[g] >> 8)
            bytes[2 * at + 1] = UInt8(truncatingIfNeeded: tail[g])
        }
        return bytes
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
