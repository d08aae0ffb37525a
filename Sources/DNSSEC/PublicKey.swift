// SPDX-License-Identifier: Apache-2.0

import Crypto
import DNSCore
import _CryptoExtras

/// A DNSSEC public key ready to verify signatures: the DNSKEY public key
/// field decoded for its algorithm.
///
/// Verification algorithms (RFC 8624 §3.1): RSASHA1 (5), RSASHA1-NSEC3-SHA1
/// (7), RSASHA256 (8), RSASHA512 (10), ECDSAP256SHA256 (13),
/// ECDSAP384SHA384 (14), ED25519 (15). RSA keys of 1024 bits and more are
/// accepted (smaller ones are refused by the crypto library, as RFC 8624
/// allows: a validator treats such zones as insecure).
public struct DNSSECPublicKey: Sendable {
    enum Backing: Sendable {
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
    }

    public let algorithm: DNSSECAlgorithm
    let backing: Backing

    /// The key of a DNSKEY record.
    public init(_ dnskey: RDATA.DNSKEY) throws(DNSSECError) {
        try self.init(algorithm: dnskey.algorithm, publicKey: dnskey.publicKey)
    }

    /// Decodes the DNSKEY public key field of `algorithm`: `x | y` for ECDSA
    /// (RFC 6605 §4), the 32-octet key for Ed25519 (RFC 8080 §3), and
    /// exponent length, exponent, modulus for RSA (RFC 3110 §2).
    public init(algorithm: DNSSECAlgorithm, publicKey: [UInt8]) throws(DNSSECError) {
        self.algorithm = algorithm
        switch algorithm {
        case .ecdsaP256SHA256:
            guard publicKey.count == 64, let key = try? P256.Signing.PublicKey(rawRepresentation: publicKey) else {
                throw DNSSECError(.malformedKey, "ECDSA P-256 key of \(publicKey.count) octets is not a curve point")
            }
            self.backing = .p256(key)
        case .ecdsaP384SHA384:
            guard publicKey.count == 96, let key = try? P384.Signing.PublicKey(rawRepresentation: publicKey) else {
                throw DNSSECError(.malformedKey, "ECDSA P-384 key of \(publicKey.count) octets is not a curve point")
            }
            self.backing = .p384(key)
        case .ed25519:
            guard publicKey.count == 32, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
            else {
                throw DNSSECError(.malformedKey, "Ed25519 key of \(publicKey.count) octets, not 32")
            }
            self.backing = .ed25519(key)
        case .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512:
            let (exponent, modulus) = try Self.rsaComponents(publicKey)
            let der = DER.sequenceOfIntegers([modulus, exponent])
            do {
                self.backing = .rsa(try _RSA.Signing.PublicKey(unsafeDERRepresentation: der))
            } catch {
                throw DNSSECError(.unsupportedAlgorithm, "RSA key of \(modulus.count * 8) bits refused: \(error)")
            }
        default:
            throw DNSSECError(.unsupportedAlgorithm, "DNSSEC algorithm \(algorithm.rawValue) is not supported")
        }
    }

    /// Exponent and modulus of an RFC 3110 §2 RSA public key field.
    static func rsaComponents(_ key: [UInt8]) throws(DNSSECError) -> (exponent: [UInt8], modulus: [UInt8]) {
        guard let first = key.first else { throw DNSSECError(.malformedKey, "empty RSA key") }
        var start = 1
        var exponentLength = Int(first)
        if first == 0 {
            guard key.count >= 3 else { throw DNSSECError(.malformedKey, "RSA key too short") }
            exponentLength = Int(key[1]) << 8 | Int(key[2])
            start = 3
        }
        guard exponentLength > 0, start + exponentLength < key.count else {
            throw DNSSECError(.malformedKey, "RSA exponent length \(exponentLength) does not fit the key")
        }
        let exponent = Array(key[start..<(start + exponentLength)])
        let modulus = Array(key[(start + exponentLength)...])
        guard modulus.first != 0 else { throw DNSSECError(.malformedKey, "RSA modulus with a leading zero") }
        return (exponent, modulus)
    }

    /// True when `signature` (DNSSEC wire form: `r | s` for ECDSA, RFC 6605
    /// §4; the 64-octet signature for Ed25519; the PKCS#1 v1.5 signature for
    /// RSA, RFC 3110 §3, RFC 5702 §3) signs `data`.
    public func isValidSignature(_ signature: [UInt8], for data: [UInt8]) throws(DNSSECError) -> Bool {
        switch self.backing {
        case .p256(let key):
            guard signature.count == 64, let sig = try? P256.Signing.ECDSASignature(rawRepresentation: signature)
            else { throw DNSSECError(.malformedSignature, "ECDSA P-256 signature of \(signature.count) octets") }
            return key.isValidSignature(sig, for: data)
        case .p384(let key):
            guard signature.count == 96, let sig = try? P384.Signing.ECDSASignature(rawRepresentation: signature)
            else { throw DNSSECError(.malformedSignature, "ECDSA P-384 signature of \(signature.count) octets") }
            return key.isValidSignature(sig, for: data)
        case .ed25519(let key):
            guard signature.count == 64 else {
                throw DNSSECError(.malformedSignature, "Ed25519 signature of \(signature.count) octets")
            }
            return key.isValidSignature(signature, for: data)
        case .rsa(let key):
            guard signature.count == (key.keySizeInBits + 7) / 8 else {
                throw DNSSECError(
                    .malformedSignature,
                    "RSA signature of \(signature.count * 8) bits for a \(key.keySizeInBits)-bit key")
            }
            let sig = _RSA.Signing.RSASignature(rawRepresentation: signature)
            switch self.algorithm {
            case .rsaSHA256:
                return key.isValidSignature(sig, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            case .rsaSHA512:
                return key.isValidSignature(sig, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
            default:
                return key.isValidSignature(sig, for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
            }
        }
    }
}
