// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Testing

/// The zone every case starts from.
let updateZoneText = """
    $ORIGIN example.
    $TTL 300
    @       SOA   ns1 hostmaster 100 7200 3600 1209600 300
    @       NS    ns1
    @       NS    ns2
    ns1     A     192.0.2.53
    ns2     A     192.0.2.54
    www     A     192.0.2.1
    www     A     192.0.2.2
    www     TXT   "hello"
    alias   CNAME www
    sub     NS    ns.sub
    ns.sub  A     192.0.2.99
    a.b.c   TXT   "deep"
    """

func updateZone() throws -> Zone {
    try Zone(ZoneFileParser.parse(text: updateZoneText, name: "zone", origin: "example."))
}

/// One line of an update or prerequisite section in nsupdate's words:
/// `add NAME TTL TYPE RDATA`, `del NAME [TYPE [RDATA]]`, `yxdomain NAME`,
/// `nxdomain NAME`, `yxrrset NAME TYPE [RDATA]`, `nxrrset NAME TYPE`.
func updateRecord(_ line: String) throws -> ResourceRecord {
    let words = line.split(separator: " ").map(String.init)
    let name = try DomainName(words[1], origin: "example.")
    func empty(_ type: RecordType, _ dnsClass: DNSClass) -> ResourceRecord {
        ResourceRecord(name: name, dnsClass: dnsClass, ttl: 0, rdata: .unknown(type, RDATA.Opaque(bytes: [])))
    }
    func type(_ i: Int) -> RecordType { RecordType(mnemonic: Array(words[i].utf8)[...]) ?? .any }
    let rest = words.count > 3 ? words[3...].joined(separator: " ") : ""
    switch words[0] {
    case "add":
        return try ResourceRecord(text: words[1...].joined(separator: " "), origin: "example.")
    case "del" where words.count == 2: return empty(.any, .any)
    case "del" where words.count == 3: return empty(type(2), .any)
    case "del":
        return ResourceRecord(
            name: name, dnsClass: .none, ttl: 0, rdata: try RDATA(type: type(2), text: rest, origin: "example."))
    case "yxdomain": return empty(.any, .any)
    case "nxdomain": return empty(.any, .none)
    case "yxrrset" where words.count == 3: return empty(type(2), .any)
    case "yxrrset":
        return ResourceRecord(name: name, ttl: 0, rdata: try RDATA(type: type(2), text: rest, origin: "example."))
    case "nxrrset": return empty(type(2), .none)
    default: throw PresentationError("bad test line \(line)")
    }
}

/// An UPDATE message for `example.`, sent through the wire codec.
func updateMessage(prerequisites: [String] = [], updates: [String], zone: String = "example.") throws -> DNSMessage {
    var header = Header(id: 7)
    header.opcode = .update
    let message = DNSMessage(
        header: header, questions: [Question(name: try DomainName(zone, origin: .root), type: .soa)],
        answers: try prerequisites.map(updateRecord), authorities: try updates.map(updateRecord))
    return try DNSMessage(wire: message.wireBytes)
}

let localhost = UpdateRequester(address: ClientIP("127.0.0.1") ?? ClientIP(ipv4: 0x7F00_0001))
let allowLocal = UpdatePolicy(rules: [
    UpdateRule(identity: .address(AddressPrefix("127.0.0.0/8")!), types: [.any])
])

/// `NAME TYPE` lines of what the zone holds, e.g. `www.example. A 192.0.2.1`.
func contents(_ zone: Zone) -> Set<String> {
    Set(
        zone.allRRSets.flatMap { set in
            set.rdata.map { rdata -> String in
                var text = ""
                rdata.writePresentation(to: &text)
                return "\(set.name) \(set.type) \(text)"
            }
        })
}

struct UpdateCase: CustomTestStringConvertible, Sendable {
    var name: String
    var prerequisites: [String] = []
    var updates: [String]
    var rcode: RCode
    /// Lines that must be in the zone after (`!line`: must not be).
    var expect: [String] = []
    var testDescription: String { self.name }
}

