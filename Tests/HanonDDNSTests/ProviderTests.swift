// SPDX-License-Identifier: Apache-2.0

import Foundation
import HanonDDNS
import Testing

/// Each provider against a test server speaking its protocol over HTTPS with the test CA.
@Suite struct ProviderTests {
    let v4 = IPAddress("198.51.100.7")
    let v6 = IPAddress("2001:db8:1::7")

    @Test func dyndns2SendsHostnameMyipAndBasicAuth() async throws {
        let ca = try SharedCA.get()
        let server = try await TestHTTPSServer.start(ca.good) { request in
            (200, "good \(request.query["myip"] ?? "")")
        }
        defer { Task { await server.stop() } }
        let provider = DynDNS2Provider(
            server: try #require(HTTPSURL("https://localhost:\(server.port)")), user: "alice", password: "s3cret:x",
            client: try ca.client())
        let outcome = await provider.update(name: "home.example.org", addresses: RecordAddresses(v4: v4, v6: v6))
        #expect(outcome == .updated("good 198.51.100.7,2001:db8:1::7"))
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.path == "/nic/update")
        #expect(request.query["hostname"] == "home.example.org")
        #expect(request.query["myip"] == "198.51.100.7,2001:db8:1::7")
        // base64("alice:s3cret:x")
        #expect(request.header("Authorization") == "Basic YWxpY2U6czNjcmV0Ong=")
        #expect(request.header("Host") == "localhost:\(server.port)")
    }

    @Test(arguments: [
        (200, "good 192.0.2.1", "updated"),
        (200, "nochg 192.0.2.1", "unchanged"),
        (200, "badauth", "permanent"),
        (401, "", "permanent"),
        (200, "nohost", "permanent"),
        (200, "notfqdn", "permanent"),
        (200, "abuse", "permanent"),
        (200, "!donator", "permanent"),
        (200, "numhost", "permanent"),
        (200, "badagent", "permanent"),
        (200, "911", "temporary"),
        (200, "dnserr", "temporary"),
        (503, "", "temporary"),
        (200, "", "temporary"),
        (200, "<html>garbage</html>", "temporary"),
        (200, "\u{0}\u{1}\u{2}", "temporary"),
    ])
    func dyndns2AnswersMapToStates(status: Int, body: String, kind: String) {
        #expect(Self.kind(DynDNS2Provider.outcome(status: status, body: body)) == kind)
    }

    @Test func zoneeditSendsHostDnstoAndReadsItsTags() async throws {
        let ca = try SharedCA.get()
        let server = try await TestHTTPSServer.start(ca.good) { request in
            if request.query["type"] == "AAAA" {
                return (200, "<SUCCESS CODE=\"201\" TEXT=\"No records need updating.\" ZONE=\"example.org\">")
            }
            return (
                200,
                "<SUCCESS CODE=\"200\" TEXT=\"Update succeeded.\" ZONE=\"example.org\" IP=\"\(request.query["dnsto"] ?? "")\">"
            )
        }
        defer { Task { await server.stop() } }
        let provider = ZoneEditProvider(
            server: try #require(HTTPSURL("https://127.0.0.1:\(server.port)")), user: "bob", password: "token",
            client: try ca.client())
        let outcome = await provider.update(name: "home.example.org", addresses: RecordAddresses(v4: v4, v6: v6))
        #expect(outcome == .updated("200 Update succeeded."))
        #expect(server.requests.count == 2)
        let first = try #require(server.requests.first)
        #expect(first.path == "/auth/dynamic.html")
        #expect(first.query["host"] == "home.example.org")
        #expect(first.query["dnsto"] == "198.51.100.7")
        #expect(first.header("Authorization") == "Basic Ym9iOnRva2Vu")
        #expect(server.requests.last?.query["dnsto"] == "2001:db8:1::7")
    }

    @Test(arguments: [
        (200, "<SUCCESS CODE=\"200\" TEXT=\"Update succeeded.\" ZONE=\"a.test\" IP=\"192.0.2.1\">", "updated"),
        (200, "<SUCCESS CODE=\"201\" TEXT=\"No records need updating.\" ZONE=\"a.test\">", "unchanged"),
        (200, "<ERROR CODE=\"707\" TEXT=\"Duplicate updates for the same host/ip\" ZONE=\"a.test\">", "unchanged"),
        (200, "<ERROR CODE=\"701\" TEXT=\"Zone is not set up in this account.\" ZONE=\"bad.test\">", "permanent"),
        (200, "<ERROR CODE=\"708\" TEXT=\"Failed Login: user\">", "permanent"),
        (200, "<ERROR CODE=\"702\" TEXT=\"Minimum 600 seconds between requests\">", "temporary"),
        (401, "", "permanent"),
        (200, "<html><body>maintenance</body></html>", "temporary"),
        (200, "<SUCCESS", "temporary"),
        (200, "<ERROR CODE=>", "temporary"),
        (500, "", "temporary"),
    ])
    func zoneeditAnswersMapToStates(status: Int, body: String, kind: String) {
        #expect(Self.kind(ZoneEditProvider.outcome(status: status, body: body)) == kind)
    }

    @Test func cloudflareFindsTheZonePatchesARecordAndCreatesAnother() async throws {
        let ca = try SharedCA.get()
        let zoneID = "023e105f4ecef8ad9ca31a8372d0c353"
        let recordID = "372e67954025e0ba6aaa6d586b9e0b59"
        let server = try await TestHTTPSServer.start(ca.good) { request in
            guard request.header("Authorization") == "Bearer tok-123" else {
                return (403, #"{"success":false,"errors":[{"code":9109,"message":"Invalid access token"}]}"#)
            }
            switch (request.method, request.path) {
            case ("GET", "/client/v4/zones") where request.query["name"] == "example.org":
                return (200, #"{"success":true,"errors":[],"result":[{"id":"\#(zoneID)","name":"example.org"}]}"#)
            case ("GET", "/client/v4/zones/\(zoneID)/dns_records") where request.query["type"] == "A":
                return (
                    200,
                    #"{"success":true,"errors":[],"result":[{"id":"\#(recordID)","type":"A","content":"192.0.2.99"}]}"#
                )
            case ("GET", "/client/v4/zones/\(zoneID)/dns_records"):
                return (200, #"{"success":true,"errors":[],"result":[]}"#)
            case ("PATCH", "/client/v4/zones/\(zoneID)/dns_records/\(recordID)"),
                ("POST", "/client/v4/zones/\(zoneID)/dns_records"):
                return (200, #"{"success":true,"errors":[],"result":{}}"#)
            default:
                return (404, #"{"success":false,"errors":[{"code":7003,"message":"No route"}]}"#)
            }
        }
        defer { Task { await server.stop() } }
        let api = try #require(HTTPSURL("https://localhost:\(server.port)/client/v4"))
        let provider = CloudflareProvider(api: api, token: "tok-123", zone: "example.org", client: try ca.client())
        let outcome = await provider.update(name: "home.example.org", addresses: RecordAddresses(v4: v4, v6: v6))
        #expect(outcome == .updated("A 198.51.100.7, AAAA 2001:db8:1::7"))
        let writes = server.requests.filter { $0.method != "GET" }
        #expect(writes.map(\.method) == ["PATCH", "POST"])
        let patch = try #require(writes.first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(patch.body.utf8)) as? [String: Any])
        #expect(json["content"] as? String == "198.51.100.7")
        #expect(json["type"] as? String == "A")

        let bad = CloudflareProvider(api: api, token: "wrong", zone: "example.org", client: try ca.client())
        let refused = await bad.update(name: "home.example.org", addresses: RecordAddresses(v4: v4))
        #expect(Self.kind(refused) == "permanent")
        #expect(refused.description.contains("9109"))

        let unknownZone = CloudflareProvider(api: api, token: "tok-123", zone: "nothere.test", client: try ca.client())
        #expect(
            Self.kind(await unknownZone.update(name: "a.nothere.test", addresses: RecordAddresses(v4: v4)))
                == "permanent")
    }

    @Test func cloudflareReportsNoChangeWhenTheContentIsEqual() async throws {
        let ca = try SharedCA.get()
        let server = try await TestHTTPSServer.start(ca.good) { request in
            if request.path.hasSuffix("/zones") {
                return (200, #"{"success":true,"result":[{"id":"abc123"}]}"#)
            }
            return (200, #"{"success":true,"result":[{"id":"def456","content":"198.51.100.7"}]}"#)
        }
        defer { Task { await server.stop() } }
        let provider = CloudflareProvider(
            api: try #require(HTTPSURL("https://localhost:\(server.port)/client/v4")), token: "t", zone: "example.org",
            client: try ca.client())
        #expect(
            await provider.update(name: "h.example.org", addresses: RecordAddresses(v4: v4))
                == .unchanged("A 198.51.100.7"))
        #expect(server.requests.allSatisfy { $0.method == "GET" })
    }

    @Test(arguments: [
        (429, #"{"success":false,"errors":[{"code":971,"message":"throttled"}]}"#, "temporary"),
        (500, "not json", "temporary"),
        (400, #"{"success":false,"errors":[{"code":9005,"message":"bad content"}]}"#, "permanent"),
        (200, #"{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}"#, "permanent"),
        (200, "[1,2", "temporary"),
    ])
    func cloudflareErrorsMapToStates(status: Int, body: String, kind: String) async throws {
        let ca = try SharedCA.get()
        let server = try await TestHTTPSServer.start(ca.good) { _ in (status, body) }
        defer { Task { await server.stop() } }
        let provider = CloudflareProvider(
            api: try #require(HTTPSURL("https://localhost:\(server.port)/client/v4")), token: "t", zone: "example.org",
            client: try ca.client())
        #expect(Self.kind(await provider.update(name: "h.example.org", addresses: RecordAddresses(v4: v4))) == kind)
    }

    static func kind(_ outcome: ProviderOutcome) -> String {
        switch outcome {
        case .updated: "updated"
        case .unchanged: "unchanged"
        case .permanentError: "permanent"
        case .temporaryError: "temporary"
        }
    }
}
