// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import DNSSEC
import DNSZone
import Synchronization
import Testing

/// Responses altered on the way: whatever is changed or removed, the result
/// is never secure and nothing crashes; broken zones are remembered briefly.
@Suite struct DNSSECValidatorTamperTests {
    static let world: Result<TestWorld, any Error> = Result {
        try TestWorld.build([
            ZoneSpec(origin: "."),
            ZoneSpec(origin: "test."),
            ZoneSpec(origin: "nsec.test.", body: "www A 192.0.2.1\nzz A 192.0.2.2"),
            ZoneSpec(origin: "nsec3.test.", body: "www A 192.0.2.1\nzz A 192.0.2.2", denial: .nsec3()),
            ZoneSpec(origin: "bad.test.", body: "www A 192.0.2.1", ds: .otherKey),
        ])
    }

    func validator(_ world: TestWorld, clock: @escaping @Sendable () -> UInt32 = { TestWorld.now })
        -> DNSSECValidator
    {
        DNSSECValidator(configuration: .init(trustAnchors: [world.anchor], clock: clock))
    }

    /// Each RRSIG field of the answer changed in turn.
    @Test(arguments: ["labels", "signer", "foreign signer", "key tag", "algorithm", "type", "address"])
    func alteredAnswerIsNotSecure(_ what: String) async throws {
        let world = try Self.world.get()
        var (response, question) = world.net.query("www.nsec.test.", .a)
        #expect(await validator(world).validate(response, question: question, lookup: world.net) == .secure)
        response.answers = response.answers.map { record in
            guard case .rrsig(var sig) = record.rdata else {
                guard what == "address", let other = try? ResourceRecord(text: "www.nsec.test. 300 IN A 192.0.2.9")
                else { return record }
                return other
            }
            switch what {
            case "labels": sig.labels = 255
            case "signer": sig.signerName = TestWorld.name("test.")
            case "foreign signer": sig.signerName = TestWorld.name("example.")
            case "key tag": sig.keyTag &+= 1
            case "algorithm": sig.algorithm = .ed25519
            case "type": sig.typeCovered = .aaaa
            default: break
            }
            return ResourceRecord(name: record.name, ttl: record.ttl, rdata: .rrsig(sig))
        }
        let status = await validator(world).validate(response, question: question, lookup: world.net)
        guard case .bogus = status else {
            Issue.record("\(what): \(status)")
            return
        }
    }

    /// Each NSEC or NSEC3 record (or its RRSIG) of an NXDOMAIN removed in turn.
    @Test(arguments: ["nope.nsec.test.", "nope.nsec3.test."])
    func denialWithARecordRemovedIsNotSecure(_ qname: String) async throws {
        let world = try Self.world.get()
        let (response, question) = world.net.query(qname, .a)
        #expect(await validator(world).validate(response, question: question, lookup: world.net) == .secure)
        var checked = 0
        for (i, record) in response.authorities.enumerated() {
            var covered = record.type
            if case .rrsig(let sig) = record.rdata { covered = sig.typeCovered }
            guard covered == .nsec || covered == .nsec3 else { continue }
            var altered = response
            altered.authorities.remove(at: i)
            let status = await validator(world).validate(altered, question: question, lookup: world.net)
            guard case .bogus = status else {
                Issue.record("\(qname) without \(record): \(status)")
                continue
            }
            checked += 1
        }
        #expect(checked >= 2)
        // An NXDOMAIN turned into NODATA (or the reverse) is not proved either.
        var flipped = response
        flipped.rcode = .noError
        guard case .bogus = await validator(world).validate(flipped, question: question, lookup: world.net) else {
            Issue.record("\(qname): NXDOMAIN proof accepted as NODATA"); return
        }
    }

    /// A zone whose DS matches no key is bogus, and that is remembered for
    /// the bogus TTL (no new lookups), then fetched again.
    @Test func bogusZonesAreRememberedBriefly() async throws {
        let world = try Self.world.get()
        let now = Mutex(TestWorld.now)
        let validator = validator(world, clock: { now.withLock { $0 } })
        let (response, question) = world.net.query("www.bad.test.", .a)
        guard
            case .bogus(let code, let reason) = await validator.validate(
                response, question: question, lookup: world.net)
        else { Issue.record("not bogus"); return }
        #expect(code == .dnskeyMissing)
        #expect(reason.contains("bad.test."))
        let lookups = world.net.queries
        _ = await validator.validate(response, question: question, lookup: world.net)
        #expect(world.net.queries == lookups)
        now.withLock { $0 += 61 }
        _ = await validator.validate(response, question: question, lookup: world.net)
        #expect(world.net.queries > lookups)
    }

    /// Garbage in every section: no crash, never secure.
    @Test func garbageIsNeverSecure() async throws {
        let world = try Self.world.get()
        let records = [
            "www.nsec.test. 300 IN RRSIG A 13 9 300 20300101000000 20200101000000 1 nsec.test. AAAA",
            "www.nsec.test. 300 IN A 192.0.2.1",
            "nsec.test. 300 IN NSEC nsec.test. A",
            "aaaa.nsec3.test. 300 IN NSEC3 1 0 0 - 00000000000000000000000000000000 A",
            "www.nsec.test. 300 IN DNAME .",
            "www.nsec.test. 300 IN CNAME www.nsec.test.",
        ].compactMap { try? ResourceRecord(text: $0) }
        #expect(records.count == 6)
        for qtype in [RecordType.a, .aaaa, .ds, .dnskey, .cname] {
            var response = DNSMessage.query(id: 1, name: TestWorld.name("www.nsec.test."), type: qtype)
            response.answers = records
            response.authorities = records
            let question = Question(name: TestWorld.name("www.nsec.test."), type: qtype)
            let status = await validator(world).validate(response, question: question, lookup: world.net)
            #expect(status != .secure, "\(qtype)")
        }
    }
}
