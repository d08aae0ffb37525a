// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

/// RFC 1035 §5.1 master-file syntax, one case per feature: zone text and the
/// records it must give (as `owner TTL CLASS TYPE RDATA`).
@Suite struct ZoneSyntaxTests {
    static let cases: [(String, String, [String])] = [
        ("absolute owner", "www.example. 60 IN A 192.0.2.1", ["www.example. 60 IN A 192.0.2.1"]),
        ("relative owner", "www 60 IN A 192.0.2.1", ["www.example. 60 IN A 192.0.2.1"]),
        ("@ is the origin", "@ 60 IN A 192.0.2.1", ["example. 60 IN A 192.0.2.1"]),
        ("class before TTL", "www IN 60 A 192.0.2.1", ["www.example. 60 IN A 192.0.2.1"]),
        ("no class", "www 60 A 192.0.2.1", ["www.example. 60 IN A 192.0.2.1"]),
        ("TTL units", "www 1h30m A 192.0.2.1", ["www.example. 5400 IN A 192.0.2.1"]),
        ("TTL weeks", "www 2w A 192.0.2.1", ["www.example. 1209600 IN A 192.0.2.1"]),
        ("TTL upper-case units", "www 1D2H A 192.0.2.1", ["www.example. 93600 IN A 192.0.2.1"]),
        ("lower-case type and class", "www 60 in a 192.0.2.1", ["www.example. 60 IN A 192.0.2.1"]),
        ("TYPEnnn and CLASSnnn", "www 60 CLASS1 TYPE1 \\# 4 c0000201", ["www.example. 60 IN A 192.0.2.1"]),
        ("RFC 3597 unknown type", "www 60 IN TYPE65534 \\# 3 abcdef", ["www.example. 60 IN TYPE65534 \\# 3 ABCDEF"]),
        ("RFC 3597 empty data", "www 60 IN TYPE65534 \\# 0", ["www.example. 60 IN TYPE65534 \\# 0"]),
        (
            "blank start repeats the owner", "www 60 A 192.0.2.1\n  60 AAAA 2001:db8::1",
            ["www.example. 60 IN A 192.0.2.1", "www.example. 60 IN AAAA 2001:db8::1"]
        ),
        (
            "tab start repeats the owner", "www 60 A 192.0.2.1\n\t60 A 192.0.2.2",
            ["www.example. 60 IN A 192.0.2.1", "www.example. 60 IN A 192.0.2.2"]
        ),
        (
            "parentheses over lines",
            "@ 60 SOA ns1 host ( 2024010101 ; serial\n 7200 ; refresh\n 3600 1209600\n 300 )",
            ["example. 60 IN SOA ns1.example. host.example. 2024010101 7200 3600 1209600 300"]
        ),
        ("comments", "; whole line\nwww 60 A 192.0.2.1 ; trailing", ["www.example. 60 IN A 192.0.2.1"]),
        ("quoted string with blanks", "t 60 TXT \"a b;c\" d", ["t.example. 60 IN TXT \"a b;c\" \"d\""]),
        ("quoted escapes", "t 60 TXT \"q\\\"\\065\"", ["t.example. 60 IN TXT \"q\\\"A\""]),
        ("relative RDATA name", "m 60 MX 10 mail", ["m.example. 60 IN MX 10 mail.example."]),
        ("escaped dot in a label", "a\\.b 60 A 192.0.2.1", ["a\\.b.example. 60 IN A 192.0.2.1"]),
        (
            "CRLF line ends", "www 60 A 192.0.2.1\r\nw2 60 A 192.0.2.2\r\n",
            [
                "www.example. 60 IN A 192.0.2.1", "w2.example. 60 IN A 192.0.2.2",
            ]
        ),
        (
            "$ORIGIN changes relative names", "$ORIGIN sub.example.\nwww 60 A 192.0.2.1",
            [
                "www.sub.example. 60 IN A 192.0.2.1"
            ]
        ),
        ("relative $ORIGIN", "$ORIGIN sub\nwww 60 A 192.0.2.1", ["www.sub.example. 60 IN A 192.0.2.1"]),
        ("$TTL default", "$TTL 1h\nwww A 192.0.2.1", ["www.example. 3600 IN A 192.0.2.1"]),
        (
            "$TTL wins over the last explicit TTL", "$TTL 100\na 50 A 192.0.2.1\nb A 192.0.2.2",
            ["a.example. 50 IN A 192.0.2.1", "b.example. 100 IN A 192.0.2.2"]
        ),
        (
            "no $TTL: last explicit TTL (RFC 1035)", "a 50 A 192.0.2.1\nb A 192.0.2.2",
            ["a.example. 50 IN A 192.0.2.1", "b.example. 50 IN A 192.0.2.2"]
        ),
        (
            "no $TTL, SOA without TTL: SOA MINIMUM as BIND",
            "@ SOA ns1 host 1 2 3 4 5\nns1 100 A 192.0.2.1\nx A 192.0.2.2",
            [
                "example. 5 IN SOA ns1.example. host.example. 1 2 3 4 5", "ns1.example. 100 IN A 192.0.2.1",
                "x.example. 5 IN A 192.0.2.2",
            ]
        ),
    ]

