// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import DNSSEC
import DNSZone
import Testing

/// The validator against a hierarchy signed in-process (every algorithm,
/// NSEC and NSEC3) and served by a fake lookup: no sockets.
@Suite struct DNSSECValidatorTests {
    static let specs: [ZoneSpec] = [
        ZoneSpec(origin: "."),
        ZoneSpec(origin: "test."),
        ZoneSpec(
            origin: "secure.test.",
            body: """
                www A 192.0.2.1
                *.wild A 192.0.2.2
                alias CNAME www.nsec3.test.
                a.b.ent A 192.0.2.3
                """),
        ZoneSpec(
            origin: "nsec3.test.",
            body: """
                www A 192.0.2.1
                *.wild TXT "wild"
                a.ent A 192.0.2.3
                """,
            algorithm: .ed25519, denial: .nsec3()),
        ZoneSpec(
            origin: "optout.test.", body: "www A 192.0.2.1", denial: .nsec3(optOut: true)),
        ZoneSpec(origin: "unsigned.optout.test.", body: "www A 192.0.2.1", algorithm: nil),
        ZoneSpec(
            origin: "rsa.test.", body: "www A 192.0.2.1", algorithm: .rsaSHA256, denial: .nsec3(salt: [0xAB, 0xCD])),
        ZoneSpec(origin: "p384.test.", body: "www A 192.0.2.1", algorithm: .ecdsaP384SHA384),
        ZoneSpec(origin: "insecure.test.", body: "www A 192.0.2.1", algorithm: nil),
        ZoneSpec(
            origin: "badsig.test.", body: "www A 192.0.2.1",
            mutate: { records in
                records.map { record in
                    guard record.name == TestWorld.name("www.badsig.test."), record.type == .a,
                        let other = try? ResourceRecord(text: "www.badsig.test. 300 IN A 192.0.2.99")
                    else { return record }
                    return other
                }
            }),
        ZoneSpec(origin: "expired.test.", body: "www A 192.0.2.1", inception: -30 * 86400, expiration: -86400),
        ZoneSpec(origin: "future.test.", body: "www A 192.0.2.1", inception: 86400, expiration: 30 * 86400),
        ZoneSpec(origin: "wrongds.test.", body: "www A 192.0.2.1", ds: .otherKey),
        ZoneSpec(
            origin: "nosig.test.", body: "www A 192.0.2.1",
            mutate: { $0.removingSignatures("www.nosig.test.", .a) }),
        ZoneSpec(origin: "nonsec.test.", body: "www A 192.0.2.1", mutate: { $0.removingAll(.nsec) }),
        ZoneSpec(origin: "iter.test.", body: "www A 192.0.2.1", denial: .nsec3(iterations: 151)),
        ZoneSpec(origin: "unsupported.test.", body: "www A 192.0.2.1", ds: .algorithm(16)),
        ZoneSpec(origin: "gost.test.", body: "www A 192.0.2.1", ds: .digestType(3)),
        ZoneSpec(
            origin: "badnsec.test.", body: "www A 192.0.2.1\nzzz A 192.0.2.2",
            mutate: { records in
                // The NSEC after www claims to reach zzz's successor: a forged span.
                records.map { record in
                    guard case .nsec(var nsec) = record.rdata, record.name == TestWorld.name("www.badnsec.test.") else {
                        return record
                    }
                    nsec.nextDomainName = TestWorld.name("badnsec.test.")
                    return ResourceRecord(name: record.name, ttl: record.ttl, rdata: .nsec(nsec))
                }
            }),
    ]

    static let world: Result<TestWorld, any Error> = Result { try TestWorld.build(specs) }

    func validator(_ world: TestWorld, limits: VerificationLimits = .default) -> DNSSECValidator {
        DNSSECValidator(
            configuration: .init(trustAnchors: [world.anchor], limits: limits, clock: { TestWorld.now }))
    }

    /// `NAME TYPE EXPECTED`: EXPECTED is secure, insecure, indeterminate or `bogus EDE`.
    @Test(arguments: [
        "www.secure.test. A secure",  // positive, NSEC zone, ECDSA P-256
        "nope.secure.test. A secure",  // NXDOMAIN (NSEC)
        "www.secure.test. AAAA secure",  // NODATA (NSEC)
        "ent.secure.test. A secure",  // empty non-terminal NODATA (NSEC)
        "x.wild.secure.test. A secure",  // wildcard expansion (NSEC)
        "x.wild.secure.test. TXT secure",  // wildcard NODATA (NSEC)
        "alias.secure.test. A secure",  // CNAME from an NSEC zone into an NSEC3 zone
        "www.nsec3.test. A secure",  // Ed25519, NSEC3
        "nope.nsec3.test. A secure",  // NXDOMAIN (NSEC3)
        "www.nsec3.test. AAAA secure",  // NODATA (NSEC3)
        "ent.nsec3.test. A secure",  // empty non-terminal (NSEC3)
        "x.wild.nsec3.test. TXT secure",  // wildcard expansion (NSEC3)
        "x.wild.nsec3.test. A secure",  // wildcard NODATA (NSEC3)
        "www.rsa.test. A secure",  // RSASHA256, NSEC3 with salt
        "nope.rsa.test. A secure",
        "www.p384.test. A secure",  // ECDSA P-384
        "www.optout.test. A secure",
        "www.unsigned.optout.test. A insecure",  // delegation in an Opt-Out span
        "nope.optout.test. A insecure",  // NXDOMAIN over an Opt-Out span (as Unbound)
        "www.insecure.test. A insecure",  // delegation with NSEC proof of no DS
        "nope.insecure.test. A insecure",
        "www.badsig.test. A bogus 6",
        "www.expired.test. A bogus 7",
        "www.future.test. A bogus 8",
        "www.wrongds.test. A bogus 9",
        "www.nosig.test. A bogus 10",
        "nope.nonsec.test. A bogus 12",
        "www.nonsec.test. AAAA bogus 12",
        "nope.iter.test. A insecure",  // NSEC3 iterations 151 (RFC 9276 §3.2)
        "www.iter.test. A secure",  // positive answers from that zone still validate
        "www.unsupported.test. A insecure",  // DS algorithm 16 only
        "www.gost.test. A insecure",  // DS digest type 3 only
        "x.badnsec.test. A bogus 6",  // the covering NSEC was altered after signing
    ])
    func status(_ line: String) async throws {
        let world = try Self.world.get()
        let fields = line.split(separator: " ").map(String.init)
        let type = try #require(RecordType(fields[1]))
        let (response, question) = world.net.query(fields[0], type)
        let status = await validator(world).validate(response, question: question, lookup: world.net)
        let expected = fields[2...].joined(separator: " ")
        #expect(Self.describe(status) == expected, "\(line): \(status)")
    }

    static func describe(_ status: SecurityStatus) -> String {
        switch status {
        case .secure: return "secure"
        case .insecure: return "insecure"
        case .indeterminate: return "indeterminate"
        case .bogus(let code, _): return "bogus \(code.rawValue)"
        }
    }
}
