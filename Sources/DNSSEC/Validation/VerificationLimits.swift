// SPDX-License-Identifier: Apache-2.0

/// Caps on the cryptographic work one response may cost, against KeyTrap
/// (CVE-2023-50387: many DNSKEYs sharing a key tag times many RRSIGs make a
/// validator try every pair) and the NSEC3 closest-encloser variant
/// (CVE-2023-50868), and the NSEC3 iteration ceiling of RFC 9276 §3.2.
///
/// When a cap is reached validation stops and the response is bogus: a
/// fixed, small amount of work whatever the zone publishes.
public struct VerificationLimits: Sendable, Hashable {
    /// DNSKEYs tried for one RRSIG (keys with the RRSIG's tag and algorithm;
    /// RFC 4035 §5.3.1 lets tags collide, real zones have at most two).
    public var keysPerSignature: Int
    /// RRSIGs tried for one RRset.
    public var signaturesPerRRset: Int
    /// Signature verifications for one response, its chain of trust included.
    public var verificationsPerResponse: Int
    /// NSEC3 hash computations for one response.
    public var nsec3HashesPerResponse: Int
    /// NSEC3 records with more iterations are ignored and the zone is
    /// treated as insecure (RFC 9276 §3.2, EDE 27).
    public var maxNSEC3Iterations: UInt16

    public init(
        keysPerSignature: Int = 4, signaturesPerRRset: Int = 8, verificationsPerResponse: Int = 48,
        nsec3HashesPerResponse: Int = 128, maxNSEC3Iterations: UInt16 = 150
    ) {
        self.keysPerSignature = keysPerSignature
        self.signaturesPerRRset = signaturesPerRRset
        self.verificationsPerResponse = verificationsPerResponse
        self.nsec3HashesPerResponse = nsec3HashesPerResponse
        self.maxNSEC3Iterations = maxNSEC3Iterations
    }

    public static let `default` = VerificationLimits()
}

/// The work left for one response; spent by each signature verification and
/// NSEC3 hash. A value type: the validator keeps one per response.
public struct VerificationBudget: Sendable {
    public let limits: VerificationLimits
    /// Signature verifications done so far.
    public private(set) var verifications = 0
    /// NSEC3 hashes computed so far.
    public private(set) var nsec3Hashes = 0

    public init(limits: VerificationLimits = .default) { self.limits = limits }

    /// Counts one verification; false when none is left.
    public mutating func spendVerification() -> Bool {
        guard self.verifications < self.limits.verificationsPerResponse else { return false }
        self.verifications += 1
        return true
    }

    /// Counts one NSEC3 hash; false when none is left.
    public mutating func spendNSEC3Hash() -> Bool {
        guard self.nsec3Hashes < self.limits.nsec3HashesPerResponse else { return false }
        self.nsec3Hashes += 1
        return true
    }

    /// The failure reported when the budget runs out.
    public var exhausted: ValidationFailure {
        ValidationFailure(
            .dnssecBogus,
            "validation work limit reached (\(self.verifications) signature checks, \(self.nsec3Hashes) NSEC3 hashes)")
    }
}
