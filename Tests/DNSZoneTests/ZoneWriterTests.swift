// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

/// The canonical writer: RFC 4034 §6.1 order, duplicates removed, and output
/// that parses back to the same records.
@Suite struct ZoneWriterTests {
    @Test func canonicalOrderAndDuplicates() {
        let zone = parseZone([
            "zone": """
            $TTL 60
            z A 192.0.2.1
            \\001.z A 192.0.2.1
            *.z A 192.0.2.1
            a.z A 192.0.2.1
            yljkjljk.a A 192.0.2.1
            Z.a A 192.0.2.1
            zABC.a TXT x
            @ MX 20 b
            @ MX 10 z
            @ A 192.0.2.2
            @ A 192.0.2.10
            @ A 192.0.2.2
            z A 192.0.2.1
            """
        ])
        #expect(
            ZoneWriter.format(zone.records) == """
                example.\t60\tIN\tA\t192.0.2.2
                example.\t60\tIN\tA\t192.0.2.10
                example.\t60\tIN\tMX\t10 z.example.
                example.\t60\tIN\tMX\t20 b.example.
                yljkjljk.a.example.\t60\tIN\tA\t192.0.2.1
                Z.a.example.\t60\tIN\tA\t192.0.2.1
                zABC.a.example.\t60\tIN\tTXT\t"x"
                z.example.\t60\tIN\tA\t192.0.2.1
                \\001.z.example.\t60\tIN\tA\t192.0.2.1
                *.z.example.\t60\tIN\tA\t192.0.2.1
                a.z.example.\t60\tIN\tA\t192.0.2.1

                """
        )
    }

    /// parse(format(zone)) == zone, as sets of records (RFC 2181 §5: duplicates are one).
    @Test func roundTrip() {
        var text =
            apex + """
                $GENERATE 1-50 h$ A 10.0.0.$
                $GENERATE 1-20 h$ AAAA 2001:db8::${0,0,x}
                t TXT "a b" "c\\"d" "\\255"
                m MX 10 h1
                c CNAME h2
                d DNAME example.net.
                u TYPE65000 \\# 2 0102
                h1 A 10.0.0.1

                """
        text += "\\(odd\\) A 192.0.2.1\n"
        let zone = parseZone(["zone": text])
        #expect(zone.errors == [])
        let formatted = ZoneWriter.format(zone.records)
        let again = ZoneFileParser.parse(text: formatted, origin: nil)
        #expect(again.errors == [])
        #expect(Set(again.records) == Set(zone.records))
        #expect(again.records.count == Set(zone.records).count)
        #expect(ZoneWriter.format(again.records) == formatted)
    }
}
