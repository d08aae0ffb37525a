import DNSCore
import Testing

@Suite struct TSIGRecordTests {
    /// TSIG RDATA as BIND 9.18's dig printed it in replies from named
    /// (the trailing space dig adds is not part of the RDATA).
    static let digOutput = [
        "hmac-sha256. 1795925397 300 32 iG9ZjqAqXYqfB6d4nUCH87gZHfTsaynOUj0ESPWHuTk= 27586 NOERROR 0",
        "hmac-sha256. 1795925397 300 0 58521 BADSIG 0",
        "hmac-sha512. 1795925408 300 64 /q5Mt66BhuCUSeG/QcNcpEpWykd+A2R+kJXwc6PLb1Pg4IP1dhHT1YuG "
            + "5F0pOf9jSqlNjXFplecrU7cOXsGwaw== 12500 NOERROR 0",
    ]

    @Test(arguments: digOutput)
    func digOutputRoundTrips(_ text: String) throws {
        try expectRoundTrips(.tsig, text)
    }

    @Test func fieldsAndGoldenWire() throws {
        let value = try RDATA(type: .tsig, text: Self.digOutput[0])
        guard case .tsig(let tsig) = value else {
            Issue.record("not a TSIG")
            return
        }
        #expect(tsig.algorithm == (try DomainName("hmac-sha256.")))
        #expect(tsig.timeSigned == 1_795_925_397)
        #expect(tsig.fudge == 300)
        #expect(tsig.mac.count == 32)
        #expect(tsig.originalID == 27586)
        #expect(tsig.error == .noError)
        #expect(tsig.otherData.isEmpty)
        var expected: [UInt8] = [11] + Array("hmac-sha256".utf8) + [0]
        expected += [0x00, 0x00, 0x6B, 0x0B, 0xA5, 0x95]  // 1795925397 in 48 bits
        expected += [0x01, 0x2C, 0x00, 0x20] + tsig.mac
        expected += [0x6B, 0xC2, 0x00, 0x00, 0x00, 0x00]  // ID 27586, NOERROR, other length 0
        #expect(value.wireBytes == expected)
    }

    @Test func errorsAndOtherData() throws {
        // BADTIME carries the server's time as 6 octets of other data (RFC 8945 §5.2.3).
        try expectRoundTrips(
            .tsig,
            "hmac-sha1. 281474976710655 65535 0 1 badtime 6 AABrC6WV",
            printed: "hmac-sha1. 281474976710655 65535 0 1 BADTIME 6 AABrC6WV",
            wire: [9] + Array("hmac-sha1".utf8) + [
                0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1, 0, 18, 0, 6,
            ]
                + [0x00, 0x00, 0x6B, 0x0B, 0xA5, 0x95]
        )
        for (code, name) in [
            (16, "BADSIG"), (17, "BADKEY"), (18, "BADTIME"), (19, "BADMODE"), (20, "BADNAME"),
            (21, "BADALG"), (22, "BADTRUNC"), (5, "REFUSED"), (9, "NOTAUTH"),
        ] {
            try expectRoundTrips(.tsig, "k. 1 2 0 3 \(code) 0", printed: "k. 1 2 0 3 \(name) 0")
        }
        // Codes without a TSIG mnemonic print as numbers.
        try expectRoundTrips(.tsig, "k. 1 2 0 3 23 0")
        try expectRoundTrips(.tsig, "k. 1 2 0 3 65535 0")
    }

    @Test func algorithmNameIsNotCompressed() throws {
        var message = DNSMessage.query(id: 1, name: "hmac-sha256.", type: .a, edns: nil)
        message.additionals = [
            try ResourceRecord(text: "key. 0 ANY TSIG \(Self.digOutput[0])")
        ]
        let wire = message.wireBytes
        let name: [UInt8] = [11] + Array("hmac-sha256".utf8) + [0]
        // Once in the question, once in full in the TSIG RDATA.
        #expect(wire.indices.filter { wire[$0...].starts(with: name) }.count == 2)
        #expect(try DNSMessage(wire: wire) == message)
    }

    @Test(arguments: [
        "hmac-sha256. 1795925397 300 32 iG9Z 27586 NOERROR 0",  // MAC shorter than its size
        "hmac-sha256. 1795925397 300 3 iG9ZjqAq 27586 NOERROR 0",  // MAC longer than its size
        "hmac-sha256. 1795925397 300 32 iG9ZjqAqXYqfB6d4nUCH87gZHfTsaynOUj0ESPWHuTk= 27586 NOERROR",
        "hmac-sha256. 1795925397 300 32 iG9ZjqAqXYqfB6d4nUCH87gZHfTsaynOUj0ESPWHuTk= 27586 BOGUS 0",
        "hmac-sha256. 281474976710656 300 0 1 NOERROR 0",  // time over 48 bits
        "hmac-sha256. 1 300 0 1 NOERROR 2 AAAA",  // other data of 3 octets, length 2
        "hmac-sha256. 1 300 0 1 NOERROR 2",
        "hmac-sha256. 1 300 0 1 NOERROR 0 AAAA",  // left over
        "hmac-sha256. 1 300 4 !!!!!!!! 1 NOERROR 0",
    ])
    func malformedText(_ text: String) {
        #expect(throws: PresentationError.self) { try RDATA(type: .tsig, text: text) }
    }

    @Test func truncatedWireIsAnError() throws {
        let wire = try RDATA(type: .tsig, text: "hmac-sha1. 1 2 4 AAAAAA== 3 BADTIME 6 AABrC6WV").wireBytes
        for n in 0..<wire.count {
            #expect(throws: DNSWireError.self) { try RDATA(type: .tsig, wire: wire.prefix(n)) }
        }
        #expect(throws: DNSWireError.self) { try RDATA(type: .tsig, wire: wire + [0]) }
    }

    /// A TSIG-signed reply from BIND 9.18's named to `dig -y hmac-sha256:tkey.:…
    /// k.example.com DNSKEY +noedns`, captured on the wire; dig printed its
    /// TSIG as `tkey. 0 ANY TSIG` followed by `printedByDig`.
    static let signedReply = octets(
        "6f1084000001000100000001016b076578616d706c6503636f6d0000300001c00c0030000100000e1000240101030f974d96a22d"
            + "224bc01adb915091477d44ccd91c9a41a11430010117d52c59240e04746b65790000fa00ff00000000003d0b686d61632d7368"
            + "613235360000006b0ba82b012c00205625fe52a984b206de9341e2870781e9557b38c3c1f6ec7cbbd65ca22be23b9d6f100000"
            + "0000"
    )
    static let printedByDig =
        "hmac-sha256. 1795926059 300 32 ViX+UqmEsgbek0HihweB6VV7OMPB9ux8u9ZcoiviO50= 28432 NOERROR 0"

    @Test func signedReplyFromNamed() throws {
        let message = try DNSMessage(wire: Self.signedReply)
        #expect(message.answers.count == 1)
        #expect(message.answers.first?.rdata.description == "257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=")
        guard let tsig = message.additionals.last else {
            Issue.record("no TSIG record")
            return
        }
        #expect(tsig.type == .tsig)
        #expect(tsig.name == (try DomainName("tkey.")))
        #expect(tsig.dnsClass == .any)
        #expect(tsig.ttl == 0)
        #expect(tsig.rdata.description == Self.printedByDig)
        // Written back, byte for byte.
        #expect(message.wireBytes == Self.signedReply)
    }
}
