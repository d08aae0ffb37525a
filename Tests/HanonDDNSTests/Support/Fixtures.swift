// SPDX-License-Identifier: Apache-2.0

import Foundation
import HanonDDNS
import Synchronization

/// One test CA for the whole test process (openssl is slow enough to share it), with the four
/// server certificates the TLS tests need.
struct SharedCA: Sendable {
    let ca: String
    let good: TestCA.ServerCert
    let expired: TestCA.ServerCert
    let wrongName: TestCA.ServerCert
    let unknownCA: TestCA.ServerCert

    static let shared: Result<SharedCA, TestFailure> = {
        do {
            let ca = try TestCA.make()
            return .success(
                SharedCA(
                    ca: ca.caFile,
                    good: try ca.server("good"),
                    expired: try ca.server("expired", start: "20200101000000Z", end: "20200102000000Z"),
                    wrongName: try ca.server("wrong", names: ["other.example"]),
                    unknownCA: try ca.server("unknown", issuer: "otherca")))
        } catch {
            return .failure(TestFailure("\(error)"))
        }
    }()

    static func get() throws -> SharedCA { try shared.get() }

    /// A client trusting only the test CA.
    func client() throws -> HTTPSClient {
        HTTPSClient(verifier: CertificateVerifier(trust: try TrustStore.load(pemFile: ca)), timeout: .seconds(10))
    }
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let dir = NSTemporaryDirectory() + "hanon-ddns-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// A value shared between a test and the closures it hands out.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
