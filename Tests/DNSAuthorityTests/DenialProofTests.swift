// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSSEC
import DNSZone
import NIOCore
import Testing

/// Authenticated denial of existence in answers (RFC 4035 §3.1.3, §3.1.4.1;
/// RFC 5155 §7.2): one zone, signed three ways (NSEC, NSEC3, NSEC3 with
/// Opt-Out), asked with DO. Each case names the RRsets of each section as
/// "owner TYPE" (their RRSIGs are checked apart: every answer RRset and every
/// SOA, DS, NSEC and NSEC3 in the authority section carries its own); for
/// NSEC3, `H(name)` is the NSEC3 matching `name` and `C(name)` the one covering
/// its hash, found by scanning the signed zone.
@Suite struct DenialProofTests {
    static let zoneText = """
        $ORIGIN example.
        $TTL 3600
        @ SOA ns1 hostmaster 1 7200 900 1209600 300
        @ NS ns1
        ns1 A 192.0.2.1
        www A 192.0.2.2
        *.wild TXT "wildcard"
        *.wc CNAME www
        a.b.ent A 192.0.2.3
        secure NS ns.secure
        secure DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE4A6AC2E73F6D9C0B34E5B6A9
        ns.secure A 192.0.2.4
        insecure NS ns.insecure
        ns.insecure A 192.0.2.5
        alias CNAME nowhere
        dn DNAME target.example.
        target A 192.0.2.6

        """

    enum Mode: String, CaseIterable, Sendable {
        case nsec, nsec3, nsec3OptOut
        var denial: SigningPolicy.Denial {
            switch self {
            case .nsec: .nsec
            case .nsec3: .nsec3(iterations: 0, salt: [], optOut: false)
            case .nsec3OptOut: .nsec3(iterations: 1, salt: [0xAB, 0xCD], optOut: true)
            }
        }
    }

    struct DenialCase: Sendable, CustomStringConvertible {
        var q: String
        var rcode: RCode = .noError
        var aa = true
        var answer: [String] = []
        /// The authority section with NSEC.
        var nsec: [String] = []
        /// With NSEC3.
        var nsec3: [String] = []
        /// With NSEC3 and Opt-Out; nil: as ``nsec3``.
        var optOut: [String]? = nil
        var additional: [String] = []
        var description: String { self.q }

        func authority(_ mode: Mode) -> [String] {
            switch mode {
            case .nsec: self.nsec
            case .nsec3: self.nsec3
            case .nsec3OptOut: self.optOut ?? self.nsec3
            }
        }
    }

    static let soa = "example. SOA"

