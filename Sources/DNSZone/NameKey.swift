// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// A dictionary key for a name with its hash computed once: FNV-1a over the
/// lower-cased wire form (RFC 4343 case folding). `DomainName`'s own
/// `hash(into:)` feeds the hasher one octet at a time, which dominates the
/// cost of building and searching a million-name index.
struct NameKey: Hashable, Sendable {
    let name: DomainName
    let hash: Int

    @inline(__always)
    init(_ name: DomainName) {
        self.name = name
        self.hash = name.wire.withUnsafeBufferPointer { bytes in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                h = (h ^ UInt64(lowerASCII(byte))) &* 0x100_0000_01b3
            }
            return Int(truncatingIfNeeded: h)
        }
    }

    @inline(__always)
    func hash(into hasher: inout Hasher) { hasher.combine(self.hash) }

    @inline(__always)
    static func == (lhs: NameKey, rhs: NameKey) -> Bool { lhs.hash == rhs.hash && lhs.name == rhs.name }
}
