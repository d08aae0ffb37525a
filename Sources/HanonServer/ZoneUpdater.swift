// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import DNSZone
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Dynamic updates (RFC 2136) for the zones that allow them: one writer for
/// all of them, so updates to a zone are applied one after another, and a
/// reload (which holds the same lock, see ``serialized(_:)``) never loses one.
///
/// An update is applied to the serving zone, appended to the zone's journal
/// and fsynced, and only then swapped in and answered (RFC 2136 §3.5). The
/// zone file is rewritten from the served zone (canonical form, atomic
/// rename) once the zone has been quiet for its `zonefile-sync` time, and at
/// shutdown; the journal is then compacted.
///
/// The handler runs on the event loop, so the fsync blocks that loop's other
/// requests for its duration (a few milliseconds on an SSD).
final class ZoneUpdater: Sendable {
    private let writers: Mutex<ZoneWriters>

    /// `owner`: the user hanon drops to after binding (`user = ...`); journal
    /// directories and files created while still root are given to it.
    init(dataDirectory: String?, owner: String? = nil, logger: Logger) {
        self.writers = Mutex(ZoneWriters(dataDirectory: dataDirectory, owner: owner, logger: logger))
    }

    /// Runs `body` holding the writer lock (reloads do, so no update slips between their read and swap).
    func serialized<T>(_ body: (inout ZoneWriters) -> T) -> T {
        self.writers.withLock { body(&$0) }
    }

    /// Prepares a freshly loaded zone (see ``ZoneWriters/prepare(_:)``).
    func prepare(_ loaded: LoadedZone) -> LoadedZone {
        self.writers.withLock { $0.prepare(loaded) }
    }

    /// Prepares a freshly loaded zone, signing it when it has `dnssec` (see
    /// ``ZoneWriters/admit(_:)``); a zone that cannot be signed is not served.
    func admit(_ loaded: LoadedZone) -> Result<LoadedZone, ZoneLoadError> {
        self.writers.withLock { $0.admit(loaded) }
    }

    /// Refreshes the signatures that are due in every signed zone (see
    /// ``ZoneWriters/refreshSignatures(handler:now:)``).
    func refreshSignatures(handler: AuthorityHandler) {
        self.writers.withLock { $0.refreshSignatures(handler: handler) }
    }

    /// Answers one UPDATE request. `keyName` is the TSIG key the request was
    /// signed with, once a TSIG layer has verified it (nil: unsigned).
    func handle(
        _ request: ByteBuffer, client: ClientIP, keyName: DomainName? = nil, handler: AuthorityHandler
    ) -> ByteBuffer? {
        self.writers.withLock { $0.handle(request, client: client, keyName: keyName, handler: handler) }
    }

    /// The journalled changes of `zone` from `serial` to now, for IXFR
    /// (RFC 1995 §4): nil when the journal does not reach back that far (or
    /// the zone takes no updates), so the transfer falls back to AXFR.
    func diffs(zone: DomainName, from serial: UInt32) -> [ZoneDiff]? {
        self.writers.withLock { $0.zones[zone]?.journal.diffs(from: serial) }
    }

    /// Every journalled change of each updatable zone, oldest first: the
    /// IXFR history a restart starts from.
    func journalHistory() -> [DomainName: [ZoneDiff]] {
        self.writers.withLock { writers in
            writers.zones.mapValues { writer in
                let diffs = (try? writer.journal.read()) ?? []
                // A signed zone: versions before its last whole signing had other signatures.
                guard let base = writer.signedSerial else { return diffs }
                return Array(diffs.drop { $0.fromSerial != base })
            }
        }
    }

    /// Per updatable zone: serial served, journal size in bytes, and whether
    /// changes wait to be written to the zone file (for a status command).
    func status() -> [ZoneUpdateStatus] {
        self.writers.withLock { writers in
            writers.zones.values.map {
                ZoneUpdateStatus(
                    zone: $0.source.name, serial: $0.current.serial, journalBytes: $0.journal.size,
                    pendingWrite: $0.changedAt != nil, lastUpdate: $0.lastUpdate)
            }.sorted { $0.zone.description < $1.zone.description }
        }
    }

    /// Rewrites the zone files that have been quiet long enough (all changed ones with `force`).
    func sync(force: Bool) {
        self.writers.withLock { $0.sync(force: force) }
    }
}

