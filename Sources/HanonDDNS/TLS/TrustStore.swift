// SPDX-License-Identifier: Apache-2.0

import Foundation
import NIOSSL
import X509

/// The CA certificates a server's chain must lead to: the system's bundle, or a PEM file named
/// in the config (`ddns.ca-file`).
public struct TrustStore: Sendable {
    /// Debian's and Ubuntu's bundle (ca-certificates), then Fedora's and Alpine's.
    public static let systemBundles = [
        "/etc/ssl/certs/ca-certificates.crt",
        "/etc/pki/tls/certs/ca-bundle.crt",
        "/etc/ssl/cert.pem",
    ]

    /// The trusted roots.
    public let roots: [Certificate]
    /// Where they were read from.
    public let source: String

    public init(roots: [Certificate], source: String) {
        self.roots = roots
        self.source = source
    }

    /// Reads every certificate of a PEM file; throws when the file cannot be read or holds none.
    public static func load(pemFile path: String) throws(DDNSError) -> TrustStore {
        let pem: [NIOSSLCertificate]
        do {
            pem = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw DDNSError("cannot read CA file \(path): \(error)")
        }
        var roots: [Certificate] = []
        for cert in pem {
            // A bundle may hold a certificate swift-certificates cannot parse; skip it, as
            // OpenSSL skips what it cannot use.
            if let der = try? cert.toDERBytes(), let parsed = try? Certificate(derEncoded: der) {
                roots.append(parsed)
            }
        }
        guard !roots.isEmpty else { throw DDNSError("CA file \(path) holds no certificate") }
        return TrustStore(roots: roots, source: path)
    }

    /// The CA file named in the config, or else the first system bundle that exists.
    public static func load(caFile: String?) throws(DDNSError) -> TrustStore {
        if let caFile { return try load(pemFile: caFile) }
        for path in systemBundles where FileManager.default.fileExists(atPath: path) {
            return try load(pemFile: path)
        }
        throw DDNSError(
            "no system CA bundle found (\(systemBundles.joined(separator: ", "))); install ca-certificates or set ddns.ca-file"
        )
    }
}
