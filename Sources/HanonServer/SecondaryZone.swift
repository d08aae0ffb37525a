// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import DNSZone
import Logging
import NIOCore
import Synchronization

/// Where a secondary zone comes from and where its copy is kept.
public struct SecondarySource: Sendable, Hashable {
    /// One primary: its address and the TSIG key to use with it, if any.
    public struct Primary: Sendable, Hashable, CustomStringConvertible {
        public var address: SocketAddress
        public var keyName: DomainName?

        public init(address: SocketAddress, keyName: DomainName? = nil) {
            self.address = address
            self.keyName = keyName
        }

        public var description: String {
            DNSListener.format(self.address) + (self.keyName.map { " key \($0)" } ?? "")
        }
    }

    public var name: DomainName
    /// Tried in order; the first that answers is used.
    public var primaries: [Primary]
    /// The copy on disk (a canonical zone file), so a restart serves at once.
    public var copyPath: String?

    public init(name: DomainName, primaries: [Primary], copyPath: String?) {
        self.name = name
        self.primaries = primaries
        self.copyPath = copyPath
    }
}

/// Signs a request with a TSIG key and checks every reply (RFC 8945
/// §5.3.1: the first and the last message of a transfer must be signed,
/// and at least every 100th).
struct ReplyChecker {
    private var verifier: TSIGStreamVerifier?

    /// Signs `wire` in place with `key` (nil: unsigned, nothing checked).
    init(signing wire: inout ByteBuffer, with key: TSIGKey?) {
        guard let key else { return }
        let context = TSIG.signRequest(&wire, key: key, now: TSIG.currentTime())
        self.verifier = TSIGStreamVerifier(context: context)
    }

    mutating func check(_ message: ByteBuffer) throws {
        guard self.verifier != nil else { return }
        if case .failed(let error, let reason) = self.verifier?.verify(message, now: TSIG.currentTime()) {
            throw TransferError("TSIG \(RDATA.TSIG.errorText(error)): \(reason)")
        }
    }

    func finish() throws {
        if let verifier = self.verifier, !verifier.isComplete {
            throw TransferError("TSIG: the last message is not signed")
        }
    }
}

