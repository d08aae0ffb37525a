// SPDX-License-Identifier: Apache-2.0

import Crypto
import DNSCore
import _CryptoExtras

/// A DNSSEC private key: generates, signs, and gives its DNSKEY.
///
/// Signing algorithms (RFC 8624 §3.1 "MUST" and "RECOMMENDED" for signing):
/// ECDSAP256SHA256 (13, hanon's default), ECDSAP384SHA384 (14), ED25519 (15)
/// and RSASHA256 (8, 2048-bit keys generated).
public struct DNSSECSigningKey: Sendable {
    enum Backing: Sendable {
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    public let algorithm: DNSSECAlgorithm
    let backing: Backing
    /// The DNSKEY public key field (RFC 6605 §4, RFC 8080 §3, RFC 3110 §2).
    public let publicKey: [UInt8]

    /// The algorithms hanon signs with.
    public static let signingAlgorithms: [DNSSECAlgorithm] = [
        .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .rsaSHA256,
    ]

    init(algorithm: DNSSECAlgorithm, backing: Backing) throws(DNSSECError) {
        self.algorithm = algorithm
        self.backing = backing
        switch backing {
        case .p256(let key): self.publicKey = Array(key.publicKey.rawRepresentation)
        case .p384(let key): self.publicKey = Array(key.publicKey.rawRepresentation)
        case .ed25519(let key): self.publicKey = Array(key.publicKey.rawRepresentation)
        case .rsa(let key):
            guard let primitives = try? key.publicKey.getKeyPrimitives() else {
                throw DNSSECError(.malformedKey, "RSA key without modulus")
            }
            let exponent = Array(Array(primitives.publicExponent).drop { $0 == 0 })
            let modulus = Array(Array(primitives.modulus).drop { $0 == 0 })
            var field: [UInt8] = []
            if exponent.count < 256 {
                field.append(UInt8(exponent.count))
            } else {
                field += [0, UInt8(exponent.count >> 8), UInt8(exponent.count & 0xFF)]
            }
            self.publicKey = field + exponent + modulus
        }
    }