    static let cases: [DenialCase] = [
        // Positive: no proof.
        DenialCase(q: "www.example. A", answer: ["www.example. A"]),
        // RFC 4035 §3.1.3.2; RFC 5155 §7.2.2.
        DenialCase(
            q: "nothere.example. A", rcode: .nxDomain,
            nsec: [soa, "insecure.example. NSEC", "example. NSEC"],
            nsec3: [soa, "H(example.) NSEC3", "C(nothere.example.) NSEC3", "C(*.example.) NSEC3"]),
        DenialCase(
            q: "a.b.c.example. A", rcode: .nxDomain,
            nsec: [soa, "alias.example. NSEC", "example. NSEC"],
            nsec3: [soa, "H(example.) NSEC3", "C(c.example.) NSEC3", "C(*.example.) NSEC3"]),
        DenialCase(
            q: "x.www.example. A", rcode: .nxDomain,
            nsec: [soa, "www.example. NSEC"],
            nsec3: [soa, "H(www.example.) NSEC3", "C(x.www.example.) NSEC3", "C(*.www.example.) NSEC3"]),
        // RFC 4035 §3.1.3.1; RFC 5155 §7.2.3.
        DenialCase(q: "www.example. TXT", nsec: [soa, "www.example. NSEC"], nsec3: [soa, "H(www.example.) NSEC3"]),
        DenialCase(q: "example. TXT", nsec: [soa, "example. NSEC"], nsec3: [soa, "H(example.) NSEC3"]),
        // Empty non-terminals: the NSEC before the name; the ENT's NSEC3.
        DenialCase(
            q: "b.ent.example. A", nsec: [soa, "dn.example. NSEC"], nsec3: [soa, "H(b.ent.example.) NSEC3"]),
        DenialCase(q: "ent.example. A", nsec: [soa, "dn.example. NSEC"], nsec3: [soa, "H(ent.example.) NSEC3"]),
        DenialCase(q: "wild.example. A", nsec: [soa, "*.wc.example. NSEC"], nsec3: [soa, "H(wild.example.) NSEC3"]),
        // Wildcard answers: RFC 4035 §3.1.3.3; RFC 5155 §7.2.6 (the next closer name).
        DenialCase(
            q: "x.wild.example. TXT", answer: ["x.wild.example. TXT"], nsec: ["*.wild.example. NSEC"],
            nsec3: ["C(x.wild.example.) NSEC3"]),
        DenialCase(
            q: "x.y.wild.example. TXT", answer: ["x.y.wild.example. TXT"], nsec: ["*.wild.example. NSEC"],
            nsec3: ["C(y.wild.example.) NSEC3"]),
        // Wildcard NODATA: RFC 4035 §3.1.3.4 (one NSEC proves both); RFC 5155 §7.2.5.
        DenialCase(
            q: "x.wild.example. A", nsec: [soa, "*.wild.example. NSEC"],
            nsec3: [soa, "H(wild.example.) NSEC3", "C(x.wild.example.) NSEC3", "H(*.wild.example.) NSEC3"]),
        // A CNAME from a wildcard, then its target.
        DenialCase(
            q: "a.wc.example. A", answer: ["a.wc.example. CNAME", "www.example. A"], nsec: ["*.wc.example. NSEC"],
            nsec3: ["C(a.wc.example.) NSEC3"]),
        // A CNAME into NXDOMAIN: the proofs of the last name.
        DenialCase(
            q: "alias.example. A", rcode: .nxDomain, answer: ["alias.example. CNAME"],
            nsec: [soa, "insecure.example. NSEC", "example. NSEC"],
            nsec3: [soa, "H(example.) NSEC3", "C(nowhere.example.) NSEC3", "C(*.example.) NSEC3"]),
        // A DNAME into NXDOMAIN: the closest encloser is the target (one NSEC covers both);
        // the synthesised CNAME is unsigned (RFC 6672 §5.3.1).
        DenialCase(
            q: "x.dn.example. A", rcode: .nxDomain, answer: ["dn.example. DNAME", "x.dn.example. CNAME"],
            nsec: [soa, "target.example. NSEC"],
            nsec3: [soa, "H(target.example.) NSEC3", "C(x.target.example.) NSEC3", "C(*.target.example.) NSEC3"]),
        DenialCase(
            q: "x.dn.example. TXT", rcode: .nxDomain, answer: ["dn.example. DNAME", "x.dn.example. CNAME"],
            nsec: [soa, "target.example. NSEC"],
            nsec3: [soa, "H(target.example.) NSEC3", "C(x.target.example.) NSEC3", "C(*.target.example.) NSEC3"]),
        // DS: positive at a secure cut; NODATA at an insecure one (RFC 5155 §7.2.4).
        DenialCase(q: "secure.example. DS", answer: ["secure.example. DS"]),
        DenialCase(
            q: "insecure.example. DS", nsec: [soa, "insecure.example. NSEC"],
            nsec3: [soa, "H(insecure.example.) NSEC3"],
            optOut: [soa, "H(example.) NSEC3", "C(insecure.example.) NSEC3"]),
        // Referrals: the DS (RFC 4035 §3.1.4), or the proof of no DS (§3.1.4.1; RFC 5155 §7.2.7).
        DenialCase(
            q: "www.secure.example. A", aa: false, nsec: ["secure.example. NS", "secure.example. DS"],
            nsec3: ["secure.example. NS", "secure.example. DS"], additional: ["ns.secure.example. A"]),
        DenialCase(
            q: "www.insecure.example. A", aa: false, nsec: ["insecure.example. NS", "insecure.example. NSEC"],
            nsec3: ["insecure.example. NS", "H(insecure.example.) NSEC3"],
            optOut: ["insecure.example. NS", "H(example.) NSEC3", "C(insecure.example.) NSEC3"],
            additional: ["ns.insecure.example. A"]),
        DenialCase(
            q: "insecure.example. NS", aa: false, nsec: ["insecure.example. NS", "insecure.example. NSEC"],
            nsec3: ["insecure.example. NS", "H(insecure.example.) NSEC3"],
            optOut: ["insecure.example. NS", "H(example.) NSEC3", "C(insecure.example.) NSEC3"],
            additional: ["ns.insecure.example. A"]),
    ]

