// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Foundation
import Logging
import Testing

@testable import HanonServer

/// The writer's journal replay and its IXFR / status views, without a network.
@Suite struct ZoneUpdaterTests {
    @Test func replayFromTheFileSerialAndIXFRView() throws {
        let dir = try ServeTests.TempDir()
        let file = try dir.write("z", ServeTests.zoneText)
        var source = ZoneSource(name: "serve.test.", file: file)
        source.update = ZoneUpdateSettings(policy: UpdatePolicy(rules: []))
        let loaded = try ZoneLoader.load(source).get()
        // A journal with 1 -> 2 -> 3 written beforehand.
        let journalPath = dir.url.path + "/journal/serve.test.journal"
        try ZoneWriters.makeDirectory(of: journalPath)
        let journal = try ZoneJournal(path: journalPath)
        var zone = loaded.zone
        for (i, host) in ["a", "b"].enumerated() {
            let old = zone.soa
            var new = old
            if case .soa(var fields) = new.rdata {
                fields.serial = UInt32(i + 2)
                new.rdata = .soa(fields)
            }
            let diff = ZoneDiff(
                oldSOA: old, newSOA: new, deleted: [],
                added: [try ResourceRecord(text: "\(host) 60 IN A 192.0.2.\(i + 10)", origin: "serve.test.")])
            try journal.append(diff)
            zone = try zone.applying(diff)
        }
        let updater = ZoneUpdater(dataDirectory: dir.url.path, logger: Logger(label: "test"))
        let prepared = updater.prepare(loaded)
        #expect(prepared.zone.serial == 3)
        #expect(prepared.zone.rrset(at: "b.serve.test.", type: .a) != nil)
        #expect(updater.diffs(zone: "serve.test.", from: 2)?.map(\.toSerial) == [3])
        #expect(updater.diffs(zone: "serve.test.", from: 3) == [])
        #expect(updater.diffs(zone: "other.test.", from: 1) == nil)
        let status = updater.status()
        #expect(status.count == 1)
        #expect(status.first?.serial == 3)
        #expect(status.first?.pendingWrite == true)
        // The same load again (file unchanged) gets the current zone back, not a second replay.
        #expect(updater.prepare(prepared).zone === prepared.zone)
        // Written out, the file holds serial 3 and the journal stays for IXFR.
        updater.sync(force: true)
        let reread = try ZoneLoader.load(source).get()
        #expect(reread.zone.serial == 3)
        #expect(updater.status().first?.pendingWrite == false)
    }

    @Test func aZoneFileTheJournalDoesNotKnowWins() throws {
        let dir = try ServeTests.TempDir()
        let file = try dir.write("z", ServeTests.zoneText)
        var source = ZoneSource(name: "serve.test.", file: file)
        source.update = ZoneUpdateSettings(policy: UpdatePolicy(rules: []))
        let loaded = try ZoneLoader.load(source).get()
        let journalPath = dir.url.path + "/journal/serve.test.journal"
        try ZoneWriters.makeDirectory(of: journalPath)
        let journal = try ZoneJournal(path: journalPath)
        let soa = loaded.zone.soa
        var from = soa
        var to = soa
        if case .soa(var fields) = soa.rdata {
            fields.serial = 40
            from.rdata = .soa(fields)
            fields.serial = 41
            to.rdata = .soa(fields)
        }
        try journal.append(ZoneDiff(oldSOA: from, newSOA: to, deleted: [], added: []))
        let updater = ZoneUpdater(dataDirectory: dir.url.path, logger: Logger(label: "test"))
        #expect(updater.prepare(loaded).zone.serial == 1)
        #expect(try ZoneJournal(path: journalPath).entries.isEmpty)
    }
}