    /// A new random key; RSA keys have 2048 bits (RFC 8624 §3.1 minimum in practice).
    public static func generate(_ algorithm: DNSSECAlgorithm = .ecdsaP256SHA256) throws(DNSSECError) -> Self {
        switch algorithm {
        case .ecdsaP256SHA256: return try Self(algorithm: algorithm, backing: .p256(P256.Signing.PrivateKey()))
        case .ecdsaP384SHA384: return try Self(algorithm: algorithm, backing: .p384(P384.Signing.PrivateKey()))
        case .ed25519: return try Self(algorithm: algorithm, backing: .ed25519(Curve25519.Signing.PrivateKey()))
        case .rsaSHA256:
            do {
                return try Self(algorithm: algorithm, backing: .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048)))
            } catch let error as DNSSECError {
                throw error
            } catch {
                throw DNSSECError(.signingFailed, "RSA key generation failed: \(error)")
            }
        default:
            throw DNSSECError(.unsupportedAlgorithm, "cannot sign with DNSSEC algorithm \(algorithm.rawValue)")
        }
    }

    /// An ECDSA or Ed25519 key from its private octets: the scalar for ECDSA
    /// (32 or 48 octets), the 32-octet seed for Ed25519 — the `PrivateKey:`
    /// field of a BIND private key file (RFC 6605 §6, RFC 8080 §6).
    public init(algorithm: DNSSECAlgorithm, privateKey raw: [UInt8]) throws(DNSSECError) {
        let backing: Backing
        switch algorithm {
        case .ecdsaP256SHA256:
            guard raw.count == 32, let key = try? P256.Signing.PrivateKey(rawRepresentation: raw) else {
                throw DNSSECError(.malformedKey, "ECDSA P-256 private key of \(raw.count) octets")
            }
            backing = .p256(key)
        case .ecdsaP384SHA384:
            guard raw.count == 48, let key = try? P384.Signing.PrivateKey(rawRepresentation: raw) else {
                throw DNSSECError(.malformedKey, "ECDSA P-384 private key of \(raw.count) octets")
            }
            backing = .p384(key)
        case .ed25519:
            guard raw.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
                throw DNSSECError(.malformedKey, "Ed25519 private key of \(raw.count) octets, not 32")
            }
            backing = .ed25519(key)
        default:
            throw DNSSECError(.unsupportedAlgorithm, "no raw private key form for algorithm \(algorithm.rawValue)")
        }
        try self.init(algorithm: algorithm, backing: backing)
    }

    /// An RSA key from the PKCS#1 components (RFC 8017 §3.2): modulus,
    /// public and private exponents, primes, CRT exponents and coefficient —
    /// the fields of a BIND RSA private key file. 1024 bits at least.
    public init(rsaAlgorithm algorithm: DNSSECAlgorithm, components: RSAComponents) throws(DNSSECError) {
        let der = DER.sequenceOfIntegers([
            [0], components.modulus, components.publicExponent, components.privateExponent, components.prime1,
            components.prime2, components.exponent1, components.exponent2, components.coefficient,
        ])
        let key: _RSA.Signing.PrivateKey
        do {
            key = try _RSA.Signing.PrivateKey(unsafeDERRepresentation: der)
        } catch {
            throw DNSSECError(.malformedKey, "RSA private key refused: \(error)")
        }
        guard [.rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512].contains(algorithm) else {
            throw DNSSECError(.unsupportedAlgorithm, "algorithm \(algorithm.rawValue) is not RSA")
        }
        try self.init(algorithm: algorithm, backing: .rsa(key))
    }

    /// The private octets of an ECDSA or Ed25519 key (see ``init(algorithm:privateKey:)``).
    public var rawPrivateKey: [UInt8]? {
        switch self.backing {
        case .p256(let key): Array(key.rawRepresentation)
        case .p384(let key): Array(key.rawRepresentation)
        case .ed25519(let key): Array(key.rawRepresentation)
        case .rsa: nil
        }
    }

    /// The PKCS#1 components of an RSA key.
    public var rsaComponents: RSAComponents? {
        guard case .rsa(let key) = self.backing,
            let integers = DER.integers(ofSequence: Array(key.derRepresentation)), integers.count == 9
        else { return nil }
        return RSAComponents(
            modulus: integers[1], publicExponent: integers[2], privateExponent: integers[3], prime1: integers[4],
            prime2: integers[5], exponent1: integers[6], exponent2: integers[7], coefficient: integers[8])
    }

    /// The DNSKEY RDATA of this key with `flags` (257 for a KSK or CSK, 256
    /// for a ZSK, RFC 4034 §2.1.1).
    public func dnskey(flags: UInt16) -> RDATA.DNSKEY {
        RDATA.DNSKEY(flags: flags, protocol: 3, algorithm: self.algorithm, publicKey: self.publicKey)
    }

    /// Signs `data`; the signature in DNSSEC wire form (see
    /// ``DNSSECPublicKey/isValidSignature(_:for:)``). Ed25519 signatures are
    /// deterministic (RFC 8032 §5.1.6); ECDSA ones use a random nonce.
    public func sign(_ data: [UInt8]) throws(DNSSECError) -> [UInt8] {
        do {
            switch self.backing {
            case .p256(let key): return Array(try key.signature(for: data).rawRepresentation)
            case .p384(let key): return Array(try key.signature(for: data).rawRepresentation)
            case .ed25519(let key): return Array(try key.signature(for: data))
            case .rsa(let key):
                let sig: _RSA.Signing.RSASignature
                switch self.algorithm {
                case .rsaSHA256: sig = try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
                case .rsaSHA512: sig = try key.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
                default: sig = try key.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
                }
                return Array(sig.rawRepresentation)
            }
        } catch {
            throw DNSSECError(.signingFailed, "signing failed: \(error)")
        }
    }
}

/// The integers of a PKCS#1 RSA private key (RFC 8017 §3.2), unsigned big-endian.
public struct RSAComponents: Sendable, Hashable {
    public var modulus: [UInt8]
    public var publicExponent: [UInt8]
    public var privateExponent: [UInt8]
    public var prime1: [UInt8]
    public var prime2: [UInt8]
    public var exponent1: [UInt8]
    public var exponent2: [UInt8]
    public var coefficient: [UInt8]

    public init(
        modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8], prime1: [UInt8], prime2: [UInt8],
        exponent1: [UInt8], exponent2: [UInt8], coefficient: [UInt8]
    ) {
        self.modulus = modulus
        self.publicExponent = publicExponent
        self.privateExponent = privateExponent
        self.prime1 = prime1
        self.prime2 = prime2
        self.exponent1 = exponent1
        self.exponent2 = exponent2
        self.coefficient = coefficient
    }
}
