// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

/// HINFO, RP, SRV, NAPTR, CAA, SSHFP, TLSA/SMIMEA, OPENPGPKEY, URI and LOC.
/// Every expected presentation string below was checked against
/// `named-checkzone -D` (BIND 9), except that BIND breaks long hex into
/// 56-character chunks where we print it unbroken.
@Suite struct MiscRecordTests {
    // MARK: presentation → value → presentation

    /// (type, input, canonical output)
    static let canonical: [(RecordType, String, String)] = [
        // HINFO (RFC 1035 §3.3.2): always quoted, escapes as BIND prints them.
        (.hinfo, #"PC Linux"#, #""PC" "Linux""#),
        (.hinfo, #""PC-Intel-700mhz" "Linux""#, #""PC-Intel-700mhz" "Linux""#),
        (.hinfo, #""" """#, #""" """#),
        (.hinfo, #""Linux \"x\" \\ \009 é" \(x"#, #""Linux \"x\" \\ \009 \195\169" "(x""#),
        (.hinfo, #"\065\066 "x y""#, #""AB" "x y""#),
        (.hinfo, "( \"RFC8482\"\n \"\" )", #""RFC8482" """#),
        // RP (RFC 1183 §2.2)
        (.rp, "mbox.example. txt.example.", "mbox.example. txt.example."),
        (.rp, ". .", ". ."),
        (.rp, "Mbox TXT", "Mbox.example. TXT.example."),
        // SRV (RFC 2782)
        (.srv, "0 5 5060 sipserver.example.com.", "0 5 5060 sipserver.example.com."),
        (.srv, "65535 65535 65535 .", "65535 65535 65535 ."),
        (.srv, "1 2 3 sip", "1 2 3 sip.example."),
        // NAPTR (RFC 3403 §4.1): strings always quoted.
        (.naptr, #"100 10 S SIP+D2U "" _sip._udp.example.com."#, #"100 10 "S" "SIP+D2U" "" _sip._udp.example.com."#),
        (
            .naptr, #"100 10 "" "" "!^urn:cid:.+@([^\\.]+\\.)(.*)$!\\2!i" ."#,
            #"100 10 "" "" "!^urn:cid:.+@([^\\.]+\\.)(.*)$!\\2!i" ."#
        ),
        (.naptr, #"1 2 "a\"b" "\255" "" x"#, #"1 2 "a\"b" "\255" "" x.example."#),
        // CAA (RFC 8659 §4.1): value always quoted, tag case kept.
        (.caa, #"0 issue "ca.example""#, #"0 issue "ca.example""#),
        (.caa, "0 issue ca.example", #"0 issue "ca.example""#),
        (.caa, #"128 tbs "Unknown""#, #"128 tbs "Unknown""#),
        (.caa, #"0 issue ";""#, #"0 issue ";""#),
        (.caa, #"0 iodef "mailto:security@example.com""#, #"0 iodef "mailto:security@example.com""#),
        (.caa, #"0 issue "a\"b\\c\009""#, #"0 issue "a\"b\\c\009""#),
        (.caa, #"0 issuewild """#, #"0 issuewild """#),
        (.caa, #"0 ISSUE caval"#, #"0 ISSUE "caval""#),
        (.caa, #"0 abcdefghijklmno "x""#, #"0 abcdefghijklmno "x""#),
        (.caa, #"0 issue "ca.example; account=230123""#, #"0 issue "ca.example; account=230123""#),
        // SSHFP (RFC 4255): hex upper-case, spaces allowed on input.
        (.sshfp, "2 1 123456789abcdef67890123456789abcdef67890", "2 1 123456789ABCDEF67890123456789ABCDEF67890"),
        (.sshfp, "2 1 12345678 9abcdef67890123456789abcdef67890", "2 1 123456789ABCDEF67890123456789ABCDEF67890"),
        (
            .sshfp, "4 2 0123456789ABCDEF0123456789abcdef 0123456789abcdef0123456789abcdef",
            "4 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
        ),
        (.sshfp, "1 3 abcd", "1 3 ABCD"),
        (.sshfp, "1 0 ab", "1 0 AB"),
        // TLSA (RFC 6698 §2.2) and SMIMEA (RFC 8162)
        (
            .tlsa, "3 1 1 0c72ac70b745ac19998811b131d662c9 ac69dbdbe7cb23e5b514b56664c5d3d6",
            "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6"
        ),
        (.tlsa, "3 1 2 abcd", "3 1 2 ABCD"),
        (.smimea, "3 1 0 ( 30 82 )", "3 1 0 3082"),
        // OPENPGPKEY (RFC 7929): base64 unbroken.
        (.openpgpkey, "AQIDBAUGBwgJ CgsM", "AQIDBAUGBwgJCgsM"),
        (.openpgpkey, "AQ==", "AQ=="),
        // URI (RFC 7553): target quoted, may be empty, not limited to 255.
        (.uri, #"10 1 "ftp://ftp1.example.com/public""#, #"10 1 "ftp://ftp1.example.com/public""#),
        (.uri, #"10 1 """#, #"10 1 """#),
        (.uri, #"10 1 "a\"b\\c\009 d""#, #"10 1 "a\"b\\c\009 d""#),
        (.uri, #"1 2 "é""#, #"1 2 "\195\169""#),
        (
            .uri, "1 2 \"" + String(repeating: "x", count: 300) + "\"",
            "1 2 \"" + String(repeating: "x", count: 300) + "\""
        ),
        // LOC (RFC 1876 §3)
        (
            .loc, "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
            "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m"
        ),
        (.loc, "42 21 54 N 71 06 18 W -24m 30m", "42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m"),
        (.loc, "42 21 43.952 N 71 5 6.344 W -24m 1m 200m", "42 21 43.952 N 71 5 6.344 W -24.00m 1m 200m 10m"),
        (.loc, "52 14 05 N 00 08 50 E 10m", "52 14 5.000 N 0 8 50.000 E 10.00m 1m 10000m 10m"),
        (.loc, "32 7 19 S 116 2 25 E 10m", "32 7 19.000 S 116 2 25.000 E 10.00m 1m 10000m 10m"),
        (.loc, "42 21 28.764 N 71 00 51.617 W -44m 2000m", "42 21 28.764 N 71 0 51.617 W -44.00m 2000m 10000m 10m"),
        (.loc, "47 43 47 N 127 19 32 W 10m", "47 43 47.000 N 127 19 32.000 W 10.00m 1m 10000m 10m"),
        (.loc, "0 N 0 E 0", "0 0 0.000 N 0 0 0.000 E 0.00m 1m 10000m 10m"),
        (.loc, "0 0 N 0 E 0", "0 0 0.000 N 0 0 0.000 E 0.00m 1m 10000m 10m"),
        (
            .loc, "90 S 180 W 42849672.95m 90000000m 90000000m 90000000m",
            "90 0 0.000 S 180 0 0.000 W 42849672.95m 90000000m 90000000m 90000000m"
        ),
        (.loc, "1 2 3.4 N 5 6 7.89 E 1.5m 0.5m 0.05m 123456m", "1 2 3.400 N 5 6 7.890 E 1.50m 0.50m 0.05m 100000m"),
        (.loc, "10 0 0.001 S 0 0 0.5 W 1.01 2 3 4", "10 0 0.001 S 0 0 0.500 W 1.01m 2m 3m 4m"),
        (.loc, "0 0 59.999 N 0 E 0", "0 0 59.999 N 0 0 0.000 E 0.00m 1m 10000m 10m"),
        (.loc, "0 0 .5 N 0 0 0. E 0", "0 0 0.500 N 0 0 0.000 E 0.00m 1m 10000m 10m"),
        (.loc, "0 N 0 E -0.5m", "0 0 0.000 N 0 0 0.000 E -0.50m 1m 10000m 10m"),
        (.loc, "0 N 0 E -100000m", "0 0 0.000 N 0 0 0.000 E -100000.00m 1m 10000m 10m"),
        (.loc, "0 N 0 E +5m .5m", "0 0 0.000 N 0 0 0.000 E 5.00m 0.50m 10000m 10m"),
        (.loc, "0 N 0 E 1.m 1.5 0m 19m", "0 0 0.000 N 0 0 0.000 E 1.00m 1m 0.00m 10m"),
        (.loc, "0 N 0 E 0 0.19m", "0 0 0.000 N 0 0 0.000 E 0.00m 0.10m 10000m 10m"),
        (.loc, ##"\# 3 010203"##, ##"\# 3 010203"##),
    ]

    @Test(arguments: canonical)
    func presentationRoundTrip(type: RecordType, input: String, expected: String) throws {
        let rdata = try RDATA(type: type, text: input, origin: "example.")
        #expect(rdata.type == type)
        #expect(rdata.description == expected)
        let again = try RDATA(type: type, text: expected, origin: "example.")
        #expect(again == rdata)
        // The typed value survives the wire too.
        #expect(try RDATA(type: type, wire: rdata.wireBytes) == rdata)
    }

    // MARK: text → wire golden hex

    /// (type, canonical text, wire hex). Each hex was fed to BIND as
    /// `TYPE \# LEN HEX` and printed back as the text given.
    static let golden: [(RecordType, String, String)] = [
        (.hinfo, #""PC-Intel-700mhz" "Linux""#, "0F50432D496E74656C2D3730306D687A054C696E7578"),
        (.hinfo, #""" """#, "0000"),
        // RFC 1183 §2.2 example
        (
            .rp, "louie.trantor.umd.edu. lam1.people.umd.edu.",
            "056C6F756965077472616E746F7203756D640365647500046C616D310670656F706C6503756D640365647500"
        ),
        // RFC 2782 example
        (.srv, "0 1 9 old-slow-box.example.com.", "0000000100090C6F6C642D736C6F772D626F78076578616D706C6503636F6D00"),
        // RFC 3403 §6.2 examples
        (
            .naptr, #"100 50 "a" "z3950+N2L+N2C" "" cidserver.example.com."#,
            "0064003201610D7A333935302B4E324C2B4E32430009636964736572766572076578616D706C6503636F6D00"
        ),
        (
            .naptr, #"100 10 "" "" "!^urn:cid:.+@([^\\.]+\\.)(.*)$!\\2!i" ."#,
            "0064000A000021215E75726E3A6369643A2E2B40285B5E5C2E5D2B5C2E29282E2A2924215C32216900"
        ),
        // RFC 8659 §4.5 example value
        (.caa, #"0 issue "ca.example.net""#, "0005697373756563612E6578616D706C652E6E6574"),
        (.caa, #"128 tbs "Unknown""#, "8003746273556E6B6E6F776E"),
        // RFC 4255 §3.3 example
        (.sshfp, "2 1 123456789ABCDEF67890123456789ABCDEF67890", "0201123456789ABCDEF67890123456789ABCDEF67890"),
        // RFC 6698 §2.3 example
        (
            .tlsa, "0 0 1 D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E4561CB106618E971",
            "000001D2ABDE240D7CD3EE6B4B28C54DF034B97983A1D16E8A410E4561CB106618E971"
        ),
        (.smimea, "3 1 1 ABCD", "030101ABCD"),
        (.openpgpkey, "AQIDBAUGBwgJCgsM", "0102030405060708090A0B0C"),
        // RFC 7553 §4.5 example
        (
            .uri, #"10 1 "ftp://ftp1.example.com/public""#,
            "000A00016674703A2F2F667470312E6578616D706C652E636F6D2F7075626C6963"
        ),
        // RFC 1876 §4 examples
        (.loc, "42 21 54.000 N 71 6 18.000 W -24.00m 30m 10000m 10m", "0033161389172DD070BE15F000988D20"),
        (.loc, "42 21 43.952 N 71 5 6.344 W -24.00m 1m 200m 10m", "001224138917069070BF2DD800988D20"),
        (.loc, "52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m", "000016138B3CF018810CBCE0009895B8"),
    ]

    @Test(arguments: golden)
    func textToWire(type: RecordType, text: String, hex: String) throws {
        let rdata = try RDATA(type: type, text: text)
        #expect(Hex.encode(rdata.wireBytes) == hex)
        #expect(rdata.description == text)
    }

    @Test(arguments: golden)
    func wireRoundTrip(type: RecordType, text: String, hex: String) throws {
        let wire = try #require(Hex.decode(Array(hex.utf8)))
        let rdata = try RDATA(type: type, wire: wire)
        #expect(rdata.type == type)
        #expect(rdata.wireBytes == wire)
        #expect(rdata.description == text)
        #expect(rdata == (try RDATA(type: type, text: text)))
        // The generic RFC 3597 form gives the same value.
        #expect(try RDATA(type: type, text: "\\# \(wire.count) \(hex)") == rdata)
    }

    // MARK: RDLENGTH and truncation

    /// Types whose RDATA ends in a field of no fixed size: any extra octet is
    /// part of it. Returns the shortest valid prefix of `wire`.
    static func shortestValidPrefix(_ type: RecordType, _ wire: [UInt8]) -> Int? {
        switch type {
        case .caa: 2 + Int(wire[1])  // flags, tag length, tag; the value may be empty
        case .tlsa, .smimea: 4  // the data must not be empty
        case .openpgpkey: 1
        case .uri: 4  // BIND accepts an empty target
        default: nil  // fixed layout, or (SSHFP) a length fixed by the type
        }
    }

    @Test(arguments: golden)
    func rdlengthMismatch(type: RecordType, text: String, hex: String) throws {
        let wire = try #require(Hex.decode(Array(hex.utf8)))
        // RDLENGTH past the end of the message.
        var reader = WireReader(bytes: wire)
        #expect(throws: DNSWireError.self) { try RDATA(type: type, length: wire.count + 1, from: &reader) }
        // RDLENGTH one short: a field runs past the RDATA (or, for an open
        // ended type with a fixed-size check, the length is wrong).
        if type == .hinfo || type == .rp || type == .srv || type == .naptr || type == .loc || type == .sshfp {
            var short = WireReader(bytes: wire)
            #expect(throws: DNSWireError.self) { try RDATA(type: type, length: wire.count - 1, from: &short) }
        }
        // RDLENGTH one long over an extra octet: left over for fixed layouts.
        if Self.shortestValidPrefix(type, wire) == nil {
            var long = WireReader(bytes: wire + [0])
            #expect(throws: DNSWireError.self) { try RDATA(type: type, length: wire.count + 1, from: &long) }
        }
        // The exact length decodes and consumes the RDATA.
        var exact = WireReader(bytes: wire + [0xAA])
        let rdata = try RDATA(type: type, length: wire.count, from: &exact)
        #expect(exact.offset == wire.count)
        #expect(rdata.wireBytes == wire)
    }

    @Test(arguments: golden)
    func everyTruncationIsAnErrorOrValid(type: RecordType, text: String, hex: String) throws {
        let wire = try #require(Hex.decode(Array(hex.utf8)))
        for cut in 0..<wire.count {
            let prefix = Array(wire.prefix(cut))
            if let shortest = Self.shortestValidPrefix(type, wire), cut >= shortest {
                // Still a valid (shorter) value of an open-ended type.
                let rdata = try RDATA(type: type, wire: prefix)
                #expect(rdata.wireBytes == prefix)
            } else {
                #expect(throws: DNSWireError.self, "\(type) cut at \(cut)") { try RDATA(type: type, wire: prefix) }
            }
        }
    }

    // MARK: malformed wire

    static let badWire: [(RecordType, String)] = [
        (.hinfo, ""),
        (.hinfo, "00"),
        (.hinfo, "0541"),  // CPU length 5, one octet
        (.hinfo, "00000000"),  // trailing octets
        (.rp, "00"),
        (.rp, "C000 00"),  // pointer forward / to itself
        (.srv, "00000000"),
        (.srv, "000000000000"),  // no target
        (.naptr, "0064000A0000"),  // regexp and replacement missing
        (.naptr, "0064000A000000"),  // replacement missing
        (.caa, "00"),
        (.caa, "0000"),  // empty tag
        (.caa, "00052D"),  // tag runs past the end
        (.caa, "00022D41"),  // '-' in tag
        (.caa, "0002C3A9"),  // non-ASCII tag
        (.sshfp, "0201"),  // empty fingerprint
        (.sshfp, "0101ABCD"),  // SHA-1 must be 20 octets
        (.sshfp, "0102" + String(repeating: "AB", count: 20)),  // SHA-256 must be 32
        (.tlsa, "030101"),  // no data
        (.smimea, "03"),
        (.openpgpkey, ""),
        (.uri, "000A00"),
        (.loc, ""),
        (.loc, "0012161389172DD070BE15F00098"),  // 14 octets
        (.loc, "0012161389172DD070BE15F000988D2000"),  // 17 octets
        (.loc, "00A0161389373BC88000000000989680"),  // size mantissa 10
        (.loc, "001216 1A 89373BC88000000000989680"),  // vertical precision exponent 10
        (.loc, "00021613 89172DD070BE15F000988D20"),  // size mantissa 0, exponent 2
        (.loc, "00120113 89172DD070BE15F000988D20"),  // horizontal precision mantissa 0, exponent 1
        (.loc, "00121613 9AEF1881 8000000000989680"),  // latitude 90°00'00.001" N
        (.loc, "00121613 80000000 CD3A8801 00989680"),  // longitude beyond 180° E
        (.loc, "00121613 80000000 32C577FF 00989680"),  // longitude beyond 180° W
    ]

    @Test(arguments: badWire)
    func malformedWire(type: RecordType, hex: String) throws {
        let wire = try #require(Hex.decode(Array(hex.utf8)))
        #expect(throws: DNSWireError.self) { try RDATA(type: type, wire: wire) }
        // Also as generic presentation data: an error, not a crash.
        if !wire.isEmpty {
            #expect(throws: PresentationError.self) { try RDATA(type: type, text: "\\# \(wire.count) \(hex)") }
        }
    }

    // MARK: malformed presentation

    static let badPresentation: [(RecordType, String)] = [
        (.hinfo, ""),
        (.hinfo, "a"),
        (.hinfo, "a b c"),
        (.hinfo, "\"" + String(repeating: "x", count: 256) + "\" x"),
        (.hinfo, #"a\ b"#),  // one token, then nothing
        (.hinfo, #"\300 x"#),  // escape over 255
        (.hinfo, #"\04 x"#),  // short escape
        (.rp, "mbox.example."),
        (.rp, "a..b. c."),
        (.rp, ". . ."),
        (.srv, "1 2 3"),
        (.srv, "1 2 65536 ."),
        (.srv, "-1 2 3 ."),
        (.srv, "1 2 x ."),
        (.naptr, #"65536 2 S S "" ."#),
        (.naptr, #"1 2 S S """#),
        (.naptr, #"1 2 S S "" . x"#),
        (.naptr, "1 2 \"" + String(repeating: "x", count: 256) + "\" S \"\" ."),
        (.caa, "256 issue \"x\""),
        (.caa, "0 issue"),
        (.caa, "0 issue ca example"),
        (.caa, #"0 iss-ue "x""#),
        (.caa, #"0 "" "x""#),
        (.caa, #"0 "issue" "x""#),
        (.caa, #"0 abcdefghijklmnop "x""#),  // 16 characters
        (.caa, #"0 issu\233 "x""#),
        (.caa, #"0 issue "x\2""#),
        (.sshfp, "1 1"),
        (.sshfp, "1 1 abc"),
        (.sshfp, "1 1 -"),
        (.sshfp, "1 1 abcd"),  // SHA-1 needs 20 octets
        (.sshfp, "1 2 abcd"),  // SHA-256 needs 32 octets
        (.sshfp, "256 1 ab"),
        (.tlsa, "3 1 1"),
        (.tlsa, "3 1 1 zz"),
        (.tlsa, "3 1 1 abc"),
        (.tlsa, "256 1 1 ab"),
        (.smimea, "3 1"),
        (.openpgpkey, ""),
        (.openpgpkey, "AQ="),
        (.openpgpkey, "A*=="),
        (.openpgpkey, "===="),
        (.uri, "1 2"),
        (.uri, "1 2 abc"),  // target must be quoted
        (.uri, #"1 2 "a" "b""#),
        (.uri, #"65536 2 "a""#),
        (.loc, "0 N 0 E"),  // altitude missing
        (.loc, "90 1 0 N 0 E 0"),  // beyond the pole
        (.loc, "91 N 0 E 0"),
        (.loc, "0 n 0 e 0"),  // directions are upper case
        (.loc, "0 60 N 0 E 0"),
        (.loc, "0 0 60 N 0 E 0"),
        (.loc, "0 0 59.9999 N 0 E 0"),  // at most three decimals
        (.loc, "0 N 181 E 0"),
        (.loc, "0 N 180 1 E 0"),
        (.loc, "0 N 180 0 0.001 W 0"),
        (.loc, "0 E 0 N 0"),  // longitude first
        (.loc, "0 1 2 X 0 E 0"),
        (.loc, "0 N 0 E -100000.01m"),
        (.loc, "0 N 0 E 42849672.96m"),
        (.loc, "0 N 0 E 42849673"),
        (.loc, "0 N 0 E 0 90000001m"),
        (.loc, "0 N 0 E 0 99999999m"),
        (.loc, "0 N 0 E 0 0.001m"),  // at most centimetres
        (.loc, "0 N 0 E 0 1e3m"),
        (.loc, "0 N 0 E 5mm"),
        (.loc, "0 N 0 E m"),
        (.loc, "0 N 0 E ."),
        (.loc, "0 N 0 E --1"),
        (.loc, "0 N 0 E 0 -1m"),
        (.loc, "0 N 0 E 0 5 6 7 8"),
        (.loc, "+1 N 0 E 0"),
        (.loc, "1.5 N 0 E 0"),
        (.loc, "1 1.5 N 0 E 0"),
        (.loc, "0 N 0 E 99999999999999999999999m"),
    ]

    @Test(arguments: badPresentation)
    func malformedPresentation(type: RecordType, text: String) {
        #expect(throws: PresentationError.self, "\(type) \(text)") {
            try RDATA(type: type, text: text, origin: "example.")
        }
    }

    // MARK: typed values

    @Test func locFieldsFromRFC1876() throws {
        let rdata = try RDATA(type: .loc, text: "42 21 54 N 71 06 18 W -24m 30m")
        guard case .loc(let loc) = rdata else {
            Issue.record("not a LOC: \(rdata)")
            return
        }
        #expect(loc.latitude == 0x8000_0000 + ((42 * 60 + 21) * 60 + 54) * 1000)
        #expect(loc.longitude == 0x8000_0000 - ((71 * 60 + 6) * 60 + 18) * 1000)
        #expect(loc.altitude == 10_000_000 - 2400)
        #expect(loc.size == 0x33)  // 3 × 10^3 cm
        #expect(loc.horizontalPrecision == 0x16)  // default 10000 m
        #expect(loc.verticalPrecision == 0x13)  // default 10 m
        #expect(loc.unknownVersionRDATA == nil)
    }

    @Test func locUnknownVersionIsKeptWhole() throws {
        let wire: [UInt8] = [1, 2, 3]
        let rdata = try RDATA(type: .loc, wire: wire)
        guard case .loc(let loc) = rdata else {
            Issue.record("not a LOC: \(rdata)")
            return
        }
        #expect(loc.unknownVersionRDATA == wire)
        #expect(rdata.wireBytes == wire)
        #expect(rdata.description == ##"\# 3 010203"##)
    }

    @Test func caaTypedValueAndTagRule() throws {
        let rdata = try RDATA(type: .caa, text: #"128 issue "ca.example; policy=ev""#)
        let expected = RDATA.CAA(flags: RDATA.CAA.issuerCriticalFlag, tag: "issue", value: "ca.example; policy=ev")
        #expect(rdata == .caa(expected))
        #expect(RDATA.CAA.isValidTag(Array("issuewild".utf8)))
        #expect(RDATA.CAA.isValidTag(Array("A1b2C3d4E5f6G7h".utf8)))
        #expect(!RDATA.CAA.isValidTag([]))
        #expect(!RDATA.CAA.isValidTag(Array("issue_wild".utf8)))
        #expect(!RDATA.CAA.isValidTag(Array("abcdefghijklmnop".utf8)))
        // A value longer than 255 octets is fine: it is not a character-string.
        let long = String(repeating: "v", count: 400)
        let big = try RDATA(type: .caa, text: "0 issue \"\(long)\"")
        #expect(big.wireBytes.count == 2 + 5 + 400)
        #expect(try RDATA(type: .caa, wire: big.wireBytes) == big)
    }

    @Test func namesInSRVAreNotCompressedButNAPTRAndRPLowerCaseCanonically() throws {
        let srv = try ResourceRecord(text: "_sip._udp.Example. 300 IN SRV 0 5 5060 SIP.Example.")
        let target: [UInt8] = [3] + Array("sip".utf8) + [7] + Array("example".utf8) + [0]
        #expect(srv.rdata.canonicalWireBytes == [0, 0, 0, 5, 0x13, 0xC4] + target)
        let rp = try RDATA(type: .rp, text: "Mbox.Example. TXT.Example.")
        #expect(rp.canonicalWireBytes == (try RDATA(type: .rp, text: "mbox.example. txt.example.")).wireBytes)
        #expect(rp.description == "Mbox.Example. TXT.Example.")
        // SRV target in a message is written without compression (RFC 2782).
        var message = DNSMessage.query(id: 1, name: "_sip._udp.example.", type: .srv)
        message.answers = [try ResourceRecord(text: "_sip._udp.example. 300 IN SRV 0 5 5060 _sip._udp.example.")]
        let wire = message.wireBytes
        let decoded = try DNSMessage(wire: wire)
        #expect(decoded == message)
        let name = Array("_sip".utf8)
        let occurrences = (0...(wire.count - name.count)).filter { Array(wire[$0..<($0 + name.count)]) == name }
        #expect(occurrences.count == 2)  // question, and the SRV target; the owner is a pointer
    }

    @Test func caaLongTagIsAcceptedOnTheWireButNotInPresentation() throws {
        // As BIND: the wire only needs letters and digits; the 15-character
        // limit of RFC 8659 §4.1.1 is enforced when parsing presentation.
        let wire = try #require(Hex.decode(Array("00106162636465666768696A6B6C6D6E6F7041".utf8)))
        let rdata = try RDATA(type: .caa, wire: wire)
        #expect(rdata.description == #"0 abcdefghijklmnop "A""#)
        #expect(rdata.wireBytes == wire)
        #expect(throws: PresentationError.self) { try RDATA(type: .caa, text: rdata.description) }
    }

    @Test func hinfoAndURIStructInitialisers() throws {
        #expect(try RDATA(type: .hinfo, text: "PC Linux") == .hinfo(RDATA.HINFO(cpu: "PC", os: "Linux")))
        #expect(
            try RDATA(type: .uri, text: #"10 1 "ftp://x.example/""#)
                == .uri(RDATA.URI(priority: 10, weight: 1, target: "ftp://x.example/")))
        // Over-long strings set in code are cut to 255 octets, never a corrupt length.
        let long = RDATA.hinfo(RDATA.HINFO(cpu: String(repeating: "c", count: 300), os: "x"))
        let decoded = try RDATA(type: .hinfo, wire: long.wireBytes)
        #expect(decoded == .hinfo(RDATA.HINFO(cpu: String(repeating: "c", count: 255), os: "x")))
    }

    @Test func wholeRecordsPrintLikeBIND() throws {
        let lines = [
            "example. 300 IN CAA 0 issue \"ca.example\"",
            "example. 300 IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
            "_443._tcp.example. 300 IN TLSA 3 1 1 ABCD",
            "example. 300 IN SMIMEA 3 1 1 ABCD",
            "_ftp._tcp.example. 300 IN URI 10 1 \"ftp://ftp1.example.com/public\"",
        ]
        for line in lines {
            let record = try ResourceRecord(text: line)
            #expect(record.description.split(whereSeparator: { $0 == " " || $0 == "\t" }) == line.split(separator: " "))
        }
    }
}
