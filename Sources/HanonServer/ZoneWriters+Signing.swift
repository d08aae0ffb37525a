// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSSEC
import DNSZone
import Logging
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Zones hanon signs (`dnssec`), in the update writer: signed whole when
/// their source is (re)loaded, incrementally on updates, refreshed before
/// their signatures expire. Every change goes through the journal, IXFR and
/// NOTIFY as an update does.
///
/// The zone file stays the unsigned source. On load, the journal's changes
/// since the file's serial are replayed without their signer records; the
/// signed zone as last served is kept when it still fits the result, keys
/// and settings (ZoneWriters+Restore.swift); otherwise the result is signed
/// whole, its serial moved past anything served before
/// (the signatures are new, so secondaries must see a new version), and a
/// journal entry bridges from the replayed serial to the signed one (so the
/// next start replays the unsigned changes still not in the file). IXFR
/// history starts at the signed serial: older versions had other signatures.
extension ZoneWriters {
    /// A zone no one may update: a signed zone still needs a writer for its refreshes.
    static let noUpdates = ZoneUpdateSettings(policy: UpdatePolicy(rules: []))

    /// ``prepare(_:)`` for every zone: a zone with `dnssec` is signed; one
    /// that cannot be (keys unreadable, key directory not writable) fails.
    mutating func admit(_ loaded: LoadedZone) -> Result<LoadedZone, ZoneLoadError> {
        guard let dnssec = loaded.source.dnssec else { return .success(self.prepare(loaded)) }
        return self.prepareSigned(loaded, dnssec)
    }

    private mutating func prepareSigned(
        _ loaded: LoadedZone, _ settings: ZoneDNSSECSettings
    ) -> Result<LoadedZone, ZoneLoadError> {
        let name = loaded.source.name
        let prefix = loaded.source.errorPrefix
        let updates = loaded.source.update ?? Self.noUpdates
        var result = loaded
        // The same file and settings: the zone as it is signed now.
        if var writer = self.zones[name], writer.signing?.settings == settings,
            writer.fileZone === loaded.zone || writer.prepared === loaded.zone
        {
            writer.source = loaded.source
            writer.settings = updates
            writer.prepared = writer.current
            self.zones[name] = writer
            result.zone = writer.current
            return .success(result)
        }
        var journal: ZoneJournal? = nil
        if loaded.source.text == nil {
            let path = self.journalPath(for: loaded.source)
            do {
                journal = try self.openJournal(name, path: path)
            } catch {
                return .failure(ZoneLoadError(zone: name, messages: [prefix + "journal: \(error)"]))
            }
        }
        // The unsigned source: the file and the journalled changes since its serial.
        var unsigned: Zone
        do {
            unsigned = try ZoneSigning.unsigned(loaded.zone)
        } catch {
            return .failure(ZoneLoadError(zone: name, messages: [prefix + "\(error)"]))
        }
        let fileUnsigned = unsigned
        var replayError: String? = nil
        var contentReplayed = false
        let chain = journal?.diffs(from: unsigned.serial)
        for diff in chain ?? [] {
            let stripped = ZoneSigning.unsigned(diff, origin: name)
            do {
                unsigned = try unsigned.applying(stripped)
                contentReplayed = contentReplayed || !stripped.isEmpty
            } catch {
                // Logged if the zone is signed whole: a zone file edited at a serial the
                // journal knows may hold the entry already (the signed copy tells).
                replayError = "zone \(name): journal entry \(diff.fromSerial) -> \(diff.toSerial): \(error)"
                break
            }
        }
        let keysExisted = (try? KeyStore.load(zone: name, directory: settings.keyDirectory))?.isEmpty == false
        let fileDigest = SignedZoneStore.sourceDigest(ZoneSigning.unsignedRecords(of: fileUnsigned))
        // The signed zone as last served, when it still fits (ZoneWriters+Restore).
        let now = ZoneSigning.now()
        let keySet: ZoneKeySet
        let signed: (zone: Zone, signing: ZoneSigning)
        var serial = unsigned.serial
        do {
            keySet = try KeyDirectory.currentKeySet(
                zone: name, directory: settings.keyDirectory, policy: settings.keyPolicy, now: now)
            if let journal,
                let restored = self.restoreSigned(
                    name, file: fileUnsigned, fileDigest: fileDigest, source: unsigned, settings: settings,
                    keySet: keySet, journal: journal, serialPolicy: updates.serialPolicy, now: now),
                self.adoptRestored(restored, loaded: loaded, updates: updates, journal: journal, fileDigest: fileDigest)
            {
                result.zone = restored.zone
                return .success(result)
            }
            if let replayError { self.logger.error("\(replayError)") }
            // Past every serial served before: this run's, the journal's, the signed
            // copy's, or (keys already there: signed before) the file's.
            let copySerial = journal.flatMap { SignedZoneStore.serial(at: SignedZoneStore.path(journal: $0.path)) }
            let last = self.zones[name]?.current.serial ?? Self.newest(journal?.entries.last?.toSerial, copySerial)
            if let previous = last ?? (keysExisted ? serial : nil), !SerialPolicy.isGreater(serial, than: previous) {
                serial = updates.serialPolicy.next(after: previous, now: Int64(now))
            }
            signed = try ZoneSigning.signWhole(unsigned, serial: serial, settings: settings, keys: keySet, now: now)
        } catch {
            return .failure(ZoneLoadError(zone: name, messages: [prefix + "DNSSEC: \(error)"]))
        }
        // Keys made while still root stay readable after the drop to `user`.
        var keyPaths = [settings.keyDirectory]
        for key in signed.signing.keySet.published {
            let base =
                settings.keyDirectory + "/"
                + KeyStore.baseName(zone: key.zone, algorithm: key.algorithm, keyTag: key.keyTag)
            keyPaths += [base + ".key", base + ".private"]
        }
        Self.giveToOwner(self.owner, paths: keyPaths)
        if let journal {
            do {
                // A file the journal does not lead on from (edited by hand) wins.
                if chain == nil && !journal.entries.isEmpty { try journal.reset() }
                // A journal entry from the replayed serial to the signed one (SOA
                // only): the next start replays the unsigned changes through it.
                if unsigned.serial != serial {
                    try journal.append(ZoneDiff(oldSOA: unsigned.soa, newSOA: signed.zone.soa, deleted: [], added: []))
                }
            } catch {
                return .failure(ZoneLoadError(zone: name, messages: [prefix + "journal: \(error)"]))
            }
            self.zones[name] = Writer(
                source: loaded.source, settings: updates, journal: journal, fileZone: loaded.zone,
                current: signed.zone, prepared: signed.zone, changedAt: contentReplayed ? .now : nil,
                signing: signed.signing, sourceChanged: contentReplayed,
                nextRefresh: signed.signing.nextRefresh(of: signed.zone), signedSerial: serial,
                sourceDigest: fileDigest)
            self.storeSignedCopy(name)
        }
        let keys = signed.signing.keySet.published.map { "\($0.keyTag)" }.joined(separator: ", ")
        self.logger.info("zone \(name): signed, serial \(serial), keys \(keys)")
        result.zone = signed.zone
        return .success(result)
    }

