import DNSCore
import Testing

/// Bad input to the DNSSEC types: every case is an error value, never a crash.
@Suite struct DNSSECMalformedTests {
    @Test(arguments: [
        (RecordType.ds, "60485 5 1"),  // no digest
        (.ds, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A2921"),  // SHA-1 digest of 19 octets
        (.ds, "60485 5 2 2BB183AF5F22588179A53B0A98631FAD1A292118"),  // SHA-256 type, 20 octets
        (.ds, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A29211"),  // odd number of hex digits
        (.ds, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A29211G"),
        (.ds, "65536 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"),
        (.ds, "1 BOGUS 1 00"),
        (.ds, "1 5 SHA-999 00"),
        (.dnskey, "256 3 8"),  // no key
        (.dnskey, "256 3 8 AQI"),  // base64 not a multiple of 4
        (.dnskey, "256 3 8 AQ=D"),
        (.dnskey, "256 3 FOO AQID"),
        (.dnskey, "256 256 8 AQID"),
        (.dnskey, "65536 3 8 AQID"),
        (.rrsig, "A 8 3 300 20300101000000 20200101000000 1 example.com."),  // no signature
        (.rrsig, "A 8 3 300 20300101000000 20200101000000 1 example.com. A"),  // bad base64
        (.rrsig, "BOGUS 8 3 300 20300101000000 20200101000000 1 example.com. AAAA"),
        (.rrsig, "A 8 3 1h 20300101000000 20200101000000 1 example.com. AAAA"),  // TTL units not allowed
        (.rrsig, "A 8 3 300 2030010100000 20200101000000 1 example.com. AAAA"),
        (.rrsig, "A 8 3 300 20300230000000 20200101000000 1 example.com. AAAA"),
        (.rrsig, "A 8 3 300 20300101000000 4294967296 1 example.com. AAAA"),
        (.rrsig, "A 8 256 300 20300101000000 20200101000000 1 example.com. AAAA"),
        (.rrsig, "A 8 3 300 20300101000000 20200101000000 1 a..b. AAAA"),
        (.nsec, ""),
        (.nsec3, "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22boj"),  // 31 digits: not a whole encoding
        (.nsec3, "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr="),  // padding
        (.nsec3, "1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR======"),
        (.nsec3, "1 0 0 - -"),  // empty hash
        (.nsec3, "1 0 0 -- 2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
        (.nsec3, "1 0 0 abc 2t7b4g4vsa5smi47k61mv5bv1a22bojr"),  // odd hex salt
        (.nsec3, "1 0 0 ab cd 2t7b4g4vsa5smi47k61mv5bv1a22bojr"),  // salt is one token
        (.nsec3, "1 0 0 00 0"),
        (.nsec3, "1 0 65536 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
        (.nsec3, "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A BOGUS"),
        (.nsec3, "1 0 0"),
        (.nsec3param, "1 0 0 ab cd"),
        (.nsec3param, "1 0 0"),
        (.nsec3param, "1 0 0 xy"),
        (.nsec3param, "1 0 1 \(String(repeating: "AB", count: 256))"),  // salt of 256 octets
        (.zonemd, "1 1 1 00"),  // under 12 octets
        (.zonemd, "1 1 9 000102030405060708090A"),  // 11 octets
        (
            .zonemd,
            "1 1 2 C68090D90A7AED716BC459F9340E3D7C1370D4D24B7E2FC3A1DDC0B9A87153B9A9713B3C9AE5CC27777F98B8E730044C"
        ),
        (.zonemd, "1 1 1"),
        (.csync, "1"),
        (.csync, "1 65536 A"),
        (.csync, "1 0 BOGUS"),
    ])
    func malformedText(_ type: RecordType, _ text: String) {
        #expect(throws: PresentationError.self) { try RDATA(type: type, text: text) }
    }

    /// Valid RDATA of each type; every strict prefix must fail to decode.
    static let valid: [(RecordType, String)] = [
        (.ds, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"),
        (.dnskey, "257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4="),
        (.rrsig, "A 13 3 300 20300101000000 20200101000000 1 example.com. AAAA"),
        (.nsec, "host.example.com. A MX RRSIG NSEC TYPE1234"),
        (.nsec3, "1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR NS SOA MX RRSIG DNSKEY NSEC3PARAM"),
        (.nsec3param, "1 0 12 AABBCCDD"),
        (.zonemd, "2018031900 1 9 000102030405060708090A0B"),
        (.csync, "66 3 A NS AAAA"),
    ]

    @Test(arguments: valid)
    func truncatedWireIsAnError(_ type: RecordType, _ text: String) throws {
        let wire = try RDATA(type: type, text: text).wireBytes
        for n in 0..<wire.count {
            // Some prefixes are valid RDATA of their own (a shorter key, digest or
            // bitmap) — then it must decode to something else, never crash.
            if let value = try? RDATA(type: type, wire: wire.prefix(n)) {
                #expect(value.wireBytes == Array(wire.prefix(n)))
            }
        }
        #expect(throws: DNSWireError.self) { try RDATA(type: type, wire: wire.prefix(0)) }
    }

    @Test func truncatedFixedFieldsAreErrors() {
        #expect(throws: DNSWireError.self) { try RDATA(type: .ds, wire: [0xEC, 0x45, 5, 1]) }  // no digest
        #expect(throws: DNSWireError.self) { try RDATA(type: .ds, wire: [0xEC, 0x45, 5, 1, 0x2B]) }  // SHA-1 of 1 octet
        #expect(throws: DNSWireError.self) { try RDATA(type: .dnskey, wire: [1, 0, 3, 8]) }  // no key
        #expect(throws: DNSWireError.self) { try RDATA(type: .dnskey, wire: [1, 0, 3]) }
        #expect(throws: DNSWireError.self) {
            try RDATA(type: .zonemd, wire: [0, 0, 0, 1, 1, 1] + [UInt8](repeating: 0, count: 47))
        }
        #expect(throws: DNSWireError.self) {
            try RDATA(type: .zonemd, wire: [0, 0, 0, 1, 1, 9] + [UInt8](repeating: 0, count: 11))
        }
        let rrsigHead: [UInt8] = [0, 1, 13, 3, 0, 0, 1, 44, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
        #expect(throws: DNSWireError.self) { try RDATA(type: .rrsig, wire: rrsigHead + [0]) }  // no signature
        #expect(throws: DNSWireError.self) { try RDATA(type: .rrsig, wire: rrsigHead + [3, 0x61]) }  // name cut off
        // A valid backward pointer, but these names must not be compressed.
        #expect(throws: DNSWireError.badPointer) { try RDATA(type: .rrsig, wire: rrsigHead + [0xC0, 0, 1]) }
        #expect(throws: DNSWireError.badPointer) { try RDATA(type: .nsec, wire: [1, 0x61, 0xC0, 0, 0, 1, 0x40]) }
        #expect(throws: DNSWireError.badPointer) {
            try RDATA(type: .tsig, wire: [1, 0x6B, 0xC0, 0] + [UInt8](repeating: 0, count: 16))
        }
        // A compression pointer to itself.
        #expect(throws: DNSWireError.self) { try RDATA(type: .rrsig, wire: rrsigHead + [0xC0, 18, 1]) }
    }

    @Test func nsec3LengthsMustMatch() {
        // Salt length 4 but 2 octets of salt before the end.
        #expect(throws: DNSWireError.self) { try RDATA(type: .nsec3, wire: [1, 0, 0, 0, 4, 0xAA, 0xBB]) }
        // Salt length 5 eats the hash length: hash length runs past the end.
        #expect(throws: DNSWireError.self) {
            try RDATA(type: .nsec3, wire: [1, 0, 0, 0, 5, 0xAA, 0xBB, 0xCC, 0xDD, 1, 0x20, 0x01])
        }
        // Hash length 0 (RFC 5155 §3.1.6: 1 to 255).
        #expect(throws: DNSWireError.badValue) { try RDATA(type: .nsec3, wire: [1, 0, 0, 0, 0, 0]) }
        // Hash length 20 with 19 octets.
        #expect(throws: DNSWireError.self) {
            try RDATA(type: .nsec3, wire: [1, 0, 0, 0, 0, 20] + [UInt8](repeating: 7, count: 19))
        }
        // NSEC3PARAM: salt length past the end, and octets after the salt.
        #expect(throws: DNSWireError.self) { try RDATA(type: .nsec3param, wire: [1, 0, 0, 0, 2, 0xAA]) }
        #expect(throws: DNSWireError.self) { try RDATA(type: .nsec3param, wire: [1, 0, 0, 0, 1, 0xAA, 0xBB]) }
    }

    @Test func genericFormIsCheckedLikeWire() throws {
        // RFC 3597 §5 form for a known type goes through the wire decoder.
        let ds = try RDATA(type: .ds, text: "\\# 24 EC4505012BB183AF5F22588179A53B0A98631FAD1A292118")
        #expect(ds.description == "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118")
        #expect(throws: PresentationError.self) { try RDATA(type: .ds, text: "\\# 5 EC45050100") }
        #expect(throws: PresentationError.self) { try RDATA(type: .nsec, text: "\\# 4 00000100") }
        #expect(try RDATA(type: .nsec, text: "\\# 4 00000140").description == ". A")
    }

    @Test func randomBytesNeverCrash() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed ^= seed << 13
            seed ^= seed >> 7
            seed ^= seed << 17
            return seed
        }
        let types: [RecordType] = [
            .ds, .cds, .dnskey, .cdnskey, .rrsig, .nsec, .nsec3, .nsec3param, .zonemd, .csync, .tsig,
        ]
        for _ in 0..<20_000 {
            let type = types[Int(next() % UInt64(types.count))]
            let count = Int(next() % 48)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
            if let value = try? RDATA(type: type, wire: bytes) {
                // Whatever decodes re-encodes to the same octets and survives text.
                #expect(value.wireBytes == bytes)
                #expect((try? RDATA(type: type, text: value.description)) == value)
            }
        }
    }
}
