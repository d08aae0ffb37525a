// SPDX-License-Identifier: Apache-2.0

import HanonDDNS
import Testing

/// The HTTPS client refuses a bad certificate, says which check failed, and sends nothing —
/// not the request line, not the credentials.
@Suite struct TLSVerificationTests {
    @Test func aGoodCertificateIsAcceptedByNameAndByAddress() async throws {
        let ca = try SharedCA.get()
        let server = try await TestHTTPSServer.start(ca.good) { _ in (200, "hello") }
        defer { Task { await server.stop() } }
        let client = try ca.client()
        for host in ["localhost", "127.0.0.1"] {
            let url = try #require(HTTPSURL("https://\(host):\(server.port)/x"))
            let response = try await client.send(.GET, url)
            #expect(response.status == 200)
            #expect(response.text == "hello")
        }
        #expect(server.requests.count == 2)
    }

    @Test(arguments: [
        ("expired", TLSVerificationFailure.Check.expired, "expired"),
        ("wrongName", .wrongName, "another name"),
        ("unknownCA", .unknownIssuer, "issuer is unknown"),
    ])
    func aBadCertificateIsRefusedAndNothingIsSent(
        which: String, check: TLSVerificationFailure.Check, words: String
    ) async throws {
        let ca = try SharedCA.get()
        let cert =
            switch which {
            case "expired": ca.expired
            case "wrongName": ca.wrongName
            default: ca.unknownCA
            }
        let server = try await TestHTTPSServer.start(cert) { _ in (200, "good 192.0.2.1") }
        defer { Task { await server.stop() } }
        let client = try ca.client()
        let url = try #require(HTTPSURL("https://localhost:\(server.port)/nic/update?hostname=h.example"))
        await #expect(throws: TLSVerificationFailure.self) {
            _ = try await client.send(.GET, url, headers: [("Authorization", "Basic c2VjcmV0OnNlY3JldA==")])
        }
        do {
            _ = try await client.send(.GET, url)
        } catch let failure as TLSVerificationFailure {
            #expect(failure.check == check)
            #expect(failure.description.contains(words))
            #expect(failure.description.contains("nothing was sent"))
        }
        // Through a provider: the outcome names the failed check, and the server saw no request.
        let provider = DynDNS2Provider(
            server: try #require(HTTPSURL("https://localhost:\(server.port)")), user: "u", password: "secret",
            client: client)
        let outcome = await provider.update(name: "h.example", addresses: RecordAddresses(v4: IPAddress("192.0.2.1")))
        #expect(!outcome.isSuccess)
        #expect(outcome.description.contains(check.rawValue))
        #expect(server.requests.isEmpty)
    }

    @Test func theSystemTrustStoreDoesNotTrustTheTestCA() async throws {
        let ca = try SharedCA.get()
        let server = try await TestHTTPSServer.start(ca.good) { _ in (200, "x") }
        defer { Task { await server.stop() } }
        guard let system = try? TrustStore.load(caFile: nil) else { return }  // no bundle on this machine
        let client = HTTPSClient(verifier: CertificateVerifier(trust: system), timeout: .seconds(10))
        do {
            _ = try await client.send(.GET, try #require(HTTPSURL("https://localhost:\(server.port)/")))
            Issue.record("a certificate from the test CA was accepted with the system store")
        } catch let failure as TLSVerificationFailure {
            #expect(failure.check == .unknownIssuer)
        }
        #expect(server.requests.isEmpty)
    }

    @Test func aMissingOrEmptyCAFileIsAnError() throws {
        let dir = try temporaryDirectory()
        #expect(throws: DDNSError.self) { try TrustStore.load(pemFile: dir + "/none.pem") }
        try "not a certificate\n".write(toFile: dir + "/bad.pem", atomically: true, encoding: .utf8)
        #expect(throws: DDNSError.self) { try TrustStore.load(pemFile: dir + "/bad.pem") }
    }

    @Test(arguments: [
        ("https://example.org", "example.org", 443, "/"),
        ("https://example.org:8443/nic/update?x=1", "example.org", 8443, "/nic/update?x=1"),
        ("https://[2001:db8::1]:444/p", "2001:db8::1", 444, "/p"),
        ("HTTPS://Example.ORG?q", "example.org", 443, "/?q"),
    ])
    func urlsParse(text: String, host: String, port: Int, target: String) throws {
        let url = try #require(HTTPSURL(text))
        #expect(url.host == host)
        #expect(url.port == port)
        #expect(url.target == target)
    }

    @Test(arguments: [
        "http://example.org/", "https://", "https://user:pw@example.org/", "https://example.org:0/",
        "https://example.org:99999/", "https://[::1/", "https://exa mple.org/", "https://example.org/a b",
        "ftp://example.org", "https://[example.org]/",
    ])
    func badURLsAreRefused(text: String) {
        #expect(HTTPSURL(text) == nil)
    }
}
