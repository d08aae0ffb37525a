// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// The published DNSSEC examples: RFC 6605 §6 (ECDSA), RFC 8080 §6
/// (Ed25519), RFC 5702 §6 (RSA/SHA-2), RFC 4034 (key tag, DS) and RFC 5155
/// Appendix A (NSEC3 hashes).
@Suite struct RFCVectorTests {
    struct ECDSAExample: Sendable, CustomStringConvertible {
        var section: String
        var privateKey: String
        var dnskey: String
        var keyTag: UInt16
        var ds: String
        var record: String
        var rrsig: String
        var description: String { self.section }
    }

    static let ecdsa: [ECDSAExample] = [
        ECDSAExample(
            section: "RFC 6605 §6.1 P-256",
            privateKey: "GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ=",
            dnskey: """
                example.net. 3600 IN DNSKEY 257 3 13 ( GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb \
                krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA== )
                """,
            keyTag: 55648,
            ds: "example.net. 3600 IN DS 55648 13 2 b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17",
            record: "www.example.net. 3600 IN A 192.0.2.1",
            rrsig: """
                www.example.net. 3600 IN RRSIG A 13 3 3600 ( 20100909100439 20100812100439 55648 example.net. \
                qx6wLYqmh+l9oCKTN6qIc+bw6ya+KJ8oMz0YP107epXA yGmt+3SNruPFKG7tZoLBLlUzGGus7ZwmwWep666VCw== )
                """),
        ECDSAExample(
            section: "RFC 6605 §6.2 P-384",
            privateKey: "WURgWHCcYIYUPWgeLmiPY2DJJk02vgrmTfitxgqcL4vwW7BOrbawVmVe0d9V94SR",
            dnskey: """
                example.net. 3600 IN DNSKEY 257 3 14 ( xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1 \
                w/egsXvSADtNJhyem5RCOpgQ6K8X1DRSEkrbYQ+OB+v8 /uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40 )
                """,
            keyTag: 10771,
            ds: """
                example.net. 3600 IN DS 10771 14 4 72d7b62976ce06438e9c0bf319013cf801f09ecc84b8d7e9495f27e305c6a9b0 \
                563a9b5f4d288405c3008a946df983d6
                """,
            record: "www.example.net. 3600 IN A 192.0.2.1",
            rrsig: """
                www.example.net. 3600 IN RRSIG A 14 3 3600 ( 20100909102025 20100812102025 10771 example.net. \
                /L5hDKIvGDyI1fcARX3z65qrmPsVz73QD1Mr5CEqOiLP 95hxQouuroGCeZOvzFaxsT8Glr74hbavRKayJNuydCuz \
                WTSSPdz7wnqXL5bdcJzusdnI0RSMROxxwGipWcJm )
                """),
    ]

