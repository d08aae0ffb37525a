// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

/// Malformed input: each case gives its errors as `FILE:LINE:COLUMN: message`,
/// and the parser goes on to the next entry (the records after it are read).
@Suite struct ZoneErrorTests {
    static let cases: [(String, String, [String])] = [
        ("unknown type", "www 60 IN BOGUS 1\n", ["zone:1:11: unknown record type 'BOGUS'"]),
        ("bad TTL", "www 99999999999 A 192.0.2.1\n", ["zone:1:5: bad TTL '99999999999'"]),
        ("missing type", "www 60 IN\n", ["zone:1:10: missing record type"]),
        ("bad address", "www 60 A 192.0.2.300\n", ["zone:1:10: bad IPv4 address '192.0.2.300'"]),
        ("missing RDATA", "www 60 MX 10\n", ["zone:1:13: missing MX exchange"]),
        ("extra RDATA", "www 60 A 192.0.2.1 192.0.2.2\n", ["zone:1:20: unexpected '192.0.2.2' after the record data"]),
        (
            "label too long", "\(String(repeating: "a", count: 64)) 60 A 192.0.2.1\n",
            [
                "zone:1:1: bad owner name '\(String(repeating: "a", count: 64))': label longer than 63 octets"
            ]
        ),
        ("wrong class", "www 60 CH A 192.0.2.1\n", ["zone:1:1: class CH does not match the zone class IN"]),
        (
            "blank start without owner", "  60 A 192.0.2.1\n",
            [
                "zone:1:3: no previous owner name for a line that starts with a blank"
            ]
        ),
        ("unclosed parenthesis", "www 60 A ( 192.0.2.1\n", ["zone:1:10: '(' not closed"]),
        ("close without open", "www 60 A 192.0.2.1 )\nok 60 A 192.0.2.2\n", ["zone:1:20: ')' without '('"]),
        ("unclosed quote", "t 60 TXT \"abc\nok 60 A 192.0.2.2\n", ["zone:1:10: quoted string not closed"]),
        ("no TTL at all", "www A 192.0.2.1\n", ["zone:1:1: no TTL given and no $TTL before this record"]),
        ("bad $TTL", "$TTL 1x\n", ["zone:1:6: bad $TTL '1x'"]),
        ("$TTL without value", "$TTL\n", ["zone:1:1: missing argument: $TTL TTL"]),
        ("$ORIGIN extra", "$ORIGIN a. b.\n", ["zone:1:12: unexpected 'b.': $ORIGIN NAME"]),
        ("unknown directive", "$FOO bar\n", ["zone:1:1: unknown directive '$FOO'"]),
        ("bad generic length", "www 60 TYPE65534 \\# 2 abcdef\n", ["zone:1:21: RDATA length 2 but 3 octets given"]),
        (
            "generic without \\#", "www 60 TYPE65534 abcdef\n",
            [
                "zone:1:18: data of this type must be given as '\\# LENGTH HEX' (RFC 3597)"
            ]
        ),
        (
            "bad $GENERATE range", "$GENERATE 5-1 h$ A 10.0.0.$\n",
            [
                "zone:1:11: bad $GENERATE range '5-1' (START-STOP[/STEP], START <= STOP)"
            ]
        ),
        (
            "bad $GENERATE modifier", "$GENERATE 1-2 h${1,2,q} A 10.0.0.$\n",
            [
                "zone:1:15: bad $GENERATE template: base must be one of d, o, x, X, n, N"
            ]
        ),
        (
            "$GENERATE bad record", "$GENERATE 255-256 h$ 60 A 10.0.0.$\n",
            [
                "zone:1:1: $GENERATE value 256 gives 'h256 60 A 10.0.0.256': bad IPv4 address '10.0.0.256'"
            ]
        ),
    ]

    @Test(arguments: cases)
    func reports(name: String, text: String, expected: [String]) {
        // Every case is followed by a good record, which must still be read.
        let shifted = parseZone(["zone": text + "last 60 A 192.0.2.9\n"])
        #expect(shifted.errors.map(\.description) == expected, "\(name)")
        if name != "unclosed parenthesis" {  // that one runs to the end of the file
            #expect(shifted.records.last?.description == "last.example. 60 IN A 192.0.2.9", "\(name)")
        }
    }

    @Test func relativeNameWithoutOrigin() {
        let zone = parseZone(["zone": "www 60 A 192.0.2.1\n"], origin: nil)
        #expect(printed(zone) == ["zone:1:1: relative owner name 'www' but no origin (use $ORIGIN or --origin)"])
    }

    @Test func errorsAreCollectedUpToTheLimit() {
        var limits = ZoneLimits()
        limits.maxErrors = 5
        let text = String(repeating: "www 60 A bad\n", count: 20)
        let zone = ZoneFileParser(fileSystem: InMemoryZoneFiles(["zone": text]), limits: limits)
            .parse(file: "zone", origin: "example.")
        #expect(zone.errors.count == 5)
        #expect(zone.errors.map(\.line) == [1, 2, 3, 4, 5])
        #expect(zone.warnings.map(\.message) == ["too many errors (5); stopping"])
    }

    @Test func missingFile() {
        let zone = parseZone([:], top: "nope.zone")
        #expect(printed(zone) == ["nope.zone:0:0: cannot read 'nope.zone': No such file or directory"])
    }

    @Test func binaryGarbageNeverCrashes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let length = Int.random(in: 0..<200, using: &generator)
            let bytes = (0..<length).map { _ in
                // Mostly zone-file characters, so the parser gets deep.
                let pool = Array("$ORIGIN TTL GENERATE INCLUDE @ ( ) ; \" \\ . 0 1 9 a A IN SOA MX TXT \n\t-/{},".utf8)
                return Bool.random(using: &generator)
                    ? pool[Int.random(in: 0..<pool.count, using: &generator)]
                    : UInt8.random(in: 0...255, using: &generator)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            var zone = parseZone(["zone": text])
            ZoneChecker.check(&zone)
            _ = ZoneWriter.format(zone.records)
        }
    }
}
