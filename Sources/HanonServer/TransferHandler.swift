// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import DNSZone
import HanonConfig
import Logging
import NIOCore
import Synchronization

/// Transfer settings of one zone: who may transfer it, whom to notify.
public struct ZoneTransferSettings: Sendable, Hashable {
    /// `allow-transfer`.
    public var access: TransferACL
    /// `notify`: secondaries, as `ADDR:PORT` / `[ADDR]:PORT`.
    public var notify: [String]

    public init(access: TransferACL = .none, notify: [String] = []) {
        self.access = access
        self.notify = notify
    }
}

/// Outgoing zone transfers and NOTIFY for the running server: the TCP
/// streams of AXFR and IXFR (RFC 5936, RFC 1995), IXFR over UDP, answers to
/// NOTIFY received, and the history of each zone's changes that IXFR serves
/// (kept in memory: the diffs of reloads; the journal adds its own later).
final class TransferHandler: Sendable {
    private struct State {
        var responder = TransferResponder()
        var settings: [DomainName: ZoneTransferSettings] = [:]
        var logger = Logger(label: "hanon.transfer")
        var notifier: NotifySender?
    }

    /// Changes kept per zone for IXFR; older ones are dropped (the client
    /// then gets the whole zone, RFC 1995 §4).
    static let maxHistory = 64

    private let state = Mutex(State())

    init() {}

    /// Sets the per-zone settings and the logger; a NOTIFY sender is made on first use.
    func configure(_ settings: [DomainName: ZoneTransferSettings], logger: Logger) {
        self.state.withLock {
            $0.settings = settings
            $0.logger = logger
            $0.responder.access = settings.mapValues(\.access)
            if $0.notifier == nil { $0.notifier = NotifySender(logger: logger) }
        }
    }

    /// The changes kept for `zone`, oldest first.
    func history(of zone: DomainName) -> [ZoneDiff] {
        self.state.withLock { $0.responder.history[zone] ?? [] }
    }

    /// Replaces the history of `zone` (the journal's diffs, oldest first).
    func setHistory(_ diffs: [ZoneDiff], for zone: DomainName) {
        self.state.withLock { $0.responder.history[zone] = Array(diffs.suffix(Self.maxHistory)) }
    }

    /// The last NOTIFY outcome per secondary of `zone` (`hanon zone status`).
    func notifyOutcomes(of zone: DomainName) -> [String] {
        self.state.withLock { $0.notifier }?.lastOutcomes(for: zone) ?? []
    }

    /// Forgets zones no longer served.
    func retain(zones: Set<DomainName>) {
        self.state.withLock { state in
            state.responder.history = state.responder.history.filter { zones.contains($0.key) }
        }
    }

    /// A zone changed by `diff` (a dynamic update, already journalled):
    /// keeps it for IXFR and sends NOTIFY to the zone's secondaries.
    func zoneChanged(_ origin: DomainName, diff: ZoneDiff, new: Zone) {
        let (logger, targets, notifier) = self.state.withLock {
            ($0.logger, $0.settings[origin]?.notify ?? [], $0.notifier)
        }
        self.state.withLock { state in
            var history = state.responder.history[origin] ?? []
            if let last = history.last, last.toSerial != diff.fromSerial { history = [] }
            history.append(diff)
            state.responder.history[origin] = Array(history.suffix(Self.maxHistory))
        }
        self.notify(origin, soa: new.soa, targets: targets, notifier: notifier, logger: logger)
    }

    /// A zone changed from `old` to `new` (a reload or a transfer from a
    /// primary; nil `old`: newly added): keeps the difference for IXFR when
    /// the serial went up (RFC 1982), and sends NOTIFY to the zone's secondaries.
    func zoneChanged(_ origin: DomainName, old: Zone?, new: Zone) {
        let (logger, targets, notifier) = self.state.withLock {
            ($0.logger, $0.settings[origin]?.notify ?? [], $0.notifier)
        }
        if let old {
            switch new.serialNumber.compare(old.serialNumber) {
            case .greater:
                let diff = new.difference(from: old)
                self.state.withLock { state in
                    var history = state.responder.history[origin] ?? []
                    // A gap (a change not seen) breaks the chain: start again.
                    if let last = history.last, last.toSerial != diff.fromSerial { history = [] }
                    history.append(diff)
                    state.responder.history[origin] = Array(history.suffix(Self.maxHistory))
                }
            case .equal, .less, .undefined:
                logger.warning(
                    "zone \(origin): content changed but the serial did not increase (\(old.serialNumber) -> \(new.serialNumber)); secondaries will not pick up the change"
                )
                self.state.withLock { $0.responder.history[origin] = nil }
                return
            }
        }
        self.notify(origin, soa: new.soa, targets: targets, notifier: notifier, logger: logger)
    }

    /// Sends NOTIFY for every zone of `zones` that has secondaries (at start-up, as BIND does).
    func notifyAll(_ zones: [DomainName: Zone]) {
        let (logger, settings, notifier) = self.state.withLock { ($0.logger, $0.settings, $0.notifier) }
        for (origin, zone) in zones {
            self.notify(
                origin, soa: zone.soa, targets: settings[origin]?.notify ?? [], notifier: notifier, logger: logger)
        }
    }

    private func notify(
        _ origin: DomainName, soa: ResourceRecord, targets: [String], notifier: NotifySender?, logger: Logger
    ) {
        guard !targets.isEmpty, let notifier else { return }
        var addresses: [SocketAddress] = []
        for text in targets {
            if let address = try? DNSServerConfiguration.parseListenAddress(text) {
                addresses.append(address)
            } else {
                logger.warning("notify \(origin): bad address '\(text)'")
            }
        }
        notifier.notify(origin: origin, soa: soa, targets: addresses)
    }