let updateCases: [UpdateCase] = [
    // §3.2 prerequisites
    .init(
        name: "yxdomain holds", prerequisites: ["yxdomain www"], updates: ["add new 60 A 192.0.2.7"], rcode: .noError,
        expect: ["new.example. A 192.0.2.7"]),
    .init(
        name: "yxdomain fails: NXDOMAIN", prerequisites: ["yxdomain nothere"], updates: ["add new 60 A 192.0.2.7"],
        rcode: .nxDomain, expect: ["!new.example. A 192.0.2.7"]),
    .init(name: "an empty non-terminal is not in use", prerequisites: ["yxdomain b.c"], updates: [], rcode: .nxDomain),
    .init(
        name: "nxdomain holds", prerequisites: ["nxdomain new"], updates: ["add new 60 A 192.0.2.7"], rcode: .noError),
    .init(name: "nxdomain fails: YXDOMAIN", prerequisites: ["nxdomain www"], updates: [], rcode: .yxDomain),
    .init(name: "yxrrset holds", prerequisites: ["yxrrset www TXT"], updates: [], rcode: .noError),
    .init(name: "yxrrset fails: NXRRSET", prerequisites: ["yxrrset www MX"], updates: [], rcode: .nxRRSet),
    .init(name: "nxrrset holds", prerequisites: ["nxrrset www MX"], updates: [], rcode: .noError),
    .init(name: "nxrrset fails: YXRRSET", prerequisites: ["nxrrset www A"], updates: [], rcode: .yxRRSet),
    .init(
        name: "value-dependent: the whole RRset matches",
        prerequisites: ["yxrrset www A 192.0.2.2", "yxrrset www A 192.0.2.1"],
        updates: ["del www A 192.0.2.1"], rcode: .noError, expect: ["!www.example. A 192.0.2.1"]),
    .init(
        name: "value-dependent: a subset is NXRRSET", prerequisites: ["yxrrset www A 192.0.2.1"], updates: [],
        rcode: .nxRRSet),
    .init(
        name: "value-dependent: names compare case-insensitively", prerequisites: ["yxrrset alias CNAME WWW"],
        updates: [], rcode: .noError),
    .init(
        name: "prerequisite outside the zone: NOTZONE", prerequisites: ["yxdomain www.other."], updates: [],
        rcode: .notZone),
    // §3.4.2 updates
    .init(
        name: "add to an RRset", updates: ["add www 300 A 192.0.2.3"], rcode: .noError,
        expect: ["www.example. A 192.0.2.1", "www.example. A 192.0.2.3"]),
    .init(name: "add a duplicate: no change", updates: ["add www 300 A 192.0.2.1"], rcode: .noError),
    .init(
        name: "delete an RRset", updates: ["del www A"], rcode: .noError,
        expect: ["!www.example. A 192.0.2.1", "!www.example. A 192.0.2.2", "www.example. TXT \"hello\""]),
    .init(
        name: "delete a name", updates: ["del www"], rcode: .noError,
        expect: ["!www.example. A 192.0.2.1", "!www.example. TXT \"hello\""]),
    .init(
        name: "delete one record", updates: ["del www A 192.0.2.2"], rcode: .noError,
        expect: ["www.example. A 192.0.2.1", "!www.example. A 192.0.2.2"]),
    .init(name: "delete a record that is not there: no change", updates: ["del www A 192.0.2.200"], rcode: .noError),
    .init(
        name: "all or nothing: a later record refused undoes the first",
        updates: ["add new 60 A 192.0.2.7", "add x.other. 60 A 192.0.2.8"],
        rcode: .notZone, expect: ["!new.example. A 192.0.2.7"]),
    // SOA and NS at the apex
    .init(
        name: "the apex SOA is never deleted", updates: ["del @ SOA"], rcode: .noError,
        expect: ["example. SOA ns1.example. hostmaster.example. 100 7200 3600 1209600 300"]),
    .init(
        name: "the apex NS RRset is never deleted", updates: ["del @ NS"], rcode: .noError,
        expect: ["example. NS ns1.example.", "example. NS ns2.example."]),
    .init(
        name: "deleting the apex name keeps SOA and NS", updates: ["add @ 300 TXT \"apex\"", "del @"], rcode: .noError,
        expect: ["example. NS ns1.example.", "!example. TXT \"apex\""]),
    .init(
        name: "one apex NS may go, the last may not", updates: ["del @ NS ns1", "del @ NS ns2"], rcode: .noError,
        expect: ["!example. NS ns1.example.", "example. NS ns2.example."]),
    .init(
        name: "a higher SOA serial replaces the SOA", updates: ["add @ 300 SOA ns1 hostmaster 500 1 2 3 4"],
        rcode: .noError,
        expect: ["example. SOA ns1.example. hostmaster.example. 500 1 2 3 4"]),
    .init(
        name: "a lower SOA serial is ignored", updates: ["add @ 300 SOA ns1 hostmaster 50 1 2 3 4"], rcode: .noError,
        expect: ["example. SOA ns1.example. hostmaster.example. 100 7200 3600 1209600 300"]),
    // CNAME rules
    .init(
        name: "a CNAME beside other data is ignored", updates: ["add www 300 CNAME ns1"], rcode: .noError,
        expect: ["!www.example. CNAME ns1.example."]),
    .init(
        name: "data beside a CNAME is ignored", updates: ["add alias 300 A 192.0.2.9"], rcode: .noError,
        expect: ["!alias.example. A 192.0.2.9", "alias.example. CNAME www.example."]),
    .init(
        name: "a CNAME replaces a CNAME", updates: ["add alias 300 CNAME ns1"], rcode: .noError,
        expect: ["alias.example. CNAME ns1.example.", "!alias.example. CNAME www.example."]),
    .init(
        name: "delete the CNAME, then add data", updates: ["del alias CNAME", "add alias 300 A 192.0.2.9"],
        rcode: .noError,
        expect: ["alias.example. A 192.0.2.9"]),
    // Zone and cut
    .init(name: "a name outside the zone: NOTZONE", updates: ["add www.other. 300 A 192.0.2.1"], rcode: .notZone),
    .init(name: "data below a zone cut: REFUSED", updates: ["add x.sub 300 TXT \"no\""], rcode: .refused),
    .init(
        name: "glue below a zone cut is allowed", updates: ["add ns.sub 300 A 192.0.2.98"], rcode: .noError,
        expect: ["ns.sub.example. A 192.0.2.98"]),
    .init(name: "RRSIG is the signer's: REFUSED", updates: ["del www RRSIG"], rcode: .refused),
    // FORMERR
    .init(name: "adding type ANY: FORMERR", updates: ["add www 300 TYPE255 \\# 0"], rcode: .formErr),
]