    /// The zone signed with a fresh Ed25519 key, as `mode` says.
    static func signedZone(_ mode: Mode) throws -> Zone {
        let unsigned = try makeZone(Self.zoneText, origin: "example.")
        let key = try ZoneKey.generate(zone: "example.", algorithm: .ed25519, sep: true, now: 1_700_000_000)
        let policy = SigningPolicy(
            denial: mode.denial, inception: 1_700_000_000, expiration: 4_000_000_000, threads: 1)
        let records = try ZoneSigner(keys: [key], policy: policy).sign(unsigned)
        return try Zone(origin: "example.", records: records)
    }

    /// "owner TYPE" with `H(name)` and `C(name)` replaced by the owner of the
    /// NSEC3 matching or covering `name` in `zone`.
    static func resolve(_ item: String, in zone: Zone) throws -> String {
        guard item.hasPrefix("H(") || item.hasPrefix("C("), let close = item.firstIndex(of: ")") else {
            return item.lowercased()
        }
        let name = try DomainName(String(item[item.index(item.startIndex, offsetBy: 2)..<close]))
        let rest = item[item.index(after: close)...]
        let chain = zone.allRRSets.filter { $0.type == .nsec3 }
        guard case .nsec3(let first) = chain.first?.rdata.first else { return item }
        let hash = DNSSEC.nsec3Hash(name, salt: first.salt, iterations: first.iterations)
        for set in chain {
            guard case .nsec3(let r) = set.rdata.first,
                let owner = DNSSEC.nsec3OwnerHash(set.name, zone: zone.origin)
            else { continue }
            let found =
                item.hasPrefix("H(")
                ? DNSSEC.nsec3Matches(ownerHash: owner, hash: hash)
                : DNSSEC.nsec3Covers(ownerHash: owner, nextHash: r.nextHashedOwnerName, hash: hash)
            if found { return (set.name.description + rest).lowercased() }
        }
        Issue.record("no NSEC3 for \(item)")
        return item
    }

    /// The RRsets of a section, "owner TYPE", RRSIGs left out.
    static func summary(_ records: [ResourceRecord]) -> Set<String> {
        Set(records.filter { $0.type != .rrsig }.map { "\($0.name) \($0.type)".lowercased() })
    }

    /// The RRsets covered by RRSIGs in a section, "owner TYPE".
    static func signed(_ records: [ResourceRecord]) -> Set<String> {
        Set(
            records.compactMap {
                guard case .rrsig(let sig) = $0.rdata else { return nil }
                return "\($0.name) \(sig.typeCovered)".lowercased()
            })
    }

    static func ask(_ q: String, _ processor: QueryProcessor, dnssec: Bool, size: UInt16 = 4096) throws -> DNSMessage {
        let parts = q.split(separator: " ")
        let query = DNSMessage.query(
            id: 7, name: try DomainName(String(parts[0])), type: try #require(RecordType(String(parts[1]))),
            recursionDesired: false, edns: EDNS(udpPayloadSize: size, dnssecOK: dnssec))
        return try #require(processor.respond(to: query, transport: .udp))
    }

