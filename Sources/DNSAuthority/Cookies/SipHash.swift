// SPDX-License-Identifier: Apache-2.0

/// SipHash-2-4 with a 64-bit output (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012).
///
/// RFC 9018 §4.4 names it as the function behind interoperable DNS server cookies; the rate limiter
/// uses it, with a random key, to spread its buckets so that a flood cannot aim at one of them.
/// It is a streaming hasher: feed octets with ``combine(_:)`` and read the result with ``finalize()``.
/// The result is a `UInt64`; the octet string the reference implementation writes is its
/// little-endian form (``finalizeBytes()``).
public struct SipHash24: Sendable {
    /// A 128-bit SipHash key: octets 0–7 and 8–15 read as little-endian 64-bit words.
    public struct Key: Sendable, Hashable {
        public let k0: UInt64
        public let k1: UInt64

        public init(k0: UInt64, k1: UInt64) {
            self.k0 = k0
            self.k1 = k1
        }

        /// A key from exactly 16 octets; nil for any other length.
        public init?(bytes: some Collection<UInt8>) {
            guard bytes.count == 16 else { return nil }
            var k0: UInt64 = 0
            var k1: UInt64 = 0
            for (i, byte) in bytes.enumerated() {
                if i < 8 { k0 |= UInt64(byte) << (8 * UInt64(i)) } else { k1 |= UInt64(byte) << (8 * UInt64(i - 8)) }
            }
            self.init(k0: k0, k1: k1)
        }

        /// A key from the system's cryptographically secure generator.
        public static func random() -> Key {
            var generator = SystemRandomNumberGenerator()
            return Key(k0: generator.next(), k1: generator.next())
        }

        /// The 16 octets of the key.
        public var bytes: [UInt8] {
            (0..<8).map { UInt8(truncatingIfNeeded: self.k0 >> (8 * UInt64($0))) }
                + (0..<8).map { UInt8(truncatingIfNeeded: self.k1 >> (8 * UInt64($0))) }
        }
    }

    private var v0: UInt64
    private var v1: UInt64
    private var v2: UInt64
    private var v3: UInt64
    /// Octets not yet compressed, little-endian, `pendingCount` of them.
    private var pending: UInt64 = 0
    private var pendingCount: UInt64 = 0
    /// Total octets fed; only its low 8 bits enter the final block.
    private var length: UInt64 = 0

    public init(key: Key) {
        self.v0 = key.k0 ^ 0x736f_6d65_7073_6575
        self.v1 = key.k1 ^ 0x646f_7261_6e64_6f6d
        self.v2 = key.k0 ^ 0x6c79_6765_6e65_7261
        self.v3 = key.k1 ^ 0x7465_6462_7974_6573
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ b: UInt64) -> UInt64 { (x << b) | (x >> (64 - b)) }

    @inline(__always)
    private mutating func round() {
        self.v0 &+= self.v1
        self.v1 = Self.rotl(self.v1, 13)
        self.v1 ^= self.v0
        self.v0 = Self.rotl(self.v0, 32)
        self.v2 &+= self.v3
        self.v3 = Self.rotl(self.v3, 16)
        self.v3 ^= self.v2
        self.v0 &+= self.v3
        self.v3 = Self.rotl(self.v3, 21)
        self.v3 ^= self.v0
        self.v2 &+= self.v1
        self.v1 = Self.rotl(self.v1, 17)
        self.v1 ^= self.v2
        self.v2 = Self.rotl(self.v2, 32)
    }

    @inline(__always)
    private mutating func compress(_ m: UInt64) {
        self.v3 ^= m
        self.round()
        self.round()
        self.v0 ^= m
    }

    /// Feeds one octet.
    @inline(__always)
    public mutating func combine(_ byte: UInt8) {
        self.pending |= UInt64(byte) << (8 * self.pendingCount)
        self.pendingCount += 1
        self.length &+= 1
        if self.pendingCount == 8 {
            self.compress(self.pending)
            self.pending = 0
            self.pendingCount = 0
        }
    }

    /// Feeds octets in order.
    public mutating func combine(contentsOf bytes: some Sequence<UInt8>) {
        for byte in bytes { self.combine(byte) }
    }

    /// Feeds a 32-bit value as four octets in network (big-endian) order.
    public mutating func combine(bigEndian value: UInt32) {
        self.combine(UInt8(truncatingIfNeeded: value >> 24))
        self.combine(UInt8(truncatingIfNeeded: value >> 16))
        self.combine(UInt8(truncatingIfNeeded: value >> 8))
        self.combine(UInt8(truncatingIfNeeded: value))
    }

    /// The 64-bit hash of everything fed so far.
    public func finalize() -> UInt64 {
        var state = self
        state.compress(((self.length & 0xff) << 56) | self.pending)
        state.v2 ^= 0xff
        state.round()
        state.round()
        state.round()
        state.round()
        return state.v0 ^ state.v1 ^ state.v2 ^ state.v3
    }

    /// The hash as the reference implementation writes it: 8 octets, little-endian.
    public func finalizeBytes() -> [UInt8] {
        let value = self.finalize()
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// SipHash-2-4 of `bytes` under `key`.
    public static func hash(key: Key, _ bytes: some Sequence<UInt8>) -> UInt64 {
        var hasher = SipHash24(key: key)
        hasher.combine(contentsOf: bytes)
        return hasher.finalize()
    }
}