/// A zone hanon keeps a copy of (RFC 1034 §4.3.5, RFC 1996): it asks the
/// primary for the SOA every REFRESH seconds (and at once on NOTIFY),
/// transfers changes by IXFR (RFC 1995) with AXFR (RFC 5936) as fallback,
/// retries every RETRY seconds after a failure, and stops answering for the
/// zone (SERVFAIL) once EXPIRE seconds pass without reaching a primary.
///
/// The zone served is handed to `install` after every change (nil once it
/// has expired); the copy on disk is rewritten atomically, and its
/// modification time is the last successful check, so a restart serves the
/// copy at once and keeps counting towards expiry from where it was.
public actor SecondaryZone {
    public nonisolated let source: SecondarySource
    private let client: DNSClient
    private let logger: Logger
    private let install: @Sendable (DomainName, Zone?) -> Void
    private let keys: @Sendable (DomainName) -> TSIGKey?
    private let clock = ContinuousClock()
    private let options: DNSTransferOptions

    /// What `hanon zone status` shows for a secondary zone.
    public struct Status: Sendable {
        public var serial: UInt32?
        public var lastCheck: ContinuousClock.Instant?
        public var lastTransfer: String?
        public var lastError: String?
        public var expired: Bool
    }

    private var zone: Zone?
    private var lastSuccess: ContinuousClock.Instant?
    private var expired = false
    private var lastTransfer: String?
    private var lastError: String?
    private var wake: CheckedContinuation<Void, Never>?
    private var pendingNotify = false

    public init(
        source: SecondarySource, client: DNSClient = DNSClient(), logger: Logger,
        options: DNSTransferOptions = DNSTransferOptions(),
        keys: @escaping @Sendable (DomainName) -> TSIGKey? = { _ in nil },
        install: @escaping @Sendable (DomainName, Zone?) -> Void
    ) {
        self.source = source
        self.client = client
        self.logger = logger
        self.options = options
        self.keys = keys
        self.install = install
    }

    public var status: Status {
        Status(
            serial: self.zone.map { ZoneDiff(oldSOA: $0.soa, newSOA: $0.soa, deleted: [], added: []).toSerial },
            lastCheck: self.lastSuccess, lastTransfer: self.lastTransfer, lastError: self.lastError,
            expired: self.expired)
    }

    /// The zone being served now (nil before the first transfer and after expiry).
    public var current: Zone? { self.expired ? nil : self.zone }

    /// Loads the copy on disk, if any, and serves it (unless it has expired).
    public func loadCopy() {
        guard let path = self.source.copyPath else { return }
        guard let age = CopyFile.age(path) else { return }
        let parsed = ZoneFileParser().parse(file: path, origin: self.source.name)
        guard !parsed.hasErrors, let zone = try? Zone(parsed) else {
            self.logger.warning("secondary \(self.source.name): the copy \(path) does not load; transferring anew")
            return
        }
        let expire = Self.timers(of: zone).expire
        if age >= expire {
            self.logger.warning(
                "secondary \(self.source.name): the copy \(path) is older than the SOA expire (\(expire)); not served until a primary answers"
            )
            self.zone = zone
            self.expired = true
            return
        }
        self.zone = zone
        self.lastSuccess = self.clock.now - age
        self.install(self.source.name, zone)
        self.logger.info("secondary \(self.source.name): serving the copy on disk, serial \(self.serialText)")
    }

    /// Starts from `zone` as if it had been transferred (tests).
    func seed(_ zone: Zone) {
        self.zone = zone
        self.lastSuccess = self.clock.now
    }

    /// A NOTIFY arrived (RFC 1996 §4.7): check the primary now.
    public func notify() {
        self.pendingNotify = true
        self.wake?.resume()
        self.wake = nil
    }

    /// Refreshes until cancelled.
    public func run() async {
        while !Task.isCancelled {
            self.pendingNotify = false
            let ok = await self.refresh()
            let delay = self.nextDelay(after: ok)
            if self.pendingNotify { continue }
            await self.sleep(delay)
        }
    }

    /// One check of the primaries: returns true when one answered (and the
    /// zone is current).
    @discardableResult
    public func refresh() async -> Bool {
        var errors: [String] = []
        for primary in self.source.primaries {
            do {
                try await self.refresh(from: primary)
                self.lastSuccess = self.clock.now
                self.lastError = nil
                if self.expired, self.zone != nil {
                    self.expired = false
                    self.install(self.source.name, self.zone)
                    self.logger.info("secondary \(self.source.name): serving again, serial \(self.serialText)")
                }
                if let path = self.source.copyPath { CopyFile.touch(path) }
                return true
            } catch {
                errors.append("\(primary): \(error)")
            }
        }
        self.lastError = errors.joined(separator: "; ")
        self.logger.warning("secondary \(self.source.name): no primary answered: \(self.lastError ?? "")")
        self.checkExpiry()
        return false
    }

    private var serialText: String {
        self.zone.map { String(ZoneDiff(oldSOA: $0.soa, newSOA: $0.soa, deleted: [], added: []).toSerial) } ?? "-"
    }

    private func checkExpiry() {
        guard !self.expired, let zone = self.zone else { return }
        let expire = Self.timers(of: zone).expire
        let since = self.lastSuccess.map { self.clock.now - $0 } ?? .zero
        if since >= expire {
            self.expired = true
            self.install(self.source.name, nil)
            self.logger.error(
                "secondary \(self.source.name): expired — no primary reached for \(since), SOA expire \(expire); answering SERVFAIL"
            )
        }
    }

    private func nextDelay(after ok: Bool) -> Duration {
        guard let zone = self.zone else { return ok ? .seconds(60) : .seconds(10) }
        let timers = Self.timers(of: zone)
        var delay = ok ? timers.refresh : timers.retry
        if !ok, !self.expired, let last = self.lastSuccess {
            // Wake up at expiry, not a retry interval after it.
            let left = timers.expire - (self.clock.now - last)
            if left > .zero, left < delay { delay = left }
        }
        return delay
    }

    private func sleep(_ delay: Duration) async {
        let timer = Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.notifyTimer()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                if self.pendingNotify || Task.isCancelled {
                    c.resume()
                } else {
                    self.wake = c
                }
            }
        } onCancel: {
            Task { await self.notifyTimer() }
        }
        timer.cancel()
    }

    private func notifyTimer() {
        self.wake?.resume()
        self.wake = nil
    }

    /// REFRESH, RETRY and EXPIRE of the zone's SOA (RFC 1035 §3.3.13), at
    /// least one second each.
    static func timers(of zone: Zone) -> (refresh: Duration, retry: Duration, expire: Duration) {
        guard case .soa(let soa) = zone.soa.rdata else { return (.seconds(3600), .seconds(900), .seconds(604_800)) }
        return (
            .seconds(max(1, Int64(soa.refresh))), .seconds(max(1, Int64(soa.retry))),
            .seconds(max(1, Int64(soa.expire)))
        )
    }

    // MARK: - One exchange with a primary

    private func refresh(from primary: SecondarySource.Primary) async throws {
        var signing: TSIGKey?
        if let name = primary.keyName {
            guard let key = self.keys(name) else { throw TransferError("no [[key]] named \(name)") }
            signing = key
        }
        let theirs = try await self.querySOA(primary, signing: signing)
        if let zone = self.zone {
            let ours = ZoneDiff(oldSOA: zone.soa, newSOA: zone.soa, deleted: [], added: []).toSerial
            guard TransferReader.isNewer(theirs, than: ours) else { return }
            do {
                try await self.transfer(from: primary, ixfrFrom: zone, signing: signing)
                return
            } catch {
                // RFC 1995 §4: a refused, broken or unappliable incremental
                // answer falls back to the whole zone.
                self.logger.warning(
                    "secondary \(self.source.name): IXFR from \(primary) failed (\(error)); trying AXFR")
            }
        }
        try await self.transfer(from: primary, ixfrFrom: nil, signing: signing)
    }

    private func querySOA(_ primary: SecondarySource.Primary, signing: TSIGKey?) async throws -> UInt32 {
        var query = DNSMessage.query(
            id: UInt16.random(in: .min ... .max), name: self.source.name, type: .soa, recursionDesired: false)
        query.edns = nil
        let response: DNSMessage
        if let signing {
            // Signed: over TCP, where the reply's TSIG can be checked as it came.
            var wire = query.serialize()
            var checker = ReplyChecker(signing: &wire, with: signing)
            var reply: ByteBuffer?
            try await self.client.transfer(wire, server: primary.address, options: self.options) { message in
                try checker.check(message)
                reply = message
                return true
            }
            try checker.finish()
            guard let reply else { throw TransferError("no SOA reply") }
            response = try DNSMessage(wire: reply)
        } else {
            response = try await self.client.query(query, server: primary.address).message
        }
        guard response.rcode == .noError else {
            throw TransferError("SOA query answered \(response.rcode)", rcode: response.rcode)
        }
        guard response.header.authoritative,
            let soa = response.answers.first(where: { $0.type == .soa && $0.name == self.source.name }),
            let serial = TransferReader.serial(of: soa)
        else {
            throw TransferError("the SOA query got no authoritative SOA (lame primary)")
        }
        return serial
    }

    private func transfer(from primary: SecondarySource.Primary, ixfrFrom zone: Zone?, signing: TSIGKey?)
        async throws
    {
        let ours = zone.map { ZoneDiff(oldSOA: $0.soa, newSOA: $0.soa, deleted: [], added: []).toSerial }
        var request = DNSMessage.query(
            id: UInt16.random(in: .min ... .max), name: self.source.name, type: zone == nil ? .axfr : .ixfr,
            recursionDesired: false, edns: nil)
        if let zone {
            // RFC 1995 §3: the authority section holds our SOA.
            request.authorities = [zone.soa]
        }
        var wire = request.serialize()
        var checker = ReplyChecker(signing: &wire, with: signing)
        var reader = TransferReader(zone: self.source.name, ourSerial: ours)
        let started = self.clock.now
        var octets = 0
        var messages = 0
        try await self.client.transfer(wire, server: primary.address, options: self.options) { buffer in
            try checker.check(buffer)
            octets += buffer.readableBytes
            messages += 1
            let message = try DNSMessage(wire: buffer)
            guard message.header.id == request.header.id else {
                throw TransferError("a reply with another ID")
            }
            return try reader.consume(message)
        }
        try checker.finish()
        let result = try reader.result()
        let next: Zone
        let kind: String
        switch result {
        case .upToDate:
            return
        case .full(let records):
            next = try Zone(origin: self.source.name, records: records)
            kind = zone == nil ? "AXFR" : "AXFR (IXFR answered in full)"
        case .incremental(let diffs):
            guard var current = zone else { throw TransferError("an incremental answer to an AXFR") }
            for diff in diffs { current = try current.applying(diff) }
            next = current
            kind = "IXFR (\(diffs.count) change\(diffs.count == 1 ? "" : "s"))"
        }
        self.zone = next
        self.expired = false
        self.install(self.source.name, next)
        let elapsed = self.clock.now - started
        self.lastTransfer = "\(kind) from \(primary), serial \(self.serialText), \(messages) messages, \(octets) octets"
        self.logger.info(
            "secondary \(self.source.name): \(kind) from \(primary): serial \(self.serialText), \(next.recordCount) records, \(messages) messages, \(octets) octets in \(elapsed)"
        )
        if let path = self.source.copyPath {
            do {
                try DurableFile.replace(path, with: Array(ZoneWriter.format(next.allRecords).utf8))
            } catch {
                self.logger.error("secondary \(self.source.name): cannot write the copy \(path): \(error)")
            }
        }
    }
}

/// The secondary zones by name, for the listeners' NOTIFY path.
final class SecondaryDirectory: Sendable {
    private let zones = Mutex<[DomainName: SecondaryZone]>([:])

    func set(_ zones: [DomainName: SecondaryZone]) {
        self.zones.withLock { $0 = zones }
    }

    /// RFC 1996 §3.10: only a primary of the zone is listened to (by
    /// address; the port of a NOTIFY is any).
    func notify(_ name: DomainName, from: SocketAddress) -> Bool? {
        guard let zone = self.zones.withLock({ $0[name] }) else { return nil }
        guard zone.source.primaries.contains(where: { Self.sameHost($0.address, from) }) else { return false }
        Task { await zone.notify() }
        return true
    }

    static func sameHost(_ a: SocketAddress, _ b: SocketAddress) -> Bool {
        guard let x = a.ipAddress, let y = b.ipAddress else { return false }
        return x == y
    }
}
