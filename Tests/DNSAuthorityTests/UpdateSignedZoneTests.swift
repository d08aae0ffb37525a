// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Testing

/// UPDATEs in a zone the server signs: DNSKEY, CDS, CDNSKEY, NSEC3PARAM,
/// RRSIG, NSEC and NSEC3 belong to the signer and the key lifecycle, so an
/// update touching any of them is REFUSED whole (RFC 2136 §3.3, as Knot),
/// and deleting every RRset at the apex leaves them.
@Suite("UPDATE of DNSSEC records in a signed zone")
struct UpdateSignedZoneTests {
    static let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="
    static let digest = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"

    /// The update zone with the records a signer puts at the apex.
    static func signedZone() throws -> Zone {
        let text =
            updateZoneText + """

                @       DNSKEY      257 3 13 \(key)
                @       CDS         12345 13 2 \(digest)
                @       CDNSKEY     257 3 13 \(key)
                @       NSEC3PARAM  1 0 0 -
                """
        return try Zone(ZoneFileParser.parse(text: text, name: "zone", origin: "example."))
    }

    /// One update line each; with a change allowed beside it, so the refusal is of the whole update.
    static let refused: [String] = [
        "add example. 300 DNSKEY 256 3 13 \(key)",
        "del example. DNSKEY",
        "del example. DNSKEY 257 3 13 \(key)",
        "add www 300 DNSKEY 256 3 13 \(key)",
        "add example. 300 CDS 54321 13 2 \(digest)",
        "del example. CDS",
        "add example. 300 CDNSKEY 0 3 0 AA==",
        "del example. CDNSKEY 257 3 13 \(key)",
        "add example. 300 NSEC3PARAM 1 0 10 AABB",
        "del example. NSEC3PARAM",
        "del www RRSIG",
        "del www NSEC",
        "del www NSEC3",
    ]

    @Test(arguments: refused)
    func signerRecordsAreRefusedInASignedZone(line: String) throws {
        let zone = try Self.signedZone()
        let message = try updateMessage(updates: ["add new 60 A 192.0.2.7", line])
        let outcome = UpdateProcessor.process(
            message, zone: zone, requester: localhost, policy: allowLocal, now: 0, signed: true)
        #expect(outcome.rcode == .refused, "\(outcome.reason)")
        #expect(outcome.diff == nil && outcome.zone == nil, "nothing changes")
        #expect(outcome.reason.contains("not allowed"), "\(outcome.reason)")
    }

    /// The same policy in a zone hanon does not sign (a zone signed elsewhere
    /// and updated here, or keys published by hand) lets DNSKEY, CDS,
    /// CDNSKEY and NSEC3PARAM change; RRSIG, NSEC and NSEC3 never.
    @Test(arguments: refused)
    func unsignedZoneKeepsItsRules(line: String) throws {
        let zone = try Self.signedZone()
        let message = try updateMessage(updates: ["add new 60 A 192.0.2.7", line])
        let outcome = UpdateProcessor.process(message, zone: zone, requester: localhost, policy: allowLocal, now: 0)
        let signerOnly = line.hasSuffix("RRSIG") || line.hasSuffix("NSEC") || line.hasSuffix("NSEC3")
        #expect(outcome.rcode == (signerOnly ? .refused : .noError), "\(outcome.reason)")
    }

    @Test func deletingEverythingAtTheApexLeavesTheSignerRecords() throws {
        let zone = try Self.signedZone()
        let message = try updateMessage(updates: ["del example.", "add new 60 A 192.0.2.7"])
        let outcome = UpdateProcessor.process(
            message, zone: zone, requester: localhost, policy: allowLocal, now: 0, signed: true)
        #expect(outcome.rcode == .noError, "\(outcome.reason)")
        let after = try #require(outcome.zone)
        for type: RecordType in [.dnskey, .cds, .cdnskey, .nsec3param, .soa, .ns] {
            #expect(after.rrset(at: "example.", type: type) != nil, "\(type) kept")
        }
        #expect(contents(after).contains("new.example. A 192.0.2.7"))
        #expect(outcome.diff?.deleted.contains { UpdateProcessor.signerManagedTypes.contains($0.type) } == false)
    }

    @Test func otherChangesInASignedZoneStillWork() throws {
        let zone = try Self.signedZone()
        let message = try updateMessage(updates: ["add new 60 A 192.0.2.7", "add sub 60 DS 1 13 2 \(Self.digest)"])
        let outcome = UpdateProcessor.process(
            message, zone: zone, requester: localhost, policy: allowLocal, now: 0, signed: true)
        #expect(outcome.rcode == .noError, "\(outcome.reason)")
        let after = try #require(outcome.zone)
        #expect(after.rrset(at: "sub.example.", type: .ds) != nil, "a DS at a delegation is the parent's data")
    }
}