    /// Re-signs, in every signed zone whose time has come, the RRsets whose
    /// signatures expire within the refresh time, as one change (new serial,
    /// journal, IXFR, NOTIFY).
    mutating func refreshSignatures(handler: AuthorityHandler, now: UInt32 = ZoneSigning.now()) {
        for (name, var writer) in self.zones {
            guard let signing = writer.signing, let due = writer.nextRefresh, due <= now else { continue }
            let serialPolicy = writer.settings.serialPolicy
            do {
                guard
                    let refreshed = try signing.refresh(
                        writer.current, serialPolicy: { serialPolicy.next(after: $0, now: Int64(now)) }, now: now)
                else {
                    writer.nextRefresh = signing.nextRefresh(of: writer.current)
                    self.zones[name] = writer
                    continue
                }
                let (zone, diff) = (refreshed.zone, refreshed.diff)
                try writer.journal.append(diff)
                writer.current = zone
                writer.changedAt = writer.changedAt ?? .now
                writer.nextRefresh = signing.nextRefresh(of: zone)
                self.zones[name] = writer
                handler.replaceZone(zone.origin, with: zone)
                handler.transfers.zoneChanged(zone.origin, diff: diff, new: zone)
                self.logger.info(
                    "zone \(name): \(diff.added.count) signatures refreshed, serial \(zone.serial)")
            } catch {
                // Tried again in a minute; the old signatures serve until then.
                writer.nextRefresh = now &+ 60
                self.zones[name] = writer
                self.logger.error("zone \(name): signature refresh: \(error)")
            }
        }
    }
}

/// Refreshes signatures once a second when due (the check is one comparison per signed zone).
struct SignatureRefreshService: Service {
    let updater: ZoneUpdater
    let handler: AuthorityHandler

    /// Seconds between two runs of the key lifecycle when no step is due
    /// (`hanon dnssec ds-seen` and `rollover` are picked up within this time).
    static let keyCheckInterval = 60

    func run() async {
        var seconds = 0
        // Shorter while a new DS is awaited at a parent asked more often (parent-ds-check-interval).
        var interval = Self.keyCheckInterval
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .seconds(1))
            self.updater.refreshSignatures(handler: self.handler)
            seconds += 1
            let due = self.updater.serialized { $0.keyChangeDue(now: ZoneSigning.now()) }
            if due || seconds >= interval {
                seconds = 0
                interval = await KeyCheckStep(updater: self.updater, handler: self.handler).run()
            }
        }
    }
}