    @Test(arguments: ecdsa)
    func ecdsaExampleVerifiesAndDSMatches(_ example: ECDSAExample) throws {
        let (owner, key) = try #require(dnskey(example.dnskey))
        #expect(key.keyTag == example.keyTag)
        let published = try #require(record(example.ds))
        guard case .ds(let expectedDS) = published.rdata else { throw DNSSECError.zone }
        let ds = try DNSSEC.ds(for: key, owner: owner, digestType: expectedDS.digestType)
        #expect(ds == expectedDS)
        #expect(DNSSEC.matches(expectedDS, key: key, owner: owner))

        // The private key gives the published public key.
        let signing = try DNSSECSigningKey(algorithm: key.algorithm, privateKey: base64(example.privateKey))
        #expect(signing.publicKey == key.publicKey)

        let data = try #require(record(example.record))
        let (sigOwner, sig) = try #require(rrsig(example.rrsig))
        try DNSSEC.verify(
            rrsig: sig, owner: sigOwner, rdata: [data.rdata], key: key, keyOwner: owner, now: sig.inception + 1)

        // A fresh signature by the same key over the same data verifies too.
        let ours = try DNSSEC.sign(
            owner: data.name, type: .a, ttl: 3600, rdata: [data.rdata], key: signing, keyTag: key.keyTag,
            signer: owner, inception: sig.inception, expiration: sig.expiration)
        #expect(ours.labels == sig.labels)
        try DNSSEC.verify(rrsig: ours, owner: data.name, rdata: [data.rdata], key: key, keyOwner: owner)

        // Tampered data, TTL or signature fail.
        var otherAddress = data.rdata
        if case .a = data.rdata, let other = record("x. 1 IN A 192.0.2.2") { otherAddress = other.rdata }
        #expect(throws: DNSSECError.badSignature) {
            try DNSSEC.verify(rrsig: sig, owner: sigOwner, rdata: [otherAddress], key: key, keyOwner: owner)
        }
        var ttl = sig
        ttl.originalTTL += 1
        #expect(throws: DNSSECError.badSignature) {
            try DNSSEC.verify(rrsig: ttl, owner: sigOwner, rdata: [data.rdata], key: key, keyOwner: owner)
        }
        var flipped = sig
        flipped.signature[10] ^= 0x01
        #expect(throws: DNSSECError.badSignature) {
            try DNSSEC.verify(rrsig: flipped, owner: sigOwner, rdata: [data.rdata], key: key, keyOwner: owner)
        }
        // Outside the validity period.
        #expect(throws: DNSSECError.signatureExpired) {
            try DNSSEC.verify(
                rrsig: sig, owner: sigOwner, rdata: [data.rdata], key: key, keyOwner: owner, now: sig.expiration + 1)
        }
        #expect(throws: DNSSECError.signatureNotYetValid) {
            try DNSSEC.verify(
                rrsig: sig, owner: sigOwner, rdata: [data.rdata], key: key, keyOwner: owner, now: sig.inception - 1)
        }
    }

    struct Ed25519Example: Sendable, CustomStringConvertible {
        var section: String
        var privateKey: String
        var publicKey: String
        var keyTag: UInt16
        var ds: String
        /// As published: made with a labels field of 3 (RFC 8080 erratum).
        var publishedSignature: String
        var description: String { self.section }
    }

    static let ed25519: [Ed25519Example] = [
        Ed25519Example(
            section: "RFC 8080 §6.1 example 1",
            privateKey: "ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI=",
            publicKey: "l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
            keyTag: 3613,
            ds: "3aa5ab37efce57f737fc1627013fee07bdf241bd10f3b1964ab55c78e79a304b",
            publishedSignature: """
                Edk+IB9KNNWg0HAjm7FazXyrd5m3Rk8zNZbvNpAcM+ey sqcUOMIjWoevFkjH5GaMWeG96GUVZu6ECKOQmemHDg==
                """),
        Ed25519Example(
            section: "RFC 8080 §6.1 example 2",
            privateKey: "DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY=",
            publicKey: "zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=",
            keyTag: 35217,
            ds: "401781b934e392de492ec77ae2e15d70f6575a1c0bc59c5275c04ebe80c6614c",
            publishedSignature: """
                5LL2obmzdqjWI+Xto5eP5adXt/T5tMhasWvwcyW4L3Sz fcRawOle9bodhC+oip9ayUGjY9T/rL4rN3bOuESGDA==
                """),
    ]

    /// Ed25519 signatures are deterministic (RFC 8032 §5.1.6), so signing the
    /// example RRset with the example key must give the published octets.
    /// The RFC's RRSIGs were computed with a labels field of 3 for
    /// `example.com.` (two labels; RFC 8080 erratum 4935): signed data built
    /// with that field reproduces them, and the verifier rejects such an RRSIG.
    @Test(arguments: ed25519)
    func ed25519ExampleIsReproducedByteForByte(_ example: Ed25519Example) throws {
        let key = try DNSSECSigningKey(algorithm: .ed25519, privateKey: base64(example.privateKey))
        #expect(key.publicKey == base64(example.publicKey))
        let dnskey = key.dnskey(flags: 257)
        #expect(dnskey.keyTag == example.keyTag)
        let zone = name("example.com.")
        #expect(try DNSSEC.ds(for: dnskey, owner: zone, digestType: .sha256).digest == hex(example.ds))

        let mx = try #require(record("example.com. 3600 IN MX 10 mail.example.com."))
        var published = RDATA.RRSIG(
            typeCovered: .mx, algorithm: .ed25519, labels: 3, originalTTL: 3600, expiration: 1_440_021_600,
            inception: 1_438_207_200, keyTag: example.keyTag, signerName: zone, signature: [])
        let data = DNSSEC.signatureData(rrsig: published, owner: zone, rdata: [mx.rdata])
        #expect(try key.sign(data) == base64(example.publishedSignature))
        published.signature = base64(example.publishedSignature)
        #expect(try DNSSECPublicKey(dnskey).isValidSignature(published.signature, for: data))
        #expect(throws: DNSSECError.keyMismatch) {
            try DNSSEC.verify(rrsig: published, owner: zone, rdata: [mx.rdata], key: dnskey, keyOwner: zone)
        }

        // Signed with the right labels field, the RRSIG verifies; again deterministic.
        let ours = try DNSSEC.sign(
            owner: zone, type: .mx, ttl: 3600, rdata: [mx.rdata], key: key, keyTag: dnskey.keyTag, signer: zone,
            inception: 1_438_207_200, expiration: 1_440_021_600)
        #expect(ours.labels == 2)
        try DNSSEC.verify(rrsig: ours, owner: zone, rdata: [mx.rdata], key: dnskey, keyOwner: zone)
        let again = try DNSSEC.sign(
            owner: zone, type: .mx, ttl: 3600, rdata: [mx.rdata], key: key, keyTag: dnskey.keyTag, signer: zone,
            inception: 1_438_207_200, expiration: 1_440_021_600)
        #expect(again.signature == ours.signature)
    }

    /// The corrected RFC 8080 §6.1 example 1 signature (labels field 2).
    @Test func ed25519CorrectedExample() throws {
        let key = try DNSSECSigningKey(
            algorithm: .ed25519, privateKey: base64("ODIyNjAzODQ2MjgwODAxMjI2NDUxOTAyMDQxNDIyNjI="))
        let zone = name("example.com.")
        let mx = try #require(record("example.com. 3600 IN MX 10 mail.example.com."))
        let sig = try DNSSEC.sign(
            owner: zone, type: .mx, ttl: 3600, rdata: [mx.rdata], key: key, keyTag: 3613, signer: zone,
            inception: 1_438_207_200, expiration: 1_440_021_600)
        #expect(
            sig.signature
                == base64("oL9krJun7xfBOIWcGHi7mag5/hdZrKWw15jPGrHpjQeRAvTdszaPD+QLs3fx8A4M3e23mRZ9VrbpMngwcrqNAg=="))
    }

    /// RFC 5702 §6.2: the RSA/SHA-512 example (1024-bit key) verifies.
    @Test func rsaSHA512ExampleVerifies() throws {
        let (owner, key) = try #require(
            dnskey(
                """
                example.net. 3600 IN DNSKEY 256 3 10 ( AwEAAdHoNTOW+et86KuJOWRDp1pndvwb6Y83nSVXXyLA3DLroROUkN6X0O6p \
                nWnjJQujX/AyhqFDxj13tOnD9u/1kTg7cV6rklMrZDtJCQ5PCl/D7QNPsgVsMu1J2Q8gpMpztNFLpPBz1bWXjDtaR7ZQBlZ3PFY12ZTSn \
                corffcGmhOL )
                """))
        #expect(key.keyTag == 3740)
        let a = try #require(record("www.example.net. 3600 IN A 192.0.2.91"))
        let (sigOwner, sig) = try #require(
            rrsig(
                """
                www.example.net. 3600 IN RRSIG A 10 3 3600 20300101000000 20000101000000 3740 example.net. ( \
                tsb4wnjRUDnB1BUi+t6TMTXThjVnG+eCkWqjvvjhzQL1d0YRoOe0CbxrVDYd0xDtsuJRaeUw1ep94PzEWzr0iGYgZBWm/zpq+9fOuag \
                YJRfDqfReKBzMweOLDiNa8iP5g9vMhpuv6OPlvpXwm9Sa9ZXIbNl1MBGk0fthPgxdDLw= )
                """))
        try DNSSEC.verify(rrsig: sig, owner: sigOwner, rdata: [a.rdata], key: key, keyOwner: owner)
        var tampered = sig
        tampered.signature[0] ^= 0x80
        #expect(throws: DNSSECError.badSignature) {
            try DNSSEC.verify(rrsig: tampered, owner: sigOwner, rdata: [a.rdata], key: key, keyOwner: owner)
        }
    }

    /// RFC 5702 §6.1: the RSA/SHA-256 example key has 512 bits. Its key tag is
    /// right, but swift-crypto refuses RSA keys under 1024 bits, so the
    /// signature cannot be checked: the verifier says "unsupported" (a
    /// validator treats the zone as insecure, RFC 4035 §5.2), never crashes.
    @Test func rsaSHA256Example512BitKeyIsUnsupported() throws {
        let (owner, key) = try #require(
            dnskey(
                """
                example.net. 3600 IN DNSKEY 256 3 8 ( AwEAAcFcGsaxxdgiuuGmCkVImy4h99CqT7jwY3pexPGcnUFtR2Fh36BponcwtkZ4cAgtvd4Qs8P \
                kxUdp6p/DlUmObdk= )
                """))
        #expect(key.keyTag == 9033)
        let a = try #require(record("www.example.net. 3600 IN A 192.0.2.91"))
        let (sigOwner, sig) = try #require(
            rrsig(
                """
                www.example.net. 3600 IN RRSIG A 8 3 3600 20300101000000 20000101000000 9033 example.net. ( \
                kRCOH6u7l0QGy9qpC9l1sLncJcOKFLJ7GhiUOibu4teYp5VE9RncriShZNz85mwlMgNEacFYK/lPtPiVYP4bwg== )
                """))
        #expect(throws: DNSSECError.unsupportedAlgorithm) {
            try DNSSEC.verify(rrsig: sig, owner: sigOwner, rdata: [a.rdata], key: key, keyOwner: owner)
        }
    }

    /// RFC 4034 §2.3 (key tag 2642) and §5.4 (DS 60485, SHA-1).
    @Test func rfc4034KeyTagAndDS() throws {
        let (_, key2642) = try #require(
            dnskey(
                """
                example.com. 86400 IN DNSKEY 256 3 5 ( AQPSKmynfzW4kyBv015MUG2DeIQ3 Cbl+BBZH4b/0PY1kxkmvHjcZc8no \
                kfzj31GajIQKY+5CptLr3buXA10h WqTkF7H6RfoRqXQeogmMHfpftf6z Mv1LyBUgia7za6ZEzOJBOztyvhjL \
                742iU/TpPSEDhm2SNKLijfUppn1U aNvv4w== )
                """))
        #expect(key2642.keyTag == 2642)
        let (owner, key) = try #require(
            dnskey(
                """
                dskey.example.com. 86400 IN DNSKEY 256 3 5 ( AQOeiiR0GOMYkDshWoSKz9Xz fwJr1AYtsmx3TGkJaNXVbfi/ \
                2pHm822aJ5iI9BMzNXxeYCmZ DRD99WYwYqUSdjMmmAphXdvx egXd/M5+X7OrzKBaMbCVdFLU \
                Uh6DhweJBjEVv5f2wwjM9Xzc nOf+EPbtG9DMBmADjFDc2w/r ljwvFw== )
                """))
        #expect(key.keyTag == 60485)
        let ds = try DNSSEC.ds(for: key, owner: owner, digestType: .sha1)
        #expect(ds.digest == hex("2BB183AF5F22588179A53B0A98631FAD1A292118"))
        #expect(ds.keyTag == 60485 && ds.algorithm == .rsaSHA1 && ds.digestType == .sha1)
    }

    /// RFC 5155 Appendix A: every name of the example zone (and B's), salt
    /// AABBCCDD, 12 iterations.
    @Test(arguments: [
        ("example.", "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
        ("a.example.", "35mthgpgcu1qg68fab165klnsnk3dpvl"),
        ("ai.example.", "gjeqe526plbf1g8mklp59enfd789njgi"),
        ("ns1.example.", "2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
        ("ns2.example.", "q04jkcevqvmu85r014c7dkba38o0ji5r"),
        ("w.example.", "k8udemvp1j2f7eg6jebps17vp3n8i58h"),
        ("*.w.example.", "r53bq7cc2uvmubfu5ocmm6pers9tk9en"),
        ("x.w.example.", "b4um86eghhds6nea196smvmlo4ors995"),
        ("y.w.example.", "ji6neoaepv8b5o6k4ev33abha8ht9fgc"),
        ("x.y.w.example.", "2vptu5timamqttgl4luu9kg21e0aor3s"),
        ("xx.example.", "t644ebqk9bibcna874givr6joj62mlhv"),
        ("c.x.w.example.", "0va5bpr2ou0vk0lbqeeljri88laipsfh"),
        ("*.x.w.example.", "92pqneegtaue7pjatc3l3qnk738c6v5m"),
        ("X.W.Example.", "b4um86eghhds6nea196smvmlo4ors995"),
    ])
    func nsec3Hash(_ owner: String, _ expected: String) throws {
        let hash = DNSSEC.nsec3Hash(name(owner), salt: [0xAA, 0xBB, 0xCC, 0xDD], iterations: 12)
        #expect(Base32Hex.encode(hash).lowercased() == expected)
        #expect(try DNSSEC.nsec3Owner(hash: hash, zone: name("example.")) == name("\(expected).example."))
    }
}
