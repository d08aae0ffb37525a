// SPDX-License-Identifier: Apache-2.0

import DNSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The append-only journal of one zone: every change (a ``ZoneDiff``) is
/// written here and fsynced before it is acknowledged (RFC 2136 §3.5: an
/// update is not complete until it is stable), replayed over the zone file
/// at start-up, and read back for IXFR (RFC 1995 §4).
///
/// The format is ``JournalCodec``'s. Opening a journal whose tail is torn
/// (a crash in the middle of an append) cuts the tail off, so the next
/// append follows the last intact record; a file that is not a journal at
/// all is moved aside to `PATH.corrupt` and a new journal is started.
///
/// Not thread-safe: the zone's single writer owns it and calls it under its
/// lock (hence `@unchecked Sendable`: the lock, not the type, keeps it safe).
public final class ZoneJournal: @unchecked Sendable {
    /// The journal file.
    public let path: String
    private var fd: Int32
    /// The diffs in the file, oldest first (kept in memory: journals stay
    /// small, they are compacted when the zone file is rewritten).
    public private(set) var entries: [ZoneDiff]
    /// Size of the file in bytes.
    public private(set) var size: Int
    /// What opening found and repaired, for the log (empty when nothing).
    public private(set) var repairs: [String] = []

    /// Opens (creating when absent) the journal at `path`.
    public init(path: String) throws(JournalError) {
        self.path = path
        let existing = try DurableFile.read(path)
        var decoded = JournalCodec.decode(existing ?? [])
        var repairs: [String] = []
        if let existing, !existing.isEmpty, !decoded.hasValidHeader {
            guard rename(path, path + ".corrupt") == 0 else { throw .system("cannot move aside", path) }
            repairs.append("\(path) is not a journal; moved to \(path).corrupt")
        }
        if existing == nil || !decoded.hasValidHeader {
            try DurableFile.replace(path, with: JournalCodec.fileMagic, mode: 0o600)
            decoded = JournalCodec.decode(JournalCodec.fileMagic)
        }
        let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("cannot open", path) }
        if decoded.hasTrailingGarbage {
            let total = existing?.count ?? 0
            guard ftruncate(fd, off_t(decoded.validLength)) == 0, fsync(fd) == 0 else {
                close(fd)
                throw .system("cannot truncate", path)
            }
            repairs.append(
                "\(path): dropped \(total - decoded.validLength) bytes of an incomplete or damaged record at offset \(decoded.validLength)"
            )
        }
        guard lseek(fd, off_t(decoded.validLength), SEEK_SET) >= 0 else {
            close(fd)
            throw .system("cannot seek in", path)
        }
        self.fd = fd
        self.entries = decoded.diffs
        self.size = decoded.validLength
        self.repairs = repairs
    }

    deinit { close(self.fd) }

    /// Appends `diff` and returns only once it is on disk (fdatasync). On a
    /// failed write the file is cut back, so it never keeps half a record.
    public func append(_ diff: ZoneDiff) throws(JournalError) {
        let record = JournalCodec.encodeRecord(diff)
        do throws(JournalError) {
            try DurableFile.writeAll(self.fd, record, path: self.path)
            guard fdatasync(self.fd) == 0 else { throw JournalError.system("cannot fsync", self.path) }
        } catch {
            _ = ftruncate(self.fd, off_t(self.size))
            _ = lseek(self.fd, off_t(self.size), SEEK_SET)
            throw error
        }
        self.size += record.count
        self.entries.append(diff)
    }

    /// The diffs as the file holds them now (read again from disk).
    public func read() throws(JournalError) -> [ZoneDiff] {
        JournalCodec.decode(try DurableFile.read(self.path) ?? []).diffs
    }

    /// The chain of diffs leading from `serial` to the newest, for IXFR
    /// (RFC 1995 §4); an empty array when `serial` is the newest; nil when
    /// the journal does not reach back to `serial` (answer with AXFR).
    public func diffs(from serial: UInt32) -> [ZoneDiff]? {
        Self.chain(self.entries, from: serial)
    }

    /// The serial after the newest diff, nil for an empty journal.
    public var lastSerial: UInt32? { self.entries.last?.toSerial }

    /// The diffs of `entries` from the one starting at `serial` to the end,
    /// each starting where the previous ended; nil when no chain from `serial` reaches the end.
    public static func chain(_ entries: [ZoneDiff], from serial: UInt32) -> [ZoneDiff]? {
        if entries.last?.toSerial == serial || entries.isEmpty { return entries.isEmpty ? nil : [] }
        // The last entry starting at `serial`: a serial can recur after a wrap.
        guard let start = entries.lastIndex(where: { $0.fromSerial == serial }) else { return nil }
        let tail = Array(entries[start...])
        for i in tail.indices.dropFirst() where tail[i].fromSerial != tail[i - 1].toSerial { return nil }
        return tail
    }

    /// Rewrites the journal without its oldest entries: entries whose change
    /// the zone file already holds (up to `zoneSerial`) are dropped while the
    /// file is larger than `maxBytes`; an entry the zone file does not hold is
    /// never dropped. The new file replaces the old atomically.
    public func compact(zoneSerial: UInt32, maxBytes: Int) throws(JournalError) {
        guard self.size > maxBytes, let covered = self.entries.lastIndex(where: { $0.toSerial == zoneSerial })
        else { return }
        var records = self.entries.map { JournalCodec.encodeRecord($0) }
        var total = JournalCodec.fileMagic.count + records.reduce(0) { $0 + $1.count }
        var drop = 0
        while drop <= covered, total > maxBytes {
            total -= records[drop].count
            drop += 1
        }
        guard drop > 0 else { return }
        records.removeFirst(drop)
        try self.rewrite(entries: Array(self.entries[drop...]), records: records)
    }

    /// Empties the journal (after a zone file whose serial the journal does not know).
    public func reset() throws(JournalError) {
        try self.rewrite(entries: [], records: [])
    }

    private func rewrite(entries: [ZoneDiff], records: [[UInt8]]) throws(JournalError) {
        var bytes = JournalCodec.fileMagic
        for record in records { bytes += record }
        try DurableFile.replace(self.path, with: bytes, mode: 0o600)
        let fd = Glibc.open(self.path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw .system("cannot open", self.path) }
        close(self.fd)
        self.fd = fd
        self.entries = entries
        self.size = bytes.count
    }
}
