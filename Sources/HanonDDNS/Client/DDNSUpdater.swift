// SPDX-License-Identifier: Apache-2.0

import Foundation
import Logging

/// Keeps records at this host's addresses: detects the addresses, and for each record whose
/// provider does not already hold them, sends an update — unless a permanent error holds
/// (until the record's config changes) or a back-off after a temporary error has not run out.
/// The state is written durably after every pass, so a restart sends nothing that was sent.
public actor DDNSUpdater {
    public let settings: DDNSClientSettings
    let detector: AddressDetector
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        settings: DDNSClientSettings, detector: AddressDetector, logger: Logger = Logger(label: "hanon.ddns"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.settings = settings
        self.detector = detector
        self.logger = logger
        self.now = now
    }

    /// Runs a pass every ``DDNSClientSettings/interval`` until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            _ = await runOnce()
            try? await Task.sleep(for: settings.interval)
        }
    }

    /// One pass: detect, update what needs it, save the state. Returns the new state.
    @discardableResult
    public func runOnce() async -> DDNSState {
        var state: DDNSState
        do {
            state = try DDNSState.load(from: settings.stateFile)
        } catch {
            logger.error("\(error); starting from an empty state")
            state = DDNSState()
        }
        let v4 = await detect(settings.ipv4Source, .v4, &state)
        let v6 = await detect(settings.ipv6Source, .v6, &state)
        for record in settings.records {
            let want = RecordAddresses(v4: record.ipv4 ? v4 : nil, v6: record.ipv6 ? v6 : nil)
            let key = DDNSState.RecordState.key(name: record.name, provider: record.provider.label)
            var entry = state.records[key] ?? .init(name: record.name, provider: record.provider.label)
            guard let decision = decide(entry, record: record, want: want) else { continue }
            logger.info("\(record.name) at \(record.provider.label): sending \(decision)")
            let outcome = await record.provider.update(name: record.name, addresses: want)
            apply(outcome, to: &entry, record: record, want: want)
            state.records[key] = entry
            if outcome.isSuccess {
                logger.notice("\(record.name) at \(record.provider.label): \(outcome)")
            } else {
                logger.error("\(record.name) at \(record.provider.label): \(outcome)")
            }
        }
        do {
            try state.save(to: settings.stateFile)
        } catch {
            logger.error("\(error)")
        }
        return state
    }

    func detect(_ source: AddressSource?, _ family: IPAddress.Family, _ state: inout DDNSState) async -> IPAddress? {
        guard let source else { return nil }
        do {
            let address = try await detector.detect(source, family: family)
            state.detected[family.rawValue] = .init(address: address, source: source.description, at: now())
            return address
        } catch {
            logger.warning("\(family.rawValue) detection: \(error)")
            state.detected[family.rawValue] = .init(
                address: nil, source: source.description, at: now(), error: error.description)
            return nil
        }
    }

    /// Why to send now (for the log), or nil to send nothing.
    func decide(_ entry: DDNSState.RecordState, record: DDNSRecord, want: RecordAddresses) -> String? {
        // Only the families that were detected this time; a family that failed is left alone.
        guard !want.isEmpty else { return nil }
        let sameConfig = entry.configHash == record.configHash
        let text = want.all.map(\.description).joined(separator: ", ")
        switch entry.result {
        case .permanentError? where sameConfig:
            return nil
        case .temporaryError? where sameConfig:
            if let next = entry.nextAttempt, now() < next { return nil }
            return "\(text) (retry \(entry.failures))"
        default:
            if sameConfig, entry.sent == want { return nil }
            return text
        }
    }

    func apply(
        _ outcome: ProviderOutcome, to entry: inout DDNSState.RecordState, record: DDNSRecord, want: RecordAddresses
    ) {
        let t = now()
        entry.lastAttempt = t
        entry.attempted = want
        entry.configHash = record.configHash
        switch outcome {
        case .updated(let m), .unchanged(let m):
            entry.result = { if case .updated = outcome { .updated } else { .unchanged } }()
            entry.message = m
            entry.sent = want
            entry.lastSuccess = t
            entry.failures = 0
            entry.nextAttempt = nil
        case .permanentError(let m):
            entry.result = .permanentError
            entry.message = m
            entry.failures = 0
            entry.nextAttempt = nil
        case .temporaryError(let m):
            entry.result = .temporaryError
            entry.message = m
            entry.failures += 1
            entry.nextAttempt = t.addingTimeInterval(Self.backoff(failures: entry.failures, settings: settings))
        }
    }

    /// `base × 2^(failures−1)`, at most `cap`, in seconds.
    static func backoff(failures: Int, settings: DDNSClientSettings) -> TimeInterval {
        let base =
            Double(settings.retryBase.components.seconds) + Double(settings.retryBase.components.attoseconds) / 1e18
        let cap = Double(settings.retryCap.components.seconds) + Double(settings.retryCap.components.attoseconds) / 1e18
        let factor = pow(2.0, Double(min(max(failures - 1, 0), 30)))
        return min(cap, base * factor)
    }
}
