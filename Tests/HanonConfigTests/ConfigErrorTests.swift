// SPDX-License-Identifier: Apache-2.0
import HanonConfig
import Testing

/// Bad values and unknown keys, each with the exact message a user sees.
@Suite struct ConfigErrorTests {
    static let badValues: [(String, String)] = [
        ("data = 5", "hanon.toml:1:8: data: found an integer; expected a path"),
        ("data = \"\"", "hanon.toml:1:8: data: the string is empty; expected a path"),
        ("user = \"a b\"", "hanon.toml:1:8: user: 'a b' is not a user name; expected a user name"),
        ("user = \"\"", "hanon.toml:1:8: user: '' is not a user name; expected a user name"),
        ("dns = 1", "hanon.toml:1:7: dns: found an integer; expected a table"),
        (
            "[dns]\nlisten = \"0.0.0.0:53\"",
            "hanon.toml:2:10: dns.listen: found a string; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = []",
            "hanon.toml:2:10: dns.listen: the array is empty; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [53]",
            "hanon.toml:2:11: dns.listen: found an integer in the array; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [\"0.0.0.0\"]",
            "hanon.toml:2:11: dns.listen: '0.0.0.0' is not a valid address; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [\"127.0.0.1:53\", \"::1:53\"]",
            "hanon.toml:2:27: dns.listen: '::1:53' is not a valid address; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [\"127.0.0.1:0\"]",
            "hanon.toml:2:11: dns.listen: '127.0.0.1:0' is not a valid address; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [\"127.0.0.1:65536\"]",
            "hanon.toml:2:11: dns.listen: '127.0.0.1:65536' is not a valid address; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [\"256.0.0.1:53\"]",
            "hanon.toml:2:11: dns.listen: '256.0.0.1:53' is not a valid address; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [\"[1:2:3:4:5:6:7:8:9]:53\"]",
            "hanon.toml:2:11: dns.listen: '[1:2:3:4:5:6:7:8:9]:53' is not a valid address; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [\"localhost:53\"]",
            "hanon.toml:2:11: dns.listen: 'localhost:53' is not a valid address; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        (
            "[dns]\nlisten = [\"[::]:53\", \"[::]:53\"]",
            "hanon.toml:2:22: dns.listen: '[::]:53' is listed twice; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\""
        ),
        ("[dns]\nthreads = -1", "hanon.toml:2:11: dns.threads: -1 is out of range; expected an integer from 0 to 1024"),
        ("[dns]\nthreads = \"4\"", "hanon.toml:2:11: dns.threads: found a string; expected an integer from 0 to 1024"),
        ("[dns]\nthreads = 1.5", "hanon.toml:2:11: dns.threads: found a float; expected an integer from 0 to 1024"),
        (
            "[dns]\nnsid = \"0x6e7\"",
            "hanon.toml:2:8: dns.nsid: '0x6e7' is not an even number of hex digits (at most 256); expected a string of at most 128 bytes, or hex bytes written \"0x…\""
        ),
        (
            "[dns]\nnsid = \"0xzz\"",
            "hanon.toml:2:8: dns.nsid: '0xzz' is not an even number of hex digits (at most 256); expected a string of at most 128 bytes, or hex bytes written \"0x…\""
        ),
        (
            "[dns]\nnsid = \"\"",
            "hanon.toml:2:8: dns.nsid: the string is empty; expected a string of at most 128 bytes, or hex bytes written \"0x…\""
        ),
        (
            "[dns]\nidentity = \"\"",
            "hanon.toml:2:12: dns.identity: the string is empty; expected a string of at most 255 bytes"
        ),
        (
            "[dns]\nversion = \"\(String(repeating: "v", count: 256))\"",
            "hanon.toml:2:11: dns.version: the string is 256 bytes long; expected a string of at most 255 bytes"
        ),
        (
            "[dns]\nversion = \"a\\nb\"",
            "hanon.toml:2:11: dns.version: the string contains a control character; expected a string of at most 255 bytes"
        ),
        (
            "[dns]\nmax-udp-size = 9000",
            "hanon.toml:2:16: dns.max-udp-size: 9000 is out of range; expected an integer from 512 to 4096"
        ),
        (
            "[dns]\nmax-udp-size = 511",
            "hanon.toml:2:16: dns.max-udp-size: 511 is out of range; expected an integer from 512 to 4096"
        ),
        (
            "[dns]\ntcp-idle-timeout = \"10\"",
            "hanon.toml:2:20: dns.tcp-idle-timeout: '10' is not a duration; expected a duration from 1s to 1h (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
        ),
        (
            "[dns]\ntcp-idle-timeout = \"10x\"",
            "hanon.toml:2:20: dns.tcp-idle-timeout: '10x' is not a duration; expected a duration from 1s to 1h (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
        ),
        (
            "[dns]\ntcp-idle-timeout = \"30m1h\"",
            "hanon.toml:2:20: dns.tcp-idle-timeout: '30m1h' is not a duration; expected a duration from 1s to 1h (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
        ),
        (
            "[dns]\ntcp-idle-timeout = \"2d\"",
            "hanon.toml:2:20: dns.tcp-idle-timeout: 172800 seconds is out of range; expected a duration from 1s to 1h (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
        ),
        (
            "[dns]\ntcp-idle-timeout = 0",
            "hanon.toml:2:20: dns.tcp-idle-timeout: 0 seconds is out of range; expected a duration from 1s to 1h (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
        ),
        (
            "[dns]\ntcp-idle-timeout = -5",
            "hanon.toml:2:20: dns.tcp-idle-timeout: -5 is out of range; expected a duration from 1s to 1h (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
        ),
        (
            "[dns]\ntcp-idle-timeout = true",
            "hanon.toml:2:20: dns.tcp-idle-timeout: found a boolean; expected a duration from 1s to 1h (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
        ),
        (
            "[dns]\ntcp-max-connections = 0",
            "hanon.toml:2:23: dns.tcp-max-connections: 0 is out of range; expected an integer from 1 to 65535"
        ),
        ("[dns]\nquery-log = \"yes\"", "hanon.toml:2:13: dns.query-log: found a string; expected true or false"),
        (
            "[dns.rate-limit]\nresponses-per-second = 0",
            "hanon.toml:2:24: dns.rate-limit.responses-per-second: 0 is out of range; expected an integer from 1 to 1000000"
        ),
        (
            "[dns.rate-limit]\nslip = 11",
            "hanon.toml:2:8: dns.rate-limit.slip: 11 is out of range; expected an integer from 0 to 10"
        ),
        (
            "[dns.rate-limit]\nwindow = \"2h\"",
            "hanon.toml:2:10: dns.rate-limit.window: 7200 seconds is out of range; expected a duration from 1s to 1h (\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"
        ),
        (
            "[dns.rate-limit]\nipv4-prefix = 33",
            "hanon.toml:2:15: dns.rate-limit.ipv4-prefix: 33 is out of range; expected an integer from 0 to 32"
        ),
        (
            "[dns.rate-limit]\nipv6-prefix = 129",
            "hanon.toml:2:15: dns.rate-limit.ipv6-prefix: 129 is out of range; expected an integer from 0 to 128"
        ),
        ("[dns]\nrate-limit = true", "hanon.toml:2:14: dns.rate-limit: found a boolean; expected a table"),
        (
            "[dns.cookies]\nsecret = \"0011\"",
            "hanon.toml:2:10: dns.cookies.secret: '0011' is not 32 hex digits; expected 32 hex digits (16 bytes)"
        ),
        (
            "[dns.cookies]\nsecret = \"g00102030405060708090a0b0c0d0e0f\"",
            "hanon.toml:2:10: dns.cookies.secret: 'g00102030405060708090a0b0c0d0e0f' is not 32 hex digits; expected 32 hex digits (16 bytes)"
        ),
        (
            "[log]\nlevel = \"verbose\"",
            "hanon.toml:2:9: log.level: 'verbose' is not a choice; expected one of trace, debug, info, notice, warning, error, critical"
        ),
        (
            "[log]\nlevel = \"INFO\"",
            "hanon.toml:2:9: log.level: 'INFO' is not a choice; expected one of trace, debug, info, notice, warning, error, critical"
        ),
        // [[key]]
        ("key = 1", "hanon.toml:1:7: key: found an integer; write [[key]] sections; expected an array of tables"),
        (
            "[key]\nname = \"k\"",
            "hanon.toml:1:2: key: found a table; write [[key]] sections; expected an array of tables"
        ),
        ("[[key]]\nsecret = \"AQID\"", "hanon.toml:1:3: key.name is required; expected a domain name"),
        ("[[key]]\nname = \"k\"", "hanon.toml:1:3: key.secret is required; expected base64"),
        (
            "[[key]]\nname = \"k\"\nsecret = \"AQI\"",
            "hanon.toml:3:10: key.secret: the secret is not valid base64; expected base64"
        ),
        (
            "[[key]]\nname = \"k\"\nsecret = \"AQ=D\"",
            "hanon.toml:3:10: key.secret: the secret is not valid base64; expected base64"
        ),
        (
            "[[key]]\nname = \"k\"\nsecret = \"AQ ID\"",
            "hanon.toml:3:10: key.secret: the secret is not valid base64; expected base64"
        ),
        (
            "[[key]]\nname = \"k\"\nsecret = \"AR==\"",
            "hanon.toml:3:10: key.secret: the secret is not valid base64; expected base64"
        ),
        (
            "[[key]]\nname = \"k\"\nsecret = \"AQID\"\nalgorithm = \"hmac-sha224\"",
            "hanon.toml:4:13: key.algorithm: 'hmac-sha224' is not a choice; expected one of hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1, hmac-md5"
        ),
        (
            "[[key]]\nname = \"a..b\"\nsecret = \"AQID\"",
            "hanon.toml:2:8: key.name: 'a..b' is not a valid name: it has an empty label; expected a domain name"
        ),
        (
            "[[key]]\nname = \"k\"\nsecret = \"AQID\"\n[[key]]\nname = \"K.\"\nsecret = \"AQID\"",
            "hanon.toml:5:8: key.name: key 'K.' is already defined at line 1; expected a domain name"
        ),
        // [[zone]]
        ("[[zone]]\nfile = \"z\"", "hanon.toml:1:3: zone.name is required; expected a domain name"),
        ("[[zone]]\nname = \"example.org\"", "hanon.toml:1:3: zone.file is required; expected a path"),
        ("[[zone]]\nname = \"example.org\"\nfile = 1", "hanon.toml:3:8: zone.file: found an integer; expected a path"),
        (
            "[[zone]]\nname = \"example.org\"\nfile = \"\"",
            "hanon.toml:3:8: zone.file: the string is empty; expected a path"
        ),
        (
            "[[zone]]\nname = \"\"\nfile = \"z\"",
            "hanon.toml:2:8: zone.name: '' is not a valid name: the name is empty; expected a domain name"
        ),
        (
            "[[zone]]\nname = \"exa mple.org\"\nfile = \"z\"",
            "hanon.toml:2:8: zone.name: 'exa mple.org' is not a valid name: ' ' is not allowed in a name; expected a domain name"
        ),
        (
            "[[zone]]\nname = \"bücher.example\"\nfile = \"z\"",
            "hanon.toml:2:8: zone.name: 'bücher.example' is not a valid name: 'ü' is not allowed; write internationalised names in xn-- form; expected a domain name"
        ),
        (
            "[[zone]]\nname = \"\(String(repeating: "a", count: 64)).org\"\nfile = \"z\"",
            "hanon.toml:2:8: zone.name: '\(String(repeating: "a", count: 64)).org' is not a valid name: the label '\(String(repeating: "a", count: 64))' is longer than 63 octets; expected a domain name"
        ),
        (
            "[[zone]]\nname = \"\(Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."))\"\nfile = \"z\"",
            "hanon.toml:2:8: zone.name: '\(Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."))' is not a valid name: the name is longer than 255 octets; expected a domain name"
        ),
        (
            "[[zone]]\nname = \"a\\\\.b\"\nfile = \"z\"",
            "hanon.toml:2:8: zone.name: 'a\\.b' is not a valid name: '\\' is not allowed in a name; expected a domain name"
        ),
        (
            "[[zone]]\nname = \"example.org\"\nfile = \"a\"\n[[zone]]\nname = \"EXAMPLE.org.\"\nfile = \"b\"",
            "hanon.toml:5:8: zone.name: zone 'EXAMPLE.org.' is already defined at line 1; expected a domain name"
        ),
        // Not supported yet
        (
            "[[zone]]\nname = \"example.org\"\nfile = \"z\"\ndnssec = 1",
            "hanon.toml:4:10: zone.dnssec: found an integer; expected true or false, or a table"
        ),
        (
            "[[zone]]\nname = \"example.net\"\nprimary = [\"198.51.100.300\"]",
            "hanon.toml:3:12: zone.primary: '198.51.100.300' is not an IP address (with an optional port); expected an array of addresses"
        ),
        (
            "[[zone]]\nname = \"example.net\"\nprimary = [\"198.51.100.1@key:nope\"]",
            "hanon.toml:3:12: zone.primary: '198.51.100.1@key:nope': no [[key]] named 'nope'; expected an array of addresses"
        ),
        (
            "[[zone]]\nname = \"example.net\"\nprimary = [\"198.51.100.1@nope\"]",
            "hanon.toml:3:12: zone.primary: '198.51.100.1@nope': after '@' expected key:NAME; expected an array of addresses"
        ),
        (
            "[[zone]]\nname = \"example.net\"\nprimary = []",
            "hanon.toml:3:11: zone.primary: the array is empty; expected an array of addresses"
        ),
        (
            "[[zone]]\nname = \"example.net\"\nprimary = \"198.51.100.1\"",
            "hanon.toml:3:11: zone.primary: found a string; expected an array of addresses"
        ),
        ("[ddns]\nupdate-url = 1", "hanon.toml:2:1: unknown key 'ddns.update-url'"),
    ]

    @Test(arguments: badValues)
    func badValue(_ text: String, _ expected: String) {
        #expect(parseErrors(text) == [expected])
    }

    static let unknownKeys: [(String, String)] = [
        ("dat = \"/x\"", "hanon.toml:1:1: unknown key 'dat' (did you mean 'data'?)"),
        ("listen = [\"127.0.0.1:53\"]", "hanon.toml:1:1: unknown key 'listen' (did you mean 'dns.listen'?)"),
        ("colour = 1", "hanon.toml:1:1: unknown key 'colour'"),
        ("[dnss]", "hanon.toml:1:2: unknown key 'dnss' (did you mean 'dns'?)"),
        (
            "[dns]\nlisten = [\"127.0.0.1:53\"]\n\nlistn = 1",
            "hanon.toml:4:1: unknown key 'dns.listn' (did you mean 'listen'?)"
        ),
        ("[dns]\nthread = 2", "hanon.toml:2:1: unknown key 'dns.thread' (did you mean 'threads'?)"),
        ("[dns]\nmax_udp_size = 1232", "hanon.toml:2:1: unknown key 'dns.max_udp_size' (did you mean 'max-udp-size'?)"),
        ("dns.listn = []", "hanon.toml:1:5: unknown key 'dns.listn' (did you mean 'listen'?)"),
        ("[dns]\n\"listen.x\" = 1", "hanon.toml:2:1: unknown key 'dns.\"listen.x\"' (did you mean 'listen'?)"),
        ("[dns.rate-limit]\nrate = 5", "hanon.toml:2:1: unknown key 'dns.rate-limit.rate'"),
        ("[dns.rate-limit]\nslipp = 5", "hanon.toml:2:1: unknown key 'dns.rate-limit.slipp' (did you mean 'slip'?)"),
        ("[dns.ratelimit]", "hanon.toml:1:6: unknown key 'dns.ratelimit' (did you mean 'rate-limit'?)"),
        (
            "[dns.cookies]\nsecrets = \"00\"",
            "hanon.toml:2:1: unknown key 'dns.cookies.secrets' (did you mean 'secret'?)"
        ),
        ("[dns.cookies.x]", "hanon.toml:1:14: unknown key 'dns.cookies.x'"),
        ("[log]\nlevl = \"info\"", "hanon.toml:2:1: unknown key 'log.levl' (did you mean 'level'?)"),
        ("[[key]]\nname = \"k\"\nsecret = \"AQID\"\nalgo = \"hmac-sha1\"", "hanon.toml:4:1: unknown key 'key.algo'"),
        (
            "[[zone]]\nname = \"a\"\nfile = \"z\"\n[[zone]]\nname = \"b\"\nfiles = \"z\"",
            "hanon.toml:6:1: unknown key 'zone.files' (did you mean 'file'?)"
        ),
        ("[[zone]]\nname = \"a\"\nfile = \"z\"\n[zone.extra]", "hanon.toml:4:7: unknown key 'zone.extra'"),
        ("zone = [{ name = \"a\", file = \"z\", type = \"primary\" }]", "hanon.toml:1:35: unknown key 'zone.type'"),
    ]

    @Test(arguments: unknownKeys)
    func unknownKey(_ text: String, _ expected: String) {
        #expect(parseErrors(text).contains(expected), "\(parseErrors(text))")
    }

    @Test func allErrorsAreReportedInFileOrder() {
        let text = """
            dat = "/x"
            [dns]
            threads = -1
            listen = ["1.2.3.4"]
            [[zone]]
            name = "a..b"
            [log]
            level = "loud"
            """
        #expect(
            parseErrors(text) == [
                "hanon.toml:1:1: unknown key 'dat' (did you mean 'data'?)",
                "hanon.toml:3:11: dns.threads: -1 is out of range; expected an integer from 0 to 1024",
                "hanon.toml:4:11: dns.listen: '1.2.3.4' is not a valid address; expected an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\"",
                "hanon.toml:5:3: zone.file is required; expected a path",
                "hanon.toml:6:8: zone.name: 'a..b' is not a valid name: it has an empty label; expected a domain name",
                "hanon.toml:8:9: log.level: 'loud' is not a choice; expected one of trace, debug, info, notice, warning, error, critical",
            ]
        )
    }

    @Test func errorsCarryTheKey() throws {
        do {
            _ = try Config.parse(text: "[dns]\nlistn = 1\nthreads = -1", file: "c.toml")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.key) == ["dns.listn", "dns.threads"])
            #expect(error.errors.map(\.location.line) == [2, 3])
        }
    }

    @Test func tomlSyntaxErrorIsAConfigError() {
        #expect(parseErrors("[dns]\nthreads = = 2") == ["hanon.toml:2:11: expected a value, found '='"])
        #expect(parseErrors("[dns]\n[dns]") == ["hanon.toml:2:2: table 'dns' is already defined at 1:2"])
    }
}
