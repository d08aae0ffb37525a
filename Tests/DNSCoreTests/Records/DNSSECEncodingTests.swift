import DNSCore
import Testing

@Suite struct Base32HexTests {
    /// RFC 4648 §10 test vectors for BASE32-HEX, shown there with padding.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "CO======"), ("fo", "CPNG===="), ("foo", "CPNMU==="), ("foob", "CPNMUOG="),
        ("fooba", "CPNMUOJ1"), ("foobar", "CPNMUOJ1E8======"),
    ]

    @Test(arguments: vectors)
    func rfc4648Vectors(_ plain: String, _ padded: String) throws {
        let bytes = Array(plain.utf8)
        let unpadded = String(padded.prefix { $0 != "=" })
        #expect(Base32Hex.encode(bytes) == unpadded)
        #expect(Base32Hex.decode(Array(unpadded.utf8)) == bytes)
        #expect(Base32Hex.decode(Array(unpadded.lowercased().utf8)) == bytes)
        #expect(Base32Hex.decode(Array(padded.utf8), allowPadding: true) == bytes)
        if padded != unpadded {
            // NSEC3 text has no padding: refused by default.
            #expect(Base32Hex.decode(Array(padded.utf8)) == nil)
        }
    }

    @Test(arguments: [
        "C",  // 1 digit: no octet string encodes to it
        "CPN",  // 3 digits
        "CPNMUO",  // 6 digits
        "CW",  // W is outside the alphabet
        "CP=G",  // padding in the middle
        "CP",  // leftover bits not zero (CO is 'f')
        "CO=====",  // wrong amount of padding
        "========",
        "2t7b4g4vsa5smi47k61mv5bv1a22boj!",
    ])
    func malformed(_ text: String) {
        #expect(Base32Hex.decode(Array(text.utf8), allowPadding: true) == nil)
    }

    @Test func everyLengthRoundTrips() {
        for n in 0...40 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let text = Base32Hex.encode(bytes)
            #expect(text.count == (n * 8 + 4) / 5)
            #expect(Base32Hex.decode(Array(text.utf8)) == bytes)
        }
    }
}

@Suite struct DNSSECTimeTests {
    @Test(arguments: [
        (UInt32(0), "19700101000000"),
        (1_048_354_263, "20030322173103"),  // RFC 4034 §3.3
        (1_045_762_263, "20030220173103"),
        (951_868_799, "20000229235959"),  // a leap day in a year divisible by 400
        (946_684_799, "19991231235959"),
        (2_147_483_648, "20380119031408"),  // past 2^31
        (4_294_967_295, "21060207062815"),  // the last 32-bit second
    ])
    func formatsAndParses(_ value: UInt32, _ text: String) {
        #expect(DNSSECTime.format(value) == text)
        #expect(DNSSECTime.parse(Array(text.utf8)) == value)
        #expect(DNSSECTime.parse(Array(String(value).utf8)) == value)
    }

    @Test func everyDayFrom1970To2106RoundTrips() {
        var value: UInt64 = 43_199  // midday-ish offsets exercise hours too
        while value <= UInt64(UInt32.max) {
            let text = DNSSECTime.format(UInt32(value))
            #expect(DNSSECTime.parse(Array(text.utf8)) == UInt32(value))
            value += 86_400 + 3_601
        }
    }

    @Test func secondSixtyAndWrapAroundFollowBIND() {
        // BIND accepts a leap second and normalises it.
        #expect(DNSSECTime.parse(Array("20300101235960".utf8)) == DNSSECTime.parse(Array("20300102000000".utf8)))
        // Past 2106 the 32-bit field wraps (serial arithmetic, RFC 4034 §3.1.5).
        #expect(DNSSECTime.parse(Array("21060207062816".utf8)) == 0)
    }

    @Test(arguments: [
        "2030010100000",  // 13 digits: too large for plain seconds
        "4294967296",  // plain seconds over 32 bits
        "20301301000000",  // month 13
        "20300001000000",  // month 0
        "20300230000000",  // 30 February
        "21000229000000",  // 2100 is not a leap year
        "20300100000000",  // day 0
        "20300101240000",  // hour 24
        "20300101006000",  // minute 60
        "20300101000061",  // second 61
        "2030010100000a",
        "-1",
        "",
        "1h",
    ])
    func badTimes(_ text: String) {
        #expect(DNSSECTime.parse(Array(text.utf8)) == nil)
    }
}
