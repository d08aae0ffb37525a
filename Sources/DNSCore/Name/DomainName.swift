// SPDX-License-Identifier: Apache-2.0

/// A domain name, stored in uncompressed wire form (RFC 1035 §3.1): a sequence
/// of length-prefixed labels ending with the zero-length root label.
///
/// Case is preserved as written; comparison (`==`, hashing) folds ASCII case
/// (RFC 4343), and `<` is the canonical order of RFC 4034 §6.1.
public struct DomainName: Sendable {
    /// Uncompressed wire form, always ending in the root label (a 0 octet).
    public internal(set) var wire: [UInt8]

    /// The root name, `.`.
    public static let root = DomainName(uncheckedWire: [0])

    /// Wraps bytes already known to be a valid uncompressed name.
    @usableFromInline
    init(uncheckedWire: [UInt8]) {
        self.wire = uncheckedWire
    }

    /// A name from its uncompressed wire form, validated.
    public init(wire bytes: some Collection<UInt8>) throws(DNSWireError) {
        let array = Array(bytes)
        guard array.count <= WireLimits.maxNameWireLength else { throw DNSWireError.nameTooLong.at(0) }
        var i = 0
        while true {
            guard i < array.count else { throw DNSWireError.truncated.at(i) }
            let length = Int(array[i])
            if length == 0 {
                guard i == array.count - 1 else { throw DNSWireError.trailingData.at(i + 1) }
                break
            }
            guard length <= WireLimits.maxLabelLength else { throw DNSWireError.labelTooLong.at(i) }
            i += 1 + length
        }
        self.wire = array
    }

    /// A name from its labels, leftmost first, without the root label.
    public init(labels: some Sequence<some Collection<UInt8>>) throws(DNSWireError) {
        var bytes: [UInt8] = []
        for label in labels {
            guard !label.isEmpty else { throw DNSWireError.badValue.at(bytes.count, "empty label") }
            guard label.count <= WireLimits.maxLabelLength else { throw DNSWireError.labelTooLong.at(bytes.count) }
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)
        guard bytes.count <= WireLimits.maxNameWireLength else { throw DNSWireError.nameTooLong.at(0) }
        self.wire = bytes
    }

    /// Octets in wire form, root label included.
    @inlinable public var wireLength: Int { self.wire.count }

    /// True for the root name.
    @inlinable public var isRoot: Bool { self.wire.count == 1 }

    /// Labels, not counting the root.
    public var labelCount: Int {
        var count = 0
        var i = 0
        while self.wire[i] != 0 {
            count += 1
            i += Int(self.wire[i]) + 1
        }
        return count
    }

    /// Offsets of the length octet of each label, leftmost first, root excluded.
    public var labelOffsets: [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(8)
        var i = 0
        while self.wire[i] != 0 {
            offsets.append(i)
            i += Int(self.wire[i]) + 1
        }
        return offsets
    }

    /// The labels, leftmost first, root excluded.
    public var labels: [ArraySlice<UInt8>] {
        self.labelOffsets.map { self.wire[($0 + 1)..<($0 + 1 + Int(self.wire[$0]))] }
    }

    /// The leftmost label (empty for the root).
    public var firstLabel: ArraySlice<UInt8> {
        let length = Int(self.wire[0])
        return self.wire[1..<(1 + length)]
    }

    /// True when the leftmost label is `*` (RFC 4592).
    public var isWildcard: Bool { self.wire.count >= 3 && self.wire[0] == 1 && self.wire[1] == UInt8(ascii: "*") }

    /// The name without its leftmost label; `nil` for the root.
    public var parent: DomainName? {
        guard !self.isRoot else { return nil }
        let skip = Int(self.wire[0]) + 1
        return DomainName(uncheckedWire: Array(self.wire[skip...]))
    }

    /// The name's suffix that keeps the rightmost `count` labels.
    public func suffix(labels count: Int) -> DomainName {
        let offsets = self.labelOffsets
        guard count < offsets.count else { return self }
        guard count > 0 else { return .root }
        return DomainName(uncheckedWire: Array(self.wire[offsets[offsets.count - count]...]))
    }

    /// True when `self` equals `other` or lies below it (case-insensitive).
    public func isSubdomain(of other: DomainName) -> Bool {
        let extra = self.wire.count - other.wire.count
        guard extra >= 0 else { return false }
        // The suffix must start on a label boundary.
        var i = 0
        while i < extra {
            i += Int(self.wire[i]) + 1
        }
        guard i == extra else { return false }
        return self.wire.withUnsafeBufferPointer { a in
            other.wire.withUnsafeBufferPointer { b in
                for k in 0..<b.count where asciiLower(a[extra + k]) != asciiLower(b[k]) {
                    return false
                }
                return true
            }
        }
    }

