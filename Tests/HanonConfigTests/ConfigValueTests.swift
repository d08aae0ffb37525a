import Testing

// SPDX-License-Identifier: Apache-2.0
@testable import HanonConfig

/// The value forms: durations, addresses, names, base64; and robustness against malformed files.
@Suite struct ConfigValueTests {
    static let durations: [(String, Int?)] = [
        ("10s", 10), ("5m", 300), ("1h30m", 5400), ("2d", 172_800), ("0s", 0), ("1d2h3m4s", 93_784),
        ("90s", 90), ("", nil), ("10", nil), ("s", nil), ("1h1h", nil), ("30m1h", nil), ("1.5h", nil),
        ("-5s", nil), ("10 s", nil), ("1w", nil), ("10S", nil), ("99999999999d", nil), ("١s", nil),
    ]

    @Test(arguments: durations)
    func duration(_ text: String, _ seconds: Int?) {
        #expect(ConfigValueParsers.durationSeconds(text) == seconds)
    }

    static let addresses: [(String, String?)] = [
        ("0.0.0.0:53", "0.0.0.0:53"), ("192.0.2.1:5300", "192.0.2.1:5300"), ("255.255.255.255:1", "255.255.255.255:1"),
        ("[::]:53", "[::]:53"), ("[::1]:53", "[::1]:53"), ("[2001:DB8::1]:53", "[2001:db8::1]:53"),
        ("[1:2:3:4:5:6:7:8]:53", "[1:2:3:4:5:6:7:8]:53"), ("[1::8]:53", "[1::8]:53"),
        ("[1:2:3:4:5:6:7::]:53", "[1:2:3:4:5:6:7::]:53"),
        ("[::ffff:192.0.2.1]:53", "[::ffff:192.0.2.1]:53"), ("[64:ff9b::192.0.2.1]:53", "[64:ff9b::192.0.2.1]:53"),
        ("192.0.2.1", nil), ("192.0.2.1:", nil), ("192.0.2.1:0", nil), ("192.0.2.1:65536", nil),
        ("192.0.2.1:053x", nil),
        ("192.0.2:53", nil), ("192.0.2.1.5:53", nil), ("192.0.02.1:53", nil), ("192.0.2.256:53", nil), (":53", nil),
        ("[]:53", nil), ("::1:53", nil), ("[::1]", nil), ("[1:2:3:4:5:6:7:8:9]:53", nil), ("[1::2::3]:53", nil),
        ("[12345::]:53", nil), ("[g::]:53", nil), ("[1:2:3:4:5:6:7:8::]:53", nil), ("[::192.0.2.1.1]:53", nil),
        ("[fe80::1%eth0]:53", nil), ("[1:2:3:4:5:6:7]:53", nil), ("[:::]:53", nil), ("example.org:53", nil),
        ("192.0.2.1:+53", nil), ("192.0.2.1:99999999999999999999", nil),
    ]

    @Test(arguments: addresses)
    func listenAddress(_ text: String, _ expected: String?) {
        #expect(ListenAddress(parsing: text)?.description == expected)
    }

    static let names: [(String, String)] = [
        ("example.org", "example.org."), ("example.org.", "example.org."), (".", "."), ("a", "a."),
        ("xn--bcher-kva.example", "xn--bcher-kva.example."), ("_dmarc.Example.ORG", "_dmarc.Example.ORG."),
        ("", "error: the name is empty"), ("..", "error: it has an empty label"),
        (".a", "error: it has an empty label"),
        ("a..b", "error: it has an empty label"), ("a b", "error: ' ' is not allowed in a name"),
        ("*.example", "error: '*' is not allowed in a name"), ("a\\.b", "error: '\\' is not allowed in a name"),
        ("é.example", "error: 'é' is not allowed; write internationalised names in xn-- form"),
        (String(repeating: "a", count: 63) + ".b", String(repeating: "a", count: 63) + ".b."),
        (
            String(repeating: "a", count: 64),
            "error: the label '\(String(repeating: "a", count: 64))' is longer than 63 octets"
        ),
        // 127 labels of 1 octet: 254 octets of wire form with the root, the most that fits.
        (
            Array(repeating: "a", count: 127).joined(separator: "."),
            Array(repeating: "a", count: 127).joined(separator: ".") + "."
        ),
        (Array(repeating: "a", count: 128).joined(separator: "."), "error: the name is longer than 255 octets"),
    ]

    @Test(arguments: names)
    func domainName(_ text: String, _ expected: String) {
        switch ConfigValueParsers.domainName(text) {
        case .success(let name): #expect(name == expected)
        case .failure(let problem): #expect("error: " + problem.reason == expected)
        }
    }

    static let base64Cases: [(String, [UInt8]?)] = [
        ("AQID", [1, 2, 3]), ("AQI=", [1, 2]), ("AQ==", [1]), ("////", [255, 255, 255]), ("+/+/", [251, 255, 191]),
        ("", nil), ("AQI", nil), ("A===", nil), ("AQ=D", nil), ("=AQI", nil), ("AQ==AQID", nil), ("AQ I", nil),
        ("AR==", nil), ("AQJ=", nil), ("AQ-_", nil), ("AQID\n", nil),
    ]

    @Test(arguments: base64Cases)
    func base64(_ text: String, _ bytes: [UInt8]?) {
        #expect(ConfigValueParsers.base64(text) == bytes)
    }

    @Test func editDistance() {
        #expect(ConfigValueParsers.editDistance("listn", "listen") == 1)
        #expect(ConfigValueParsers.editDistance("", "abc") == 3)
        #expect(ConfigValueParsers.editDistance("max_udp_size", "max-udp-size") == 2)
    }

    @Test func tsigAlgorithmNames() {
        #expect(TSIGAlgorithmName.hmacMD5.domainName == "hmac-md5.sig-alg.reg.int.")
        #expect(TSIGAlgorithmName.hmacSHA256.domainName == "hmac-sha256.")
    }

    /// Random byte edits of the example never crash the parser, and whatever it accepts re-parses the same.
    @Test func mutatedExamplesNeverCrash() {
        var rng = SplitMix64(seed: 0x5EED)
        let original = Array(Config.example.utf8)
        let alphabet = Array("[]{}\"'=.,#\\\n\r\t 0123456789abcxyz-_:+eEZT".utf8) + [0x00, 0x7F, 0xC3, 0xFF]
        var accepted = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0...(rng.next() % 4) {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                }
            }
            if let root = try? TOMLParser.parse(bytes: bytes, file: "f") {
                accepted += 1
                let decoder = ConfigDecoder(file: "f")
                _ = Config.decode(root, with: decoder)
            }
        }
        #expect(accepted > 100)
    }
}

/// A small deterministic generator, so a failing mutation can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct CommandLineZoneTests {
    @Test func validZone() throws {
        let zone = try ZoneConfig.commandLine(name: "example.test", file: "examples/example.test.zone")
        #expect(zone.name == "example.test.")
        #expect(zone.file == "examples/example.test.zone")
    }

    @Test func badZones() {
        #expect(throws: ConfigErrors.self) { try ZoneConfig.commandLine(name: "a..b", file: "f") }
        #expect(throws: ConfigErrors.self) { try ZoneConfig.commandLine(name: "a", file: "") }
        do {
            _ = try ZoneConfig.commandLine(name: "a b", file: "f")
        } catch {
            #expect(error.description == "--zone: 'a b' is not a valid zone name: ' ' is not allowed in a name")
        }
    }
}
