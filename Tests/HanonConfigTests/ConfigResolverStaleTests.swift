// SPDX-License-Identifier: Apache-2.0

import Testing

@testable import HanonConfig

/// `[resolver]` keys of the cache's refresh behaviours: prefetch and serve-stale (RFC 8767).
@Suite("[resolver] prefetch and serve-stale")
struct ConfigResolverStaleTests {
    static let listen = "[resolver]\nlisten = [\"127.0.0.1:53\"]\n"

    @Test func defaults() throws {
        let r = try #require(try Config.parse(text: Self.listen, file: "hanon.toml").resolver)
        #expect(r.prefetch && !r.serveStale)
        #expect(r.staleAnswerTTL == .seconds(30) && r.maxStaleTTL == .seconds(86_400))
        #expect(r.staleRefreshTime == .seconds(30) && r.staleAnswerClientTimeoutMs == 1800)
    }

    @Test func everyKey() throws {
        let text =
            Self.listen + """
                prefetch = false
                serve-stale = true
                stale-answer-ttl = "10s"
                max-stale-ttl = "3d"
                stale-refresh-time = "0s"
                stale-answer-client-timeout = 0
                """
        let r = try #require(try Config.parse(text: text, file: "hanon.toml").resolver)
        #expect(!r.prefetch && r.serveStale)
        #expect(r.staleAnswerTTL == .seconds(10) && r.maxStaleTTL == .seconds(3 * 86_400))
        #expect(r.staleRefreshTime == .zero && r.staleAnswerClientTimeoutMs == 0)
    }

    @Test(arguments: [
        ("serve-stale = \"yes\"", "resolver.serve-stale"),
        ("prefetch = 1", "resolver.prefetch"),
        ("stale-answer-ttl = \"0s\"", "resolver.stale-answer-ttl"),
        ("stale-answer-ttl = \"2h\"", "resolver.stale-answer-ttl"),
        ("max-stale-ttl = \"8d\"", "resolver.max-stale-ttl"),
        ("stale-refresh-time = \"soon\"", "resolver.stale-refresh-time"),
        ("stale-answer-client-timeout = 30001", "resolver.stale-answer-client-timeout"),
        ("stale-answer-client-timeout = -1", "resolver.stale-answer-client-timeout"),
        ("serve-expired = true", "unknown key 'resolver.serve-expired'"),
    ])
    func errors(_ line: String, _ fragment: String) {
        let errors = parseErrors(Self.listen + line)
        #expect(errors.count == 1 && errors.first?.contains(fragment) == true, "\(errors)")
    }
}
