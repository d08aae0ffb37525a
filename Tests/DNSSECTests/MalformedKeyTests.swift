// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// Keys and signatures that cannot be used throw ``DNSSECError``; nothing
/// here may crash (the validator feeds them whatever the network sends).
@Suite struct MalformedKeyTests {
    @Test(arguments: [
        (DNSSECAlgorithm.ecdsaP256SHA256, 63),
        (.ecdsaP256SHA256, 65),
        (.ecdsaP256SHA256, 0),
        (.ecdsaP384SHA384, 64),
        (.ecdsaP384SHA384, 97),
        (.ed25519, 31),
        (.ed25519, 33),
    ])
    func wrongPublicKeyLengthThrows(_ algorithm: DNSSECAlgorithm, _ length: Int) {
        #expect(throws: DNSSECError.malformedKey) {
            try DNSSECPublicKey(algorithm: algorithm, publicKey: [UInt8](repeating: 7, count: length))
        }
    }

    @Test func pointNotOnTheCurveThrows() {
        #expect(throws: DNSSECError.malformedKey) {
            try DNSSECPublicKey(algorithm: .ecdsaP256SHA256, publicKey: [UInt8](repeating: 0x11, count: 64))
        }
    }

    @Test(arguments: [1, 2, 3, 6, 12, 16, 200, 253] as [UInt8])
    func unsupportedAlgorithmThrows(_ number: UInt8) {
        #expect(throws: DNSSECError.unsupportedAlgorithm) {
            try DNSSECPublicKey(algorithm: DNSSECAlgorithm(number), publicKey: [UInt8](repeating: 1, count: 64))
        }
        #expect(throws: DNSSECError.unsupportedAlgorithm) { try DNSSECSigningKey.generate(DNSSECAlgorithm(number)) }
    }

    @Test(arguments: [
        [] as [UInt8],
        [3, 1, 0, 1],  // exponent, no modulus
        [0],  // long exponent length missing
        [0, 0, 3, 1, 0, 1],  // long form: no modulus
        [0, 0, 0, 5, 5],  // zero exponent length
        [200, 1, 2, 3],  // exponent longer than the key
        [1, 3, 0, 1, 2, 3],  // modulus with a leading zero
    ])
    func malformedRSAKeyThrows(_ key: [UInt8]) {
        #expect(throws: DNSSECError.malformedKey) {
            try DNSSECPublicKey(algorithm: .rsaSHA256, publicKey: key)
        }
    }

    @Test func tinyRSAKeyIsUnsupportedNotACrash() {
        #expect(throws: DNSSECError.unsupportedAlgorithm) {
            try DNSSECPublicKey(algorithm: .rsaSHA256, publicKey: [1, 3] + [UInt8](repeating: 0xC5, count: 16))
        }
    }

    @Test(arguments: [DNSSECAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .rsaSHA256])
    func wrongSignatureLengthThrows(_ algorithm: DNSSECAlgorithm) throws {
        let key = try DNSSECSigningKey.generate(algorithm)
        let publicKey = try DNSSECPublicKey(algorithm: algorithm, publicKey: key.publicKey)
        let data: [UInt8] = Array("data".utf8)
        let good = try key.sign(data)
        #expect(try publicKey.isValidSignature(good, for: data))
        #expect(try !publicKey.isValidSignature(good, for: data + [0]))
        for bad in [[], Array(good.dropLast()), good + [0], [UInt8](repeating: 0, count: 1000)] {
            #expect(throws: DNSSECError.malformedSignature) { try publicKey.isValidSignature(bad, for: data) }
        }
    }

    @Test(arguments: [
        (DNSSECAlgorithm.ecdsaP256SHA256, 31), (.ecdsaP256SHA256, 33), (.ecdsaP384SHA384, 32), (.ed25519, 64),
    ])
    func wrongPrivateKeyLengthThrows(_ algorithm: DNSSECAlgorithm, _ length: Int) {
        #expect(throws: DNSSECError.malformedKey) {
            try DNSSECSigningKey(algorithm: algorithm, privateKey: [UInt8](repeating: 1, count: length))
        }
    }

    @Test func zeroECDSAPrivateKeyThrows() {
        #expect(throws: DNSSECError.malformedKey) {
            try DNSSECSigningKey(algorithm: .ecdsaP256SHA256, privateKey: [UInt8](repeating: 0, count: 32))
        }
    }

    /// RRSIG fields that do not match the key or the owner (RFC 4035 §5.3.1).
    @Test func mismatchedRRSIGFieldsThrow() throws {
        let zone = name("example.")
        let owner = name("www.example.")
        let key = try DNSSECSigningKey.generate(.ed25519)
        let dnskey = key.dnskey(flags: 257)
        let rdata = [try RDATA(type: .a, text: "192.0.2.1")]
        let good = try DNSSEC.sign(
            owner: owner, type: .a, ttl: 300, rdata: rdata, key: key, keyTag: dnskey.keyTag, signer: zone,
            inception: 1000, expiration: 2000)
        try DNSSEC.verify(rrsig: good, owner: owner, rdata: rdata, key: dnskey, keyOwner: zone, now: 1500)

        var wrongAlgorithm = good
        wrongAlgorithm.algorithm = .ecdsaP256SHA256
        var wrongTag = good
        wrongTag.keyTag &+= 1
        var wrongSigner = good
        wrongSigner.signerName = name("other.")
        var tooManyLabels = good
        tooManyLabels.labels = 3
        for bad in [wrongAlgorithm, wrongTag, wrongSigner, tooManyLabels] {
            #expect(throws: DNSSECError.keyMismatch) {
                try DNSSEC.verify(rrsig: bad, owner: owner, rdata: rdata, key: dnskey, keyOwner: zone)
            }
        }
        var notAZoneKey = dnskey
        notAZoneKey.flags = 0
        var wrongProtocol = dnskey
        wrongProtocol.protocol = 2
        for bad in [notAZoneKey, wrongProtocol] {
            var sig = good
            sig.keyTag = bad.keyTag
            #expect(throws: DNSSECError.keyMismatch) {
                try DNSSEC.verify(rrsig: sig, owner: owner, rdata: rdata, key: bad, keyOwner: zone)
            }
        }
        // A signer that is not an ancestor of the owner.
        #expect(throws: DNSSECError.keyMismatch) {
            try DNSSEC.verify(rrsig: good, owner: name("www.other."), rdata: rdata, key: dnskey, keyOwner: zone)
        }
        // Serial arithmetic across the 2^32 wrap (RFC 4034 §3.1.5).
        var wrapping = try DNSSEC.sign(
            owner: owner, type: .a, ttl: 300, rdata: rdata, key: key, keyTag: dnskey.keyTag, signer: zone,
            inception: UInt32.max - 100, expiration: 100)
        try DNSSEC.verify(rrsig: wrapping, owner: owner, rdata: rdata, key: dnskey, keyOwner: zone, now: 5)
        wrapping.signature[0] ^= 1
        #expect(throws: DNSSECError.badSignature) {
            try DNSSEC.verify(rrsig: wrapping, owner: owner, rdata: rdata, key: dnskey, keyOwner: zone, now: 5)
        }
    }

    /// Arbitrary octets as keys and signatures of every algorithm: errors or
    /// false, never a crash.
    @Test func randomKeysAndSignaturesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let algorithm = DNSSECAlgorithm(UInt8.random(in: 0...20, using: &generator))
            let key = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255) }
            let sig = (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255) }
            if let publicKey = try? DNSSECPublicKey(algorithm: algorithm, publicKey: key) {
                _ = try? publicKey.isValidSignature(sig, for: [1, 2, 3])
            }
        }
    }
}
