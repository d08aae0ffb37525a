// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSSEC
import DNSZone
import Logging

/// Zones hanon signs, across restarts and reloads: the signed zone is kept
/// (``SignedZoneStore``, plus the journal's signed diffs after the copy's
/// serial) and served again as it is — same serial, same signatures, so
/// secondaries have nothing to transfer — when it was signed with the keys
/// and settings in force now and the zone file is the one it was last
/// brought to (the source checksum in the copy), or its unsigned content is
/// the zone file's with the journal's unsigned changes replayed over it (a
/// zone file rewritten by hanon just before the copy). A source edited while
/// hanon was down (or before a reload) is signed incrementally: the difference
/// between the two unsigned versions goes through the update signer at a new
/// serial, as an update would. Anything else — no copy, a damaged copy or
/// journal, other keys, other settings, a change too large — signs whole.
extension ZoneWriters {
    /// A signed zone to serve without signing whole.
    struct RestoredZone {
        var zone: Zone
        var signing: ZoneSigning
        /// The change signed incrementally (to journal), nil when the source was unchanged.
        var diff: ZoneDiff?
        /// The serial of the last whole signing (``Writer/signedSerial``).
        var wholeSerial: UInt32?
        /// Its unsigned content is not the zone file's (updates not yet written there).
        var sourceChanged: Bool
        /// The copy on disk records this zone file already (nothing to write).
        var copyCurrent = false
        /// For the log: what it was restored from.
        var origin: String
    }

    /// More changed records than this (and than a tenth of the zone) are signed whole.
    static let incrementalLimit = 10_000

    /// The signed zone `name` as last served (this run's, or the copy on
    /// disk with the journal after it), kept when `file` (the zone file's
    /// unsigned records, checksum `fileDigest`) is the one it was brought to,
    /// else brought to `source` (the file with the journal's unsigned changes
    /// replayed over it) — or nil (logged) when the zone must be signed whole.
    func restoreSigned(
        _ name: DomainName, file: Zone, fileDigest: UInt64, source: Zone, settings: ZoneDNSSECSettings,
        keySet: ZoneKeySet, journal: ZoneJournal, serialPolicy: SerialPolicy, now: UInt32
    ) -> RestoredZone? {
        let fingerprint = SignedZoneStore.settingsFingerprint(settings)
        var base: Zone
        var wholeSerial: UInt32?
        var origin: String
        var broughtTo: UInt64?
        if let writer = self.zones[name], let signing = writer.signing {
            guard SignedZoneStore.settingsFingerprint(signing.settings) == fingerprint else {
                self.logger.notice("zone \(name): signing settings changed; signing whole")
                return nil
            }
            (base, wholeSerial, origin) = (writer.current, writer.signedSerial, "the zone served")
            broughtTo = writer.sourceDigest
        } else {
            let path = SignedZoneStore.path(journal: journal.path)
            let copy: SignedZoneStore.Copy
            do {
                guard let read = try SignedZoneStore.read(path, origin: name) else {
                    self.logger.info("zone \(name): no signed copy \(path); signing whole")
                    return nil
                }
                copy = read
            } catch {
                self.logger.error("zone \(name): signed copy not used: \(error); signing whole")
                return nil
            }
            guard copy.settings == fingerprint else {
                self.logger.notice("zone \(name): signing settings changed since \(path); signing whole")
                return nil
            }
            base = copy.zone
            wholeSerial = copy.wholeSerial
            broughtTo = copy.source
            // The journal's signed changes after the copy (none: the copy is the newest, or
            // the journal was compacted to nothing right after writing it).
            let replay: [ZoneDiff]
            if let chain = journal.diffs(from: base.serial) {
                replay = chain
            } else if journal.entries.isEmpty && journal.repairs.isEmpty {
                replay = []
            } else {
                self.logger.error(
                    "zone \(name): the journal does not lead on from the signed copy's serial \(base.serial); signing whole"
                )
                return nil
            }
            for diff in replay {
                // A signed change re-signs the SOA; one that does not was made while the zone was not signed.
                guard Self.signsSOA(diff, origin: name) else {
                    self.logger.notice(
                        "zone \(name): journal entry \(diff.fromSerial) -> \(diff.toSerial) after the signed copy is unsigned; signing whole"
                    )
                    return nil
                }
                do {
                    base = try base.applying(diff)
                } catch {
                    self.logger.error(
                        "zone \(name): journal entry \(diff.fromSerial) -> \(diff.toSerial) over the signed copy: \(error); signing whole"
                    )
                    return nil
                }
            }
            origin = "\(path)" + (replay.isEmpty ? "" : " and \(replay.count) journal entries")
        }
        if let mismatch = Self.keyMismatch(base, keySet: keySet) {
            self.logger.notice("zone \(name): \(mismatch) since it was signed; signing whole")
            return nil
        }
        if let earliest = IncrementalSigner.earliestExpiration(of: base), earliest <= now {
            self.logger.notice("zone \(name): signatures expired while it was not served; signing whole")
            return nil
        }
        let signing = ZoneSigning(settings: settings, keySet: keySet, chain: DenialChain(zone: base))
        // The unsigned content served against the source, the serial aside.
        let old: Zone
        let new: Zone
        do {
            old = try ZoneSigning.unsigned(base)
            new = try Self.withSerial(source, base.serial)
        } catch {
            self.logger.error("zone \(name): \(error); signing whole")
            return nil
        }
        let difference = new.difference(from: old)
        if broughtTo == fileDigest || (difference.isEmpty && new.soa == old.soa) {
            return RestoredZone(
                zone: base, signing: signing, diff: nil, wholeSerial: wholeSerial,
                sourceChanged: !Self.sameContent(file, old), copyCurrent: broughtTo == fileDigest, origin: origin)
        }
        let changed = difference.added.count + difference.deleted.count
        guard changed <= max(Self.incrementalLimit, old.recordCount / 10) else {
            self.logger.notice("zone \(name): \(changed) records changed in the source; signing whole")
            return nil
        }
        // A new serial: the source's when it moved past the one served, else the next.
        var serial = source.serial
        if !SerialPolicy.isGreater(serial, than: base.serial) {
            serial = serialPolicy.next(after: base.serial, now: Int64(now))
        }
        do {
            let target = try Self.withSerial(new, serial)
            let changes = ZoneDiff(
                oldSOA: base.soa, newSOA: target.soa, deleted: difference.deleted, added: difference.added)
            var updated = signing
            let signed = try updated.signUpdate(changes, before: base, after: try base.applying(changes), now: now)
            return RestoredZone(
                zone: signed.zone, signing: updated, diff: signed.diff, wholeSerial: wholeSerial,
                sourceChanged: !Self.sameContent(file, new),
                origin: origin + ", \(changed) records changed in the source")
        } catch {
            self.logger.error("zone \(name): signing the source's changes: \(error); signing whole")
            return nil
        }
    }