/// The state behind ``ZoneUpdater``'s lock.
struct ZoneWriters: Sendable {
    /// One updatable zone.
    struct Writer: Sendable {
        var source: ZoneSource
        var settings: ZoneUpdateSettings
        var journal: ZoneJournal
        /// The zone as loaded from its file (to recognise an unchanged reload).
        var fileZone: Zone
        /// The zone serving now (file plus journal).
        var current: Zone
        /// The zone ``ZoneWriters/prepare(_:)`` last returned: a reload that
        /// finds the zone file unchanged hands it back.
        var prepared: Zone
        /// When the last change not yet in the zone file was made.
        var changedAt: ContinuousClock.Instant?
        /// The last update applied (nil: none since start).
        var lastUpdate: ContinuousClock.Instant? = nil
        /// For a zone hanon signs: keys, settings, chain.
        var signing: ZoneSigning? = nil
        /// A signed zone: its unsigned content changed since the zone file
        /// was written (a signature refresh alone does not rewrite the file).
        var sourceChanged = false
        /// A signed zone: when its next signature falls due for refresh (seconds since 1970).
        var nextRefresh: UInt32? = nil
        /// A signed zone: the serial it was last signed whole at; IXFR history starts there.
        var signedSerial: UInt32? = nil
        /// A signed zone: the checksum of its unsigned source as the zone file holds it (SignedZoneStore).
        var sourceDigest: UInt64? = nil
    }

    let dataDirectory: String?
    let owner: String?
    let logger: Logger
    var zones: [DomainName: Writer] = [:]
    /// Journals kept beyond what the zone file holds, for IXFR.
    static let journalMaxBytes = 1 << 20

    init(dataDirectory: String?, owner: String?, logger: Logger) {
        self.dataDirectory = dataDirectory
        self.owner = owner
        self.logger = logger
    }

    /// Where the journal of `source` lives: `DATA/journal/ZONE.journal`, or
    /// beside the zone file (BIND's `FILE.jnl` habit) when there is no data directory.
    func journalPath(for source: ZoneSource) -> String {
        var name = source.name.description
        if name.hasSuffix(".") { name.removeLast() }
        if name.isEmpty { name = "root" }
        name = String(name.map { $0 == "/" ? "_" : $0 })
        guard let data = self.dataDirectory else { return source.file + ".journal" }
        return data + "/journal/" + name + ".journal"
    }

    /// For a zone that allows updates: the zone file's content with the
    /// journal replayed over it (the diffs from the file's serial on). A zone
    /// file the journal does not lead on from (edited by hand, serial not in
    /// the journal) wins, and the journal starts again. Other zones pass through.
    mutating func prepare(_ loaded: LoadedZone) -> LoadedZone {
        let name = loaded.source.name
        guard let settings = loaded.source.update, loaded.source.text == nil else {
            self.zones[name] = nil
            return loaded
        }
        if var writer = self.zones[name], writer.fileZone === loaded.zone || writer.prepared === loaded.zone {
            writer.source = loaded.source
            writer.settings = settings
            writer.prepared = writer.current
            self.zones[name] = writer
            var result = loaded
            result.zone = writer.current
            return result
        }
        let path = self.journalPath(for: loaded.source)
        let journal: ZoneJournal
        do {
            journal = try self.openJournal(name, path: path)
        } catch {
            self.logger.error("zone \(name): \(error); dynamic updates are off for this zone")
            self.zones[name] = nil
            return loaded
        }
        for repair in journal.repairs { self.logger.warning("zone \(name): \(repair)") }
        var zone = loaded.zone
        let fileSerial = zone.serial
        if let chain = journal.diffs(from: fileSerial) {
            for diff in chain {
                do {
                    zone = try zone.applying(diff)
                } catch {
                    self.logger.error("zone \(name): journal entry \(diff.fromSerial) -> \(diff.toSerial): \(error)")
                    break
                }
            }
            if !chain.isEmpty {
                self.logger.info("zone \(name): \(chain.count) journal entries replayed, serial \(zone.serial)")
            }
        } else if !journal.entries.isEmpty {
            self.logger.warning(
                "zone \(name): the zone file's serial \(fileSerial) is not in the journal (changed by hand?); the file wins and the journal starts again"
            )
            do { try journal.reset() } catch { self.logger.error("zone \(name): \(error)") }
        }
        let changed: ContinuousClock.Instant? = zone === loaded.zone ? nil : .now
        self.zones[name] = Writer(
            source: loaded.source, settings: settings, journal: journal, fileZone: loaded.zone, current: zone,
            prepared: zone, changedAt: changed)
        var result = loaded
        result.zone = zone
        return result
    }

