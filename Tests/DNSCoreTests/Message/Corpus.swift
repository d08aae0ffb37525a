import DNSCore

/// Real-looking messages with many record types, for truncation and
/// mutation tests. Types still kept as opaque data are given as valid wire
/// RDATA, so the messages stay valid when their typed codecs land.
enum Corpus {
    static func rr(_ text: String) -> ResourceRecord {
        // The texts below are fixed and valid; a failure is a test bug, reported by `messages`.
        (try? ResourceRecord(text: text))
            ?? ResourceRecord(name: .root, ttl: 0, rdata: .unknown(RecordType(65535), RDATA.Opaque(bytes: [])))
    }

    static func wire(_ owner: String, _ type: RecordType, _ rdata: [UInt8], ttl: UInt32 = 3600, cls: DNSClass = .in)
        -> ResourceRecord
    {
        let name = (try? DomainName(owner, origin: nil)) ?? .root
        let data = (try? RDATA(type: type, wire: rdata)) ?? .unknown(type, RDATA.Opaque(bytes: rdata))
        return ResourceRecord(name: name, dnsClass: cls, ttl: ttl, rdata: data)
    }

    static let name = Wire.name
    static func bytes(_ n: Int, _ seed: UInt8) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    static var typedRecords: [ResourceRecord] {
        [
            rr("www.example.com. 300 IN A 192.0.2.1"),
            rr("www.example.com. 300 IN AAAA 2001:db8::1"),
            rr("alias.example.com. 300 IN CNAME www.example.com."),
            rr("sub.example.com. 300 IN DNAME other.example.net."),
            rr("1.2.0.192.in-addr.arpa. 300 IN PTR www.example.com."),
            rr("example.com. 300 IN MX 10 mail.example.com."),
            rr("example.com. 300 IN TXT \"v=spf1 -all\" \"second string\" \"\""),
            rr("example.com. 300 IN NS ns1.example.com."),
        ]
    }

    static var opaqueTypedRecords: [ResourceRecord] {
        [
            wire(
                "_sip._udp.example.com.", .srv, Wire.u16(10) + Wire.u16(5) + Wire.u16(5060) + name("sip.example.com.")),
            wire("example.com.", .caa, [0, 5] + Array("issue".utf8) + Array("ca.example.net".utf8)),
            wire("example.com.", .hinfo, [3] + Array("CPU".utf8) + [2] + Array("OS".utf8)),
            wire("example.com.", .rp, name("admin.example.com.") + name("info.example.com.")),
            wire(
                "example.com.", .naptr,
                Wire.u16(100) + Wire.u16(10) + [1, 0x53] + [7] + Array("SIP+D2U".utf8) + [0]
                    + name("_sip._udp.example.com.")),
            wire("example.com.", .uri, Wire.u16(10) + Wire.u16(1) + Array("https://example.net/".utf8)),
            wire(
                "example.com.", .loc,
                [0, 0x12, 0x16, 0x13, 0x8B, 0x0D, 0x2C, 0x8C, 0x7F, 0x76, 0x1B, 0x80, 0x00, 0x98, 0x96, 0x80]),
            wire("_443._tcp.example.com.", .tlsa, [3, 1, 1] + bytes(32, 1)),
            wire("example.com.", .sshfp, [4, 2] + bytes(32, 2)),
            wire("example.com.", .openpgpkey, bytes(40, 3)),
            wire(
                "example.com.", .https,
                Wire.u16(1) + [0] + Wire.u16(1) + Wire.u16(3) + [2] + Array("h2".utf8) + Wire.u16(3) + Wire.u16(2)
                    + Wire.u16(443)),
            wire("example.com.", .svcb, Wire.u16(0) + name("svc.example.net.")),
            wire("example.com.", .zonemd, Wire.u32(2_026_112_901) + [1, 1] + bytes(48, 4)),
            wire("example.com.", .csync, Wire.u32(66) + Wire.u16(3) + [0, 1, 0x60]),
            wire("example.com.", RecordType(65280), [1, 2, 3, 4, 5]),
        ]
    }

    static var dnssecRecords: [ResourceRecord] {
        [
            wire("example.com.", .dnskey, Wire.u16(257) + [3, 13] + bytes(64, 5)),
            wire("example.com.", .ds, Wire.u16(20326) + [13, 2] + bytes(32, 6)),
            wire("example.com.", .cds, Wire.u16(20326) + [13, 2] + bytes(32, 7)),
            wire(
                "example.com.", .rrsig,
                Wire.u16(48) + [13, 2] + Wire.u32(3600) + Wire.u32(1_800_000_000) + Wire.u32(1_700_000_000)
                    + Wire.u16(20326) + name("example.com.") + bytes(64, 8)),
            wire("example.com.", .nsec, name("a.example.com.") + [0, 6, 0x40, 0x01, 0, 0, 0, 0x03]),
            wire(
                "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.com.", .nsec3,
                [1, 0, 0, 0, 0, 20] + bytes(20, 9) + [0, 1, 0x40]),
            wire("example.com.", .nsec3param, [1, 0, 0, 0, 0]),
        ]
    }

    /// The corpus, encoded once.
    static let messages: [[UInt8]] = build()

    static func build() -> [[UInt8]] {
        var out: [[UInt8]] = []
        var response = DNSMessage.query(id: 0x2A2A, name: "www.example.com.", type: .a, edns: nil)
        response.header.isResponse = true
        response.header.authoritative = true
        response.answers = typedRecords + opaqueTypedRecords
        response.authorities = [
            rr("example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 2026112901 7200 3600 1209600 300")
        ]
        response.additionals = [
            rr("ns1.example.com. 300 IN A 192.0.2.53"), rr("ns1.example.com. 300 IN AAAA 2001:db8::53"),
        ]
        var edns = EDNS(udpPayloadSize: 1232, dnssecOK: true)
        edns.options = [
            EDNSOption(code: .cookie, data: bytes(24, 10)),
            EDNSOption(code: .nsid, data: Array("ns1".utf8)),
            EDNSOption.ExtendedError(.staleAnswer, extraText: "served stale").option,
            EDNSOption(code: .clientSubnet, data: [0, 1, 24, 0, 198, 51, 100]),
            EDNSOption(code: .padding, data: [0, 0, 0]),
            EDNSOption(code: EDNSOptionCode(65001), data: [9, 9]),
        ]
        response.edns = edns
        out.append(response.wireBytes)

        var signed = DNSMessage.query(id: 7, name: "example.com.", type: .dnskey, edns: EDNS(dnssecOK: true))
        signed.header.isResponse = true
        signed.answers = dnssecRecords
        signed.authorities = [rr("example.com. 300 IN NS ns1.example.com.")]
        signed.additionals = [wire("key.example.", .tsig, Wire.tsigRDATA, ttl: 0, cls: .any)]
        out.append(signed.wireBytes)

        var query = DNSMessage.query(id: 0xBEEF, name: "www.example.com.", type: .aaaa)
        query.edns?.options = [EDNSOption(code: .cookie, data: bytes(8, 11))]
        out.append(query.wireBytes)

        var update = DNSMessage(header: Header(id: 99))
        update.header.opcode = .update
        update.questions = [Question(name: "example.com.", type: .soa)]
        update.answers = [
            ResourceRecord(
                name: "b.example.com.", dnsClass: .none, ttl: 0, rdata: .unknown(.a, RDATA.Opaque(bytes: [])))
        ]
        update.authorities = [
            rr("c.example.com. 300 IN A 192.0.2.9"), rr("c.example.com. 300 IN MX 5 mx.example.com."),
        ]
        out.append(update.wireBytes)
        return out
    }
}
