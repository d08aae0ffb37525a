// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// A domain name as a dictionary key with a cheap hash: one pass over the
/// wire form folding ASCII case into a 64-bit FNV-1a value, fed to the hasher
/// once (``DomainName``'s own hash feeds every octet to SipHash, which
/// dominates checking a million-name zone). Equality is DomainName's
/// case-insensitive ==.
struct NameKey: Hashable {
    let name: DomainName

    init(_ name: DomainName) { self.name = name }

    static func == (lhs: NameKey, rhs: NameKey) -> Bool { lhs.name == rhs.name }

    func hash(into hasher: inout Hasher) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        self.name.wire.withUnsafeBufferPointer { bytes in
            for byte in bytes {
                h = (h ^ UInt64(lowerASCII(byte))) &* 0x0000_0100_0000_01b3
            }
        }
        hasher.combine(h)
    }
}
