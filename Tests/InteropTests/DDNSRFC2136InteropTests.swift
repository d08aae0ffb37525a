// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import Foundation
import HanonDDNS
import Testing

/// hanon's DDNS client updating a zone kept by Knot and by BIND with RFC 2136 UPDATE signed with
/// TSIG; dig then shows the new addresses.
@Suite(.serialized) struct DDNSRFC2136InteropTests {
    static let origin = "ddns.test."
    static let zone = """
        $TTL 300
        @ IN SOA ns.ddns.test. admin.ddns.test. 1 3600 600 86400 300
        @ IN NS ns.ddns.test.
        ns IN A 192.0.2.1
        home IN A 192.0.2.99
        myip IN TXT "your address is 2001:db8::abc"

        """
    static let secret = "6Mt3JHRVKSSEf8zGTUXXtpEePumcKBR6TC0/wwr8Fbo="

    static func key(secret: String = secret) throws -> TSIGKey {
        TSIGKey(name: DomainName("ddns-key."), algorithm: .hmacSHA256, secret: try #require(base64(secret)))
    }

    static func base64(_ s: String) -> [UInt8]? { Data(base64Encoded: s).map(Array.init) }

    static func knot() async throws -> PeerServer {
        let directory = try PeerServer.makeDirectory("hanon-ddns-knot")
        try zone.write(to: directory.appendingPathComponent("zone.db"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        return try await PeerServer.start(program: "knotd", directory: directory, origin: origin, log: "knot.log") {
            port in
            let config = """
                server:
                    rundir: "\(directory.path)"
                    listen: 127.0.0.1@\(port)
                    udp-workers: 1
                    tcp-workers: 1
                    background-workers: 1
                database:
                    storage: "\(directory.path)/db"
                log:
                  - target: stderr
                    any: info
                key:
                  - id: ddns-key
                    algorithm: hmac-sha256
                    secret: \(secret)
                acl:
                  - id: update
                    address: 127.0.0.0/8
                    key: ddns-key
                    action: update
                zone:
                  - domain: \(origin)
                    file: "\(directory.path)/zone.db"
                    acl: update
                    zonefile-sync: -1

                """
            let path = directory.appendingPathComponent("knot.conf")
            try config.write(to: path, atomically: true, encoding: .utf8)
            return ["-c", path.path]
        }
    }

    static func bind() async throws -> PeerServer {
        try await PeerServer.bindPrimary(
            origin: origin, zone: zone, key: ("ddns-key", "hmac-sha256", secret), updateByKeyOnly: true)
    }

    static func dig(_ server: PeerServer, _ name: String, _ type: String) async throws -> String {
        let dig = try Peer.require("dig")
        let result = try await runProcessOffThePool(
            dig, ["@127.0.0.1", "-p", String(server.port), name, type, "+short", "+norecurse", "+time=2", "+tries=1"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Detection from a DNS query to a given server (as `dig myip.opendns.com @resolver1.opendns.com`):
    /// an A answer, and an address inside a TXT answer.
    @Test func addressesAreDetectedByADNSQuery() async throws {
        let server = try await Self.knot()
        defer { server.stop() }
        let ca = try #require(try? TrustStore.load(caFile: nil), "no system CA bundle")
        let detector = AddressDetector(
            https: HTTPSClient(verifier: CertificateVerifier(trust: ca)), allowPrivate: true)
        let a = AddressSource.dns(
            name: DomainName("home.ddns.test."), type: .a, server: "127.0.0.1", port: server.port)
        #expect(try await detector.detect(a, family: .v4) == IPAddress("192.0.2.99"))
        let txt = AddressSource.dns(
            name: DomainName("myip.ddns.test."), type: .txt, server: "127.0.0.1", port: server.port)
        #expect(try await detector.detect(txt, family: .v6) == IPAddress("2001:db8::abc"))
        // The documentation address is refused for a public record.
        let strict = AddressDetector(https: HTTPSClient(verifier: CertificateVerifier(trust: ca)), allowPrivate: false)
        await #expect(throws: DDNSError.self) { _ = try await strict.detect(a, family: .v4) }
        // No such name: an error, not an address.
        let missing = AddressSource.dns(
            name: DomainName("none.ddns.test."), type: .a, server: "127.0.0.1", port: server.port)
        await #expect(throws: DDNSError.self) { _ = try await detector.detect(missing, family: .v4) }
    }

    @Test(arguments: ["knot", "bind"])
    func aSignedUpdateChangesTheRecordsAndDigShowsThem(peer: String) async throws {
        let server = try await (peer == "knot" ? Self.knot() : Self.bind())
        defer { server.stop() }
        let provider = RFC2136Provider(
            server: try server.address, zone: try DomainName(Self.origin), key: try Self.key(), ttl: 120)
        let addresses = RecordAddresses(v4: IPAddress("192.0.2.55"), v6: IPAddress("2001:db8::55"))
        let outcome = await provider.update(name: "home.ddns.test", addresses: addresses)
        #expect(outcome.isSuccess, "\(outcome)")
        #expect(try await Self.dig(server, "home.ddns.test", "A") == "192.0.2.55")
        #expect(try await Self.dig(server, "home.ddns.test", "AAAA") == "2001:db8::55")

        // A second change replaces the RRset, not adds to it.
        let again = await provider.update(
            name: "home.ddns.test", addresses: RecordAddresses(v4: IPAddress("192.0.2.56")))
        #expect(again.isSuccess, "\(again)")
        #expect(try await Self.dig(server, "home.ddns.test", "A") == "192.0.2.56")
        #expect(try await Self.dig(server, "home.ddns.test", "AAAA") == "2001:db8::55")

        // A wrong secret, or no key at all, is refused for good and changes nothing.
        let wrong = RFC2136Provider(
            server: try server.address, zone: try DomainName(Self.origin),
            key: try Self.key(secret: "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI="))
        let refused = await wrong.update(
            name: "home.ddns.test", addresses: RecordAddresses(v4: IPAddress("192.0.2.57")))
        guard case .permanentError = refused else {
            Issue.record("wrong key: \(refused)")
            return
        }
        let unsigned = RFC2136Provider(server: try server.address, zone: try DomainName(Self.origin), key: nil)
        let refusedUnsigned = await unsigned.update(
            name: "home.ddns.test", addresses: RecordAddresses(v4: IPAddress("192.0.2.58")))
        guard case .permanentError = refusedUnsigned else {
            Issue.record("unsigned: \(refusedUnsigned)")
            return
        }
        #expect(try await Self.dig(server, "home.ddns.test", "A") == "192.0.2.56")
        // A name outside the zone is refused before anything is sent.
        guard case .permanentError = await provider.update(name: "other.test", addresses: addresses) else {
            Issue.record("out of zone accepted")
            return
        }
    }
}
