// SPDX-License-Identifier: Apache-2.0

import NIOSSL

/// The endpoint's TLS identity: a PEM certificate chain (leaf first) and
/// its PEM private key, ready to serve (TLS 1.2 and later).
public struct DynDNS2Certificate: Sendable {
    let context: NIOSSLContext

    /// Reads and checks both files; the error names the file that failed.
    public init(certificateFile: String, keyFile: String) throws {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificateFile)
        } catch {
            throw DynDNS2CertificateError("\(certificateFile): not a readable PEM certificate (\(error))")
        }
        guard !chain.isEmpty else { throw DynDNS2CertificateError("\(certificateFile): no certificate in the file") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyFile, format: .pem)
        } catch {
            throw DynDNS2CertificateError("\(keyFile): not a readable PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            self.context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw DynDNS2CertificateError(
                "\(certificateFile), \(keyFile): cannot be used together (does the key match the certificate?): \(error)"
            )
        }
    }
}

/// A certificate or key that cannot be used.
public struct DynDNS2CertificateError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