    @Test(arguments: Mode.allCases, cases)
    func proofs(_ mode: Mode, _ c: DenialCase) throws {
        let zone = try Self.signedZone(mode)
        let processor = QueryProcessor(
            zones: ZoneTable([zone]), options: AuthorityOptions(additionalForMailAndServices: false))
        let response = try Self.ask(c.q, processor, dnssec: true)
        #expect(response.rcode == c.rcode, "\(mode) \(c.q) rcode")
        #expect(response.header.authoritative == c.aa, "\(mode) \(c.q) AA")
        #expect(!response.header.truncated)
        #expect(Self.summary(response.answers) == Set(c.answer.map { $0.lowercased() }), "\(mode) \(c.q) answer")
        let expected = Set(try c.authority(mode).map { try Self.resolve($0, in: zone) })
        #expect(Self.summary(response.authorities) == expected, "\(mode) \(c.q) authority\n\(response.authorities)")
        #expect(
            Self.summary(response.additionals) == Set(c.additional.map { $0.lowercased() }), "\(mode) \(c.q) additional"
        )
        // Each record once (one NSEC proving two things is written once).
        for section in [response.answers, response.authorities] {
            #expect(Set(section).count == section.count, "\(mode) \(c.q): duplicates")
        }
        // RRSIGs: with every answer RRset but a CNAME synthesised from a DNAME,
        // every signed type in the authority section; none without its RRset.
        let answerSigned = Self.signed(response.answers)
        let synthesised = response.answers.contains { $0.type == .dname }
        for set in Self.summary(response.answers) where !(synthesised && set.hasSuffix(" cname")) {
            #expect(answerSigned.contains(set), "\(mode) \(c.q): \(set) unsigned")
        }
        let authoritySigned = Self.signed(response.authorities)
        for set in Self.summary(response.authorities) where !set.hasSuffix(" ns") {
            #expect(authoritySigned.contains(set), "\(mode) \(c.q): \(set) unsigned")
        }
        #expect(authoritySigned.isSubset(of: Self.summary(response.authorities)))

        // Without DO: no DNSSEC record at all, the same sections otherwise.
        let plain = try Self.ask(c.q, processor, dnssec: false)
        let dnssecTypes: Set<RecordType> = [.rrsig, .nsec, .nsec3, .ds]
        let all = plain.answers + plain.authorities + plain.additionals
        #expect(!all.contains { dnssecTypes.contains($0.type) && !(c.q.hasSuffix(" DS") && $0.type == .ds) })
        #expect(plain.rcode == response.rcode)
        #expect(Self.summary(plain.answers) == Self.summary(response.answers))
    }

    /// The one-pass wire path and the message path give the same octets for
    /// every case asked with DO, with a large and a small (512) size.
    @Test(arguments: Mode.allCases)
    func wirePathMatchesMessagePath(_ mode: Mode) throws {
        let processor = QueryProcessor(zones: ZoneTable([try Self.signedZone(mode)]))
        for c in Self.cases {
            for size: UInt16 in [4096, 1232, 512] {
                try compareWithMessagePath(c.q, processor, size: size, label: "\(mode)")
            }
        }
    }

    /// RFC 4035 §3.1.1: the DNSSEC records of the authority section that do
    /// not fit set TC; what is written is whole RRsets with their RRSIGs.
    @Test(arguments: [Mode.nsec3, .nsec3OptOut])
    func proofsThatDoNotFitSetTC(_ mode: Mode) throws {
        let processor = QueryProcessor(zones: ZoneTable([try Self.signedZone(mode)]))
        let response = try Self.ask("nothere.example. A", processor, dnssec: true, size: 512)
        #expect(response.header.truncated)
        #expect(response.rcode == .nxDomain)
        #expect(Self.signed(response.authorities) == Self.summary(response.authorities))
        let full = try Self.ask("nothere.example. A", processor, dnssec: true)
        #expect(response.authorities.count < full.authorities.count)
    }
}

