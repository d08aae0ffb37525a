// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The security status of a response (RFC 4033 §5, RFC 4035 §4.3).
public enum SecurityStatus: Sendable, Hashable {
    /// Every RRset and denial in the response validated along a chain of
    /// trust from a trust anchor: AD may be set.
    case secure
    /// Provably unsigned: a proof that the zone has no DS was validated (or
    /// the name lies below no trust anchor).
    case insecure
    /// A chain of trust should exist and does not: the answer is SERVFAIL
    /// with this Extended DNS Error (RFC 8914) and reason.
    case bogus(EDNSOption.ExtendedError.InfoCode, reason: String)
    /// No trust anchor covers the name, or the records needed could not be
    /// fetched (RFC 4035 §4.3).
    case indeterminate
}

/// How the validator asks the resolver for the records it needs (DNSKEY
/// and DS RRsets, and their denials): answered from the cache or by
/// iteration, not validated again (as with CD set), nil when no response.
public protocol ValidationLookup: Sendable {
    func lookup(_ name: DomainName, _ type: RecordType) async -> DNSMessage?
}

/// Validates responses the resolver got by iteration before they are cached
/// and answered.
public protocol ResponseValidating: Sendable {
    /// The status of `response`, the answer to `question` (its CNAME/DNAME
    /// chain, RRsets and denials), fetching keys through `lookup`.
    func validate(_ response: DNSMessage, question: Question, lookup: any ValidationLookup) async -> SecurityStatus
}