    /// One UPDATE: parse, process, journal (fsync), swap, answer. `policy`
    /// replaces the zone's `allow-update` rules for an update hanon makes
    /// itself (the dyndns2 endpoint, DDNSZoneAdapter.swift).
    mutating func handle(
        _ request: ByteBuffer, client: ClientIP, keyName: DomainName?, handler: AuthorityHandler,
        policy: UpdatePolicy? = nil
    ) -> ByteBuffer? {
        let message: DNSMessage
        do {
            message = try DNSMessage(wire: request)
        } catch {
            return DNSMessage.formatErrorResponse(to: request)?.serialize()
        }
        let zoneSection = UpdateProcessor.zoneSection(of: message)
        func answer(_ rcode: RCode) -> ByteBuffer {
            UpdateProcessor.response(
                to: message.header, zone: zoneSection, rcode: rcode, requestHadEDNS: message.edns != nil
            ).serialize()
        }
        guard let zoneSection else { return answer(.formErr) }
        // TSIG is verified by the TSIG layer, which passes the key's name: a
        // signed update that arrives without one was not verified, so it is
        // refused as unverifiable (RFC 8945 §5.2).
        if keyName == nil, message.additionals.contains(where: { $0.type == .tsig }) {
            self.logger.notice("update \(zoneSection.name) from \(client): TSIG not verified here yet; NOTAUTH")
            return answer(.notAuth)
        }
        guard var writer = self.zones[zoneSection.name] else {
            let served = handler.processor.zones.zone(for: zoneSection.name)?.origin == zoneSection.name
            self.logger.info(
                "update \(zoneSection.name) from \(client): \(served ? "updates not allowed; REFUSED" : "not a zone served here; NOTAUTH")"
            )
            return answer(served ? .refused : .notAuth)
        }
        let started = ContinuousClock.now
        let outcome = UpdateProcessor.process(
            message, zone: writer.current, requester: UpdateRequester(address: client, keyName: keyName),
            policy: policy ?? writer.settings.policy, serialPolicy: writer.settings.serialPolicy, now: Int64(time(nil)),
            signed: writer.signing != nil)
        guard var diff = outcome.diff, var zone = outcome.zone else {
            self.logger.info("update \(zoneSection.name) from \(client): \(outcome.rcode): \(outcome.reason)")
            return answer(outcome.rcode)
        }
        var signingTime = ""
        if var signing = writer.signing {
            // RFC 4035 §2: the changed RRsets, the SOA and the chain around them signed anew.
            let processed = ContinuousClock.now
            do {
                let signed = try signing.signUpdate(diff, before: writer.current, after: zone)
                (zone, diff) = (signed.zone, signed.diff)
                signingTime =
                    "; processed in \(Self.milliseconds(processed - started)) ms, signed in \(Self.milliseconds(signed.signing)) ms, zone rebuilt in \(Self.milliseconds(.now - processed - signed.signing)) ms"
            } catch {
                self.logger.error(
                    "update \(zoneSection.name) from \(client): signing: \(error); SERVFAIL, the zone is unchanged")
                return answer(.servFail)
            }
            writer.signing = signing
            writer.sourceChanged = true
        }
        do {
            try writer.journal.append(diff)
        } catch {
            self.logger.error("update \(zoneSection.name) from \(client): \(error); SERVFAIL, the zone is unchanged")
            return answer(.servFail)
        }
        writer.current = zone
        writer.changedAt = .now
        writer.lastUpdate = writer.changedAt
        self.zones[zoneSection.name] = writer
        handler.replaceZone(zone.origin, with: zone)
        handler.transfers.zoneChanged(zone.origin, diff: diff, new: zone)
        self.logger.info("update \(zoneSection.name) from \(client): \(outcome.reason)\(signingTime)")
        return answer(.noError)
    }

