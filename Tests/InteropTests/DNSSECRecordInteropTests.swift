import DNSCore
import Foundation
import Testing

/// The DNSSEC record types print exactly as `named-checkzone -D` prints them,
/// and parse back what it prints.
@Suite struct DNSSECRecordInteropTests {
    /// One record per owner: (owner label, type, RDATA as written in the zone).
    /// RRSIG times stay within 68 years of the present: beyond that BIND
    /// prints the time nearest its clock (serial arithmetic), hanon the
    /// unsigned 32-bit time.
    static let records: [(String, RecordType, String)] = [
        (
            "k1", .dnskey,
            "256 3 5 ( AQPSKmynfzW4kyBv015MUG2DeIQ3 Cbl+BBZH4b/0PY1kxkmvHjcZc8no kfzj31GajIQKY+5CptLr3buXA10h WqTkF7H6RfoRqXQeogmMHfpftf6z Mv1LyBUgia7za6ZEzOJBOztyvhjL 742iU/TpPSEDhm2SNKLijfUppn1U aNvv4w== )"
        ),
        ("k2", .dnskey, "257 3 ED25519 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4="),
        ("k3", .cdnskey, "0 3 0 AA=="),
        (
            "s1", .rrsig,
            "A 5 3 86400 20030322173103 20030220173103 2642 Example.com. oJB1W6WNGv+ldvQ3WDG0MQkg5IEhjRip8WTrPYGv07h108dUKGMeDPKijVCHX3DDKdfb+v6oB9wfuh3DTJXUAfI/M0zmO/zz8bW0Rznl8O3tGNazPwQKkRN20XPXV6nwwfoXmJQbsLNrLfkGJ5D6fwFm8nN+6pBzeDQfsS3Ap3o="
        ),
        ("s2", .rrsig, "TYPE1234 ECDSAP256SHA256 3 86400 1048354263 1045762263 2642 example.com. AAAA"),
        ("s3", .rrsig, "NSEC3PARAM 13 2 0 20901231235959 20260101000000 65535 example.com. AAAAAAAA"),
        ("n1", .nsec, "host.example.com. ( A MX RRSIG NSEC TYPE1234 )"),
        ("n2", .nsec, "n2.example.com. TYPE65534 A TYPE300 caa NSEC a"),
        ("d1", .ds, "60485 5 1 ( 2bb183af5f22588179a53B0A 98631FAD1A292118 )"),
        ("d2", .ds, "12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0123456789ABCDEF01234567"),
        (
            "d3", .cds,
            "12345 ECDSAP384SHA384 SHA-384 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE0123456789ABCDEF0123456749FD46E6C4B45C55D4AC69CBD3CD34AC"
        ),
        ("d4", .cds, "0 0 0 00"),
        ("h1", .nsec3, "1 1 12 aabbccdd ( 2t7b4g4vsa5smi47k61mv5bv1a22bojr MX DNSKEY NS SOA NSEC3PARAM RRSIG )"),
        ("h2", .nsec3, "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
        ("h3", .nsec3, "1 0 65535 00 2t7b4g4vsa5smi47k61mv5bv1a22boj0 A TYPE65535"),
        ("p1", .nsec3param, "1 0 12 aabbccdd"),
        ("p2", .nsec3param, "1 0 0 -"),
        (
            "z1", .zonemd,
            "2018031900 1 1 ( c68090d90a7aed71 6bc459f9340e3d7c 1370d4d24b7e2fc3 a1ddc0b9a87153b9 a9713b3c9ae5cc27 777f98b8e730044c )"
        ),
        ("z2", .zonemd, "1 1 9 000102030405060708090a0b"),
        ("c1", .csync, "66 3 A NS AAAA"),
        ("c2", .csync, "66 0"),
        ("c3", .csync, "4294967295 65535 A NS TYPE0"),
    ]

    @Test(.enabled(if: Peer.available("named-checkzone")))
    func namedCheckzonePrintsWhatWePrint() throws {
        let checkzone = try Peer.require("named-checkzone")
        var zone = """
            $TTL 3600
            example.com. IN SOA ns1.example.com. admin.example.com. 1 2 3 4 5
            example.com. IN NS ns1.example.com.
            ns1.example.com. IN A 192.0.2.1

            """
        for (owner, type, text) in Self.records {
            zone += "\(owner).example.com. 3600 IN \(type) \(text)\n"
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-dnssec-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("example.com.zone")
        try zone.write(to: file, atomically: true, encoding: .utf8)
        let result = try runProcess(
            checkzone,
            ["-k", "ignore", "-i", "none", "-D", "-o", "-", "example.com", file.path]
        )
        #expect(result.status == 0, "named-checkzone failed: \(result.stderr)")

        var printedByBIND: [String: (RecordType, String)] = [:]
        for line in result.stdout.split(separator: "\n") where !line.hasPrefix(";") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 5, let type = RecordType(String(fields[3])) else { continue }
            printedByBIND[String(fields[0])] = (type, fields[4...].joined(separator: " "))
        }
        for (owner, type, text) in Self.records {
            guard let (bindType, bindText) = printedByBIND["\(owner).example.com."] else {
                Issue.record("named-checkzone dropped \(owner) \(type) \(text)")
                continue
            }
            #expect(bindType == type)
            let ours = try RDATA(type: type, text: text)
            #expect(ours.description == bindText, "\(owner) \(type)")
            #expect(try RDATA(type: type, text: bindText) == ours, "\(owner) \(type)")
        }
    }
}
