// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh empty directory under /tmp.
func makeTemporaryDirectory() -> String {
    var template = Array("/tmp/hanon-journal-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
        guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
        return String(cString: result)
    }
    return made ?? "/tmp"
}

func record(_ text: String) -> ResourceRecord {
    (try? ResourceRecord(text: text, origin: "example."))
        ?? ResourceRecord(name: .root, ttl: 0, rdata: .unknown(RecordType(65280), RDATA.Opaque(bytes: [])))
}

func soa(_ serial: UInt32) -> ResourceRecord {
    record("@ 300 IN SOA ns1 hostmaster \(serial) 7200 3600 1209600 300")
}

/// Diffs 1→2, 2→3, …: each adds a host and deletes the previous one.
func diffChain(_ count: Int, from first: UInt32 = 1) -> [ZoneDiff] {
    (0..<count).map { i in
        let from = first &+ UInt32(i)
        return ZoneDiff(
            oldSOA: soa(from), newSOA: soa(from &+ 1),
            deleted: i == 0 ? [] : [record("h\(i - 1) 300 IN A 192.0.2.\(i % 250)")],
            added: [
                record("h\(i) 300 IN A 192.0.2.\((i + 1) % 250)"), record("h\(i) 300 IN TXT \"change \(i)\""),
            ])
    }
}

@Suite("Zone journal")
struct ZoneJournalTests {
    @Test("append, reopen, read: the same diffs in order")
    func roundTrip() throws {
        let path = makeTemporaryDirectory() + "/example.journal"
        let diffs = diffChain(20)
        do {
            let journal = try ZoneJournal(path: path)
            #expect(journal.entries.isEmpty)
            for diff in diffs { try journal.append(diff) }
            #expect(try journal.read() == diffs)
        }
        let reopened = try ZoneJournal(path: path)
        #expect(reopened.entries == diffs)
        #expect(reopened.repairs.isEmpty)
        #expect(reopened.lastSerial == 21)
    }

    @Test("diffs(from:) gives the chain to the newest, [] when current, nil when too old")
    func ixfrChains() throws {
        let path = makeTemporaryDirectory() + "/example.journal"
        let journal = try ZoneJournal(path: path)
        #expect(journal.diffs(from: 1) == nil)
        for diff in diffChain(5, from: 10) { try journal.append(diff) }
        #expect(journal.diffs(from: 12)?.map(\.fromSerial) == [12, 13, 14])
        #expect(journal.diffs(from: 15) == [])
        #expect(journal.diffs(from: 9) == nil)
        #expect(journal.diffs(from: 10)?.count == 5)
    }

    @Test("a chain across the serial wrap (RFC 1982)")
    func wrap() {
        let diffs = diffChain(4, from: UInt32.max - 1)
        #expect(ZoneJournal.chain(diffs, from: UInt32.max)?.map(\.toSerial) == [0, 1, 2])
    }

    @Test("a torn tail at every offset: intact records kept, the rest dropped, later appends readable")
    func tornTail() throws {
        let diffs = diffChain(3)
        var bytes = JournalCodec.fileMagic
        var ends: [Int] = []
        for diff in diffs {
            bytes += JournalCodec.encodeRecord(diff)
            ends.append(bytes.count)
        }
        for cut in 0...bytes.count {
            let decoded = JournalCodec.decode(Array(bytes[0..<cut]))
            let whole = ends.filter { $0 <= cut }.count
            #expect(decoded.diffs == Array(diffs.prefix(whole)), "cut at \(cut)")
        }
        // On disk: a torn file is cut back when opened, and appends follow the intact part.
        let dir = makeTemporaryDirectory()
        for cut in [ends[0] + 1, ends[1] - 1, ends[1] + 7] {
            let path = dir + "/torn\(cut).journal"
            try DurableFile.replace(path, with: Array(bytes[0..<cut]))
            let journal = try ZoneJournal(path: path)
            let kept = ends.filter { $0 <= cut }.count
            #expect(journal.entries.count == kept)
            #expect(journal.repairs.count == 1)
            try journal.append(diffs[kept])
            #expect(try ZoneJournal(path: path).entries == Array(diffs.prefix(kept + 1)))
        }
    }

    @Test("a flipped bit anywhere never yields a changed diff")
    func bitFlips() {
        let diffs = diffChain(2)
        var bytes = JournalCodec.fileMagic
        for diff in diffs { bytes += JournalCodec.encodeRecord(diff) }
        for offset in stride(from: 0, to: bytes.count, by: 3) {
            var damaged = bytes
            damaged[offset] ^= 0x10
            let decoded = JournalCodec.decode(damaged)
            // Whatever survives is an unchanged prefix of the original.
            #expect(decoded.diffs == Array(diffs.prefix(decoded.diffs.count)), "flip at \(offset)")
            #expect(decoded.diffs.count < 2)
        }
    }

    @Test("random bytes never crash and never decode", arguments: 0..<200)
    func garbage(seed: Int) {
        var generator = SplitMix(seed: UInt64(seed))
        let length = Int(generator.next() % 600)
        var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        if seed % 2 == 0 { bytes = JournalCodec.fileMagic + bytes }
        let decoded = JournalCodec.decode(bytes)
        #expect(decoded.diffs.isEmpty)
        #expect(decoded.hasValidHeader == (seed % 2 == 0))
    }

    @Test("a file that is not a journal is moved aside, a new one started")
    func notAJournal() throws {
        let path = makeTemporaryDirectory() + "/bad.journal"
        try DurableFile.replace(path, with: Array("this is not a journal".utf8))
        let journal = try ZoneJournal(path: path)
        #expect(journal.entries.isEmpty)
        #expect(journal.repairs.first?.contains(".corrupt") == true)
        #expect(try DurableFile.read(path + ".corrupt") == Array("this is not a journal".utf8))
    }

    @Test("compaction drops only entries the zone file holds, and only over the size limit")
    func compaction() throws {
        let path = makeTemporaryDirectory() + "/example.journal"
        let journal = try ZoneJournal(path: path)
        let diffs = diffChain(10)
        for diff in diffs { try journal.append(diff) }
        let full = journal.size
        try journal.compact(zoneSerial: 6, maxBytes: full)  // under the limit: nothing
        #expect(journal.entries.count == 10)
        try journal.compact(zoneSerial: 6, maxBytes: 0)  // drops 1→2 … 5→6, keeps 6→7 on
        #expect(journal.entries.map(\.fromSerial) == [6, 7, 8, 9, 10])
        #expect(try ZoneJournal(path: path).entries == Array(diffs[5...]))
        try journal.compact(zoneSerial: 3, maxBytes: 0)  // the zone file is behind: keep all
        #expect(journal.entries.count == 5)
        try journal.append(diffChain(1, from: 11)[0])
        #expect(try ZoneJournal(path: path).entries.count == 6)
        try journal.reset()
        #expect(try ZoneJournal(path: path).entries.isEmpty)
    }
}

/// A small deterministic generator for test inputs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