    /// The TCP stream answering a transfer request, nil when `request` is
    /// not one (or is refused: the query path then answers REFUSED).
    ///
    /// With `tsig` (a request whose TSIG was verified, passed here without
    /// it) the key name counts for `allow-transfer` and every message of the
    /// answer is signed, each MAC covering the previous one (RFC 8945 §5.3.1).
    func stream(
        _ request: ByteBuffer, zones: ZoneTable, context: DNSRequestContext, tsig: TSIGContext? = nil
    ) -> (any DNSResponseStream)? {
        guard TransferRequest.peekType(request) != nil else { return nil }
        switch self.respond(request, zones: zones, context: context, keyName: tsig?.keyName) {
        case .notTransfer, .refused:
            return nil
        case .single(var message, _):
            if let tsig { TSIG.signResponse(&message, context: tsig, now: TSIG.currentTime()) }
            var sent = false
            return DNSLazyResponseStream {
                guard !sent else { return nil }
                sent = true
                return message
            }
        case .stream(var packer, _):
            if let tsig {
                var signer = TSIGStreamSigner(context: tsig)
                packer.reservedOctets = TSIG.signatureLength(for: tsig)
                packer.finishMessage = { message, _ in
                    var signed = message
                    signer.sign(&signed, now: TSIG.currentTime())
                    return signed
                }
            }
            return DNSLazyResponseStream { packer.nextMessage() }
        }
    }

    /// The answer to an IXFR over UDP (RFC 1995 §2), nil when not allowed
    /// (the query path answers it).
    func answerUDP(_ request: ByteBuffer, zones: ZoneTable, context: DNSRequestContext) -> ByteBuffer? {
        switch self.respond(request, zones: zones, context: context) {
        case .single(let message, _): return message
        case .notTransfer, .refused, .stream: return nil
        }
    }

    /// The answer to a NOTIFY received (see ``Notify/answer(_:zones:)``), logged.
    func answerNotify(_ request: ByteBuffer, zones: ZoneTable, context: DNSRequestContext) -> ByteBuffer? {
        guard let (reply, summary) = Notify.answer(request, zones: zones) else { return nil }
        let logger = self.state.withLock { $0.logger }
        logger.info("\(summary) (from \(DNSListener.format(context.client)))")
        return reply
    }

    private func respond(
        _ request: ByteBuffer, zones: ZoneTable, context: DNSRequestContext, keyName: DomainName? = nil
    ) -> TransferResponder.Outcome {
        let (responder, logger) = self.state.withLock { ($0.responder, $0.logger) }
        let outcome = responder.respond(
            to: request, zones: zones, client: AuthorityHandler.clientIP(context.clientIP), keyName: keyName,
            transport: context.transport == .tcp ? .tcp : .udp)
        switch outcome {
        case .notTransfer: break
        case .refused(let why): logger.notice("\(why)")
        case .single(_, let summary), .stream(_, let summary): logger.info("\(summary)")
        }
        return outcome
    }
}

extension AuthorityHandler {
    /// Zone transfers over TCP are streamed (``TransferHandler``); every
    /// other request costs one look at the header and the question type.
    ///
    /// A signed transfer request is verified first: a valid one is answered
    /// by a signed stream; a bad one goes the ordinary way (nil here), where
    /// ``handleSigned(_:context:)`` answers the TSIG error.
    func stream(_ request: ByteBuffer, context: DNSRequestContext) -> (any DNSResponseStream)? {
        guard TransferRequest.peekType(request) != nil else { return nil }
        if TSIG.mightBeSigned(request) {
            guard
                case .valid(let tsig, let location) = TSIG.verifyRequest(
                    request, keyring: self.tsig.keyring, now: TSIG.currentTime(), replay: self.tsig.replay),
                let unsigned = Self.removingTSIG(request, at: location)
            else { return nil }
            return self.transfers.stream(unsigned, zones: self.processor.zones, context: context, tsig: tsig)
        }
        return self.transfers.stream(request, zones: self.processor.zones, context: context)
    }
}

extension HanonServer {
    /// After a reload swapped the zones in: new transfer settings, the
    /// changes kept for IXFR, NOTIFY for each zone that changed or was added.
    func transfersAfterReload(
        settings: ServerSettings, previous: [DomainName: LoadedZone], next: [DomainName: LoadedZone],
        report: ReloadReport
    ) {
        let transfers = self.transferHandler
        transfers.configure(settings.transfer, logger: self.logger)
        transfers.retain(zones: Set(next.keys))
        for name in report.reloaded + report.added {
            guard let zone = next[name]?.zone else { continue }
            transfers.zoneChanged(name, old: previous[name]?.zone, new: zone)
        }
    }
}

extension ServerSettings {
    /// `allow-transfer` and `notify` of each configured zone.
    static func transferSettings(_ config: Config) throws -> [DomainName: ZoneTransferSettings] {
        var result: [DomainName: ZoneTransferSettings] = [:]
        for zone in config.zones {
            guard let name = try? DomainName(zone.name.hasSuffix(".") ? zone.name : zone.name + ".", origin: .root)
            else { continue }
            var entries: [TransferACL.Entry] = []
            for text in zone.allowTransfer {
                guard let entry = TransferACL.entry(parsing: text) else {
                    throw SettingsError("\(zone.location): zone \(zone.name): bad allow-transfer entry '\(text)'")
                }
                entries.append(entry)
            }
            let notify = zone.notify.map { $0.isIPv6 ? "[\($0.host)]:\($0.port)" : "\($0.host):\($0.port)" }
            if !entries.isEmpty || !notify.isEmpty {
                result[name] = ZoneTransferSettings(access: TransferACL(entries: entries), notify: notify)
            }
        }
        return result
    }
}
