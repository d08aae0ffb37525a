// SPDX-License-Identifier: Apache-2.0
// Seed messages, kept in step with Tests/DNSCoreTests/Message/Corpus.swift.

import DNSCore

/// Real-looking messages with many record types, for truncation and
/// mutation tests. Types still kept as opaque data are given as valid wire
/// RDATA, so the messages stay valid when their typed codecs land.
enum Seeds {
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

    /// The corpus, encoded.
    static var messages: [[UInt8]] {
        var out = Self.base + Self.digGoldens.map(Self.decodeHex)
        // Every seed also alone as a message with one record of each section type.
        for record in typedRecords + opaqueTypedRecords + dnssecRecords {
            var m = DNSMessage(header: Header(id: 1, flags: 0x8400))
            m.questions = [Question(name: record.name, type: record.type)]
            m.answers = [record]
            out.append(m.wireBytes)
        }
        return out
    }

    /// The responses behind the dig goldens in Tests/DNSCoreTests/Message/DigTextTests.swift.
    static let digGoldens: [String] = [
        "053b85800001000600010001076578616d706c6503636f6d0000010001076578616d706c6503636f6d000001000100000e100004c00002011b612d766572792d6c6f6e672d6f776e65722d6e616d652d68657265076578616d706c6503636f6d00000100010000012c0004c000020203777777076578616d706c6503636f6d00000500010000012c000d076578616d706c6503636f6d000178000010000100000000000a0568656c6c6f03612062076578616d706c6503636f6d00000f00010000012c0014000a046d61696c076578616d706c6503636f6d00016500001c00010000012c001000000000000000000000000000000000076578616d706c6503636f6d000006000100000e100033026e73076578616d706c6503636f6d000168076578616d706c6503636f6d00000000010000000200000003000000040000000500002904d0000080000052000a0010010203040506070811121314151617180003000b6e73312e6578616d706c65000f000b0012736f6d652074657874000f000200030008000700011800c00002000c00050000000000fde900020102",
        "6c4681900001000100000002076578616d706c6503636f6d0000010001076578616d706c6503636f6d00001000010000003c000c0b68656c6c6f20776f726c64036e7331076578616d706c6503636f6d00001c00010000012c001020010db800000000000000000000003500002904d00000c0010054000a000801020304050607080009000400000e11000b00020064000e00044f664a5c0008000b0002380020010db800000000030000000f00050063616263000f00020019000c00020000fde9000000050002080d",
        "6c9681830001000000010001076578616d706c6503636f6d0000010001076578616d706c6503636f6d00000200010000012c0010026e73076578616d706c6503636f6d00026e73076578616d706c6503636f6d00000100010000012c0004c0000235",
        "970387f70001000000000003076578616d706c6503636f6d0000010001026e73076578616d706c6503636f6d00000100010000012c0004c0000235026e73076578616d706c6503636f6d00001c00010000012c00100000000000000000000000000000000100002904d0010000000000",
        "a58b80000001000100000003076578616d706c6503636f6d0000010001076578616d706c6503636f6d00000100010000012c000400000000026e7300000100010000000100040000000000002904d0000080000000036b6579076578616d706c650000fa00ff0000000000210b686d61632d7368613235360000006553f100012c000401020304123400000000",
    ]

    static func decodeHex(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8? = nil
        for c in text.utf8 {
            let v = c <= 57 ? c - 48 : c - 87
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    static var base: [[UInt8]] {
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

/// Hand-built wire pieces for malformed-message tests.
enum Wire {
    static func u16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func u32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// Uncompressed wire form of a dotted name (`"www.example."`, `"."`).
    static func name(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for label in text.split(separator: ".") {
            out.append(UInt8(label.utf8.count))
            out += Array(label.utf8)
        }
        return out + [0]
    }

    static func header(id: Int = 0x1234, flags: Int = 0x8180, qd: Int = 1, an: Int = 0, ns: Int = 0, ar: Int = 0)
        -> [UInt8]
    {
        u16(id) + u16(flags) + u16(qd) + u16(an) + u16(ns) + u16(ar)
    }

    static func question(_ name: String = "example.", type: Int = 1) -> [UInt8] {
        Self.name(name) + u16(type) + u16(1)
    }

    static func rr(_ owner: [UInt8], type: Int, cls: Int = 1, ttl: UInt32 = 300, rdata: [UInt8]) -> [UInt8] {
        owner + u16(type) + u16(cls) + u32(ttl) + u16(rdata.count) + rdata
    }

    static func opt(owner: [UInt8] = [0], options: [UInt8] = []) -> [UInt8] {
        rr(owner, type: 41, cls: 1232, ttl: 0, rdata: options)
    }

    /// A minimal TSIG RDATA (RFC 8945 §4.2) with a 4-octet MAC.
    static let tsigRDATA: [UInt8] =
        name("hmac-sha256.") + [0, 0, 0x65, 0x53, 0xF1, 0, 1, 0x2C] + u16(4) + [1, 2, 3, 4] + u16(0x1234) + u16(0)
        + u16(0)
}
