// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Synchronization

/// The resolutions of client questions running now, by question (name,
/// type, class; DO and CD do not matter, the answer is filtered per client
/// afterwards): a client query arriving while its question is being
/// resolved waits for that resolution instead of iterating again
/// (Unbound's mesh, BIND's fetch sharing).
///
/// Only client-level resolutions (depth 0) and prefetches are registered;
/// the sub-lookups inside them (name-server addresses, the validator's
/// DNSKEY and DS) never wait on an entry, so no resolution can wait on
/// itself or on another that waits on it: no deadlock, and the depth and
/// budget limits stay those of the one resolution that runs.
final class InFlightTable<Value: Sendable>: Sendable {
    private struct Entry {
        var task: Task<Value, Never>
        var waiters: Int
    }

    private struct State {
        var entries: [Question: Entry] = [:]
        var coalesced = 0
        var turnedAway = 0
    }

    private let state = Mutex(State())
    /// The most clients waiting on one resolution (the first included).
    let maxWaiters: Int

    init(maxWaiters: Int) { self.maxWaiters = max(maxWaiters, 1) }

    /// The resolution of `question` running now, joined; or a new one made
    /// by `start` (which must end by calling ``finish(_:)``). Nil when
    /// ``maxWaiters`` clients already wait on it.
    func join(_ question: Question, start: () -> Task<Value, Never>) -> Task<Value, Never>? {
        self.state.withLock { state in
            if let entry = state.entries[question] {
                guard entry.waiters < self.maxWaiters else {
                    state.turnedAway += 1
                    return nil
                }
                state.entries[question]?.waiters += 1
                state.coalesced += 1
                return entry.task
            }
            let task = start()
            state.entries[question] = Entry(task: task, waiters: 1)
            return task
        }
    }

    /// Starts `start`'s resolution of `question` unless one is running;
    /// true when started.
    @discardableResult
    func startIfIdle(_ question: Question, start: () -> Task<Value, Never>) -> Bool {
        self.state.withLock { state in
            guard state.entries[question] == nil else { return false }
            state.entries[question] = Entry(task: start(), waiters: 0)
            return true
        }
    }

    /// Called by a resolution when its result is stored: later queries
    /// read the cache.
    func finish(_ question: Question) {
        _ = self.state.withLock { $0.entries.removeValue(forKey: question) }
    }

    /// Resolutions running now.
    var count: Int { self.state.withLock { $0.entries.count } }
    /// Client queries that waited on another's resolution since the start.
    var coalesced: Int { self.state.withLock { $0.coalesced } }
    /// Client queries refused a place because too many waited already.
    var turnedAway: Int { self.state.withLock { $0.turnedAway } }
}
