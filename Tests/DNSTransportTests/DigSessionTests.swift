// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import NIOCore
import Testing

@testable import DNSTransport

@Suite struct DigSessionTests {
    /// Runs a session and collects what it prints.
    func run(_ words: [String], targets: [DigTarget]) async throws -> (status: Int32, out: String, err: String) {
        let session = DigSession(words: words, arguments: try DigArguments(words))
        var out = ""
        var err = ""
        let status = await session.run(targets: targets) { stream, text in
            if stream == .standardOutput { out += text } else { err += text }
        }
        return (status, out, err)
    }

    @Test func resolvConfUnspecifiedAddressMeansThisHostAndSaysSo() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in
            [Replies.answer(q, ["www.example. 300 IN A 192.0.2.1"])]
        })
        defer { Task { await responder.stop() } }
        // `::` is ::1 (nobody listens there on this port), then 0.0.0.0 is 127.0.0.1.
        let conf = ResolvConf(parsing: "nameserver ::\nnameserver 0.0.0.0\n")
        let targets = conf.digTargets(path: "/etc/resolv.conf")
        #expect(targets.map(\.host) == ["::1", "127.0.0.1"])
        let result = try await self.run(["-p", String(responder.port), "www.example.", "+timeout=1"], targets: targets)
        #expect(result.status == 0)
        #expect(result.err == "using 127.0.0.1 (from nameserver 0.0.0.0 in /etc/resolv.conf: this host)\n")
        #expect(result.out.hasPrefix(";; communications error to ::1#\(responder.port): "))
        #expect(result.out.contains(";; SERVER: 127.0.0.1#\(responder.port)(127.0.0.1) (UDP)\n"))
        #expect(result.out.contains("www.example.\t\t300\tIN\tA\t192.0.2.1\n"))
        #expect(!result.out.contains("(1 server found)"))
    }

    @Test func familyFilterKeepsOnlyThatFamily() {
        let conf = ResolvConf(parsing: "nameserver ::\nnameserver 0.0.0.0\n")
        #expect(conf.digTargets(path: "p", family: 4).map(\.host) == ["127.0.0.1"])
        #expect(conf.digTargets(path: "p", family: 6).map(\.host) == ["::1"])
    }

    @Test func explicitServerPrintsNoReasonAndBanner() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in [Replies.answer(q, [])] })
        defer { Task { await responder.stop() } }
        let words = ["@127.0.0.1", "-p", String(responder.port), "example.", "SOA"]
        let result = try await self.run(words, targets: [DigTarget(host: "127.0.0.1")])
        #expect(result.status == 0)
        #expect(result.err.isEmpty)
        #expect(result.out.hasPrefix("\n; <<>> hanon query <<>> \(words.joined(separator: " "))\n; (1 server found)\n"))
    }

    @Test func noServerAnswersIsStatusNine() async throws {
        let refusing = try RefusingPort()
        defer { withExtendedLifetime(refusing) {} }
        let port = refusing.port
        let result = try await self.run(
            ["-p", String(port), "x.example.", "+short"], targets: [DigTarget(host: "127.0.0.1", reason: "r")])
        #expect(result.status == 9)
        #expect(result.err.isEmpty)
        #expect(
            result.out
                == ";; communications error to 127.0.0.1#\(port): connection refused\n;; no servers could be reached\n")
    }

    @Test func shortPrintsOnlyRDATA() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in
            [Replies.answer(q, ["example. 300 IN MX 10 mail.example.", "example. 300 IN MX 20 mx2.example."])]
        })
        defer { Task { await responder.stop() } }
        let result = try await self.run(
            ["@127.0.0.1", "-p", String(responder.port), "example.", "MX", "+short"],
            targets: [DigTarget(host: "127.0.0.1")])
        #expect(result.out == "10 mail.example.\n20 mx2.example.\n")
    }
}
