// SPDX-License-Identifier: Apache-2.0
import Foundation
import Testing

@testable import HanonConfig

/// The value of one config field as text, so tables can name a key and its expected value.
func field(_ c: Config, _ path: String) -> String {
    func hex(_ b: [UInt8]?) -> String { b.map { $0.map { String(format: "%02x", $0) }.joined() } ?? "nil" }
    switch path {
    case "data": return c.data
    case "user": return c.user ?? "nil"
    case "dns.listen": return c.dns.listen.map(\.description).joined(separator: " ")
    case "dns.threads": return String(c.dns.threads)
    case "dns.nsid": return hex(c.dns.nsid)
    case "dns.identity": return c.dns.identity ?? "nil"
    case "dns.version": return c.dns.version ?? "nil"
    case "dns.max-udp-size": return String(c.dns.maxUDPSize)
    case "dns.tcp-idle-timeout": return String(c.dns.tcpIdleTimeout.components.seconds)
    case "dns.tcp-max-connections": return String(c.dns.tcpMaxConnections)
    case "dns.query-log": return String(c.dns.queryLog)
    case "dns.rate-limit":
        guard let r = c.dns.rateLimit else { return "off" }
        return
            "\(r.responsesPerSecond) \(r.slip) \(r.window.components.seconds) \(r.ipv4PrefixLength) \(r.ipv6PrefixLength)"
    case "dns.cookies.secret": return hex(c.dns.cookieSecret)
    case "log.level": return c.log.level.rawValue
    case "key": return c.keys.map { "\($0.name) \($0.algorithm.rawValue) \(hex($0.secret))" }.joined(separator: "; ")
    case "zone":
        return c.zones.map { zone in
            "\(zone.name) \(zone.file)"
                + zone.primaries.map { " primary \($0.address)" + ($0.keyName.map { "@\($0)" } ?? "") }.joined()
        }.joined(separator: "; ")
    default: return "unknown field \(path)"
    }
}

