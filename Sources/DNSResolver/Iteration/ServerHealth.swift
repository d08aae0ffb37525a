// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging
import NIOCore
import Synchronization

/// What the resolver knows about the authoritative servers it talks to:
/// smoothed round-trip times (to pick the fastest), servers marked lame for
/// a zone (REFUSED, not authoritative, nothing listening) and avoided for a
/// while, and address families that look unreachable (no IPv6 route).
///
/// Quiet by design (issue 6 item 5): one log line when a family goes down
/// and one when it comes back; everything else goes into counters and the
/// periodic ``summary()`` line, never a line per query.
public final class ServerHealth: Sendable {
    /// Why a server was marked lame.
    public enum LameReason: String, Sendable {
        case refused = "REFUSED"
        case notAuthoritative = "not authoritative"
        case unreachable = "unreachable"
        case servfail = "SERVFAIL"
        case timeout = "timeout"
    }

    public enum Family: Sendable, Hashable { case ipv4, ipv6 }

    struct ServerKey: Hashable { var zone: DomainName; var address: SocketAddress }

    struct Lame {
        var reason: LameReason
        var until: ContinuousClock.Instant
        var count: Int
    }

    struct FamilyState {
        var failures = 0
        var downUntil: ContinuousClock.Instant? = nil
    }

    struct State {
        var srtt: [SocketAddress: Double] = [:]
        var lame: [ServerKey: Lame] = [:]
        var families: [Family: FamilyState] = [:]
        /// Servers that rejected EDNS (RFC 6891 §7), asked without OPT until then.
        var ednsLess: [SocketAddress: ContinuousClock.Instant] = [:]
        var counters = Counters()
    }

    /// Totals since the start.
    public struct Counters: Sendable, Hashable {
        public var upstreamQueries = 0
        public var timeouts = 0
        public var refused = 0
        public var unreachable = 0
        public var lameMarks = 0
        public var familyDown = 0
        /// Queries sent again without EDNS after FORMERR, NOTIMP or BADVERS.
        public var ednsFallbacks = 0
    }

    fileprivate let state = Mutex(State())
    private let logger: Logger
    /// How long a lame server is avoided for its zone.
    public let lameInterval: Duration
    /// How long a family is left alone before it is probed again.
    public let familyProbeInterval: Duration
    /// Failures in a row that take a family down.
    public let familyFailureThreshold: Int

    public init(
        logger: Logger, lameInterval: Duration = .seconds(900), familyProbeInterval: Duration = .seconds(300),
        familyFailureThreshold: Int = 3
    ) {
        self.logger = logger
        self.lameInterval = lameInterval
        self.familyProbeInterval = familyProbeInterval
        self.familyFailureThreshold = familyFailureThreshold
    }

    static func family(_ address: SocketAddress) -> Family {
        if case .v6 = address { return .ipv6 }
        return .ipv4
    }

    /// Smoothed RTT in milliseconds; unknown servers get a small random
    /// value so each is tried early (as Unbound's exploration does).
    public func srtt(_ address: SocketAddress) -> Double {
        self.state.withLock { $0.srtt[address] } ?? Double.random(in: 1...20)
    }

    /// True when `address` may be used for `zone` now.
    public func usable(_ address: SocketAddress, zone: DomainName, at now: ContinuousClock.Instant = .now) -> Bool {
        self.state.withLock { state in
            if let lame = state.lame[ServerKey(zone: zone, address: address)], lame.until > now { return false }
            let family = Self.family(address)
            if let down = state.families[family]?.downUntil {
                if down > now { return false }
                // Probe time: let queries through again; the next failure takes it down again.
                state.families[family]?.downUntil = nil
                state.families[family]?.failures = max(0, self.familyFailureThreshold - 1)
            }
            return true
        }
    }

    /// Counts a query sent.
    func sent() { self.state.withLock { $0.counters.upstreamQueries += 1 } }

    /// A reply came after `rtt`.
    public func answered(_ address: SocketAddress, rtt: Duration) {
        let ms = Double(rtt.components.seconds) * 1000 + Double(rtt.components.attoseconds) / 1e15
        let restored: Bool = self.state.withLock { state in
            let old = state.srtt[address]
            state.srtt[address] = old.map { 0.7 * $0 + 0.3 * ms } ?? ms
            let family = Self.family(address)
            let wasDown = (state.families[family]?.failures ?? 0) >= self.familyFailureThreshold
            state.families[family] = FamilyState()
            return wasDown
        }
        if restored {
            self.logger.notice("resolver: \(Self.family(address) == .ipv6 ? "IPv6" : "IPv4") servers answer again")
        }
    }

