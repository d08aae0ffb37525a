// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Synchronization

extension RecursiveResolver {
    /// Starts one background refresh of `question` when a hit on `entry`
    /// comes in the last tenth of its lifetime (Unbound's `prefetch: yes`
    /// rule), so popular names never expire for clients. Runs on the
    /// listener's thread on every hit: one comparison unless due; once due,
    /// one atomic exchange per entry and one refresh per question at a time
    /// (the in-flight table). A failed prefetch leaves the entry to expire.
    @inline(__always)
    func prefetchIfDue(_ question: Question, _ entry: CachedAnswer, elapsed: UInt32) {
        guard elapsed >= entry.prefetchAt else { return }
        self.prefetchDue(question, entry)
    }

    private func prefetchDue(_ question: Question, _ entry: CachedAnswer) {
        guard self.options.prefetch, entry.rcode != .servFail, let status = entry.status else { return }
        if case .bogus = status { return }
        guard !entry.prefetchStarted.exchange(true, ordering: .relaxed) else { return }
        self.inFlight.startIfIdle(question) { self.startResolution(question, mode: .prefetch) }
    }
}
