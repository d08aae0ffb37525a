// SPDX-License-Identifier: Apache-2.0

import DNSResolver
import HanonConfig
import HanonServer
import Testing

/// `[resolver]`'s prefetch and serve-stale keys reach the resolver's options and cache policy.
@Suite struct ResolverStaleSettingsTests {
    static func settings(_ lines: String) throws -> ResolverSettings {
        let config = try Config.parse(text: "[resolver]\nlisten = [\"127.0.0.1:53\"]\n" + lines, file: "hanon.toml")
        return try ResolverSettings(config: try #require(config.resolver))
    }

    @Test func defaults() throws {
        let s = try Self.settings("")
        #expect(s.options.prefetch && !s.cache.serveStale)
        #expect(s.cache.staleAnswerTTL == 30 && s.cache.maxStaleTTL == 86_400 && s.cache.staleRefreshTime == 30)
        #expect(s.options.staleAnswerClientTimeout == .milliseconds(1800))
    }

    @Test func givenValues() throws {
        let s = try Self.settings(
            """
            prefetch = false
            serve-stale = true
            stale-answer-ttl = "5s"
            max-stale-ttl = "2h"
            stale-refresh-time = "10s"
            stale-answer-client-timeout = 0
            """)
        #expect(!s.options.prefetch && s.cache.serveStale)
        #expect(s.cache.staleAnswerTTL == 5 && s.cache.maxStaleTTL == 7200 && s.cache.staleRefreshTime == 10)
        #expect(s.options.staleAnswerClientTimeout == nil)
    }
}
