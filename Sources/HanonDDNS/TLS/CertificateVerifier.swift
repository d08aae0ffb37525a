// SPDX-License-Identifier: Apache-2.0

import Foundation
import NIOSSL
import X509

/// Verifies a server's certificate chain as RFC 5280 §6 and RFC 6125 §6 ask, and says which
/// check failed. Runs inside NIOSSL's custom verification callback, so a refused handshake
/// ends before any request byte is written.
public struct CertificateVerifier: Sendable {
    public let trust: TrustStore
    /// The clock for messages (validity is checked against the system clock).
    public let now: @Sendable () -> Date

    public init(trust: TrustStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.trust = trust
        self.now = now
    }

    /// Checks the chain the server sent (leaf first) for `host` (a name or an IP address).
    public func verify(chain: [NIOSSLCertificate], host: String) async -> TLSVerificationFailure? {
        await verify(der: chain.map { try? $0.toDERBytes() }, host: host)
    }

    /// Checks a chain given as DER (leaf first; nil for a certificate that could not be encoded).
    public func verify(der chain: [[UInt8]?], host: String) async -> TLSVerificationFailure? {
        var parsed: [Certificate] = []
        for der in chain {
            guard let der, let c = try? Certificate(derEncoded: der) else {
                return TLSVerificationFailure(.badCertificate, host: host, detail: "a certificate does not parse")
            }
            parsed.append(c)
        }
        return await verify(parsed: parsed, host: host)
    }

    /// Checks a parsed chain (leaf first).
    public func verify(parsed chain: [Certificate], host: String) async -> TLSVerificationFailure? {
        guard let leaf = chain.first else {
            return TLSVerificationFailure(.badCertificate, host: host, detail: "the server sent no certificate")
        }
        let isIP = IPAddress(host) != nil
        var verifier = Verifier(rootCertificates: CertificateStore(trust.roots)) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: isIP ? nil : host, serverIP: isIP ? host : nil)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst()))
        switch result {
        case .validCertificate:
            return nil
        case .couldNotValidate(let failures):
            // No candidate chain at all: nothing the server sent leads to a trusted root.
            guard !failures.isEmpty else {
                return TLSVerificationFailure(
                    .unknownIssuer, host: host,
                    detail: "issuer \(leaf.issuer) is not among the \(trust.roots.count) CAs of \(trust.source)")
            }
            let reasons = failures.map { $0.policyFailureReason.description }
            let check: TLSVerificationFailure.Check
            if reasons.contains(where: { $0.contains("has expired") }) {
                check = .expired
            } else if reasons.contains(where: { $0.contains("not yet valid") }) {
                check = .notYetValid
            } else if reasons.contains(where: {
                $0.contains("SAN") || $0.contains("Common name") || $0.contains("common name")
            }) {
                check = .wrongName
            } else {
                check = .other
            }
            var detail = reasons.first ?? ""
            if check == .expired || check == .notYetValid {
                detail = "valid \(leaf.notValidBefore) to \(leaf.notValidAfter), now \(now())"
            } else if check == .wrongName {
                detail = "\(host) is not among the names of \(leaf.subject): \(reasons.first ?? "")"
            }
            return TLSVerificationFailure(check, host: host, detail: detail)
        }
    }
}