/// Compares `respondWire` with `answer` + `encode` for one DO query.
func compareWithMessagePath(
    _ q: String, _ processor: QueryProcessor, size: UInt16, label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let parts = q.split(separator: " ")
    let query = DNSMessage.query(
        id: 77, name: try DomainName(String(parts[0])), type: try #require(RecordType(String(parts[1]))),
        edns: EDNS(udpPayloadSize: size, dnssecOK: true))
    guard case .query(let request) = ParsedRequest.parse(query.serialize()) else {
        Issue.record("query not parsed", sourceLocation: sourceLocation)
        return
    }
    for transport in [Transport.udp, .tcp] {
        let response = processor.answer(request, transport: transport)
        let reference = processor.encode(response, for: request.edns, transport: transport)
        let wire = processor.respondWire(to: request, transport: transport)
        #expect(
            Array(wire.buffer.readableBytesView) == Array(reference.readableBytesView),
            "\(label) \(q) \(size) \(transport)", sourceLocation: sourceLocation)
        #expect((try? DNSMessage(wire: wire.buffer)) != nil, "\(label) \(q) \(size) parses")
    }
}

/// Zones whose chains are broken, partial or odd are served with what
/// exists: no crash, both answer paths the same octets, responses that parse.
@Suite struct DenialMalformedZoneTests {
    static let questions =
        DenialProofTests.cases.map(\.q) + [
            "zzz.example. A", "0.example. A", "a.b.c.d.e.f.example. TXT", "*.wild.example. A", "example. NSEC3PARAM",
        ]

    static func serveAll(_ zone: Zone, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let processor = QueryProcessor(zones: ZoneTable([zone]))
        for q in Self.questions {
            for size: UInt16 in [1232, 512] {
                try compareWithMessagePath(q, processor, size: size, label: "malformed", sourceLocation: sourceLocation)
            }
        }
    }

    /// The NSEC3 zone with records removed: every other NSEC3, or the apex's.
    @Test(arguments: [DenialProofTests.Mode.nsec, .nsec3, .nsec3OptOut])
    func partialChains(_ mode: DenialProofTests.Mode) throws {
        let signed = try DenialProofTests.signedZone(mode)
        let records = signed.allRecords
        let denial = records.filter { $0.type == .nsec || $0.type == .nsec3 }
        // Every other denial record gone, then all but one, then the apex's alone.
        let index = signed.denialIndex
        let apex =
            index.chain == .nsec3
            ? try DNSSEC.nsec3Owner(hash: index.hash(signed.origin), zone: signed.origin) : signed.origin
        for drop in [
            Set(denial.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)),
            Set(denial.dropFirst()),
            Set(denial.filter { $0.name == apex }),
        ] {
            let kept = records.filter { !drop.contains($0) }
            try Self.serveAll(try Zone(origin: "example.", records: kept))
        }
    }

    /// Odd records: NSEC bitmaps empty or with unknown types, an NSEC whose
    /// next name is outside the zone, an NSEC3 owner that is not base32hex or
    /// not under the apex, NSEC3 of another chain, an NSEC3PARAM of an unknown
    /// algorithm, and one with more iterations than hashed per query.
    @Test(arguments: [
        """
        @ NSEC www.example. NS SOA
        www NSEC other.test. TYPE65000 TYPE1234
        zz NSEC example. A RRSIG NSEC TYPE65535
        """,
        """
        @ NSEC3PARAM 1 0 0 -
        not-base32 NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A
        0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.www NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A
        0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 5 abcd 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A
        """,
        """
        @ NSEC3PARAM 7 0 0 -
        0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 7 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom
        """,
        """
        @ NSEC3PARAM 1 0 65535 ab
        0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 65535 ab 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A
        """,
        """
        @ NSEC3PARAM 1 0 0 -
        0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom
        """,
    ])
    func oddRecords(_ extra: String) throws {
        let text = DenialProofTests.zoneText + "$TTL 300\n" + extra + "\n"
        let zone = try makeZone(text, origin: "example.")
        try Self.serveAll(zone)
        // Something is answered for a name that does not exist.
        let response = try DenialProofTests.ask(
            "nothere.example. A", QueryProcessor(zones: ZoneTable([zone])), dnssec: true)
        #expect(response.rcode == .nxDomain)
    }
}
