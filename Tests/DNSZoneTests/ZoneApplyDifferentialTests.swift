// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSZone

/// `Zone.applying` patches the touched names only; these tests check that the
/// patched zone equals a full rebuild from the resulting records: every node
/// (RRsets in order, flags, children), the record and node counts, the SOA,
/// and lookups of every name and of names that do not exist.
@Suite("Zone.applying, incremental against a full rebuild")
struct ZoneApplyDifferentialTests {
    /// A zone with a bit of everything: a delegation with glue, a DNAME, a
    /// wildcard, deep names with empty non-terminals, signatures, NSEC and NSEC3.
    static let base = """
        $ORIGIN example.
        $TTL 300
        @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
        @ IN NS ns1
        @ IN RRSIG SOA 13 1 300 20270101000000 20261101000000 11 example. c29h
        @ IN RRSIG NS 13 1 300 20270101000000 20261101000000 11 example. bnM=
        @ IN NSEC a.example. NS SOA RRSIG NSEC
        ns1 IN A 192.0.2.53
        ns1 IN RRSIG A 13 2 300 20270101000000 20261101000000 11 example. YQ==
        www IN A 192.0.2.1
        www IN A 192.0.2.2
        www IN RRSIG A 13 2 300 20270101000000 20261101000000 11 example. d3d3
        a.b.c IN TXT "deep"
        x.b.c IN TXT "deep too"
        sub IN NS ns.sub
        ns.sub IN A 192.0.2.9
        deep.ns.sub IN A 192.0.2.10
        sub IN DS 1 13 2 0000000000000000000000000000000000000000000000000000000000000000
        *.wild IN A 192.0.2.7
        host.wild IN A 192.0.2.8
        alias IN CNAME www
        alias IN NSEC b.example. CNAME RRSIG NSEC
        dn IN DNAME target.example.net.
        under.dn IN A 192.0.2.11
        0p9mhaveqvm6t7vbl5lop2u3t2rp3tom IN NSEC3 1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG
        0p9mhaveqvm6t7vbl5lop2u3t2rp3tom IN RRSIG NSEC3 13 2 300 20270101000000 20261101000000 11 example. bjM=
        @ IN NSEC3PARAM 1 0 0 -

        """

    static func zone(_ text: String = base) throws -> Zone {
        try Zone(parseZone(["zone": text]))
    }

    static func rr(_ text: String) throws -> ResourceRecord {
        try ResourceRecord(text: text, origin: "example.")
    }

    static func soa(_ serial: UInt32) throws -> ResourceRecord {
        try rr("@ 300 IN SOA ns1 hostmaster \(serial) 7200 3600 1209600 300")
    }

    /// Records the random diffs draw additions from: new and existing names,
    /// deep names, cuts above existing names, DNAMEs, wildcards, signatures,
    /// NSEC and NSEC3.
    static let pool: [String] = [
        "www 300 IN A 192.0.2.3", "www 60 IN AAAA 2001:db8::1", "new 300 IN A 192.0.2.20",
        "p.q.r.new 300 IN TXT \"four deep\"", "q.r.new 300 IN TXT \"three\"", "a.b.c 300 IN TXT \"more\"",
        "b.c 300 IN NS ns1.example.net.", "c 300 IN DNAME elsewhere.example.net.", "b.c 300 IN A 192.0.2.30",
        "*.c 300 IN A 192.0.2.31", "*.b.c 300 IN TXT \"wild\"", "*.wild 300 IN AAAA 2001:db8::7",
        "*.new 300 IN A 192.0.2.32", "sub 300 IN NS ns2.sub", "ns2.sub 300 IN A 192.0.2.12",
        "wild 300 IN NS ns1.example.net.", "dn 300 IN A 192.0.2.40", "x.under.dn 300 IN A 192.0.2.41",
        "alias 300 IN RRSIG CNAME 13 2 300 20270101000000 20261101000000 11 example. Y24=",
        "www 300 IN RRSIG A 13 2 300 20270201000000 20261101000000 11 example. d3d4",
        "www 300 IN RRSIG AAAA 13 2 300 20270201000000 20261101000000 11 example. cXE=",
        "new 300 IN RRSIG TXT 13 2 300 20270201000000 20261101000000 11 example. dHQ=",
        "www 300 IN NSEC x.b.c.example. A RRSIG NSEC", "new 300 IN NSEC www.example. A RRSIG NSEC",
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr 300 IN NSEC3 1 0 0 - 0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM A",
        "2t7b4g4vsa5smi47k61mv5bv1a22bojr 300 IN RRSIG NSEC3 13 2 300 20270101000000 20261101000000 11 example. bjQ=",
        "@ 300 IN NS ns2.example.net.", "@ 300 IN DNAME apex.example.net.", "Mixed.Case 300 IN A 192.0.2.50",
        "mixed.case 300 IN A 192.0.2.51", "deep.ns.sub 300 IN AAAA 2001:db8::10", "alias 300 IN A 192.0.2.60",
        "cn 300 IN CNAME www", "cn 300 IN CNAME ns1", "e1.e2.e3.e4.e5 300 IN A 192.0.2.70",
    ]