    /// No reply in time: the SRTT grows (backs off) so others are preferred.
    public func timedOut(_ address: SocketAddress, timeout: Duration) {
        let ms = Double(timeout.components.seconds) * 1000 + Double(timeout.components.attoseconds) / 1e15
        self.state.withLock { state in
            state.counters.timeouts += 1
            state.srtt[address] = min(max((state.srtt[address] ?? ms) * 2, ms), 120_000)
        }
    }

    /// The address's family gave no route: after ``familyFailureThreshold``
    /// failures in a row with no success the family is left alone for
    /// ``familyProbeInterval``, with one log line.
    public func unreachable(_ address: SocketAddress, at now: ContinuousClock.Instant = .now) {
        let family = Self.family(address)
        let wentDown: Int? = self.state.withLock { state in
            state.counters.unreachable += 1
            var f = state.families[family] ?? FamilyState()
            f.failures += 1
            var result: Int? = nil
            if f.failures == self.familyFailureThreshold {
                f.downUntil = now + self.familyProbeInterval
                state.counters.familyDown += 1
                result = f.failures
            } else if f.failures > self.familyFailureThreshold {
                f.downUntil = now + self.familyProbeInterval
            }
            state.families[family] = f
            return result
        }
        if let failures = wentDown {
            let name = family == .ipv6 ? "IPv6" : "IPv4"
            self.logger.warning(
                "resolver: \(name) looks unreachable (\(failures) failures, no route); not using \(name) servers, probing again in \(self.familyProbeInterval)"
            )
        }
    }

    /// True while `family` is taken out.
    public func isDown(_ family: Family, at now: ContinuousClock.Instant = .now) -> Bool {
        self.state.withLock { ($0.families[family]?.downUntil).map { $0 > now } ?? false }
    }

    /// Marks `address` lame for `zone` for ``lameInterval``.
    public func markLame(
        _ address: SocketAddress, zone: DomainName, reason: LameReason, at now: ContinuousClock.Instant = .now
    ) {
        self.state.withLock { state in
            let key = ServerKey(zone: zone, address: address)
            var lame = state.lame[key] ?? Lame(reason: reason, until: now, count: 0)
            lame.reason = reason
            lame.until = now + self.lameInterval
            lame.count += 1
            state.lame[key] = lame
            state.counters.lameMarks += 1
            if reason == .refused { state.counters.refused += 1 }
        }
    }

    public var counters: Counters { self.state.withLock { $0.counters } }

    /// True while `address` is remembered as not understanding EDNS: it is
    /// asked without an OPT record (RFC 6891 §7).
    public func isEDNSLess(_ address: SocketAddress, at now: ContinuousClock.Instant = .now) -> Bool {
        self.state.withLock { state in
            guard let until = state.ednsLess[address] else { return false }
            if until > now { return true }
            state.ednsLess[address] = nil
            return false
        }
    }

    /// Counts a query sent again without EDNS.
    func ednsFallback() { self.state.withLock { $0.counters.ednsFallbacks += 1 } }

    /// `address` answered a query without OPT after rejecting one with it:
    /// it is asked without EDNS for ``lameInterval``, then tried with EDNS again.
    public func markEDNSLess(_ address: SocketAddress, at now: ContinuousClock.Instant = .now) {
        self.state.withLock { $0.ednsLess[address] = now + self.lameInterval }
    }

    /// One line: counters, the lame servers marked most often, the families down.
    public func summary(limit: Int = 5, at now: ContinuousClock.Instant = .now) -> String {
        self.state.withLock { state in
            let c = state.counters
            var line =
                "resolver: \(c.upstreamQueries) upstream queries, \(c.timeouts) timeouts, \(c.refused) refused, \(c.unreachable) unreachable"
            let lame = state.lame.filter { $0.value.until > now }.sorted { $0.value.count > $1.value.count }
            if !lame.isEmpty {
                let worst = lame.prefix(limit).map {
                    "\($0.key.zone) \(DNSListenerFormat.format($0.key.address)) \($0.value.reason.rawValue) ×\($0.value.count)"
                }
                line += "; \(lame.count) lame: " + worst.joined(separator: ", ")
            }
            let down = state.families.filter { ($0.value.downUntil ?? now) > now }.keys.map {
                $0 == .ipv6 ? "IPv6" : "IPv4"
            }
            if !down.isEmpty { line += "; down: " + down.sorted().joined(separator: ", ") }
            return line
        }
    }
}

/// `127.0.0.1:53` / `[::1]:53`.
enum DNSListenerFormat {
    static func format(_ address: SocketAddress) -> String {
        let port = address.port.map { ":\($0)" } ?? ""
        if case .v6 = address { return "[\(address.ipAddress ?? "?")]\(port)" }
        return "\(address.ipAddress ?? "?")\(port)"
    }
}

extension ServerHealth {
    /// The smoothed RTT in milliseconds, nil when never measured.
    public func knownSRTT(_ address: SocketAddress) -> Double? {
        self.state.withLock { $0.srtt[address] }
    }
}
