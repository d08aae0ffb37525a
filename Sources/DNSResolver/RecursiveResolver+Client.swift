// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Synchronization

/// A client-level answer: the message and status ``RecursiveResolver/lookup``
/// gives, and whether it is served stale.
struct LookupAnswer: Sendable {
    var message: DNSMessage
    var status: SecurityStatus?
    /// Set when the answer is served stale (RFC 8767): the Extended DNS
    /// Error to add (RFC 8914 §4.4 Stale Answer, §4.20 Stale NXDOMAIN Answer).
    var staleCode: EDNSOption.ExtendedError.InfoCode? = nil
}

/// Who a resolution is for: what it does when iteration fails.
enum ResolutionMode: Sendable, Equatable {
    /// A client's question: serve stale data if held, else remember the failure.
    case client
    /// A sub-lookup (addresses, the validator's keys): remember the failure.
    case subLookup
    /// A background refresh of a live entry: leave the entry as it is.
    case prefetch
}

extension RecursiveResolver {
    /// A client's question (depth 0): a live entry (starting a prefetch when
    /// due); the stale answer kept behind a failed refresh; or the
    /// resolution of the question, shared with every client asking it
    /// meanwhile (``InFlightTable``). With stale data held, the client
    /// waits at most ``ResolverOptions/staleAnswerClientTimeout`` and then
    /// gets the stale answer while the resolution goes on (RFC 8767 §5).
    func clientLookup(_ question: Question) async -> LookupAnswer {
        let now = ContinuousClock.now
        if let (entry, elapsed) = self.cache.answer(question, at: now) {
            if entry.rcode == .servFail, let held = entry.stale,
                let stale = self.cache.servableStale(held, at: now)
            {
                // A refresh failed within the stale-refresh time: stale at once (RFC 8767 §4).
                return self.staleResult(stale, question: question)
            }
            self.prefetchIfDue(question, entry, elapsed: elapsed)
            let (message, status) = await self.fromCache(entry, elapsed: elapsed, question: question, validate: true)
            return LookupAnswer(message: message, status: status)
        }
        let stale = self.cache.staleAnswer(question, at: now)
        let flight = self.inFlight.join(question) { self.startResolution(question, mode: .client) }
        guard let flight else {
            if let stale { return self.staleResult(stale, question: question) }
            let reason = "too many queries waiting for \(question.name) \(question.type)"
            return LookupAnswer(message: Self.failureMessage(question, .other, reason), status: nil)
        }
        guard let stale else { return await flight.value }
        var answer: LookupAnswer
        if let timeout = self.options.staleAnswerClientTimeout {
            guard let done = await Self.value(of: flight, within: timeout) else {
                return self.staleResult(stale, question: question)
            }
            answer = done
        } else {
            answer = await flight.value
        }
        // A prefetch's failure (joined after expiry) stores nothing: stale here too.
        if answer.message.rcode == .servFail, answer.staleCode == nil, answer.status == nil {
            answer = self.staleResult(stale, question: question)
        }
        return answer
    }

    /// A task resolving `question` at depth 0 with its own budget, which
    /// leaves the in-flight table when its result is stored.
    func startResolution(_ question: Question, mode: ResolutionMode) -> Task<LookupAnswer, Never> {
        Task.detached {
            let budget = WorkBudget(limits: self.options.limits)
            let answer = await self.resolveAndStore(question, validate: true, budget: budget, depth: 0, mode: mode)
            self.inFlight.finish(question)
            return answer
        }
    }

    /// `stale` served: TTLs set to the stale-answer-ttl, with its EDE.
    func staleResult(_ stale: CachedAnswer, question: Question) -> LookupAnswer {
        LookupAnswer(
            message: stale.staleMessage(for: question, ttl: self.cache.policy.staleAnswerTTL), status: stale.status,
            staleCode: stale.staleCode)
    }

    /// `task`'s value if it comes within `timeout`, else nil (the task runs on).
    static func value(of task: Task<LookupAnswer, Never>, within timeout: Duration) async -> LookupAnswer? {
        await withCheckedContinuation { (continuation: CheckedContinuation<LookupAnswer?, Never>) in
            let once = ResumeOnce(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                once.resume(nil)
            }
            Task {
                let value = await task.value
                once.resume(value)
                timer.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }

    func resume(_ value: T) {
        self.continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
