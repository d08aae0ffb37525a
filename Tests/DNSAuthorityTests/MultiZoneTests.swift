// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Testing

let parentZone = """
    $ORIGIN example.
    $TTL 3600
    @ SOA ns1 hostmaster 1 7200 3600 1209600 300
    @ NS ns1
    ns1 A 192.0.2.53
    child NS ns1.child
    child DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0FE0F87C72D26E2ABD58F68C
    ns1.child A 192.0.2.54
    tochild CNAME www.child
    toother CNAME www.other.

    """

let childZone = """
    $ORIGIN child.example.
    $TTL 3600
    @ SOA ns1 hostmaster 1 7200 3600 1209600 600
    @ NS ns1
    ns1 A 192.0.2.54
    www A 192.0.2.55

    """

let otherZone = """
    $ORIGIN other.
    $TTL 60
    @ SOA ns1.example. hostmaster 1 7200 3600 1209600 30
    @ NS ns1.example.
    www CNAME missing

    """

let multiZoneCases: [Case] = [
    // Longest match picks the child zone.
    Case(q: "www.child.example. A", answer: ["www.child.example. 3600 IN A 192.0.2.55"]),
    Case(
        q: "child.example. NS", answer: ["child.example. 3600 IN NS ns1.child.example."],
        additional: ["ns1.child.example. 3600 IN A 192.0.2.54"]),
    Case(
        q: "child.example. SOA",
        answer: ["child.example. 3600 IN SOA ns1.child.example. hostmaster.child.example. 1 7200 3600 1209600 600"]),
    // DS for the child's apex is answered from the parent (RFC 4035 §3.1.4.1).
    Case(
        q: "child.example. DS",
        answer: [
            "child.example. 3600 IN DS 12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0FE0F87C72D26E2ABD58F68C"
        ]),
    // CNAME chains cross into other zones served here; the last name sets the RCODE (RFC 6604).
    Case(
        q: "tochild.example. A",
        answer: ["tochild.example. 3600 IN CNAME www.child.example.", "www.child.example. 3600 IN A 192.0.2.55"]),
    Case(
        q: "toother.example. A", rcode: .nxDomain,
        answer: ["toother.example. 3600 IN CNAME www.other.", "www.other. 60 IN CNAME missing.other."],
        authority: ["other. 30 IN SOA ns1.example. hostmaster.other. 1 7200 3600 1209600 30"]),
    Case(q: "example.com. A", rcode: .refused, aa: false),
]

@Suite struct MultiZoneTests {
    static func processor() throws -> QueryProcessor {
        QueryProcessor(
            zones: ZoneTable([
                try makeZone(parentZone, origin: "example."), try makeZone(childZone, origin: "child.example."),
                try makeZone(otherZone, origin: "other."),
            ]))
    }

    @Test(arguments: multiZoneCases)
    func multiZone(_ c: Case) throws {
        try check(c, try Self.processor())
    }

    @Test func dsAtApexWithoutParentIsNoData() throws {
        let processor = QueryProcessor(zones: ZoneTable([try makeZone(childZone, origin: "child.example.")]))
        try check(
            Case(
                q: "child.example. DS",
                authority: [
                    "child.example. 600 IN SOA ns1.child.example. hostmaster.child.example. 1 7200 3600 1209600 600"
                ]),
            processor)
    }
}

@Suite struct ZoneTableTests {
    /// Longest match, with the linear scan (few zones) and the hashed walk (many).
    @Test(arguments: [0, 20])
    func longestMatch(_ extra: Int) throws {
        var zones = [
            try makeZone(parentZone, origin: "example."), try makeZone(childZone, origin: "child.example."),
            try makeZone(otherZone, origin: "other."),
        ]
        for i in 0..<extra {
            zones.append(
                try makeZone("@ 60 SOA ns hm 1 1 1 1 1\n@ 60 NS ns.other.\n", origin: try DomainName("z\(i).test.")))
        }
        let table = ZoneTable(zones)
        #expect(table.zone(for: "a.b.child.example.")?.origin == "child.example.")
        #expect(table.zone(for: "CHILD.example.")?.origin == "child.example.")
        #expect(table.zone(for: "xchild.example.")?.origin == "example.")
        #expect(table.zone(for: "example.")?.origin == "example.")
        #expect(table.zone(for: "com.") == nil)
        #expect(table.zone(for: ".") == nil)
        #expect(table.zone(forQuery: "child.example.", type: .ds)?.origin == "example.")
        #expect(table.zone(forQuery: "child.example.", type: .a)?.origin == "child.example.")
        #expect(table.zone(forQuery: "example.", type: .ds)?.origin == "example.")
        if extra > 0 { #expect(table.zone(for: "www.z3.test.")?.origin == "z3.test.") }
    }
}
