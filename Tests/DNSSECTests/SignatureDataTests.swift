// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// The signed data of RFC 4034 §3.1.8.1 and §6: case, order, duplicates,
/// wildcards.
@Suite struct SignatureDataTests {
    let key: DNSSECSigningKey
    let dnskey: RDATA.DNSKEY
    let zone = name("example.")

    init() throws {
        self.key = try DNSSECSigningKey.generate(.ecdsaP256SHA256)
        self.dnskey = self.key.dnskey(flags: 256)
    }

    func rdata(_ type: RecordType, _ text: String) throws -> RDATA { try RDATA(type: type, text: text) }

    /// Owner and embedded names are lower-cased, RDATA sorted and
    /// duplicates dropped: any order or case of the same RRset verifies.
    @Test func canonicalFormIgnoresCaseOrderAndDuplicates() throws {
        let a = try rdata(.mx, "10 Mail.Example.")
        let b = try rdata(.mx, "20 backup.example.")
        let sig = try DNSSEC.sign(
            owner: name("WWW.Example."), type: .mx, ttl: 300, rdata: [a, b], key: key, keyTag: dnskey.keyTag,
            signer: zone, inception: 0, expiration: 100)
        for (owner, set) in [
            (name("www.example."), [b, a]), (name("WWW.EXAMPLE."), [a, b, a]),
            (name("www.example."), [try rdata(.mx, "10 mail.example."), b]),
        ] {
            try DNSSEC.verify(rrsig: sig, owner: owner, rdata: set, key: dnskey, keyOwner: zone)
        }
        #expect(throws: DNSSECError.badSignature) {
            try DNSSEC.verify(rrsig: sig, owner: name("www.example."), rdata: [a], key: dnskey, keyOwner: zone)
        }
        #expect(throws: DNSSECError.badSignature) {
            try DNSSEC.verify(rrsig: sig, owner: name("ww.example."), rdata: [a, b], key: dnskey, keyOwner: zone)
        }
    }

    /// RFC 4034 §3.1.3: a wildcard's RRSIG labels field does not count `*`;
    /// an expansion (more labels) verifies against `*.` + the rightmost
    /// labels (RFC 4035 §5.3.2).
    @Test func wildcardExpansionVerifies() throws {
        let txt = try rdata(.txt, "\"hello\"")
        let sig = try DNSSEC.sign(
            owner: name("*.w.example."), type: .txt, ttl: 300, rdata: [txt], key: key, keyTag: dnskey.keyTag,
            signer: zone, inception: 0, expiration: 100)
        #expect(sig.labels == 2)
        for owner in ["*.w.example.", "a.w.example.", "b.c.w.example."] {
            try DNSSEC.verify(rrsig: sig, owner: name(owner), rdata: [txt], key: dnskey, keyOwner: zone)
        }
        #expect(DNSSEC.signedOwner(name("B.c.W.example."), labels: 2) == name("*.w.example."))
        #expect(DNSSEC.signedOwner(name("B.c.W.example."), labels: 2).wire == name("*.w.example.").wire)
        #expect(throws: DNSSECError.badSignature) {
            try DNSSEC.verify(rrsig: sig, owner: name("a.v.example."), rdata: [txt], key: dnskey, keyOwner: zone)
        }
    }

    /// The layout of the signed data, octet by octet, for one A record.
    @Test func layoutMatchesRFC4034() throws {
        let sig = RDATA.RRSIG(
            typeCovered: .a, algorithm: .ecdsaP256SHA256, labels: 2, originalTTL: 0x0102_0304, expiration: 5,
            inception: 6, keyTag: 0x0708, signerName: name("Example."), signature: [])
        let data = DNSSEC.signatureData(
            rrsig: sig, owner: name("WWW.example."), rdata: [try rdata(.a, "192.0.2.1")])
        let expected: [UInt8] =
            [0, 1, 13, 2, 1, 2, 3, 4, 0, 0, 0, 5, 0, 0, 0, 6, 7, 8]
            + [7] + Array("example".utf8) + [0]
            + [3] + Array("www".utf8) + [7] + Array("example".utf8) + [0]
            + [0, 1, 0, 1, 1, 2, 3, 4, 0, 4, 192, 0, 2, 1]
        #expect(data == expected)
    }
}
