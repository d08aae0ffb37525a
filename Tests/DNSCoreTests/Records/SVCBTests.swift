import DNSCore
import Testing

/// Hex with spaces allowed, for readable vectors.
private func hex(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
    var out: [UInt8] = []
    var i = 0
    while i + 1 < digits.count {
        let pair = String(decoding: digits[i..<(i + 2)], as: UTF8.self)
        out.append(UInt8(pair, radix: 16) ?? 0xEE)
        i += 2
    }
    return out
}

private let fooExampleCom = "03 666f6f 07 6578616d706c65 03 636f6d 00"
private let fooExampleOrg = "03 666f6f 07 6578616d706c65 03 6f7267 00"

/// An RFC 9460 Appendix D vector: presentation input, wire hex, and the
/// presentation output BIND 9.18 `named-checkzone -D` prints for it.
struct SVCBVector: Sendable, CustomTestStringConvertible {
    var type: RecordType
    var text: String
    var wire: String
    var output: String
    var testDescription: String { self.text }
}

@Suite struct SVCBTests {
    static let appendixD: [SVCBVector] = [
        // D.1 AliasMode (Figure 2).
        SVCBVector(
            type: .https, text: "0 foo.example.com.", wire: "0000 \(fooExampleCom)", output: "0 foo.example.com."),
        // D.2 ServiceMode, Figure 3: TargetName ".".
        SVCBVector(type: .svcb, text: "1 .", wire: "0001 00", output: "1 ."),
        // Figure 4: a port.
        SVCBVector(
            type: .svcb, text: "16 foo.example.com. port=53",
            wire: "0010 \(fooExampleCom) 0003 0002 0035", output: "16 foo.example.com. port=53"),
        // Figure 5: a generic key and unquoted value.
        SVCBVector(
            type: .svcb, text: "1 foo.example.com. key667=hello",
            wire: "0001 \(fooExampleCom) 029b 0005 68656c6c6f", output: "1 foo.example.com. key667=\"hello\""),
        // Figure 6: a generic key and quoted value with a decimal escape.
        SVCBVector(
            type: .svcb, text: #"1 foo.example.com. key667="hello\210qoo""#,
            wire: "0001 \(fooExampleCom) 029b 0009 68656c6c6fd2716f6f",
            output: #"1 foo.example.com. key667="hello\210qoo""#),
        // Figure 7: two quoted IPv6 hints, across lines in parentheses.
        SVCBVector(
            type: .svcb, text: "1 foo.example.com. (\n    ipv6hint=\"2001:db8::1,2001:db8::53:1\"\n    )",
            wire:
                "0001 \(fooExampleCom) 0006 0020 20010db8000000000000000000000001 20010db8000000000000000000530001",
            output: "1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1"),
        // Figure 8: an IPv6 hint in IPv4-mapped syntax.
        SVCBVector(
            type: .svcb, text: #"1 example.com. ipv6hint="::ffff:198.51.100.100""#,
            wire: "0001 07 6578616d706c65 03 636f6d 00 0006 0010 00000000000000000000ffffc6336464",
            output: "1 example.com. ipv6hint=::ffff:198.51.100.100"),
        // Figure 9: SvcParams and mandatory keys unsorted in presentation, sorted on the wire.
        SVCBVector(
            type: .svcb,
            text: "16 foo.example.org. (\n    alpn=h2,h3-19 mandatory=ipv4hint,alpn\n    ipv4hint=192.0.2.1\n    )",
            wire: "0010 \(fooExampleOrg) 0000 0004 0001 0004 0001 0009 02 6832 05 68332d3139 0004 0004 c0000201",
            output: #"16 foo.example.org. mandatory=alpn,ipv4hint alpn="h2,h3-19" ipv4hint=192.0.2.1"#),
        // Figure 10: an escaped comma and escaped backslash in alpn, both forms.
        SVCBVector(
            type: .svcb, text: #"16 foo.example.org. alpn="f\\\\oo\\,bar,h2""#,
            wire: "0010 \(fooExampleOrg) 0001 000c 08 665c6f6f2c626172 02 6832",
            output: #"16 foo.example.org. alpn="f\\\\oo\\,bar,h2""#),
        SVCBVector(
            type: .svcb, text: #"16 foo.example.org. alpn=f\\\092oo\092,bar,h2"#,
            wire: "0010 \(fooExampleOrg) 0001 000c 08 665c6f6f2c626172 02 6832",
            output: #"16 foo.example.org. alpn="f\\\\oo\\,bar,h2""#),
    ]

    @Test(arguments: appendixD)
    func appendixDVector(_ v: SVCBVector) throws {
        let rdata = try RDATA(type: v.type, text: v.text)
        #expect(rdata.wireBytes == hex(v.wire))
        #expect(rdata.description == v.output)
        // Wire to text and back.
        let decoded = try RDATA(type: v.type, wire: hex(v.wire))
        #expect(decoded == rdata)
        #expect(decoded.description == v.output)
        #expect(try RDATA(type: v.type, text: v.output) == rdata)
        // RFC 3597 generic form of the same octets.
        let generic = try RDATA(type: v.type, text: "\\# \(hex(v.wire).count) \(v.wire)")
        #expect(generic == rdata)
    }

    /// RFC 9460 Appendix D.3: each rejected for the reason the RFC gives.
    @Test(arguments: [
        ("1 foo.example.com. ( key123=abc key123=def )", "given twice"),
        ("1 foo.example.com. mandatory", "mandatory needs"),
        ("1 foo.example.com. alpn", "alpn needs"),
        ("1 foo.example.com. port", "port needs"),
        ("1 foo.example.com. ipv4hint", "ipv4hint needs"),
        ("1 foo.example.com. ipv6hint", "ipv6hint needs"),
        ("1 foo.example.com. no-default-alpn=abc", "must have an empty value"),
        ("1 foo.example.com. mandatory=key123", "not present"),
        ("1 foo.example.com. mandatory=mandatory", "must not list mandatory"),
        ("1 foo.example.com. ( mandatory=key123,key123 key123=abc )", "listed twice"),
    ])
    func appendixDFailure(text: String, reason: String) {
        do {
            _ = try RDATA(type: .svcb, text: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    /// Further presentation inputs that must be rejected.
    @Test(arguments: [
        // Same key through its mnemonic and its generic name.
        #"1 . alpn=h2 key1=\002h3"#,
        // Unknown names and bad generic names (RFC 9460 §2.1).
        "1 . foo=bar", "1 . KEY667=x", "1 . Alpn=h2", "1 . key065=x", "1 . key65536=x", "1 . key=x",
        "1 . \"alpn=h2\"", "1 . =h2",
        // Bad values.
        "1 . alpn=", "1 . alpn=\"\"", "1 . alpn=a,,b", "1 . alpn=a,", "1 . alpn=,a", #"1 . alpn=a\\"#,
        "1 . port=65536", "1 . port=", "1 . port=0x35", "1 . port=+1", "1 . port=-1",
        "1 . ipv4hint=1.2.3", "1 . ipv4hint=1.2.3.4,", "1 . ipv4hint=\"1.2.3.4, 5.6.7.8\"", "1 . ipv4hint=::1",
        "1 . ipv6hint=1.2.3.4", "1 . ipv6hint=2001:db8::1,", "1 . ech=AAA", "1 . ech=A=A=",
        "1 . ohttp=x", "1 . no-default-alpn",
        // Generic forms of known keys carry wire octets, checked by the wire rules.
        #"1 . key1=\004abc"#, #"1 . key3=\000"#, #"1 . key4=\001\002\003\004\005"#, "1 . key6=abc",
        #"1 . key0=\000\003\000\001 port=1 alpn=x"#, "1 . key0=", #"1 . key0=\000\000"#,
        // Missing or bad priority and target.
        "", "65536 .", "x .", "1", "1 a..b.",
        // Escapes.
        #"1 . key65000="\256""#, #"1 . key65000=\1"#,
    ])
    func rejectsBadPresentation(_ text: String) {
        #expect(throws: PresentationError.self) { try RDATA(type: .svcb, text: text) }
    }

    /// Inputs and the output BIND 9.18.49 `named-checkzone -D` printed for them.
    @Test(arguments: [
        ("1 . ech=\"\"", "1 . ech"),
        ("1 . ech", "1 . ech"),
        ("1 . ech=AA==", "1 . ech=AA=="),
        (#"1 . alpn="a b,c\"d,\255x,;,(""#, #"1 . alpn="a\032b,c\"d,\255x,;,(""#),
        (#"1 . key65000="\(;)" key65001=abc\032def"#, #"1 . key65000="(;)" key65001="abc def""#),
        ("1 . dohpath=/dns-query{?dns}", "1 . key7=\"/dns-query{?dns}\""),
        ("1 . key9 key10=\"\" key11=", "1 . key9 key10 key11"),
        ("1 . mandatory=key65000,key70 key70 key65000", "1 . mandatory=key70,key65000 key70 key65000"),
        (#"1 . key3=\000\053 alpn=h2"#, "1 . alpn=\"h2\" port=53"),
        (
            #"1 . alpn=a\044b,c mandatory=key65000,port port=1 key65000"#,
            "1 . mandatory=port,key65000 alpn=\"a,b,c\" port=1 key65000"
        ),
        (#"1 . key1=\003abc"#, "1 . alpn=\"abc\""),
        (#"1 . key0=\000\003 port=1"#, "1 . mandatory=port port=1"),
        ("0 x.example. port=1", "0 x.example. port=1"),
        (
            #"1 . alpn="h2\,x,h3" port=8443 ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1"#,
            "1 . alpn=\"h2,x,h3\" port=8443 ipv4hint=192.0.2.1,192.0.2.2 ipv6hint=2001:db8::1"
        ),
        ("1 . key65535", "1 . key65535"),
        ("1 . key65535=a", "1 . key65535=\"a\""),
        ("1 . mandatory=\"port\" port=\"53\"", "1 . mandatory=port port=53"),
        ("1 . ipv6hint=::1 ipv4hint=1.1.1.1", "1 . ipv4hint=1.1.1.1 ipv6hint=::1"),
        (
            "1 . ipv6hint=::1,::ffff:1.2.3.4,2001:db8:0:0:1:0:0:1",
            "1 . ipv6hint=::1,::ffff:1.2.3.4,2001:db8::1:0:0:1"
        ),
        ("1 . alpn=h2,h2", "1 . alpn=\"h2,h2\""),
        (
            "1 . mandatory=no-default-alpn no-default-alpn alpn=x",
            "1 . mandatory=no-default-alpn alpn=\"x\" no-default-alpn"
        ),
        ("1 . port=53 ipv4hint=1.2.3.4 alpn=h2", "1 . alpn=\"h2\" port=53 ipv4hint=1.2.3.4"),
        ("1 . alpn=h3 ohttp", "1 . alpn=\"h3\" key8"),
        (#"1 . key7="/q{?dns}\"\\ y,z""#, #"1 . key7="/q{?dns}\"\\ y,z""#),
        ("1 svc.Example.NET. alpn=h2", "1 svc.Example.NET. alpn=\"h2\""),
    ])
    func matchesBINDOutput(input: String, output: String) throws {
        let rdata = try RDATA(type: .svcb, text: input)
        #expect(rdata.description == output)
        let again = try RDATA(type: .svcb, text: output)
        #expect(again == rdata)
        #expect(try RDATA(type: .svcb, wire: rdata.wireBytes) == rdata)
    }

    @Test func alpnRoundTripsEveryOctet() throws {
        let id = Array(UInt8(0)...UInt8(255)).filter { $0 != 0 }.prefix(255)
        let svcb = try RDATA.SVCB(priority: 1, target: .root, params: [SVCParam(key: .alpn, value: [255] + id)])
        let rdata = RDATA.svcb(svcb)
        let text = rdata.description
        let parsed = try RDATA(type: .svcb, text: text)
        #expect(parsed == rdata)
        #expect(parsed.wireBytes == rdata.wireBytes)
    }

    @Test func typedAccessors() throws {
        let rdata = try RDATA(
            type: .https,
            text: "1 svc.example. mandatory=port alpn=h2,h3 no-default-alpn port=8443 "
                + "ipv4hint=192.0.2.1 ech=AQID ipv6hint=2001:db8::1 dohpath=/q{?dns}")
        guard case .https(let svcb) = rdata else {
            Issue.record("not HTTPS")
            return
        }
        #expect(!svcb.isAliasMode)
        #expect(svcb.priority == 1)
        #expect(svcb.target == ("svc.example." as DomainName))
        #expect(svcb.mandatory == [.port])
        #expect(svcb.alpn == [Array("h2".utf8), Array("h3".utf8)])
        #expect(svcb.noDefaultALPN)
        #expect(svcb.port == 8443)
        #expect(svcb.ipv4Hints == [IPv4Address(192, 0, 2, 1)])
        #expect(svcb.ipv6Hints?.map(\.description) == ["2001:db8::1"])
        #expect(svcb.ech == [1, 2, 3])
        #expect(svcb.dohpath == "/q{?dns}")
        #expect(svcb.params.map(\.key.rawValue) == [0, 1, 2, 3, 4, 5, 6, 7])
    }

    @Test func buildingSortsAndChecks() throws {
        let svcb = try RDATA.SVCB(
            priority: 2, target: "a.example.",
            params: [.ipv4hint([IPv4Address(192, 0, 2, 7)]), .port(443), .alpn(["h2"]), .mandatory([.port, .alpn])])
        #expect(
            RDATA.svcb(svcb).description == "2 a.example. mandatory=alpn,port alpn=\"h2\" port=443 ipv4hint=192.0.2.7")
        #expect(throws: DNSWireError.badValue) {
            try RDATA.SVCB(priority: 1, target: .root, params: [.port(1), .port(2)])
        }
        #expect(throws: DNSWireError.badValue) {
            try RDATA.SVCB(priority: 1, target: .root, params: [SVCParam(key: .port, value: [1])])
        }
        #expect(throws: DNSWireError.badValue) {
            try RDATA.SVCB(priority: 1, target: .root, params: [.noDefaultALPN])
        }
        #expect(throws: DNSWireError.badValue) {
            try RDATA.SVCB(priority: 1, target: .root, params: [.mandatory([.port])])
        }
    }

    @Test func keyMnemonics() {
        #expect(SVCParamKey("no-default-alpn") == .noDefaultALPN)
        #expect(SVCParamKey("dohpath") == .dohpath)
        #expect(SVCParamKey("ohttp") == .ohttp)
        #expect(SVCParamKey("key7") == .dohpath)
        #expect(SVCParamKey("key0") == .mandatory)
        #expect(SVCParamKey("key65535") == .invalid)
        #expect(SVCParamKey("key00") == nil)
        #expect(SVCParamKey("key") == nil)
        #expect(SVCParamKey.dohpath.description == "dohpath")
        #expect(SVCParamKey(65000).description == "key65000")
        #expect(SVCParamKey.ech.presentationName == "ech")
        #expect(SVCParamKey.ohttp.presentationName == "key8")
    }

    @Test func targetNameIsNeitherCompressedNorLowercased() throws {
        let record = try ResourceRecord(text: "example.com. 300 IN SVCB 1 Example.COM. alpn=h2")
        var message = DNSMessage.query(id: 1, name: "example.com.", type: .svcb)
        message.header.isResponse = true
        message.answers = [record]
        let wire = message.wireBytes
        // The target follows the owner in full: no 0xC0 pointer inside the RDATA.
        let target: [UInt8] = [7] + Array("Example".utf8) + [3] + Array("COM".utf8) + [0]
        #expect(wire.count >= target.count)
        #expect((0...(wire.count - target.count)).contains { Array(wire[$0..<($0 + target.count)]) == target })
        #expect(try DNSMessage(wire: wire).answers == [record])
        #expect(record.rdata.canonicalWireBytes == record.rdata.wireBytes)
    }

    /// Malformed RDATA: each an error, never a crash.
    @Test(arguments: [
        ("", DNSWireError.truncated),
        ("00", .truncated),
        ("0001", .truncated),
        ("0001 03 666f", .truncated),
        ("0001 C000", .badLabelType),
        ("0001 40", .badLabelType),
        // A truncated SvcParam.
        ("0001 00 00", .truncated),
        ("0001 00 0003", .truncated),
        ("0001 00 0003 00", .truncated),
        ("0001 00 0003 0002 00", .truncated),
        ("0001 00 029b 0005 68656c6c", .truncated),
        // Keys not strictly increasing.
        ("0001 00 0003 0002 0035 0001 0003 026832", .badValue),
        ("0001 00 0003 0002 0035 0003 0002 0035", .badValue),
        // port of the wrong length.
        ("0001 00 0003 0001 00", .badValue),
        ("0001 00 0003 0003 000035", .badValue),
        ("0001 00 0003 0000", .badValue),
        // ipv4hint not a non-empty multiple of 4.
        ("0001 00 0004 0005 c000020100", .badValue),
        ("0001 00 0004 0003 c00002", .badValue),
        ("0001 00 0004 0000", .badValue),
        // ipv6hint not a non-empty multiple of 16.
        ("0001 00 0006 000f 20010db8 0000000000000000000000", .badValue),
        ("0001 00 0006 0011 20010db80000000000000000000000 0100", .badValue),
        ("0001 00 0006 0000", .badValue),
        // alpn empty, with an empty id, or an id running past the value.
        ("0001 00 0001 0000", .badValue),
        ("0001 00 0001 0001 00", .badValue),
        ("0001 00 0001 0004 02 6832 00", .badValue),
        ("0001 00 0001 0003 03 6832", .badValue),
        // mandatory: empty, odd length, listing itself, unsorted, repeated, missing key.
        ("0001 00 0000 0000", .badValue),
        ("0001 00 0000 0001 00 0003 0002 0035", .badValue),
        ("0001 00 0000 0002 0000", .badValue),
        ("0001 00 0000 0004 0003 0001 0001 0003 026832 0003 0002 0035", .badValue),
        ("0001 00 0000 0004 0003 0003 0003 0002 0035", .badValue),
        ("0001 00 0000 0002 0003", .badValue),
        // no-default-alpn with a value, or without alpn; ohttp with a value.
        ("0001 00 0001 0003 026832 0002 0001 00", .badValue),
        ("0001 00 0002 0000", .badValue),
        ("0001 00 0008 0001 00", .badValue),
        // dohpath that is not UTF-8.
        ("0001 00 0007 0002 2fff", .badValue),
    ])
    func rejectsMalformedWire(hexText: String, error: DNSWireError) {
        #expect(throws: error) { try RDATA(type: .svcb, wire: hex(hexText)) }
        #expect(throws: error) { try RDATA(type: .https, wire: hex(hexText)) }
    }

    /// Every truncation and every single-octet change of valid RDATA either
    /// fails with a wire error or decodes to something that re-encodes to the
    /// same octets and survives a presentation round trip.
    @Test func mutationsNeverCrash() throws {
        let seeds =
            Self.appendixD.map { hex($0.wire) } + [
                hex(
                    "0001 00 0000 0004 0001 0003 0001 0003 026832 0002 0000 0003 0002 01bb 0005 0003 010203 0007 0001 2f"
                )
            ]
        for seed in seeds {
            var candidates: [[UInt8]] = (0..<seed.count).map { Array(seed[..<$0]) }
            for i in seed.indices {
                for value: UInt8 in [0x00, 0x01, 0x02, 0x05, 0x10, 0x2c, 0x5c, 0x7f, 0xc0, 0xff] {
                    var mutated = seed
                    mutated[i] = value
                    candidates.append(mutated)
                }
            }
            for bytes in candidates {
                let decoded: RDATA
                do {
                    decoded = try RDATA(type: .svcb, wire: bytes)
                } catch {
                    continue
                }
                #expect(decoded.wireBytes == bytes)
                let text = decoded.description
                let reparsed = try RDATA(type: .svcb, text: text)
                #expect(reparsed == decoded, "\(text)")
            }
        }
    }
}
