// SPDX-License-Identifier: Apache-2.0

/// A zone's SOA serial with RFC 1982 serial number arithmetic (SERIAL_BITS
/// = 32): serials wrap around, so "newer" is decided on the circle, and two
/// serials exactly 2^31 apart are not comparable (RFC 1982 §3.2).
public struct SerialNumber: Sendable, Hashable, CustomStringConvertible {
    /// The serial as carried in the SOA.
    public var value: UInt32

    /// The serial `value`.
    public init(_ value: UInt32) { self.value = value }

    /// How two serials compare (RFC 1982 §3.2).
    public enum Order: Sendable, Hashable {
        case less, equal, greater
        /// Exactly 2^31 apart: neither is newer.
        case undefined
    }

    /// How `self` compares with `other`: i1 < i2 when
    /// (i1 < i2 and i2 − i1 < 2^31) or (i1 > i2 and i1 − i2 > 2^31).
    public func compare(_ other: SerialNumber) -> Order {
        if self.value == other.value { return .equal }
        let distance = other.value &- self.value
        if distance == 1 << 31 { return .undefined }
        return distance < 1 << 31 ? .less : .greater
    }

    /// True when `self` is strictly newer than `other`.
    public func isNewer(than other: SerialNumber) -> Bool { self.compare(other) == .greater }

    /// True when `self` is strictly older than `other`.
    public func isOlder(than other: SerialNumber) -> Bool { self.compare(other) == .less }

    /// RFC 1982 §3.1 addition: `n` must be at most 2^31 − 1; nil otherwise.
    public func adding(_ n: UInt32) -> SerialNumber? {
        guard n <= UInt32(Int32.max) else { return nil }
        return SerialNumber(self.value &+ n)
    }

    public var description: String { String(self.value) }
}
