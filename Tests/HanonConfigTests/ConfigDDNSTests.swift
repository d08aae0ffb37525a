// SPDX-License-Identifier: Apache-2.0

import Foundation
import HanonConfig
import Testing

/// `[ddns]`: sources, records, providers, credentials from a file, and errors at file:line:col.
@Suite struct ConfigDDNSTests {
    static let keys = """
        [[key]]
        name = "ddns"
        secret = "6Mt3JHRVKSSEf8zGTUXXtpEePumcKBR6TC0/wwr8Fbo="

        """

    @Test func aFullDDNSSectionParses() throws {
        let dir = NSTemporaryDirectory() + "hanon-ddns-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "tok-from-file\nignored\n".write(toFile: dir + "/cf.token", atomically: true, encoding: .utf8)
        let text =
            Self.keys + """
                [ddns]
                interval = "1m"
                allow-private = true
                ca-file = "ca.pem"

                [ddns.ipv4]
                web = "https://checkip.example.net/"
                web-skip = "Current IP Address:"

                [ddns.ipv6]
                dns-name = "myip.example.net"
                dns-type = "txt"
                dns-server = "[2001:db8::53]:5353"

                [[ddns.record]]
                name = "home.example.org"
                provider = "dyndns2"
                server = "https://members.example.net"
                username = "alice"
                password = "secret"
                ipv6 = false

                [[ddns.record]]
                name = "home.example.com"
                provider = "cloudflare"
                zone = "example.com"
                password-file = "cf.token"
                ttl = 120

                [[ddns.record]]
                name = "gw.example.net"
                provider = "rfc2136"
                server = "192.0.2.53"
                zone = "example.net"
                key = "ddns"

                [[ddns.record]]
                name = "www.example.org"
                provider = "hanon"

                """
        let config = try Config.parse(text: text, file: dir + "/hanon.toml")
        let ddns = config.ddns
        #expect(ddns.interval == .seconds(60))
        #expect(ddns.allowPrivate)
        #expect(ddns.caFile == dir + "/ca.pem")
        #expect(ddns.ipv4 == [.web(url: "https://checkip.example.net/", skip: "Current IP Address:")])
        #expect(ddns.ipv6 == [.dns(name: "myip.example.net.", type: "TXT", server: "2001:db8::53", port: 5353)])
        #expect(ddns.records.count == 4)
        #expect(ddns.records[0].name == "home.example.org.")
        #expect(ddns.records[0].provider == .dyndns2)
        #expect(ddns.records[0].password == "secret")
        #expect(ddns.records[0].ipv4 && !ddns.records[0].ipv6)
        #expect(ddns.records[1].passwordFile == dir + "/cf.token")
        #expect(try Config.readPasswordFile(ddns.records[1]).get() == "tok-from-file")
        #expect(ddns.records[1].zone == "example.com.")
        #expect(ddns.records[1].ttl == 120)
        #expect(ddns.records[2].key == "ddns.")
        #expect(ddns.records[2].server == "192.0.2.53")
        #expect(ddns.records[3].provider == .hanon)
        #expect(ddns.records[3].location.line == 40)
    }

    @Test func defaults() throws {
        let config = try Config.parse(text: "", file: "hanon.toml")
        #expect(config.ddns == DDNSConfig())
        #expect(config.ddns.interval == .seconds(300))
        #expect(!config.ddns.allowPrivate)
        let other = try Config.parse(text: "[ddns.ipv4]\ninterface = \"eth0\"\n", file: "hanon.toml")
        #expect(other.ddns.ipv4 == [.interface("eth0")])
        let command = try Config.parse(text: "[ddns.ipv6]\ncommand = [\"/bin/ip6\", \"-x\"]\n", file: "hanon.toml")
        #expect(command.ddns.ipv6 == [.command(["/bin/ip6", "-x"])])
        let both = try Config.parse(
            text: "[ddns.ipv4]\ncommand = [\"/bin/x\"]\ninterface = \"eth0\"\n", file: "hanon.toml")
        #expect(both.ddns.ipv4 == [.interface("eth0"), .command(["/bin/x"])])
    }

