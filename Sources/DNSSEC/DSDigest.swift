// SPDX-License-Identifier: Apache-2.0

import Crypto
import DNSCore

extension DNSSEC {
    /// The DS record for a DNSKEY (RFC 4034 §5.1.4):
    /// `digest = hash(owner name in canonical form | DNSKEY RDATA)`, with
    /// SHA-1 (type 1, RFC 4034), SHA-256 (type 2, RFC 4509) or SHA-384
    /// (type 4, RFC 6605 §2).
    public static func ds(
        for key: RDATA.DNSKEY, owner: DomainName, digestType: DSDigestType = .sha256
    ) throws(DNSSECError) -> RDATA.DS {
        var input = owner.lowercased().wire
        input.append(contentsOf: RDATA.dnskey(key).wireBytes)
        let digest: [UInt8]
        switch digestType {
        case .sha1: digest = Array(Insecure.SHA1.hash(data: input))
        case .sha256: digest = Array(SHA256.hash(data: input))
        case .sha384: digest = Array(SHA384.hash(data: input))
        default:
            throw DNSSECError(.unsupportedAlgorithm, "DS digest type \(digestType.rawValue) is not supported")
        }
        return RDATA.DS(keyTag: key.keyTag, algorithm: key.algorithm, digestType: digestType, digest: digest)
    }

    /// True when `ds` is the digest of `key` at `owner` (RFC 4035 §5.2); false
    /// for a digest type hanon does not know.
    public static func matches(_ ds: RDATA.DS, key: RDATA.DNSKEY, owner: DomainName) -> Bool {
        guard ds.keyTag == key.keyTag, ds.algorithm == key.algorithm,
            let computed = try? self.ds(for: key, owner: owner, digestType: ds.digestType)
        else { return false }
        return computed.digest == ds.digest
    }
}