    /// The name with `label` added on the left.
    public func prepending(label: some Collection<UInt8>) throws(DNSWireError) -> DomainName {
        guard !label.isEmpty else { throw DNSWireError.badValue.at(0, "empty label") }
        guard label.count <= WireLimits.maxLabelLength else { throw DNSWireError.labelTooLong.at(0) }
        guard self.wire.count + label.count + 1 <= WireLimits.maxNameWireLength else {
            throw DNSWireError.nameTooLong.at(0)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(self.wire.count + label.count + 1)
        bytes.append(UInt8(label.count))
        bytes.append(contentsOf: label)
        bytes.append(contentsOf: self.wire)
        return DomainName(uncheckedWire: bytes)
    }

    /// `self` (taken as relative, its root label dropped) followed by `suffix`.
    public func appending(_ suffix: DomainName) throws(DNSWireError) -> DomainName {
        guard self.wire.count - 1 + suffix.wire.count <= WireLimits.maxNameWireLength else {
            throw DNSWireError.nameTooLong.at(0)
        }
        var bytes = self.wire
        bytes.removeLast()
        bytes.append(contentsOf: suffix.wire)
        return DomainName(uncheckedWire: bytes)
    }

    /// The same name with ASCII letters lower-cased (RFC 4034 §6.2 canonical form).
    public func lowercased() -> DomainName {
        var bytes = self.wire
        var i = 0
        while bytes[i] != 0 {
            let length = Int(bytes[i])
            for k in (i + 1)..<(i + 1 + length) {
                bytes[k] = asciiLower(bytes[k])
            }
            i += length + 1
        }
        return DomainName(uncheckedWire: bytes)
    }

    /// The wildcard name `*.self`.
    public var wildcard: DomainName? { try? self.prepending(label: [UInt8(ascii: "*")]) }

    /// Labels in common with `other`, counted from the right.
    public func commonSuffixLabels(with other: DomainName) -> Int {
        let a = self.labels
        let b = other.labels
        var n = 0
        while n < a.count && n < b.count && labelsEqual(a[a.count - 1 - n], b[b.count - 1 - n]) {
            n += 1
        }
        return n
    }
}

@inlinable @inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte &- 0x41) < 26 ? byte | 0x20 : byte
}

func labelsEqual(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).allSatisfy { asciiLower($0) == asciiLower($1) }
}

/// RFC 4034 §6.1: labels compared as octet strings with upper-case letters
/// taken as lower case; a shorter label that is a prefix sorts first.
func compareLabels(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Int {
    var i = a.startIndex
    var j = b.startIndex
    while i < a.endIndex && j < b.endIndex {
        let x = asciiLower(a[i])
        let y = asciiLower(b[j])
        if x != y { return x < y ? -1 : 1 }
        i += 1
        j += 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

extension DomainName: Hashable {
    public static func == (lhs: DomainName, rhs: DomainName) -> Bool {
        guard lhs.wire.count == rhs.wire.count else { return false }
        return lhs.wire.withUnsafeBufferPointer { a in
            rhs.wire.withUnsafeBufferPointer { b in
                for k in 0..<a.count where a[k] != b[k] && asciiLower(a[k]) != asciiLower(b[k]) {
                    return false
                }
                return true
            }
        }
    }

    public func hash(into hasher: inout Hasher) {
        self.wire.withUnsafeBufferPointer { bytes in
            for byte in bytes {
                hasher.combine(asciiLower(byte))
            }
        }
    }

    /// True when the names are equal octet for octet, case included.
    public func isIdentical(to other: DomainName) -> Bool { self.wire == other.wire }
}

extension DomainName: Comparable {
    /// Canonical DNS name order (RFC 4034 §6.1).
    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        lhs.canonicalCompare(rhs) < 0
    }

    /// -1, 0 or 1 as `self` sorts before, equal to or after `other` in canonical order.
    public func canonicalCompare(_ other: DomainName) -> Int {
        let a = self.labelOffsets
        let b = other.labelOffsets
        var i = a.count - 1
        var j = b.count - 1
        while i >= 0 && j >= 0 {
            let la = self.wire[(a[i] + 1)..<(a[i] + 1 + Int(self.wire[a[i]]))]
            let lb = other.wire[(b[j] + 1)..<(b[j] + 1 + Int(other.wire[b[j]]))]
            let c = compareLabels(la, lb)
            if c != 0 { return c }
            i -= 1
            j -= 1
        }
        if i < 0 && j < 0 { return 0 }
        return i < 0 ? -1 : 1
    }
}