    @Test(arguments: cases)
    func parses(name: String, text: String, expected: [String]) {
        let zone = parseZone(["zone": text])
        let problems = zone.errors.map(\.description)
        #expect(problems == [], "\(name)")
        #expect(lines(zone) == expected, "\(name)")
    }

    @Test func originFromFirstDollarOrigin() {
        let zone = parseZone(["zone": "$ORIGIN example.org.\n$TTL 60\n@ SOA ns host 1 2 3 4 5\n"], origin: nil)
        #expect(zone.origin == "example.org.")
    }

    @Test func originFromFirstSOAOwner() {
        let zone = parseZone(["zone": "example.net. 60 SOA ns host 1 2 3 4 5\nwww 60 A 192.0.2.1\n"], origin: nil)
        #expect(zone.origin == "example.net.")
        #expect(lines(zone).last == "www.example.net. 60 IN A 192.0.2.1")
    }

    @Test func repeatedOwnerTextIsTheSameName() {
        let zone = parseZone(["zone": "www 60 A 192.0.2.1\nwww 60 A 192.0.2.2\n$ORIGIN other.\nwww 60 A 192.0.2.3"])
        #expect(zone.records.map(\.name.description) == ["www.example.", "www.example.", "www.other."])
    }

    @Test func soaMinimumFallbackWarns() {
        let zone = parseZone(["zone": "@ SOA ns1 host 1 2 3 4 5\n"])
        #expect(
            printed(zone) == [
                "zone:1:1: warning: no TTL given and no $TTL: using the SOA MINIMUM (5) for records without a TTL"
            ]
        )
        #expect(!zone.hasErrors)
    }
}

/// Files are read a piece at a time; wherever the pieces break, the records,
/// errors and their positions must be those of reading the file whole.
@Suite struct ZonePieceTests {
    static let text =
        apex + """
            multi  TXT ( "line one" ; comment with ( and "
                         "line two" )
            q      TXT "semi;colon (paren" x\\;y
            $GENERATE 1-3 g$ A 10.0.0.$
              AAAA 2001:db8::1
            bad    A 300.0.0.1
            esc\\(  A 192.0.2.7
            last   A 192.0.2.8
            """

    @Test(arguments: [1, 2, 3, 7, 16, 64, 1 << 20])
    func sameResultForAnyPieceSize(size: Int) {
        var limits = ZoneLimits()
        limits.readSize = size
        let whole = parseZone(["zone": Self.text])
        let pieces = ZoneFileParser(
            fileSystem: InMemoryZoneFiles(["zone": Self.text], maxReadSize: size),
            limits: limits
        )
        .parse(file: "zone", origin: "example.")
        #expect(lines(pieces) == lines(whole))
        #expect(printed(pieces) == printed(whole))
        #expect(pieces.locations == whole.locations)
        #expect(printed(whole) == ["zone:11:10: bad IPv4 address '300.0.0.1'"])
        #expect(whole.records.count == 11)
    }
}

/// Random well-formed-ish zone text: reading it in small pieces gives the
/// same records as reading it whole.
@Suite struct ZonePieceFuzzTests {
    @Test func randomTextsAgree() {
        let fragments = [
            "a 60 A 192.0.2.1\n", " 60 AAAA 2001:db8::1\n", "t 60 TXT \"x;y (z\" w\n", "; c ( \" \n",
            "m 60 MX ( 10\n mx ) ; c\n", "$TTL 60\n", "$ORIGIN sub.example.\n", "q 60 TXT \"a\\\"b\"\n",
            "e\\. 60 A 192.0.2.2\n", "\n", "\r\n", "p 60 TXT ( \"one\"\n\"two\" )\n",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let text = (0..<Int.random(in: 1...12, using: &generator))
                .map { _ in fragments[Int.random(in: 0..<fragments.count, using: &generator)] }.joined()
            let whole = parseZone(["zone": text])
            for size in [1, 5, 13] {
                var limits = ZoneLimits()
                limits.readSize = size
                let pieces = ZoneFileParser(fileSystem: InMemoryZoneFiles(["zone": text]), limits: limits)
                    .parse(file: "zone", origin: "example.")
                #expect(lines(pieces) == lines(whole), "\(text.debugDescription) in pieces of \(size)")
                #expect(printed(pieces) == printed(whole), "\(text.debugDescription) in pieces of \(size)")
            }
        }
    }
}