    @Test(
        arguments: [
            (
                "[ddns]\ninterval = \"1s\"",
                "hanon.toml:5:12: ddns.interval: 1 seconds is out of range; expected a duration from 10s to 1d (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
            ),
            (
                "[ddns]\nallow-private = 1",
                "hanon.toml:5:17: ddns.allow-private: found an integer; expected true or false"
            ),
            ("[ddns]\nverify-tls = false", "hanon.toml:5:1: unknown key 'ddns.verify-tls'"),
            (
                "[ddns.ipv4]\nweb = \"http://checkip.example.net/\"",
                "hanon.toml:5:7: ddns.ipv4.web: 'http://checkip.example.net/' is not an https:// URL; expected an https:// URL"
            ),
            (
                "[ddns.ipv4]\nweb-skip = \"x\"",
                "hanon.toml:4:7: [ddns.ipv4]: give interface, web, dns-name or command\nhanon.toml:5:12: ddns.ipv4.web-skip is only for web"
            ),
            (
                "[ddns.ipv6]\ninterface = \"eth0\"\nweb-skip = \"x\"",
                "hanon.toml:6:12: ddns.ipv6.web-skip is only for web"
            ),
            (
                "[ddns.ipv4]\ndns-name = \"myip.example\"",
                "hanon.toml:4:7: ddns.ipv4.dns-server is required with dns-name"
            ),
            (
                "[ddns.ipv4]\ndns-name = \"myip.example\"\ndns-server = \"a b\"",
                "hanon.toml:6:14: ddns.ipv4.dns-server: 'a b' is not a host with an optional port; expected a host name or address, with an optional port"
            ),
            (
                "[ddns.ipv4]\ncommand = []",
                "hanon.toml:5:11: ddns.ipv4.command: the command is empty; expected an array of strings (program and arguments)"
            ),
            (
                "[[ddns.record]]\nprovider = \"dyndns2\"",
                "hanon.toml:4:8: ddns.record.name is required; expected a domain name"
            ),
            (
                "[[ddns.record]]\nname = \"h.example\"\nprovider = \"noip\"",
                "hanon.toml:6:12: ddns.record.provider: 'noip' is not a choice; expected one of dyndns2, zoneedit, cloudflare, rfc2136, hanon"
            ),
            (
                "[[ddns.record]]\nname = \"h.example\"\nprovider = \"dyndns2\"\nusername = \"u\"\npassword = \"p\"",
                "hanon.toml:4:8: ddns.record.server is required for provider dyndns2; expected an https:// URL"
            ),
            (
                "[[ddns.record]]\nname = \"h.example\"\nprovider = \"zoneedit\"\npassword = \"p\"",
                "hanon.toml:4:8: ddns.record.username is required for provider zoneedit; expected a string"
            ),
            (
                "[[ddns.record]]\nname = \"h.example\"\nprovider = \"cloudflare\"\npassword = \"p\"",
                "hanon.toml:4:8: ddns.record.zone is required for provider cloudflare; expected a domain name"
            ),
            (
                "[[ddns.record]]\nname = \"h.example\"\nprovider = \"rfc2136\"\nserver = \"192.0.2.1\"\nzone = \"example\"\nkey = \"nokey\"",
                "hanon.toml:9:7: ddns.record.key: no [[key]] is named 'nokey.'; expected the name of a [[key]]"
            ),
            (
                "[[ddns.record]]\nname = \"h.example\"\nprovider = \"rfc2136\"\nserver = \"192.0.2.1\"\nzone = \"other.test\"",
                "hanon.toml:8:8: ddns.record.zone: h.example. is not in zone other.test."
            ),
            (
                "[[ddns.record]]\nname = \"h.example\"\nprovider = \"rfc2136\"\nserver = \"192.0.2.1:99999\"\nzone = \"example\"",
                "hanon.toml:7:10: ddns.record.server: '192.0.2.1:99999' is not an address with an optional port; expected an https:// URL; for rfc2136 an address \"192.0.2.1\", \"[2001:db8::1]:53\""
            ),
            (
                "[[ddns.record]]\nname = \"h.example\"\nprovider = \"dyndns2\"\nserver = \"https://x.example\"\nusername = \"u\"\npassword = \"p\"\npassword-file = \"f\"",
                "hanon.toml:10:17: ddns.record.password-file: give password or password-file, not both; expected a path"
            ),
        ])
    func errorsNamePosition(_ text: String, _ message: String) throws {
        let error = try #require(throws: ConfigErrors.self) {
            try Config.parse(text: Self.keys + text + "\n", file: "hanon.toml")
        }
        #expect(error.description == message)
    }
}

extension ConfigDDNSTests {
    @Test func anUnreadablePasswordFileIsReportedAtItsKey() throws {
        let text =
            "[[ddns.record]]\nname = \"h.example\"\nprovider = \"cloudflare\"\nzone = \"example\"\npassword-file = \"/nonexistent/token\"\n"
        let config = try Config.parse(text: text, file: "hanon.toml")
        let record = try #require(config.ddns.records.first)
        let error = try #require(throws: ConfigError.self) { try Config.readPasswordFile(record).get() }
        #expect(error.description == "hanon.toml:5:17: ddns.record.password-file: cannot read /nonexistent/token")
    }
}
