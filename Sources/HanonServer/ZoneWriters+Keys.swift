// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSSEC
import DNSZone
import HanonConfig
import Logging
import NIOCore

/// The key lifecycle in the running server: a signed zone whose key set
/// changes (a rollover step falls due, a DS is confirmed at the parent or by
/// `hanon dnssec ds-seen`, a rollover is started by `hanon dnssec rollover`)
/// is signed again whole with the new set, as one change — new serial,
/// journal, IXFR, NOTIFY — like an update.
extension ZoneWriters {
    /// What the key check needs of one signed zone, read under the writers' lock.
    struct KeyCheck: Sendable {
        var zone: DomainName
        var directory: String
        var policy: KeyPolicy
        /// The parent's servers asked for the DS (`parent-ds-check`); empty: by command only.
        var parentServers: [SocketAddress]
        /// Seconds between two questions to the parent while a DS is awaited (`parent-ds-check-interval`).
        var parentCheckInterval: Int
    }

    /// The signed zones, for ``KeyCheckStep``.
    func keyChecks() -> [KeyCheck] {
        self.zones.compactMap { name, writer in
            guard let signing = writer.signing else { return nil }
            var servers: [SocketAddress] = []
            if case .servers(let list) = signing.settings.config.parentDSCheck {
                servers = list.compactMap { try? SocketAddress(ipAddress: $0.host, port: Int($0.port)) }
            }
            var policy = signing.settings.keyPolicy
            policy.maxZoneTTL = writer.current.allRRSets.reduce(0) { max($0, $1.ttl) }
            return KeyCheck(
                zone: name, directory: signing.settings.keyDirectory, policy: policy, parentServers: servers,
                parentCheckInterval: Int(signing.settings.config.parentDSCheckInterval.components.seconds))
        }
    }

    /// True when a signed zone's key set has a change due at `now`.
    func keyChangeDue(now: UInt32) -> Bool {
        self.zones.values.contains { writer in
            guard let next = writer.signing?.keySet.nextChange else { return false }
            return next <= now
        }
    }

    /// The roles of a key set by key tag, to tell whether signing must change.
    static func roles(_ set: ZoneKeySet) -> [[UInt16]] {
        [set.published, set.keySigning, set.zoneSigning, set.parentKeys].map { $0.map(\.keyTag).sorted() }
    }

    /// Signs `name` again whole when its key set is no longer `keySet`'s
    /// roles; the change is journalled, served, transferred and announced.
    mutating func resignIfKeysChanged(
        _ name: DomainName, keySet: ZoneKeySet, handler: AuthorityHandler, now: UInt32
    ) {
        guard var writer = self.zones[name], let signing = writer.signing else { return }
        guard Self.roles(keySet) != Self.roles(signing.keySet) else {
            // Same keys: keep the newest schedule (nextChange) all the same.
            writer.signing?.keySet.nextChange = keySet.nextChange
            self.zones[name] = writer
            return
        }
        do {
            let unsigned = try ZoneSigning.unsigned(writer.current)
            let serial = writer.settings.serialPolicy.next(after: writer.current.serial, now: Int64(now))
            // The lifecycle's set just read by KeyCheckStep: no second pass over the key files.
            let signed = try ZoneSigning.signWhole(
                unsigned, serial: serial, settings: signing.settings, keys: keySet, now: now)
            let diff = signed.zone.difference(from: writer.current)
            try writer.journal.append(diff)
            writer.current = signed.zone
            writer.signing = signed.signing
            writer.changedAt = writer.changedAt ?? .now
            writer.nextRefresh = signed.signing.nextRefresh(of: signed.zone)
            self.zones[name] = writer
            handler.replaceZone(name, with: signed.zone)
            handler.transfers.zoneChanged(name, diff: diff, new: signed.zone)
            let keys = signed.signing.keySet.published.map { "\($0.keyTag)" }.joined(separator: ", ")
            self.logger.notice("zone \(name): key set changed, signed again, serial \(serial), keys \(keys)")
        } catch {
            self.logger.error("zone \(name): signing with the new keys: \(error); the old keys sign until the next try")
        }
    }
}

/// One pass of the key lifecycle over the signed zones: take the steps due,
/// ask the parent's servers for awaited DS records, sign again where the key
/// set changed.
struct KeyCheckStep {
    let updater: ZoneUpdater
    let handler: AuthorityHandler

    /// Runs the pass; returns the seconds until the next one is needed at the
    /// latest: `default`, or less while a zone awaits a DS its parent's
    /// servers are asked about (`parent-ds-check-interval`).
    @discardableResult
    func run(default interval: Int = SignatureRefreshService.keyCheckInterval) async -> Int {
        var next = interval
        let logger = self.updater.serialized { $0.logger }
        for check in self.updater.serialized({ $0.keyChecks() }) {
            let now = ZoneSigning.now()
            var result: KeyLifecycle.Result
            do {
                result = try KeyLifecycle.keys(
                    zone: check.zone, directory: check.directory, policy: check.policy, now: now)
            } catch {
                logger.error("zone \(check.zone): keys: \(error)")
                continue
            }
            for event in result.events { logger.notice("zone \(check.zone): \(event)") }
            if check.policy.parentDSCheck, !result.awaitingDS.isEmpty, !check.parentServers.isEmpty {
                let outcome = await ParentDSCheck(servers: check.parentServers).confirmAwaiting(
                    result, directory: check.directory, now: now)
                for line in outcome.log { logger.info("zone \(check.zone): \(line)") }
                if !outcome.confirmed.isEmpty,
                    let again = try? KeyLifecycle.keys(
                        zone: check.zone, directory: check.directory, policy: check.policy, now: ZoneSigning.now())
                {
                    result = again
                }
                if !result.awaitingDS.isEmpty { next = min(next, max(1, check.parentCheckInterval)) }
            }
            let keySet = result.keySet
            self.updater.serialized {
                $0.resignIfKeysChanged(check.zone, keySet: keySet, handler: self.handler, now: ZoneSigning.now())
            }
        }
        return next
    }
}