@Suite("Dynamic update (RFC 2136)")
struct UpdateProcessorTests {
    @Test("update semantics", arguments: updateCases)
    func semantics(_ c: UpdateCase) throws {
        let zone = try updateZone()
        let message = try updateMessage(prerequisites: c.prerequisites, updates: c.updates)
        let outcome = UpdateProcessor.process(message, zone: zone, requester: localhost, policy: allowLocal, now: 0)
        #expect(outcome.rcode == c.rcode, "\(outcome.reason)")
        let after = outcome.zone ?? zone
        let have = contents(after)
        for line in c.expect {
            if line.hasPrefix("!") {
                #expect(!have.contains(String(line.dropFirst())), "\(line)")
            } else {
                #expect(have.contains(line), "\(line)")
            }
        }
        if c.rcode != .noError { #expect(outcome.diff == nil) }
        if let diff = outcome.diff {
            // The diff replays to the same zone, and the serial moved on (RFC 2136 §3.6).
            #expect(contents(try zone.applying(diff)) == have)
            #expect(diff.toSerial != diff.fromSerial)
        }
    }

    @Test("a change bumps the serial by one; no change leaves it")
    func serialBump() throws {
        let zone = try updateZone()
        let changed = UpdateProcessor.process(
            try updateMessage(updates: ["add new 60 A 192.0.2.7"]), zone: zone, requester: localhost,
            policy: allowLocal, now: 0)
        #expect(changed.diff?.fromSerial == 100)
        #expect(changed.diff?.toSerial == 101)
        #expect(changed.diff?.added.map(\.description) == ["new.example. 60 IN A 192.0.2.7"])
        let unchanged = UpdateProcessor.process(
            try updateMessage(updates: ["del nothere A"]), zone: zone, requester: localhost, policy: allowLocal, now: 0)
        #expect(unchanged.rcode == .noError)
        #expect(unchanged.diff == nil)
    }

    @Test("a TTL change deletes and adds the whole RRset")
    func ttlChange() throws {
        let outcome = UpdateProcessor.process(
            try updateMessage(updates: ["add www 60 A 192.0.2.1"]), zone: try updateZone(), requester: localhost,
            policy: allowLocal, now: 0)
        #expect(outcome.diff?.deleted.count == 2)
        #expect(outcome.diff?.added.map(\.ttl) == [60, 60])
        #expect(outcome.zone?.rrset(at: "www.example.", type: .a)?.ttl == 60)
    }

    @Test("zone section: not one SOA question is FORMERR, another zone NOTAUTH")
    func zoneSection() throws {
        let zone = try updateZone()
        var header = Header(id: 1)
        header.opcode = .update
        let none = DNSMessage(header: header)
        #expect(
            UpdateProcessor.process(none, zone: zone, requester: localhost, policy: allowLocal, now: 0).rcode
                == .formErr)
        let notSOA = DNSMessage(header: header, questions: [Question(name: "example.", type: .a)])
        #expect(
            UpdateProcessor.process(notSOA, zone: zone, requester: localhost, policy: allowLocal, now: 0).rcode
                == .formErr)
        let other = try updateMessage(updates: [], zone: "example.net.")
        #expect(
            UpdateProcessor.process(other, zone: zone, requester: localhost, policy: allowLocal, now: 0).rcode
                == .notAuth)
        let prereqTTL = try DNSMessage(
            header: header, questions: [Question(name: "example.", type: .soa)],
            answers: [
                ResourceRecord(
                    name: "www.example.", dnsClass: .any, ttl: 5, rdata: .unknown(.any, RDATA.Opaque(bytes: [])))
            ])
        #expect(
            UpdateProcessor.process(prereqTTL, zone: zone, requester: localhost, policy: allowLocal, now: 0).rcode
                == .formErr)
    }

    struct PolicyCase: Sendable, CustomTestStringConvertible {
        var requester: String
        var key: String?
        var update: String
        var rcode: RCode
        var testDescription: String { "\(self.key ?? self.requester): \(self.update) -> \(self.rcode)" }
    }

    static let policy = UpdatePolicy(rules: [
        UpdateRule(identity: .key("ddns."), names: [.exact("home.example.")], types: [.a, .aaaa]),
        UpdateRule(identity: .key("ddns."), names: [UpdateRule.NamePattern("*.dyn.example")!]),
        UpdateRule(identity: .address(AddressPrefix("192.0.2.0/24")!), names: [.exact("lab.example.")], types: [.txt]),
        UpdateRule(identity: .address(AddressPrefix("2001:db8::/32")!), names: [.exact("v6.example.")], types: []),
    ])

    @Test(
        "policy by key and by address",
        arguments: [
            PolicyCase(requester: "198.51.100.1", key: "ddns.", update: "add home 60 A 192.0.2.7", rcode: .noError),
            PolicyCase(requester: "198.51.100.1", key: "ddns.", update: "add home 60 TXT \"x\"", rcode: .refused),
            PolicyCase(requester: "198.51.100.1", key: "ddns.", update: "add other 60 A 192.0.2.7", rcode: .refused),
            PolicyCase(requester: "198.51.100.1", key: "other.", update: "add home 60 A 192.0.2.7", rcode: .refused),
            PolicyCase(requester: "198.51.100.1", key: nil, update: "add home 60 A 192.0.2.7", rcode: .refused),
            PolicyCase(requester: "198.51.100.1", key: "ddns.", update: "add a.dyn 60 TXT \"x\"", rcode: .noError),
            PolicyCase(requester: "198.51.100.1", key: "ddns.", update: "add dyn 60 TXT \"x\"", rcode: .refused),
            PolicyCase(requester: "198.51.100.1", key: "ddns.", update: "add a.dyn 60 NS ns1", rcode: .refused),
            PolicyCase(requester: "192.0.2.77", key: nil, update: "add lab 60 TXT \"x\"", rcode: .noError),
            PolicyCase(requester: "192.0.3.77", key: nil, update: "add lab 60 TXT \"x\"", rcode: .refused),
            PolicyCase(requester: "192.0.2.77", key: nil, update: "add lab 60 A 192.0.2.1", rcode: .refused),
            PolicyCase(requester: "2001:db8::5", key: nil, update: "add v6 60 AAAA 2001:db8::5", rcode: .noError),
            PolicyCase(requester: "2001:db8::5", key: nil, update: "add v6 60 SOA a b 1 1 1 1 1", rcode: .refused),
            PolicyCase(requester: "::ffff:192.0.2.1", key: nil, update: "add lab 60 TXT \"x\"", rcode: .noError),
        ])
    func policy(_ c: PolicyCase) throws {
        let requester = UpdateRequester(
            address: ClientIP(c.requester) ?? ClientIP(ipv4: 0),
            keyName: try c.key.map { try DomainName($0, origin: .root) })
        let outcome = UpdateProcessor.process(
            try updateMessage(updates: [c.update]), zone: try updateZone(), requester: requester, policy: Self.policy,
            now: 0)
        #expect(outcome.rcode == c.rcode, "\(outcome.reason)")
    }

    @Test("no policy: every update REFUSED, before prerequisites are looked at")
    func noPolicy() throws {
        let outcome = UpdateProcessor.process(
            try updateMessage(prerequisites: ["yxdomain nothere"], updates: ["add new 60 A 192.0.2.7"]),
            zone: try updateZone(), requester: localhost, policy: UpdatePolicy(), now: 0)
        #expect(outcome.rcode == .refused)
    }

    @Test(
        "serial policies (RFC 1982 arithmetic)",
        arguments: [
            // policy, old serial, now (2026-11-29 12:00 UTC = 1_795_953_600), expected
            (SerialPolicy.increment, UInt32(100), Int64(0), UInt32(101)),
            (.increment, UInt32.max, 0, 1),  // wraps, skipping 0
            (.increment, UInt32(0x7FFF_FFFF), 0, 0x8000_0000),
            (.unixtime, 100, 1_795_953_600, 1_795_953_600),
            (.unixtime, 1_795_953_600, 1_795_953_600, 1_795_953_601),  // same second: plus one
            (.unixtime, 2_000_000_000, 1_795_953_600, 2_000_000_001),  // ahead of the clock
            (.date, 2_026_112_805, 1_795_953_600, 2_026_112_900),
            (.date, 2_026_112_900, 1_795_953_600, 2_026_112_901),
            (.date, 2_026_112_999, 1_795_953_600, 2_026_113_000),  // 100 changes run into tomorrow
            (.date, 1, 1_795_953_600, 2_026_112_900),
        ])
    func serialPolicies(policy: SerialPolicy, old: UInt32, now: Int64, expected: UInt32) {
        let next = policy.next(after: old, now: now)
        #expect(next == expected)
        #expect(SerialPolicy.isGreater(next, than: old))
    }

    @Test("RFC 1982 comparisons")
    func serialArithmetic() {
        #expect(SerialPolicy.isGreater(1, than: 0))
        #expect(SerialPolicy.isGreater(0, than: UInt32.max))
        #expect(!SerialPolicy.isGreater(0, than: 1))
        #expect(!SerialPolicy.isGreater(5, than: 5))
        #expect(!SerialPolicy.isGreater(0x8000_0000, than: 0))  // undefined: not greater
        #expect(SerialPolicy.isGreater(0x7FFF_FFFF, than: 0))
    }

    @Test("the update response echoes ID and zone, sets QR and the RCODE")
    func response() throws {
        var header = Header(id: 0x1234)
        header.opcode = .update
        let message = UpdateProcessor.response(
            to: header, zone: Question(name: "example.", type: .soa), rcode: .notZone, requestHadEDNS: false)
        let decoded = try DNSMessage(wire: message.wireBytes)
        #expect(decoded.header.id == 0x1234)
        #expect(decoded.header.isResponse)
        #expect(decoded.header.opcode == .update)
        #expect(decoded.rcode == .notZone)
        #expect(decoded.questions.first?.name == "example.")
    }

    @Test("random mutations of an UPDATE never trap", arguments: 0..<100)
    func malformed(seed: Int) throws {
        let zone = try updateZone()
        var bytes = try updateMessage(
            prerequisites: ["yxrrset www A 192.0.2.1", "nxdomain x"], updates: ["add new 60 A 192.0.2.7", "del www"]
        ).wireBytes
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        for _ in 0..<4 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let at = Int(state >> 33) % bytes.count
            bytes[at] = UInt8(truncatingIfNeeded: state >> 17)
        }
        if let message = try? DNSMessage(wire: bytes) {
            _ = UpdateProcessor.process(message, zone: zone, requester: localhost, policy: allowLocal, now: 0)
        }
    }
}
