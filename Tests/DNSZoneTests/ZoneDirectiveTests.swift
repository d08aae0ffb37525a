// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

/// `$INCLUDE` and `$GENERATE`.
@Suite struct ZoneDirectiveTests {
    static let generateCases: [(String, String, [String])] = [
        (
            "plain $", "$GENERATE 1-3 h$ A 10.0.0.$",
            [
                "h1.example. 60 IN A 10.0.0.1", "h2.example. 60 IN A 10.0.0.2", "h3.example. 60 IN A 10.0.0.3",
            ]
        ),
        (
            "step", "$GENERATE 1-5/2 h$ A 10.0.0.$",
            [
                "h1.example. 60 IN A 10.0.0.1", "h3.example. 60 IN A 10.0.0.3", "h5.example. 60 IN A 10.0.0.5",
            ]
        ),
        (
            "offset and width", "$GENERATE 9-10 h${-1,3} A 10.0.0.${10}",
            [
                "h008.example. 60 IN A 10.0.0.19", "h009.example. 60 IN A 10.0.0.20",
            ]
        ),
        (
            "octal and hex", "$GENERATE 26-26 o${0,4,o}.x${0,0,x}.X${0,3,X} TXT x",
            [
                "o0032.x1a.X01A.example. 60 IN TXT \"x\""
            ]
        ),
        ("nibbles as BIND", "$GENERATE 26-26 ${0,3,N}.r CNAME t", ["A.1.r.example. 60 IN CNAME t.example."]),
        ("nibbles padded", "$GENERATE 10-10 ${0,4,n}r CNAME t", ["a.0.r.example. 60 IN CNAME t.example."]),
        ("ttl and class", "$GENERATE 1-1 h$ 30 IN A 10.0.0.$", ["h1.example. 30 IN A 10.0.0.1"]),
        ("class and ttl", "$GENERATE 1-1 h$ IN 30 A 10.0.0.$", ["h1.example. 30 IN A 10.0.0.1"]),
        ("$$ and \\$ are literal", "$GENERATE 1-1 m$$ CNAME h$\\$", ["m\\$.example. 60 IN CNAME h1\\$.example."]),
        (
            "quoted rhs is read as RDATA text", "$GENERATE 1-2 t$ TXT \"v=$ x\"",
            [
                "t1.example. 60 IN TXT \"v=1\" \"x\"", "t2.example. 60 IN TXT \"v=2\" \"x\"",
            ]
        ),
        ("quoted MX rhs", "$GENERATE 1-1 m$ MX \"10 mx$\"", ["m1.example. 60 IN MX 10 mx1.example."]),
        ("several rhs fields", "$GENERATE 1-1 m$ MX 10 mx$", ["m1.example. 60 IN MX 10 mx1.example."]),
        (
            "reverse zone", "$ORIGIN 2.0.192.in-addr.arpa.\n$GENERATE 1-2 $ PTR host$.example.",
            [
                "1.2.0.192.in-addr.arpa. 60 IN PTR host1.example.", "2.2.0.192.in-addr.arpa. 60 IN PTR host2.example.",
            ]
        ),
    ]

    @Test(arguments: generateCases)
    func generate(name: String, text: String, expected: [String]) {
        let zone = parseZone(["zone": "$TTL 60\n" + text + "\n"])
        #expect(zone.errors.map(\.description) == [], "\(name)")
        #expect(lines(zone) == expected, "\(name)")
    }

    @Test func generateLimit() {
        var limits = ZoneLimits()
        limits.maxGeneratedRecords = 10
        let zone = ZoneFileParser(
            fileSystem: InMemoryZoneFiles(["zone": "$GENERATE 1-11 h$ 60 A 10.0.0.1\n"]),
            limits: limits
        )
        .parse(file: "zone", origin: "example.")
        #expect(printed(zone) == ["zone:1:11: $GENERATE would make 11 records (limit 10)"])
    }

    @Test func includeRelativeToTheIncludingFile() {
        let zone = parseZone(
            [
                "zones/main.zone": "$TTL 60\n$INCLUDE sub/hosts.inc\nafter A 192.0.2.9\n",
                "zones/sub/hosts.inc": "www A 192.0.2.1\n",
            ],
            top: "zones/main.zone"
        )
        #expect(zone.errors == [])
        #expect(lines(zone) == ["www.example. 60 IN A 192.0.2.1", "after.example. 60 IN A 192.0.2.9"])
        #expect(zone.files == ["zones/main.zone", "zones/sub/hosts.inc"])
    }

    @Test func includeOriginIsScopedToTheIncludedFile() {
        let zone = parseZone(
            [
                "main": "$TTL 60\n$INCLUDE inc sub.example.\nwww A 192.0.2.2\n",
                "inc": "www A 192.0.2.1\n$ORIGIN deeper.sub.example.\nx A 192.0.2.3\n",
            ],
            top: "main"
        )
        #expect(
            lines(zone) == [
                "www.sub.example. 60 IN A 192.0.2.1", "x.deeper.sub.example. 60 IN A 192.0.2.3",
                "www.example. 60 IN A 192.0.2.2",
            ]
        )
    }

    @Test func includeErrorsNameTheIncludedFile() {
        let zone = parseZone(
            ["main": "$TTL 60\n$INCLUDE inc\n", "inc": "ok A 192.0.2.1\n\nbad A 300.1.1.1\n"],
            top: "main"
        )
        #expect(printed(zone) == ["inc:3:7: bad IPv4 address '300.1.1.1'"])
    }

    @Test func includeLoop() {
        let zone = parseZone(["a": "$INCLUDE b\n", "b": "x 60 A 192.0.2.1\n$INCLUDE ./a\n"], top: "a")
        #expect(printed(zone) == ["b:2:1: $INCLUDE loop: './a' is already being read"])
        #expect(lines(zone) == ["x.example. 60 IN A 192.0.2.1"])
    }

    @Test func includeSelf() {
        let zone = parseZone(["a": "$INCLUDE a\n"], top: "a")
        #expect(printed(zone) == ["a:1:1: $INCLUDE loop: 'a' is already being read"])
    }

    @Test func includeDepthIsBounded() {
        // f0 includes f1 … includes f9: depth 8 is one too deep.
        var files: [String: String] = [:]
        for k in 0..<10 { files["f\(k)"] = "$INCLUDE f\(k + 1)\n" }
        files["f10"] = "x 60 A 192.0.2.1\n"
        let zone = parseZone(files, top: "f0")
        #expect(printed(zone) == ["f7:1:1: $INCLUDE nested deeper than 7 files"])
        #expect(zone.records.isEmpty)
    }

    @Test func includeMissingFile() {
        let zone = parseZone(["main": "$INCLUDE \"no such.inc\"\n"], top: "main")
        #expect(printed(zone) == ["main:1:1: cannot read 'no such.inc': No such file or directory"])
    }

    @Test func localFilesReadsTheDisk() throws {
        let zone = ZoneFileParser().parse(file: "/nonexistent/hanon/zone", origin: "example.")
        #expect(zone.errors.first?.message.hasPrefix("cannot read '/nonexistent/hanon/zone'") == true)
    }
}
