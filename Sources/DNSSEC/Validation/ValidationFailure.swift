// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Why DNSSEC validation did not reach a secure result: the Extended DNS
/// Error (RFC 8914 §4) a resolver puts in its SERVFAIL, and a reason naming
/// the zone, the record and the key tag.
///
/// The codes used (RFC 8914 §4): 1 Unsupported DNSKEY Algorithm, 2
/// Unsupported DS Digest Type, 6 DNSSEC Bogus, 7 Signature Expired, 8
/// Signature Not Yet Valid, 9 DNSKEY Missing, 10 RRSIGs Missing, 12 NSEC
/// Missing, 27 Unsupported NSEC3 Iterations Value.
public struct ValidationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: EDNSOption.ExtendedError.InfoCode
    public var reason: String

    public init(_ code: EDNSOption.ExtendedError.InfoCode, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "EDE \(self.code.rawValue): \(self.reason)" }

    /// How bad a failure is when several signatures fail for different
    /// reasons: the one reported is the most specific (a bad signature over
    /// an expired one over a missing key).
    var rank: Int {
        switch self.code {
        case .dnssecBogus: return 5
        case .signatureExpired, .signatureNotYetValid: return 4
        case .dnskeyMissing: return 3
        case .unsupportedDNSKEYAlgorithm: return 2
        default: return 1
        }
    }

    /// The more specific of two failures (see ``rank``).
    static func worst(_ a: ValidationFailure?, _ b: ValidationFailure) -> ValidationFailure {
        guard let a else { return b }
        return b.rank > a.rank ? b : a
    }
}
