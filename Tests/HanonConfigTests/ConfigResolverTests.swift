// SPDX-License-Identifier: Apache-2.0

import Testing

@testable import HanonConfig

@Suite("[resolver]")
struct ConfigResolverTests {
    @Test func absentMeansNoResolver() throws {
        #expect(try Config.parse(text: "", file: "hanon.toml").resolver == nil)
    }

    @Test func defaults() throws {
        let c = try Config.parse(text: "[resolver]\nlisten = [\"127.0.0.1:53\", \"[::1]:53\"]", file: "hanon.toml")
        let r = try #require(c.resolver)
        #expect(r.listen.map(\.description) == ["127.0.0.1:53", "[::1]:53"])
        #expect(r.allow == ["127.0.0.0/8", "::1/128"])
        #expect(r.forward.isEmpty && r.rootHints == nil && r.trustAnchor == nil)
        #expect(r.dnssec && r.qnameMinimisation && !r.allowLoopbackUpstreams)
        #expect(r.cacheSizeMiB == 64 && r.ttlMax == .seconds(86400) && r.ttlMin == .zero)
    }

    @Test func everyKey() throws {
        let text = """
            [resolver]
            listen = ["192.168.1.1:53"]
            allow = ["192.168.0.0/16", "fd00::/8", "::1"]
            root-hints = "root.hints"
            trust-anchor = "/etc/hanon/root.key"
            dnssec = false
            cache-size = 128
            ttl-max = "6h"
            ttl-min = "30s"
            qname-minimisation = false
            allow-loopback-upstreams = true
            [[resolver.forward]]
            zone = "home.arpa"
            servers = ["192.168.1.254", "[fd00::1]:5353"]
            """
        let r = try #require(try Config.parse(text: text, file: "/etc/hanon/hanon.toml").resolver)
        #expect(r.allow == ["192.168.0.0/16", "fd00::/8", "::1/128"])
        #expect(r.rootHints == "/etc/hanon/root.hints")
        #expect(r.trustAnchor == "/etc/hanon/root.key")
        #expect(!r.dnssec && !r.qnameMinimisation && r.allowLoopbackUpstreams)
        #expect(r.cacheSizeMiB == 128 && r.ttlMax == .seconds(21600) && r.ttlMin == .seconds(30))
        #expect(r.forward.map(\.zone) == ["home.arpa."])
        #expect(r.forward.first?.servers.map(\.description) == ["192.168.1.254:53", "[fd00::1]:5353"])
    }

    @Test(arguments: [
        ("[resolver]\nlisten = []", "resolver.listen: the array is empty"),
        ("[resolver]\nlisten = [\"nowhere\"]", "'nowhere' is not a valid address"),
        ("[resolver]\nlisten = [\"127.0.0.1:53\"]\nallow = [\"everyone\"]", "'everyone' is not a network"),
        ("[resolver]\nlisten = [\"127.0.0.1:53\"]\nallow = [\"key:x\"]", "'key:x' is not a network"),
        ("[resolver]\nlisten = [\"127.0.0.1:53\"]\ncache-size = 0", "resolver.cache-size"),
        ("[resolver]\nlisten = [\"127.0.0.1:53\"]\nttl-min = \"2h\"\nttl-max = \"1h\"", "larger than resolver.ttl-max"),
        (
            "[resolver]\nlisten = [\"127.0.0.1:53\"]\n[[resolver.forward]]\nzone = \"x\"",
            "resolver.forward.servers is required"
        ),
        (
            "[resolver]\nlisten = [\"127.0.0.1:53\"]\n[[resolver.forward]]\nservers = [\"192.0.2.1\"]",
            "resolver.forward.zone is required"
        ),
        ("[resolver]\nlisten = [\"127.0.0.1:53\"]\nlisten-on = 1", "unknown key 'resolver.listen-on'"),
    ])
    func errors(_ text: String, _ fragment: String) {
        let errors = parseErrors(text)
        #expect(errors.count == 1 && errors.first?.contains(fragment) == true, "\(errors)")
    }
}