    /// Why `zone` is not signed with `keySet` (nil when it is): its DNSKEY
    /// and CDNSKEY RRsets are the set's published and parent keys, the
    /// DNSKEY RRset is signed by the key-signing keys and the SOA by the
    /// zone-signing keys (RFC 4035 §2.1, RFC 7344 §4).
    static func keyMismatch(_ zone: Zone, keySet: ZoneKeySet) -> String? {
        func wire(_ rdata: [RDATA]) -> Set<[UInt8]> { Set(rdata.map(\.wireBytes)) }
        func tags(_ set: RRSet?) -> Set<UInt16> {
            Set(
                (set?.signatures ?? []).compactMap {
                    if case .rrsig(let signature) = $0 { return signature.keyTag }
                    return nil
                })
        }
        let dnskey = zone.rrset(at: zone.origin, type: .dnskey)
        let cdnskey = zone.rrset(at: zone.origin, type: .cdnskey)
        if wire(dnskey?.rdata ?? []) != wire(keySet.published.map { .dnskey($0.dnskey) }) {
            return "the published keys changed"
        }
        if wire(cdnskey?.rdata ?? []) != wire(keySet.parentKeys.map { .cdnskey($0.dnskey) }) {
            return "the keys for the parent (CDS/CDNSKEY) changed"
        }
        if tags(dnskey) != Set(keySet.keySigning.map(\.keyTag)) {
            return "the key-signing keys changed"
        }
        if tags(zone.rrset(at: zone.origin, type: .soa)) != Set(keySet.zoneSigning.map(\.keyTag)) {
            return "the zone-signing keys changed"
        }
        return nil
    }

