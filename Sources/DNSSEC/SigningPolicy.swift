// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// How a zone is signed: the denial of existence and the signature times.
public struct SigningPolicy: Sendable, Hashable {
    /// NSEC (RFC 4034 §4) or NSEC3 (RFC 5155).
    public enum Denial: Sendable, Hashable {
        case nsec
        /// NSEC3 with the RFC 9276 §3.1 defaults: 0 extra iterations, no salt;
        /// Opt-Out (RFC 5155 §6) leaves insecure delegations out of the chain.
        case nsec3(iterations: UInt16 = 0, salt: [UInt8] = [], optOut: Bool = false)
    }

    public var denial: Denial
    /// Signature inception (RFC 4034 §3.1.5), seconds since 1970.
    public var inception: UInt32
    /// Signature expiration, seconds since 1970.
    public var expiration: UInt32
    /// Each RRset's expiration is lowered by a random amount up to this many
    /// seconds, so that the signatures do not all need refreshing at once.
    public var jitter: UInt32
    /// TTL of the DNSKEY RRset when the zone has none; nil: the SOA TTL.
    public var dnskeyTTL: UInt32?
    /// Signing threads (at least 1).
    public var threads: Int

    /// Default validity: 14 days.
    public static let defaultValidity: UInt32 = 14 * 86400
    /// Default backdating of the inception: 1 hour, for clocks that lag.
    public static let defaultBackdate: UInt32 = 3600

    public init(
        denial: Denial = .nsec, inception: UInt32, expiration: UInt32, jitter: UInt32 = 0, dnskeyTTL: UInt32? = nil,
        threads: Int = 2
    ) {
        self.denial = denial
        self.inception = inception
        self.expiration = expiration
        self.jitter = jitter
        self.dnskeyTTL = dnskeyTTL
        self.threads = max(1, threads)
    }

    /// Inception `now − 1 h`, expiration `now + validity`, jitter a tenth of
    /// the validity at most (capped at one day).
    public init(now: UInt32, validity: UInt32 = defaultValidity, denial: Denial = .nsec, threads: Int = 2) {
        self.init(
            denial: denial, inception: now &- Self.defaultBackdate, expiration: now &+ validity,
            jitter: min(validity / 10, 86400), threads: threads)
    }
}
