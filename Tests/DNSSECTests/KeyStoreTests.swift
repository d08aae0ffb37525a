// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Foundation
import Testing

@testable import DNSSEC

/// Keys written to and read from a directory in BIND's format.
@Suite struct KeyStoreTests {
    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "hanon-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: [DNSSECAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .rsaSHA256])
    func generatedKeysRoundTrip(_ algorithm: DNSSECAlgorithm) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let zone = name("Example.ORG.")
        let ksk = try ZoneKey.generate(zone: zone, algorithm: algorithm, sep: true, now: 1_700_000_000)
        let zsk = try ZoneKey.generate(zone: zone, algorithm: algorithm, sep: false, now: 1_700_000_000)
        #expect(ksk.dnskey.flags == 257 && zsk.dnskey.flags == 256)
        let base = try KeyStore.write(ksk, directory: directory)
        try KeyStore.write(zsk, directory: directory)
        let expectedBase =
            "Kexample.org.+\(String(format: "%03d", Int(algorithm.rawValue)))+"
            + String(format: "%05d", Int(ksk.keyTag))
        #expect(base == directory + "/" + expectedBase)

        // The private file is 0600, the public one 0644.
        let privateMode = try FileManager.default.attributesOfItem(atPath: base + ".private")[.posixPermissions] as? Int
        let publicMode = try FileManager.default.attributesOfItem(atPath: base + ".key")[.posixPermissions] as? Int
        #expect(privateMode == 0o600)
        #expect(publicMode == 0o644)

        let loaded = try KeyStore.load(zone: zone, directory: directory)
        #expect(loaded.count == 2)
        for original in [ksk, zsk] {
            let copy = try #require(loaded.first { $0.keyTag == original.keyTag })
            #expect(copy.dnskey == original.dnskey)
            #expect(copy.created == 1_700_000_000)
            // The loaded private key signs what the original public key verifies.
            let data: [UInt8] = [1, 2, 3]
            #expect(try DNSSECPublicKey(original.dnskey).isValidSignature(try copy.key.sign(data), for: data))
        }
        // A key is never overwritten.
        #expect(throws: DNSSECError.keyFile) { try KeyStore.write(ksk, directory: directory) }
        // Another zone's keys are not loaded.
        #expect(try KeyStore.load(zone: name("example.net."), directory: directory).isEmpty)
    }

    /// A key made by `dnssec-keygen` (ECDSA P-256, the RFC 6605 example key).
    @Test func readsBINDKeyFiles() throws {
        let publicText = """
            ; This is a key-signing key, keyid 55648, for example.net.
            ; Created: 20100812100439 (Thu Aug 12 10:04:39 2010)
            example.net. IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edb krSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==
            """
        let privateText = """
            Private-key-format: v1.3
            Algorithm: 13 (ECDSAP256SHA256)
            PrivateKey: GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ=
            Created: 20100812100439
            """
        let key = try KeyStore.parse(publicText: publicText, privateText: privateText)
        #expect(key.keyTag == 55648)
        #expect(key.isSecureEntryPoint)
        #expect(key.zone == name("example.net."))
        #expect(KeyStore.privateText(key).contains("PrivateKey: GU6SnQ/Ou+xC5RumuIUIuJZteXT2z0O/ok1s38Et6mQ="))
    }

    @Test(arguments: [
        ("", "Private-key-format: v1.3\nAlgorithm: 13\nPrivateKey: AAAA\n"),
        ("example. IN A 192.0.2.1", "Private-key-format: v1.3\nAlgorithm: 13\nPrivateKey: AAAA\n"),
        ("example. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", ""),
        ("example. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", "Algorithm: 13\nPrivateKey: x"),
        ("example. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", "Algorithm: 15\nPrivateKey: !!"),
        // Valid private key, but not the DNSKEY's.
        (
            "example. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=",
            "Algorithm: 15\nPrivateKey: DSSF3o0s0f+ElWzj9E/Osxw8hLpk55chkmx0LYN5WiY="
        ),
        ("example. IN DNSKEY 257 3 8 AwEAAQ==", "Algorithm: 8\nModulus: AQAB\n"),
    ])
    func badKeyFilesThrow(_ publicText: String, _ privateText: String) {
        #expect(throws: DNSSECError.self) { try KeyStore.parse(publicText: publicText, privateText: privateText) }
    }

    @Test func missingDirectoryThrows() {
        #expect(throws: DNSSECError.keyFile) {
            try KeyStore.load(zone: name("example."), directory: "/nonexistent/hanon-keys")
        }
    }
}
