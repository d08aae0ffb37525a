// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging
import Testing

@testable import HanonDDNS

/// The dyndns2 answers (Dyn's return codes), one line per hostname.
@Suite struct ServerAnswerTests {
    /// `(user, target, status, body)`: the request as a client sends it, with
    /// the router's credentials unless another user is named.
    @Test(arguments: [
        ("router", "/nic/update?hostname=home.example.org&myip=192.0.2.1", 200, "good 192.0.2.1"),
        ("router", "/v3/update?hostname=home.example.org&myip=2001:db8::1", 200, "good 2001:db8::1"),
        (
            "router", "/nic/update?hostname=home.example.org&myip=192.0.2.1,2001:db8::1", 200,
            "good 192.0.2.1,2001:db8::1"
        ),
        ("router", "/nic/update?hostname=home.example.org", 200, "good 198.51.100.7"),  // no myip: the client
        ("router", "/nic/update?hostname=home.example.org&myip=", 200, "good 198.51.100.7"),
        (
            "router", "/nic/update?hostname=home.example.org,x.dyn.example.org&myip=192.0.2.1", 200,
            "good 192.0.2.1\ngood 192.0.2.1"
        ),
        (
            "router", "/nic/update?hostname=home.example.org,laptop.example.org,home&myip=192.0.2.1", 200,
            "good 192.0.2.1\nnohost\nnotfqdn"
        ),
        ("router", "/nic/update?hostname=dyn.example.org&myip=192.0.2.1", 200, "nohost"),
        ("router", "/nic/update?hostname=x.dyn.example.net&myip=192.0.2.1", 200, "nohost"),
        ("router", "/nic/update?hostname=x.dyn.example.org.&myip=192.0.2.1", 200, "good 192.0.2.1"),
        ("laptop", "/nic/update?hostname=laptop.example.org&myip=192.0.2.9", 200, "good 192.0.2.9"),
        ("laptop", "/nic/update?hostname=home.example.org&myip=192.0.2.9", 200, "nohost"),
        (
            "router", "/nic/update?hostname=" + Array(repeating: "home.example.org", count: 21).joined(separator: ","),
            200,
            "numhost"
        ),
        (
            "router", "/nic/update?hostname=home.example.org&myip=nonsense", 400,
            "badrequest: 'nonsense' is not an IP address"
        ),
        (
            "router", "/nic/update?hostname=home.example.org&myip=%G1", 400,
            "badrequest: bad percent-encoding in the query"
        ),
        ("router", "/other", 404, "not found"),
        ("wrong", "/nic/update?hostname=home.example.org&myip=192.0.2.1", 401, "badauth"),
        ("none", "/nic/update?hostname=home.example.org&myip=192.0.2.1", 401, "badauth"),
    ])
    func answers(user: String, target: String, status: Int, body: String) async {
        let authorization: String? =
            switch user {
            case "router": basic("router", "s3cret")
            case "laptop": basic("laptop", "pässwörd")
            case "wrong": basic("router", "guess")
            default: nil
            }
        let response = await testHandler().respond(
            method: "GET", target: target, authorization: authorization, client: clientV4)
        #expect(response.status == status)
        #expect(response.body == body + "\n")
    }

    @Test func sameAddressTwiceIsNoChange() async {
        let writer = RecordingWriter()
        let handler = testHandler(writer)
        let target = "/nic/update?hostname=home.example.org&myip=192.0.2.1"
        let first = await handler.respond(
            method: "GET", target: target, authorization: basic("router", "s3cret"), client: clientV4)
        let second = await handler.respond(
            method: "GET", target: target, authorization: basic("router", "s3cret"), client: clientV4)
        #expect(first.body == "good 192.0.2.1\n")
        #expect(second.body == "nochg 192.0.2.1\n")
        #expect(
            writer.calls
                == Array(
                    repeating: RecordingWriter.Call(name: "home.example.org.", v4: ["192.0.2.1"], v6: [], ttl: 60),
                    count: 2))
    }

    @Test func nameOutsideTheServedZonesIsNoHost() async {
        let writer = RecordingWriter(served: ["example.net."])
        let response = await testHandler(writer).respond(
            method: "GET", target: "/nic/update?hostname=home.example.org&myip=192.0.2.1",
            authorization: basic("router", "s3cret"), client: clientV4)
        #expect(response.body == "nohost\n")
    }

    @Test func failedWriteIsDNSError() async {
        let response = await testHandler(RecordingWriter(failing: true)).respond(
            method: "GET", target: "/nic/update?hostname=home.example.org&myip=192.0.2.1",
            authorization: basic("router", "s3cret"), client: clientV4)
        #expect(response.status == 200)
        #expect(response.body == "dnserr\n")
    }

    @Test func clientIPv6AndMappedIPv4() async throws {
        let writer = RecordingWriter()
        let handler = testHandler(writer)
        let v6 = try #require(DDNSClientAddress("2001:db8::77"))
        let mapped = try #require(DDNSClientAddress("::ffff:192.0.2.44"))
        #expect(mapped == .v4(try #require(IPv4Address("192.0.2.44"))))
        let a = await handler.respond(
            method: "GET", target: "/nic/update?hostname=home.example.org", authorization: basic("router", "s3cret"),
            client: v6)
        #expect(a.body == "good 2001:db8::77\n")
        #expect(
            writer.calls.last == RecordingWriter.Call(name: "home.example.org.", v4: [], v6: ["2001:db8::77"], ttl: 60))
    }

    @Test func badCredentialsAreNeverWritten() async {
        let writer = RecordingWriter()
        let response = await testHandler(writer).respond(
            method: "GET", target: "/nic/update?hostname=home.example.org&myip=192.0.2.1",
            authorization: basic("laptop", "s3cret"), client: clientV4)
        #expect(response.status == 401)
        #expect(response.headers.contains { $0.0 == "WWW-Authenticate" && $0.1.hasPrefix("Basic") })
        #expect(writer.calls.isEmpty)
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "HEAD", "get"])
    func otherMethods(method: String) async {
        let writer = RecordingWriter()
        let response = await testHandler(writer).respond(
            method: method, target: "/nic/update?hostname=home.example.org&myip=192.0.2.1",
            authorization: basic("router", "s3cret"), client: clientV4)
        #expect(response.status == 405)
        #expect(writer.calls.isEmpty)
    }

    @Test func answerWords() {
        let all: [DynDNS2Answer] = [
            .good("192.0.2.1"), .noChange("192.0.2.1"), .badAuth, .noHost, .notFQDN, .tooManyHosts, .abuse, .dnsError,
            .serverError,
        ]
        #expect(
            all.map(\.description) == [
                "good 192.0.2.1", "nochg 192.0.2.1", "badauth", "nohost", "notfqdn", "numhost", "abuse", "dnserr",
                "911",
            ])
    }
}