func parseErrors(_ text: String, file: String = "hanon.toml") -> [String] {
    do {
        _ = try Config.parse(text: text, file: file)
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

@Suite struct ConfigTests {
    @Test func emptyFileGivesTheDefaults() throws {
        let c = try Config.parse(text: "", file: "hanon.toml")
        #expect(c == Config(file: "hanon.toml"))
        #expect(c.data == "/var/lib/hanon")
        #expect(c.user == nil)
        #expect(c.dns.listen.map(\.description) == ["0.0.0.0:53", "[::]:53"])
        #expect(c.dns.threads == 0)
        #expect(c.dns.nsid == nil && c.dns.identity == nil && c.dns.version == nil)
        #expect(c.dns.maxUDPSize == 1232)
        #expect(c.dns.tcpIdleTimeout == .seconds(10))
        #expect(c.dns.tcpMaxConnections == 100)
        #expect(c.dns.queryLog == false)
        #expect(c.dns.rateLimit == nil)
        #expect(c.dns.cookieSecret == nil)
        #expect(c.log.level == .info)
        #expect(c.keys.isEmpty && c.zones.isEmpty)
        #expect(c.locations.isEmpty)
    }

    /// Each key set to a value other than its default, and what the model holds.
    static let values: [(String, String, String)] = [
        ("data = \"state\"", "data", "/etc/hanon/state"),
        ("data = \"/srv/hanon\"", "data", "/srv/hanon"),
        ("user = \"hanon\"", "user", "hanon"),
        (
            "[dns]\nlisten = [\"127.0.0.1:5300\", \"[::1]:5300\", \"[2001:DB8::53]:53\", \"[::ffff:192.0.2.1]:53\"]",
            "dns.listen", "127.0.0.1:5300 [::1]:5300 [2001:db8::53]:53 [::ffff:192.0.2.1]:53"
        ),
        ("dns.listen = [\"192.0.2.1:65535\"]", "dns.listen", "192.0.2.1:65535"),
        ("[dns]\nthreads = 4", "dns.threads", "4"),
        ("[dns]\nnsid = \"ns1\"", "dns.nsid", "6e7331"),
        ("[dns]\nnsid = \"0x6E7331ff\"", "dns.nsid", "6e7331ff"),
        ("[dns]\nidentity = \"ns1.example.org\"", "dns.identity", "ns1.example.org"),
        ("[dns]\nversion = \"hanon 1.0\"", "dns.version", "hanon 1.0"),
        ("[dns]\nmax-udp-size = 4096", "dns.max-udp-size", "4096"),
        ("[dns]\nmax-udp-size = 512", "dns.max-udp-size", "512"),
        ("[dns]\ntcp-idle-timeout = \"1m30s\"", "dns.tcp-idle-timeout", "90"),
        ("[dns]\ntcp-idle-timeout = 30", "dns.tcp-idle-timeout", "30"),
        ("[dns]\ntcp-idle-timeout = \"1h\"", "dns.tcp-idle-timeout", "3600"),
        ("[dns]\ntcp-max-connections = 1000", "dns.tcp-max-connections", "1000"),
        ("[dns]\nquery-log = true", "dns.query-log", "true"),
        ("[dns.rate-limit]", "dns.rate-limit", "20 2 15 24 56"),
        (
            "[dns.rate-limit]\nresponses-per-second = 5\nslip = 0\nwindow = \"1m\"\nipv4-prefix = 32\nipv6-prefix = 64",
            "dns.rate-limit", "5 0 60 32 64"
        ),
        ("[dns]\nrate-limit = { slip = 1 }", "dns.rate-limit", "20 1 15 24 56"),
        (
            "[dns.cookies]\nsecret = \"000102030405060708090a0b0c0d0e0f\"", "dns.cookies.secret",
            "000102030405060708090a0b0c0d0e0f"
        ),
        (
            "[dns.cookies]\nsecret = \"0x000102030405060708090A0B0C0D0E0F\"", "dns.cookies.secret",
            "000102030405060708090a0b0c0d0e0f"
        ),
        ("[dns.cookies]", "dns.cookies.secret", "nil"),
        ("[log]\nlevel = \"debug\"", "log.level", "debug"),
        ("log.level = \"critical\"", "log.level", "critical"),
        ("[[key]]\nname = \"transfer\"\nsecret = \"AQID\"", "key", "transfer. hmac-sha256 010203"),
        (
            "[[key]]\nname = \"t.example.\"\nalgorithm = \"hmac-md5\"\nsecret = \"AQI=\"\n[[key]]\nname = \"u\"\nalgorithm = \"hmac-sha512\"\nsecret = \"AQ==\"",
            "key", "t.example. hmac-md5 0102; u. hmac-sha512 01"
        ),
        (
            "[[zone]]\nname = \"example.org\"\nfile = \"zones/example.org.zone\"", "zone",
            "example.org. /etc/hanon/zones/example.org.zone"
        ),
        (
            "[[zone]]\nname = \"Example.ORG.\"\nfile = \"/abs/z\"\n[[zone]]\nname = \".\"\nfile = \"root.zone\"",
            "zone", "Example.ORG. /abs/z; . /etc/hanon/root.zone"
        ),
        ("zone = [{ name = \"a.test\", file = \"a\" }]", "zone", "a.test. /etc/hanon/a"),
        ("[[zone]]\nname = \"_tcp.x-y.example\"\nfile = \"f\"", "zone", "_tcp.x-y.example. /etc/hanon/f"),
        (
            "[[zone]]\nname = \"sec.example\"\nprimary = [\"192.0.2.1\", \"[2001:DB8::1]:5353\"]", "zone",
            "sec.example.  primary 192.0.2.1:53 primary [2001:db8::1]:5353"
        ),
        (
            "[[key]]\nname = \"xfr\"\nsecret = \"AQID\"\n[[zone]]\nname = \"s\"\nfile = \"s.copy\"\nprimary = [\"192.0.2.1:53@key:XFR\"]",
            "zone", "s. /etc/hanon/s.copy primary 192.0.2.1:53@xfr."
        ),
    ]

    @Test(arguments: values)
    func keyValue(_ text: String, _ path: String, _ expected: String) throws {
        let c = try Config.parse(text: text, file: "/etc/hanon/hanon.toml")
        #expect(field(c, path) == expected)
    }

    @Test func relativePathsWithoutDirectory() throws {
        let c = try Config.parse(text: "data = \"d\"\n[[zone]]\nname = \"a\"\nfile = \"a.zone\"", file: "hanon.toml")
        #expect(c.data == "d")
        #expect(c.zones.first?.file == "a.zone")
        let d = try Config.parse(text: "[[zone]]\nname = \"a\"\nfile = \"a.zone\"", file: "conf/hanon.toml")
        #expect(d.zones.first?.file == "conf/a.zone")
    }

    @Test func positionsAreKept() throws {
        let text = """
            [dns]
            listen = ["127.0.0.1:53"]

            [[zone]]
            name = "example.org"
              file = "example.org.zone"

            [[key]]
            name = "k"
            secret = "AQID"
            """
        let c = try Config.parse(text: text, file: "hanon.toml")
        #expect(c.locations["dns.listen"]?.description == "hanon.toml:2:10")
        let zone = try #require(c.zones.first)
        #expect(zone.location.description == "hanon.toml:4:3")
        #expect(zone.fileLocation.description == "hanon.toml:6:10")
        #expect(
            zone.diagnostic("cannot open the zone file") == "hanon.toml:4: zone example.org: cannot open the zone file"
        )
        #expect(c.keys.first?.location.line == 8)
        #expect(c.key(named: "K.")?.secret == [1, 2, 3])
        #expect(c.key(named: "other") == nil)
    }

    /// The documented default of each key gives the same model as leaving the key out.
    @Test(arguments: Config.schema.filter { $0.kind == .value && $0.supported && $0.defaultValue != nil }.map(\.path))
    func documentedDefaultIsTheModelDefault(_ path: String) throws {
        let spec = try #require(Config.schemaByPath[path])
        let defaultText = try #require(spec.defaultValue)
        var prefix = ""
        switch spec.parent {
        case "": prefix = ""
        case "key": prefix = "[[key]]\nname = \"k\"\nsecret = \"AQID\"\n"
        case "zone": prefix = "[[zone]]\nname = \"z\"\nfile = \"z\"\n"
        case "ddns.server": prefix = "[ddns.server]\ncertificate = \"c\"\nkey = \"k\"\n"
        case "ddns.ipv4", "ddns.ipv6":
            prefix = "[\(spec.parent)]\ndns-name = \"n\"\ndns-server = \"192.0.2.53\"\n"
        case "ddns.record": prefix = "[[ddns.record]]\nname = \"h\"\nprovider = \"hanon\"\n"
        case "zone.dnssec": prefix = "[[zone]]\nname = \"z\"\nfile = \"z\"\n[zone.dnssec]\n"
        default: prefix = "[\(spec.parent)]\n"
        }
        var without = try Config.parse(text: prefix, file: "hanon.toml")
        var with = try Config.parse(text: prefix + "\(spec.name) = \(defaultText)\n", file: "hanon.toml")
        #expect(with.locations[path] != nil || ["key", "zone", "ddns.record", "zone.dnssec"].contains(spec.parent))
        without.locations = [:]
        with.locations = [:]
        #expect(with == without)
    }

    @Test func exampleParses() throws {
        let c = try Config.parse(text: Config.example, file: "/etc/hanon/hanon.toml")
        #expect(c.user == "hanon")
        #expect(c.dns.listen.map(\.description) == ["0.0.0.0:53", "[::]:53"])
        #expect(c.dns.nsid == Array("ns1".utf8))
        #expect(c.dns.identity == "ns1.example.org")
        #expect(c.dns.version == "hanon")
        #expect(c.dns.rateLimit == RateLimitConfig())
        #expect(c.dns.cookieSecret?.count == 16)
        #expect(c.keys.map(\.name) == ["transfer.", "ddns."])
        #expect(c.keys.first?.secret == Array(1...32))
        #expect(c.zones.map(\.name) == ["example.org.", "example.net.", "example.com."])
        #expect(c.zones.map(\.file) == ["/etc/hanon/zones/example.org.zone", "/etc/hanon/zones/example.net.zone", ""])
        #expect(
            c.zones.last?.primaries == [
                PrimaryConfig(
                    address: ListenAddress(host: "198.51.100.1", port: 53, isIPv6: false), keyName: "transfer.")
            ])
    }

    /// The example uses every supported key, so the docs show them all and the test above parses them all.
    @Test func exampleUsesEveryKey() throws {
        let root = try TOMLParser.parse(Config.example, file: "example")
        var used: Set<String> = []
        func walk(_ t: TOMLTable, _ prefix: String) {
            for e in t.entries {
                let p = prefix.isEmpty ? e.key.name : prefix + "." + e.key.name
                used.insert(p)
                if let sub = e.value.table { walk(sub, p) }
                for item in e.value.array ?? [] { if let sub = item.table { walk(sub, p) } }
            }
        }
        walk(root, "")
        let supported = Set(Config.schema.filter(\.supported).map(\.path))
        #expect(supported.subtracting(used).sorted() == [])
    }

    /// The decoder reads every value key the schema lists (none is documented but ignored).
    @Test func decoderReadsEverySchemaKey() throws {
        let decoder = ConfigDecoder(file: "x")
        _ = Config.decode(try TOMLParser.parse(Config.example, file: "x"), with: decoder)
        let values = Set(Config.schema.filter { $0.kind == .value && $0.supported }.map(\.path))
        #expect(values.subtracting(decoder.readPaths).sorted() == [])
        #expect(decoder.readPaths.subtracting(values).sorted() == [])
    }

    @Test func planExampleParsesTheSupportedParts() throws {
        let text = """
            data = "/var/lib/hanon"            # keys, journals, DDNS state, secondary copies
            user = "hanon"                     # drop privileges after binding

            [dns]
            listen = ["0.0.0.0:53", "[::]:53"]
            threads = 0                        # 0 = one per core
            nsid = "ns1"

            [[key]]                            # TSIG
            name = "transfer"
            algorithm = "hmac-sha256"
            secret = "c2VjcmV0"

            [[zone]]
            name = "example.org"
            file = "zones/example.org.zone"
            """
        let c = try Config.parse(text: text, file: "hanon.toml")
        #expect(c.zones.count == 1 && c.keys.count == 1 && c.user == "hanon")
    }

    @Test func loadReadsAFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-config-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("hanon.toml").path
        try Config.example.write(toFile: path, atomically: true, encoding: .utf8)
        let c = try Config.load(path: path)
        #expect(c.file == path)
        #expect(c.zones.first?.file == dir.path + "/zones/example.org.zone")

        try "[dns]\nthreads = -1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigErrors.self) { try Config.load(path: path) }
        do {
            _ = try Config.load(path: path)
        } catch let error as ConfigErrors {
            #expect(
                error.description == "\(path):2:11: dns.threads: -1 is out of range; expected an integer from 0 to 1024"
            )
        }
        do {
            _ = try Config.load(path: dir.path + "/missing.toml")
            Issue.record("expected an error")
        } catch let error as ConfigErrors {
            #expect(error.description == "\(dir.path)/missing.toml: no such file")
        }
        try Data([0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0x22]).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Config.load(path: path)
            Issue.record("expected an error")
        } catch let error as ConfigErrors {
            #expect(error.description == "\(path):1:6: invalid UTF-8 (byte 0xFF)")
        }
    }
}