    /// A duration in whole milliseconds, for the log.
    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    /// Forgets the zones not in `names` (removed from the config), writing
    /// their zone files first when they have changes not yet there.
    mutating func retain(only names: Set<DomainName>) {
        let gone = self.zones.keys.filter { !names.contains($0) }
        guard !gone.isEmpty else { return }
        self.sync(force: true, only: Set(gone))
        for name in gone { self.zones[name] = nil }
    }

    /// Writes the zone files of zones changed and quiet for their `zonefile-sync` time (or all changed ones).
    mutating func sync(force: Bool, only names: Set<DomainName>? = nil) {
        let now = ContinuousClock.now
        for (name, var writer) in self.zones where names?.contains(name) ?? true {
            guard let changedAt = writer.changedAt, force || now - changedAt >= writer.settings.zonefileSync else {
                continue
            }
            let zone = writer.current
            // A signed zone: its copy first, as the journal before it may be compacted away.
            if writer.signing != nil { self.storeSignedCopy(name, &writer) }
            if writer.signing != nil && !writer.sourceChanged {
                // Only signatures changed: the zone file (unsigned) holds the content already.
                writer.changedAt = nil
                do {
                    try writer.journal.compact(zoneSerial: zone.serial, maxBytes: Self.journalMaxBytes)
                } catch {
                    self.logger.error("zone \(name): \(error)")
                }
                self.zones[name] = writer
                continue
            }
            var records: [ResourceRecord] = []
            var header = "; zone \(name) serial \(zone.serial), written by hanon after dynamic updates\n"
            if writer.signing != nil {
                // The unsigned source: hanon signs it (dnssec = true); signatures never go into the file.
                records = ZoneSigning.unsignedRecords(of: zone)
                header += "; the unsigned source: hanon signs this zone when serving it (dnssec)\n"
            } else {
                for set in zone.allRRSets {
                    records += set.records(dnsClass: zone.dnsClass)
                    records += set.signatureRecords(dnsClass: zone.dnsClass)
                }
            }
            let text = header + ZoneWriter.format(records)
            do {
                try DurableFile.replace(writer.source.file, with: Array(text.utf8))
                writer.changedAt = nil
                writer.sourceChanged = false
                try writer.journal.compact(zoneSerial: zone.serial, maxBytes: Self.journalMaxBytes)
                self.logger.info("zone \(name): zone file \(writer.source.file) written at serial \(zone.serial)")
            } catch {
                self.logger.error("zone \(name): \(error); the journal keeps the changes")
            }
            self.zones[name] = writer
        }
    }

    /// Running as root and about to drop to `owner`: hands `paths` to that
    /// user, so journal appends, compactions and resets work after the drop.
    static func giveToOwner(_ owner: String?, paths: [String]) {
        guard let owner, geteuid() == 0, let entry = getpwnam(owner) else { return }
        for path in paths where !path.isEmpty {
            _ = chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
    }

    /// Creates the directory of `path` (and its parent) when missing, durably.
    static func makeDirectory(of path: String) throws {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        let directory = String(path[..<slash])
        var info = stat()
        if stat(directory, &info) == 0 { return }
        try makeDirectory(of: directory)
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
            throw JournalError("cannot create directory \(directory): \(String(cString: strerror(errno)))")
        }
        try DurableFile.syncDirectory(of: directory)
    }
}

/// Rewrites changed zone files once they are quiet, and all of them at shutdown.
struct ZoneFileSyncService: Service {
    let updater: ZoneUpdater

    func run() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .milliseconds(500))
            self.updater.sync(force: false)
        }
    }
}

/// One updatable zone as `hanon zone status` shows it.
struct ZoneUpdateStatus: Sendable {
    var zone: DomainName
    var serial: UInt32
    var journalBytes: Int
    var pendingWrite: Bool
    var lastUpdate: ContinuousClock.Instant?
}

extension ZoneWriters {
    /// The zone's journal at `path`: the one already open for the zone, or
    /// opened now (its directory made, and given to the configured user
    /// when the directory is hanon's own, in the data directory).
    func openJournal(_ name: DomainName, path: String) throws -> ZoneJournal {
        if let existing = self.zones[name]?.journal, existing.path == path { return existing }
        try Self.makeDirectory(of: path)
        let journal = try ZoneJournal(path: path)
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        Self.giveToOwner(self.owner, paths: self.dataDirectory == nil ? [path] : [directory, path])
        return journal
    }
}
