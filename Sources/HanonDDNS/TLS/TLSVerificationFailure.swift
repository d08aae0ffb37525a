// SPDX-License-Identifier: Apache-2.0

/// Why a server's certificate was refused. hanon never sends a request (nor credentials) to a
/// server whose certificate fails any of these checks, and there is no way to turn them off.
public struct TLSVerificationFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The check that failed.
    public enum Check: String, Hashable, Sendable {
        /// A certificate of the chain is past its notAfter date (RFC 5280 §4.1.2.5).
        case expired
        /// A certificate of the chain is before its notBefore date (RFC 5280 §4.1.2.5).
        case notYetValid = "not yet valid"
        /// The certificate does not name the host connected to (RFC 6125 §6).
        case wrongName = "wrong name"
        /// No chain leads from the certificate to a trusted root (RFC 5280 §6.1).
        case unknownIssuer = "unknown issuer"
        /// The server sent no certificate, or one that does not parse.
        case badCertificate = "bad certificate"
        /// Another RFC 5280 rule (basic constraints, key usage, name constraints…).
        case other = "refused"
    }

    public var check: Check
    /// The host the client meant to reach.
    public var host: String
    /// Details from the verifier.
    public var detail: String

    public init(_ check: Check, host: String, detail: String) {
        self.check = check
        self.host = host
        self.detail = detail
    }

    public var description: String {
        let what: String
        switch check {
        case .expired: what = "the certificate has expired"
        case .notYetValid: what = "the certificate is not yet valid"
        case .wrongName: what = "the certificate is for another name"
        case .unknownIssuer: what = "the certificate's issuer is unknown (no chain to a trusted CA)"
        case .badCertificate: what = "the certificate could not be read"
        case .other: what = "the certificate was refused"
        }
        return "TLS verification of \(host) failed: \(what) (\(check.rawValue)): \(detail); nothing was sent"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.check == rhs.check && lhs.host == rhs.host }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(check)
        hasher.combine(host)
    }
}