    /// The later of two serials (RFC 1982), either of which may be unknown.
    static func newest(_ a: UInt32?, _ b: UInt32?) -> UInt32? {
        guard let a, let b else { return a ?? b }
        return SerialPolicy.isGreater(b, than: a) ? b : a
    }

    /// True when `diff` adds a signature over the apex SOA (every signed change does, RFC 4035 §2.2).
    static func signsSOA(_ diff: ZoneDiff, origin: DomainName) -> Bool {
        diff.added.contains { record in
            guard record.name == origin, case .rrsig(let signature) = record.rdata else { return false }
            return signature.typeCovered == .soa
        }
    }

    /// True when two unsigned zones hold the same records, the SOA serial aside.
    static func sameContent(_ a: Zone, _ b: Zone) -> Bool {
        guard let b = try? Self.withSerial(b, a.serial) else { return false }
        return a.soa == b.soa && b.difference(from: a).isEmpty
    }

    /// `zone` with its SOA serial set to `serial`.
    static func withSerial(_ zone: Zone, _ serial: UInt32) throws -> Zone {
        guard zone.serial != serial, case .soa(var fields) = zone.soa.rdata else { return zone }
        fields.serial = serial
        var soa = zone.soa
        soa.rdata = .soa(fields)
        return try zone.applying(ZoneDiff(oldSOA: zone.soa, newSOA: soa, deleted: [], added: []))
    }

    /// Serves `restored` for `loaded`: its incremental change journalled, its
    /// copy written. False (logged) when the journal cannot take the change.
    mutating func adoptRestored(
        _ restored: RestoredZone, loaded: LoadedZone, updates: ZoneUpdateSettings, journal: ZoneJournal,
        fileDigest: UInt64
    ) -> Bool {
        let name = loaded.source.name
        if let diff = restored.diff {
            do {
                try journal.append(diff)
            } catch {
                self.logger.error("zone \(name): journal: \(error); signing whole")
                return false
            }
        }
        let zone = restored.zone
        self.zones[name] = Writer(
            source: loaded.source, settings: updates, journal: journal, fileZone: loaded.zone, current: zone,
            prepared: zone, changedAt: restored.sourceChanged ? .now : nil, signing: restored.signing,
            sourceChanged: restored.sourceChanged, nextRefresh: restored.signing.nextRefresh(of: zone),
            signedSerial: restored.wholeSerial, sourceDigest: fileDigest)
        if !restored.copyCurrent {
            // The copy records the zone file now behind it (and the edit, if any).
            self.storeSignedCopy(name)
        }
        let keys = restored.signing.keySet.published.map { "\($0.keyTag)" }.joined(separator: ", ")
        self.logger.info("zone \(name): signed zone from \(restored.origin), serial \(zone.serial), keys \(keys)")
        return true
    }

    /// Writes the signed copy of `name` as served now (at start: the zone
    /// file's checksum is the one just read).
    func storeSignedCopy(_ name: DomainName) {
        guard let writer = self.zones[name] else { return }
        self.writeSignedCopy(name, writer)
    }

    /// Writes the signed copy of `writer`'s zone before ``sync(force:only:)``
    /// compacts the journal and, when the content changed, rewrites the zone
    /// file: the checksum recorded is then the new file's. (Should that write
    /// fail, the next start finds another file and compares contents.)
    func storeSignedCopy(_ name: DomainName, _ writer: inout Writer) {
        if writer.sourceChanged || writer.sourceDigest == nil {
            writer.sourceDigest = SignedZoneStore.sourceDigest(ZoneSigning.unsignedRecords(of: writer.current))
        }
        self.writeSignedCopy(name, writer)
    }

    /// The copy written; a failure is logged: the next start then signs whole.
    private func writeSignedCopy(_ name: DomainName, _ writer: Writer) {
        guard let signing = writer.signing else { return }
        let path = SignedZoneStore.path(journal: writer.journal.path)
        do {
            try SignedZoneStore.write(
                writer.current, settings: signing.settings, wholeSerial: writer.signedSerial,
                source: writer.sourceDigest ?? 0, to: path)
            Self.giveToOwner(self.owner, paths: [path])
        } catch {
            self.logger.error("zone \(name): signed copy: \(error); the next start signs whole")
        }
    }
}
