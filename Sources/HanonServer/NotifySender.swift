// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import Logging
import NIOCore
import Synchronization

/// Sends NOTIFY (RFC 1996) to a zone's secondaries when it changed, over
/// UDP, each target on its own: the message is sent again with a doubling
/// wait (2 s, 4 s, 8 s, … by default) until a matching reply comes
/// (RFC 1996 §3.6: same ID, opcode and question) or the tries run out.
/// One log line per target and change says how it ended.
final class NotifySender: Sendable {
    /// Tries and waits.
    struct Schedule: Sendable {
        /// Sends before giving up.
        var tries = 5
        /// Wait for a reply after the first send; doubled after each.
        var firstWait: Duration = .seconds(2)
    }

    /// How one NOTIFY ended.
    enum Outcome: Sendable, Hashable {
        /// The secondary answered, with this RCODE, after `tries` sends.
        case answered(RCode, tries: Int)
        /// No matching reply after every try.
        case noAnswer(tries: Int)
        /// A NOTIFY for a newer change to the same target started meanwhile.
        case superseded
    }

    let logger: Logger
    let schedule: Schedule
    private let client: DNSClient
    /// The latest NOTIFY started per zone and target: an older one still
    /// retrying stops (RFC 1996 §3.8 asks only that the newest be delivered).
    private let latest = Mutex<[String: Int]>([:])
    /// The last outcome per zone and target, for `hanon zone status`.
    private let outcomes = Mutex<[DomainName: [String: String]]>([:])

    /// "TARGET: serial S RCODE" (or "no answer") per target of `origin`, sorted.
    func lastOutcomes(for origin: DomainName) -> [String] {
        self.outcomes.withLock { ($0[origin] ?? [:]).map { "\($0.key): \($0.value)" }.sorted() }
    }

    private func record(_ origin: DomainName, _ peer: String, _ text: String) {
        self.outcomes.withLock { $0[origin, default: [:]][peer] = text }
    }

    init(logger: Logger, schedule: Schedule = Schedule(), client: DNSClient = DNSClient()) {
        self.logger = logger
        self.schedule = schedule
        self.client = client
    }

    /// Notifies every target of `soa` (the zone's new SOA) in the background.
    func notify(origin: DomainName, soa: ResourceRecord, targets: [SocketAddress]) {
        for target in targets {
            Task { await self.notify(origin: origin, soa: soa, target: target) }
        }
    }

    /// Notifies one target and waits for the outcome (logged, and returned for tests).
    @discardableResult
    func notify(origin: DomainName, soa: ResourceRecord, target: SocketAddress) async -> Outcome {
        let message = Notify.message(origin: origin, soa: soa)
        let serial: UInt32
        if case .soa(let fields) = soa.rdata { serial = fields.serial } else { serial = 0 }
        let peer = DNSListener.format(target)
        var wait = self.schedule.firstWait
        let tries = max(1, self.schedule.tries)
        let key = "\(origin) \(peer)"
        let generation = self.latest.withLock { latest in
            latest[key, default: 0] += 1
            return latest[key, default: 0]
        }
        for attempt in 1...tries {
            if self.latest.withLock({ $0[key] }) != generation {
                self.logger.info("notify \(origin) serial \(serial) to \(peer): superseded by a newer change")
                return .superseded
            }
            let started = ContinuousClock.now
            do {
                let options = DNSQueryOptions(timeout: wait, tries: 1, tcpOnly: false, retryTruncatedOverTCP: false)
                let response = try await self.client.query(message, server: target, options: options)
                // The client matched ID and question; the opcode must be NOTIFY too (RFC 1996 §4.7).
                if response.message.header.opcode == .notify {
                    let rcode = response.message.rcode
                    let text = "notify \(origin) serial \(serial) to \(peer): \(rcode) after \(attempt) tries"
                    if rcode == .noError { self.logger.info("\(text)") } else { self.logger.warning("\(text)") }
                    self.record(origin, peer, "serial \(serial) \(rcode)")
                    return .answered(rcode, tries: attempt)
                }
            } catch {
                // A timeout, or an ICMP unreachable: wait out the rest of the period and try again.
                let left = wait - (ContinuousClock.now - started)
                if (attempt < tries) && (left > .zero) { try? await Task.sleep(for: left) }
            }
            wait = wait * 2
        }
        self.logger.warning("notify \(origin) serial \(serial) to \(peer): no answer after \(tries) tries")
        self.record(origin, peer, "serial \(serial) no answer")
        return .noAnswer(tries: tries)
    }
}
