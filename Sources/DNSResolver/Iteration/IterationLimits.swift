// SPDX-License-Identifier: Apache-2.0

import Synchronization

/// Bounds on the work one client query may cause (issue 6 item 2), so a
/// hostile or broken zone cannot make the resolver loop or amplify.
public struct IterationLimits: Sendable, Hashable {
    /// Queries sent upstream for one client query, sub-lookups included
    /// (BIND's `max-recursion-queries` is 100, Unbound's per-query cap lower).
    public var maxUpstreamQueries = 64
    /// Referrals followed while resolving one name.
    public var maxReferrals = 30
    /// CNAME and DNAME links followed (RFC 1034 §3.6.2 leaves it to the resolver; Unbound uses 11).
    public var maxChainLength = 12
    /// NS names without glue whose addresses are looked up per delegation:
    /// the NXNSAttack limit (CVE-2020-12662; BIND and Unbound use about 5).
    public var maxNSNamesPerDelegation = 5
    /// Nesting of sub-lookups (addresses of name servers, keys for the validator).
    public var maxDepth = 6
    /// Labels added one at a time by QNAME minimisation before the whole
    /// name is sent (RFC 9156 §2.3, MAX_MINIMISE_COUNT 10).
    public var maxMinimisationSteps = 10

    public init() {}
}

/// The work left for one client query, shared by its sub-lookups.
final class WorkBudget: Sendable {
    private let sent = Atomic<Int>(0)
    let limits: IterationLimits

    init(limits: IterationLimits) { self.limits = limits }

    /// Takes one upstream query from the budget; false when it is spent.
    func takeQuery() -> Bool {
        self.sent.wrappingAdd(1, ordering: .relaxed).newValue <= self.limits.maxUpstreamQueries
    }

    var queriesSent: Int { self.sent.load(ordering: .relaxed) }
}
