// SPDX-License-Identifier: Apache-2.0

import Crypto
import DNSCore

extension DNSSEC {
    /// The NSEC3 hash of a name (RFC 5155 §5), SHA-1, the only hash defined:
    ///
    ///     IH(salt, x, 0) = H(x || salt)
    ///     IH(salt, x, k) = H(IH(salt, x, k-1) || salt)   for k > 0
    ///     hash = IH(salt, owner name in canonical wire form, iterations)
    ///
    /// RFC 9276 §3.1 recommends 0 extra iterations and an empty salt.
    public static func nsec3Hash(_ name: DomainName, salt: [UInt8], iterations: UInt16) -> [UInt8] {
        var input = name.lowercased().wire
        input.append(contentsOf: salt)
        var digest = Insecure.SHA1.hash(data: input)
        var k: UInt16 = 0
        while k < iterations {
            var hasher = Insecure.SHA1()
            digest.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            hasher.update(data: salt)
            digest = hasher.finalize()
            k += 1
        }
        return Array(digest)
    }

    /// The owner name of the NSEC3 record for `name`: the base32hex hash
    /// (lower case, as BIND writes it) as one label under the zone apex
    /// (RFC 5155 §3).
    public static func nsec3Owner(hash: [UInt8], zone: DomainName) throws(DNSSECError) -> DomainName {
        let label = Array(Base32Hex.encode(hash).lowercased().utf8)
        do {
            return try zone.prepending(label: label)
        } catch {
            throw DNSSECError(.zone, "NSEC3 owner name too long under \(zone)")
        }
    }
}