    /// A seeded generator (SplitMix64): the same diffs on every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Fails unless `patched` and `rebuilt` are the same zone, node for node.
    static func expectSame(_ patched: Zone, _ rebuilt: Zone, _ context: String) {
        #expect(patched.recordCount == rebuilt.recordCount, "\(context): record count")
        #expect(patched.nodeCount == rebuilt.nodeCount, "\(context): node count")
        #expect(patched.soa == rebuilt.soa, "\(context): SOA")
        #expect(patched.negativeSOARRSet == rebuilt.negativeSOARRSet, "\(context): negative SOA")
        #expect(patched.nodes.count == patched.index.count, "\(context): table and nodes")
        #expect(patched.childCounts.count == patched.nodes.count, "\(context): child counts")
        for (k, node) in patched.nodes.enumerated() {
            #expect(patched.index.find(node.name) == Int32(k), "\(context): \(node.name) indexed")
            #expect(patched.index[Int32(k)] == node.name, "\(context): \(node.name) table name")
        }
        for node in rebuilt.nodes {
            guard let id = patched.index.find(node.name) else {
                Issue.record("\(context): \(node.name) missing")
                continue
            }
            let mine = patched.nodes[Int(id)]
            #expect(mine.rrsets == node.rrsets, "\(context): RRsets at \(node.name)")
            #expect(mine.flags == node.flags, "\(context): flags at \(node.name)")
            let theirs = rebuilt.childCounts[Int(rebuilt.index.find(node.name) ?? 0)]
            #expect(patched.childCounts[Int(id)] == theirs, "\(context): children of \(node.name)")
        }
        // Lookups: every name, a name below each, a wildcard match, names that do not exist.
        var names = rebuilt.nodes.map(\.name)
        names += rebuilt.nodes.compactMap { try? $0.name.prepending(label: Array("zz".utf8)) }
        names += ["nothing.example.", "x.y.z.example.", "a.c.example.", "q.new.example.", "example.net."]
        let types: [RecordType] = [.a, .aaaa, .ns, .ds, .cname, .txt, .nsec, .nsec3, .any, .rrsig]
        for name in names {
            for type in types {
                #expect(
                    patched.lookup(name, type: type) == rebuilt.lookup(name, type: type), "\(context): \(name) \(type)")
                #expect(patched.lookupRRSet(name, type: type) == rebuilt.lookupRRSet(name, type: type))
            }
            #expect(patched.closestEncloser(of: name) == rebuilt.closestEncloser(of: name))
        }
        // And the same answers as a zone built afresh from the result's records.
        if let fresh = try? Zone(origin: patched.origin, records: patched.allRecords, dnsClass: patched.dnsClass) {
            #expect(fresh.recordCount == patched.recordCount && fresh.nodeCount == patched.nodeCount, "\(context)")
            for name in names {
                for type in types where type != .any {
                    #expect(patched.lookup(name, type: type) == fresh.lookup(name, type: type), "\(context): \(name)")
                }
            }
        } else {
            Issue.record("\(context): the result's records do not build a zone")
        }
    }

    /// Applies `diff` both ways to `zone`: both fail, or both give the same zone.
    @discardableResult
    static func check(_ zone: Zone, _ diff: ZoneDiff, _ context: String) -> Zone? {
        let patched: Result<Zone, ZoneBuildError>
        do throws(ZoneBuildError) {
            try zone.checkHeader(of: diff)
            patched = .success(try zone.patching(diff, groups: Zone.grouped(diff, origin: zone.origin)))
        } catch {
            patched = .failure(error)
        }
        let rebuilt = Result { () throws(ZoneBuildError) -> Zone in try zone.rebuilding(diff) }
        switch (patched, rebuilt) {
        case (.success(let a), .success(let b)):
            expectSame(a, b, context)
            return a
        case (.failure, .failure):
            return nil
        case (.success, .failure(let error)):
            Issue.record("\(context): patched, but the rebuild failed: \(error)")
        case (.failure(let error), .success):
            Issue.record("\(context): the rebuild worked, the patch failed: \(error)")
        }
        return nil
    }

    @Test("random diffs, applied in chains")
    func randomChains() throws {
        let additions = try Self.pool.map(Self.rr)
        var generator = Seeded(state: 5)
        var applied = 0
        for chain in 0..<40 {
            var zone = try Self.zone()
            var serial: UInt32 = 1
            for step in 0..<12 {
                let existing = zone.recordsExceptSOA()
                var deleted: [ResourceRecord] = []
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    if let pick = existing.randomElement(using: &generator), !deleted.contains(pick) {
                        deleted.append(pick)
                    }
                }
                var added: [ResourceRecord] = []
                for _ in 0..<Int.random(in: 0...3, using: &generator) {
                    if let pick = additions.randomElement(using: &generator) { added.append(pick) }
                }
                // Now and then put back what an earlier step took away.
                if Bool.random(using: &generator), let back = deleted.first { added.append(back) }
                let diff = ZoneDiff(
                    oldSOA: try Self.soa(serial), newSOA: try Self.soa(serial + 1), deleted: deleted, added: added)
                if let next = Self.check(zone, diff, "chain \(chain) step \(step)") {
                    zone = next
                    serial += 1
                    applied += 1
                }
            }
        }
        // Most diffs apply (the rest are refused both ways, as they should be).
        #expect(applied > 200)
    }

    /// Edge cases, each a diff on ``base``: (what, deleted, added).
    static let edges: [(String, [String], [String])] = [
        ("SOA only", [], []),
        ("new deep name: empty non-terminals created", [], ["p.q.r.new 300 IN TXT \"four deep\""]),
        ("deep name removed: its empty non-terminals go", ["a.b.c 300 IN TXT \"deep\""], []),
        ("both deep names removed: c and b.c go", ["a.b.c 300 IN TXT \"deep\"", "x.b.c 300 IN TXT \"deep too\""], []),
        ("empty non-terminal gets data", [], ["b.c 300 IN A 192.0.2.30"]),
        ("delegation above existing names", [], ["b.c 300 IN NS ns1.example.net."]),
        ("delegation removed", ["sub 300 IN NS ns.sub"], []),
        ("DNAME above existing names", [], ["c 300 IN DNAME elsewhere.example.net."]),
        ("DNAME removed", ["dn 300 IN DNAME target.example.net."], []),
        ("DNAME at the apex", [], ["@ 300 IN DNAME apex.example.net."]),
        ("wildcard added", [], ["*.b.c 300 IN TXT \"wild\""]),
        ("wildcard removed", ["*.wild 300 IN A 192.0.2.7"], []),
        ("wildcard under a new name", [], ["*.new 300 IN A 192.0.2.32"]),
        (
            "RRSIG only", ["www 300 IN RRSIG A 13 2 300 20270101000000 20261101000000 11 example. d3d3"],
            ["www 300 IN RRSIG A 13 2 300 20270201000000 20261101000000 11 example. d3d4"]
        ),
        ("RRSIG left without its RRset", ["www 300 IN A 192.0.2.1", "www 300 IN A 192.0.2.2"], []),
        (
            "RRSIG before the RRset it covers", [],
            ["www 300 IN RRSIG AAAA 13 2 300 20270201000000 20261101000000 11 example. cXE="]
        ),
        (
            "NSEC3 chain changed",
            [
                "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom 300 IN NSEC3 1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG",
                "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom 300 IN RRSIG NSEC3 13 2 300 20270101000000 20261101000000 11 example. bjM=",
            ],
            ["2t7b4g4vsa5smi47k61mv5bv1a22bojr 300 IN NSEC3 1 0 0 - 0P9MHAVEQVM6T7VBL5LOP2U3T2RP3TOM A"]
        ),
        (
            "NSEC moved", ["@ 300 IN NSEC a.example. NS SOA RRSIG NSEC"],
            ["@ 300 IN NSEC alias.example. NS SOA RRSIG NSEC"]
        ),
        ("TTL change", ["www 300 IN A 192.0.2.1", "www 300 IN A 192.0.2.2"], ["www 60 IN A 192.0.2.1"]),
        ("case of a new name", [], ["Mixed.Case 300 IN A 192.0.2.50", "mixed.case 300 IN A 192.0.2.51"]),
        ("glue below a cut", [], ["ns2.sub 300 IN A 192.0.2.12", "x.y.ns2.sub 300 IN A 192.0.2.13"]),
        ("name emptied and refilled", ["host.wild 300 IN A 192.0.2.8"], ["host.wild 300 IN AAAA 2001:db8::8"]),
        (
            "CNAME replaced by data", ["alias 300 IN CNAME www", "alias 300 IN NSEC b.example. CNAME RRSIG NSEC"],
            ["alias 300 IN A 192.0.2.60"]
        ),
        // Refused both ways.
        ("deleted record missing", ["www 300 IN A 192.0.2.99"], []),
        ("CNAME and other data", [], ["alias 300 IN A 192.0.2.60"]),
        ("outside the zone", [], ["host.example.net. 300 IN A 192.0.2.1"]),
        ("apex NS removed", ["@ 300 IN NS ns1"], []),
        ("two CNAMEs", [], ["cn 300 IN CNAME www", "cn 300 IN CNAME ns1"]),
    ]

    @Test("edge cases", arguments: 0..<edges.count)
    func edge(_ k: Int) throws {
        let (what, deleted, added) = Self.edges[k]
        let diff = ZoneDiff(
            oldSOA: try Self.soa(1), newSOA: try Self.soa(2), deleted: try deleted.map(Self.rr),
            added: try added.map(Self.rr))
        let zone = try Self.zone()
        let result = Self.check(zone, diff, what)
        if k >= Self.edges.count - 5 {
            #expect(result == nil, "\(what) is refused")
            // The same message both ways.
            var messages: [String] = []
            do throws(ZoneBuildError) { _ = try zone.applying(diff) } catch { messages.append(error.message) }
            do throws(ZoneBuildError) { _ = try zone.rebuilding(diff) } catch { messages.append(error.message) }
            #expect(messages.count == 2 && messages[0] == messages[1], "\(what): \(messages)")
        } else {
            #expect(result != nil, "\(what) applies")
        }
    }

    @Test("flags follow a cut and a DNAME that come and go")
    func occlusion() throws {
        let zone = try Self.zone()
        let cut = ZoneDiff(
            oldSOA: try Self.soa(1), newSOA: try Self.soa(2), deleted: [],
            added: [try Self.rr("b.c 300 IN NS ns1.example.net.")])
        let withCut = try #require(Self.check(zone, cut, "cut"))
        #expect(withCut.lookup("a.b.c.example.", type: .txt) == withCut.lookup("b.c.example.", type: .txt))
        guard case .delegation = withCut.lookup("a.b.c.example.", type: .txt) else {
            Issue.record("a.b.c is below the new cut")
            return
        }
        let uncut = ZoneDiff(
            oldSOA: try Self.soa(2), newSOA: try Self.soa(3), deleted: cut.added, added: [])
        let back = try #require(Self.check(withCut, uncut, "uncut"))
        guard case .answer = back.lookup("a.b.c.example.", type: .txt) else {
            Issue.record("a.b.c answers again")
            return
        }
        #expect(back.nodeCount == zone.nodeCount)
        #expect(back.recordCount == zone.recordCount)
    }

    @Test("a new deep name and its removal leave the node count as it was")
    func nodeCountRoundTrip() throws {
        let zone = try Self.zone()
        let record = try Self.rr("e1.e2.e3.e4.e5 300 IN A 192.0.2.70")
        let added = try zone.applying(
            ZoneDiff(oldSOA: try Self.soa(1), newSOA: try Self.soa(2), deleted: [], added: [record]))
        #expect(added.nodeCount == zone.nodeCount + 5)
        #expect(added.contains("e3.e4.e5.example."))
        let removed = try added.applying(
            ZoneDiff(oldSOA: try Self.soa(2), newSOA: try Self.soa(3), deleted: [record], added: []))
        #expect(removed.nodeCount == zone.nodeCount)
        #expect(!removed.contains("e3.e4.e5.example."))
        #expect(removed.lookup("e5.example.", type: .a) == .nxDomain)
    }

    @Test("a wildcard that is only an empty non-terminal goes with the name below it")
    func wildcardNonTerminal() throws {
        let zone = try Self.zone()
        let record = try Self.rr("a.*.x 300 IN A 192.0.2.80")
        let diff = ZoneDiff(oldSOA: try Self.soa(1), newSOA: try Self.soa(2), deleted: [], added: [record])
        let added = try #require(Self.check(zone, diff, "wildcard ENT added"))
        #expect(added.lookup("other.x.example.", type: .a) == .noData(wildcard: true))
        let back = ZoneDiff(oldSOA: try Self.soa(2), newSOA: try Self.soa(3), deleted: [record], added: [])
        let removed = try #require(Self.check(added, back, "wildcard ENT removed"))
        #expect(removed.lookup("other.x.example.", type: .a) == .nxDomain)
        #expect(removed.nodeCount == zone.nodeCount)
    }

    @Test("a large zone: one change, many names untouched, same as a rebuild")
    func largeZone() throws {
        var text = Self.base
        for i in 0..<3000 { text += "h\(i).n\(i % 50) IN A 198.51.100.\(i % 250 + 1)\n" }
        let zone = try Self.zone(text)
        let diff = ZoneDiff(
            oldSOA: try Self.soa(1), newSOA: try Self.soa(2),
            deleted: [try Self.rr("h7.n7 300 IN A 198.51.100.8")],
            added: [try Self.rr("h7.n7 300 IN AAAA 2001:db8::7"), try Self.rr("z.n7 300 IN NS ns1.example.net.")])
        let patched = try #require(Self.check(zone, diff, "large"))
        // Untouched names keep their data.
        let before = try #require(zone.rrset(at: "h8.n8.example.", type: .a))
        let after = try #require(patched.rrset(at: "h8.n8.example.", type: .a))
        #expect(before == after)
    }
}
