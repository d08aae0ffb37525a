// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSSEC
import DNSZone
import Foundation
import Logging
import Testing

@testable import HanonServer

/// `dnssec` zones in the update writer, without a network: signed on load,
/// keys kept and reused, the zone file left unsigned, a key directory that
/// cannot be used failing the zone.
@Suite struct ZoneSigningTests {
    func source(_ dir: ServeTests.TempDir, denial: SigningPolicy.Denial = .nsec) throws -> ZoneSource {
        let file = try dir.write("z", ServeTests.zoneText)
        var source = ZoneSource(name: "serve.test.", file: file)
        source.update = ZoneUpdateSettings(policy: UpdatePolicy(rules: []))
        source.dnssec = ZoneDNSSECSettings(
            denial: denial, keyDirectory: KeyDirectory.path(data: dir.url.path, zone: "serve.test."))
        return source
    }

    @Test(arguments: [SigningPolicy.Denial.nsec, .nsec3()])
    func signedOnLoadKeysReusedAfterRestart(denial: SigningPolicy.Denial) throws {
        let dir = try ServeTests.TempDir()
        let source = try self.source(dir, denial: denial)
        let first = try ZoneUpdater(dataDirectory: dir.url.path, logger: Logger(label: "test"))
            .admit(try ZoneLoader.load(source).get()).get()
        let keys = try #require(first.zone.rrset(at: "serve.test.", type: .dnskey))
        #expect(keys.rdata.count == 1 && !keys.signatures.isEmpty)
        #expect(first.zone.rrset(at: "serve.test.", type: .cds) != nil)
        #expect(first.zone.rrset(at: "serve.test.", type: .cdnskey) != nil)
        #expect(first.zone.rrset(at: "www.serve.test.", type: .a)?.signatures.isEmpty == false)
        #expect(first.zone.serial == 1)
        let directory = KeyDirectory.path(data: dir.url.path, zone: "serve.test.")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        for file in files where file.hasSuffix(".private") {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
        // One CSK (its .key and .private files) and the lifecycle's state file.
        #expect(files.filter { $0.hasSuffix(".key") || $0.hasSuffix(".private") }.count == 2, "\(files)")
        #expect(files.contains { $0.hasSuffix(".state") }, "\(files)")

        // A restart: the same key, the signed zone kept (serial and signatures), the file untouched.
        let second = try ZoneUpdater(dataDirectory: dir.url.path, logger: Logger(label: "test"))
            .admit(try ZoneLoader.load(source).get()).get()
        #expect(second.zone.rrset(at: "serve.test.", type: .dnskey)?.rdata == keys.rdata)
        #expect(second.zone.serial == 1)
        #expect(Set(second.zone.allRecords) == Set(first.zone.allRecords))
        #expect(try String(contentsOfFile: source.file, encoding: .utf8) == ServeTests.zoneText)
        // Without the signed copy: signed whole, past the serial it had.
        try FileManager.default.removeItem(atPath: dir.url.path + "/journal/serve.test.signed")
        let third = try ZoneUpdater(dataDirectory: dir.url.path, logger: Logger(label: "test"))
            .admit(try ZoneLoader.load(source).get()).get()
        #expect(third.zone.serial == 2)
        // And again: the journal's bridge entry and the new copy carry it on.
        let fourth = try ZoneUpdater(dataDirectory: dir.url.path, logger: Logger(label: "test"))
            .admit(try ZoneLoader.load(source).get()).get()
        #expect(fourth.zone.serial == 2)
    }

    @Test func unusableKeyDirectoryFailsTheZone() throws {
        let dir = try ServeTests.TempDir()
        let source = try self.source(dir)
        try FileManager.default.createDirectory(atPath: dir.url.path + "/keys", withIntermediateDirectories: true)
        try "x".write(toFile: dir.url.path + "/keys/serve.test", atomically: true, encoding: .utf8)
        let result = ZoneUpdater(dataDirectory: dir.url.path, logger: Logger(label: "test"))
            .admit(try ZoneLoader.load(source).get())
        guard case .failure(let error) = result else {
            Issue.record("loaded")
            return
        }
        #expect(error.description.contains("DNSSEC:") && error.description.contains("is not a directory"))
    }

    @Test func signerRecordsAreNotSource() throws {
        let zone = try Zone(
            ZoneFileParser.parse(
                text: ServeTests.zoneText + "@ DNSKEY 257 3 13 AAAA\n@ NSEC3PARAM 1 0 0 -\nwww NSEC serve.test. A\n",
                origin: "serve.test."))
        let records = ZoneSigning.unsignedRecords(of: zone)
        #expect(records.map(\.type.rawValue).sorted() == [RecordType.a, .ns, .soa, .a].map(\.rawValue).sorted())
    }
}
