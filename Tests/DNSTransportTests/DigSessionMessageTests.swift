// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore
import Testing

@testable import DNSTransport

/// What `DigSession` hands the DNSCore renderer about its own query: the
/// client cookie it sent, that the message was received (recursion warning)
/// and the OPT it sent (EDNS warning).
@Suite struct DigSessionMessageTests {
    func run(_ words: [String]) async throws -> String {
        let session = DigSession(words: words, arguments: try DigArguments(words))
        var out = ""
        _ = await session.run(targets: [DigTarget(host: "127.0.0.1")]) { stream, text in
            if stream == .standardOutput { out += text }
        }
        return out
    }

    @Test func cookieEchoedWithServerCookieIsGood() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in
            var reply = q
            reply.header.isResponse = true
            let client = q.edns?.options.first { $0.code == .cookie }?.data ?? []
            reply.edns = EDNS(options: [EDNSOption(code: .cookie, data: client + [9, 9, 9, 9, 9, 9, 9, 9])])
            return [reply.serialize()]
        })
        defer { Task { await responder.stop() } }
        let out = try await self.run(
            ["@127.0.0.1", "-p", String(responder.port), "example.", "+cookie=0102030405060708"])
        #expect(out.contains("\n; COOKIE: 01020304050607080909090909090909 (good)\n"))
        #expect(out.contains("\n;; WARNING: recursion requested but not available\n\n"))
        #expect(!out.contains("EDNS query"))
        #expect(!out.contains("COOKIE mismatch"))
        // The cookie judged is the one this run sent.
        let other = try await self.run(
            ["@127.0.0.1", "-p", String(responder.port), "example.", "+cookie=0807060504030201"])
        #expect(other.contains("\n; COOKIE: 08070605040302010909090909090909 (good)\n"))
    }

    @Test func cookieNotEchoedIsBadWithWarning() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in
            var reply = q
            reply.header.isResponse = true
            reply.edns = EDNS(options: [
                EDNSOption(code: .cookie, data: [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2])
            ])
            return [reply.serialize()]
        })
        defer { Task { await responder.stop() } }
        let out = try await self.run(
            ["@127.0.0.1", "-p", String(responder.port), "example.", "+cookie=0102030405060708"])
        #expect(out.hasPrefix(";; Warning: Client COOKIE mismatch\n\n; <<>> hanon query <<>> "))
        #expect(out.contains("\n; COOKIE: 01010101010101010202020202020202 (bad)\n"))
        let none = try await self.run(["@127.0.0.1", "-p", String(responder.port), "example.", "+nocookie"])
        #expect(!none.contains("mismatch"))
        #expect(none.contains("\n; COOKIE: 01010101010101010202020202020202\n"))
    }

    @Test func formErrWithoutOPTAdvisesNoEDNS() async throws {
        let responder = try await TestResponder.start(udp: { q, _ in
            var reply = q
            reply.header.isResponse = true
            reply.header.recursionAvailable = true
            reply.edns = nil
            reply.rcode = .formErr
            return [reply.serialize()]
        })
        defer { Task { await responder.stop() } }
        let out = try await self.run(["@127.0.0.1", "-p", String(responder.port), "example.", "+dnssec"])
        #expect(
            out.contains(
                "ADDITIONAL: 0\n\n;; WARNING: EDNS query returned status FORMERR - retry with '+nodnssec +noedns'\n\n"))
        #expect(!out.contains("recursion requested"))
        let plain = try await self.run(["@127.0.0.1", "-p", String(responder.port), "example.", "+noedns"])
        #expect(plain.contains("status: FORMERR"))
        #expect(!plain.contains("EDNS query"))
    }
}
