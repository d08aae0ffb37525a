// SPDX-License-Identifier: Apache-2.0

/// The data of a resource record, typed for the types hanon knows and kept
/// as octets for every other type (RFC 3597).
///
/// Each typed case has its own file (`RDATA+MX.swift` …) with the RFC layout,
/// decoding, encoding and presentation form. This file only dispatches on
/// the type, so adding a type is one file plus one row in each switch here.
public enum RDATA: Sendable, Hashable {
    case a(A)
    case aaaa(AAAA)
    case ns(DomainName)
    case cname(DomainName)
    case dname(DomainName)
    case ptr(DomainName)
    case soa(SOA)
    case mx(MX)
    case txt(TXT)
    case hinfo(HINFO)
    case rp(RP)
    case srv(SRV)
    case naptr(NAPTR)
    case caa(CAA)
    case sshfp(SSHFP)
    case tlsa(TLSA)
    case smimea(TLSA)
    case openpgpkey(OPENPGPKEY)
    case svcb(SVCB)
    case https(SVCB)
    case uri(URI)
    case loc(LOC)
    case ds(DS)
    case cds(DS)
    case dnskey(DNSKEY)
    case cdnskey(DNSKEY)
    case rrsig(RRSIG)
    case nsec(NSEC)
    case nsec3(NSEC3)
    case nsec3param(NSEC3PARAM)
    case zonemd(ZONEMD)
    case csync(CSYNC)
    case tsig(TSIG)
    /// Any other type, as its RDATA octets.
    case unknown(RecordType, Opaque)

    /// The record type this data belongs to.
    public var type: RecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .ns: .ns
        case .cname: .cname
        case .dname: .dname
        case .ptr: .ptr
        case .soa: .soa
        case .mx: .mx
        case .txt: .txt
        case .hinfo: .hinfo
        case .rp: .rp
        case .srv: .srv
        case .naptr: .naptr
        case .caa: .caa
        case .sshfp: .sshfp
        case .tlsa: .tlsa
        case .smimea: .smimea
        case .openpgpkey: .openpgpkey
        case .svcb: .svcb
        case .https: .https
        case .uri: .uri
        case .loc: .loc
        case .ds: .ds
        case .cds: .cds
        case .dnskey: .dnskey
        case .cdnskey: .cdnskey
        case .rrsig: .rrsig
        case .nsec: .nsec
        case .nsec3: .nsec3
        case .nsec3param: .nsec3param
        case .zonemd: .zonemd
        case .csync: .csync
        case .tsig: .tsig
        case .unknown(let type, _): type
        }
    }

    /// The typed content, for generic code.
    public var content: any RDATAContent {
        switch self {
        case .a(let v): v
        case .aaaa(let v): v
        case .ns(let v), .cname(let v), .dname(let v), .ptr(let v): v
        case .soa(let v): v
        case .mx(let v): v
        case .txt(let v): v
        case .hinfo(let v): v
        case .rp(let v): v
        case .srv(let v): v
        case .naptr(let v): v
        case .caa(let v): v
        case .sshfp(let v): v
        case .tlsa(let v), .smimea(let v): v
        case .openpgpkey(let v): v
        case .svcb(let v), .https(let v): v
        case .uri(let v): v
        case .loc(let v): v
        case .ds(let v), .cds(let v): v
        case .dnskey(let v), .cdnskey(let v): v
        case .rrsig(let v): v
        case .nsec(let v): v
        case .nsec3(let v): v
        case .nsec3param(let v): v
        case .zonemd(let v): v
        case .csync(let v): v
        case .tsig(let v): v
        case .unknown(_, let v): v
        }
    }

    /// Decodes RDATA of `type` from `reader`, bounded to the RDATA already.
    static func decode(type: RecordType, from r: inout WireReader) throws(DNSWireError) -> RDATA {
        switch type {
        case .a: .a(try A(wire: &r))
        case .aaaa: .aaaa(try AAAA(wire: &r))
        case .ns: .ns(try DomainName(wire: &r))
        case .cname: .cname(try DomainName(wire: &r))
        case .dname: .dname(try DomainName(wire: &r))
        case .ptr: .ptr(try DomainName(wire: &r))
        case .soa: .soa(try SOA(wire: &r))
        case .mx: .mx(try MX(wire: &r))
        case .txt: .txt(try TXT(wire: &r))
        case .hinfo: .hinfo(try HINFO(wire: &r))
        case .rp: .rp(try RP(wire: &r))
        case .srv: .srv(try SRV(wire: &r))
        case .naptr: .naptr(try NAPTR(wire: &r))
        case .caa: .caa(try CAA(wire: &r))
        case .sshfp: .sshfp(try SSHFP(wire: &r))
        case .tlsa: .tlsa(try TLSA(wire: &r))
        case .smimea: .smimea(try TLSA(wire: &r))
        case .openpgpkey: .openpgpkey(try OPENPGPKEY(wire: &r))
        case .svcb: .svcb(try SVCB(wire: &r))
        case .https: .https(try SVCB(wire: &r))
        case .uri: .uri(try URI(wire: &r))
        case .loc: .loc(try LOC(wire: &r))
        case .ds: .ds(try DS(wire: &r))
        case .cds: .cds(try DS(wire: &r))
        case .dnskey: .dnskey(try DNSKEY(wire: &r))
        case .cdnskey: .cdnskey(try DNSKEY(wire: &r))
        case .rrsig: .rrsig(try RRSIG(wire: &r))
        case .nsec: .nsec(try NSEC(wire: &r))
        case .nsec3: .nsec3(try NSEC3(wire: &r))
        case .nsec3param: .nsec3param(try NSEC3PARAM(wire: &r))
        case .zonemd: .zonemd(try ZONEMD(wire: &r))
        case .csync: .csync(try CSYNC(wire: &r))
        case .tsig: .tsig(try TSIG(wire: &r))
        default: .unknown(type, try Opaque(wire: &r))
        }
    }

    /// Parses the type-specific presentation fields.
    static func parse(type: RecordType, from s: inout RDATAScanner) throws(PresentationError) -> RDATA {
        switch type {
        case .a: .a(try A(presentation: &s))
        case .aaaa: .aaaa(try AAAA(presentation: &s))
        case .ns: .ns(try DomainName(presentation: &s))
        case .cname: .cname(try DomainName(presentation: &s))
        case .dname: .dname(try DomainName(presentation: &s))
        case .ptr: .ptr(try DomainName(presentation: &s))
        case .soa: .soa(try SOA(presentation: &s))
        case .mx: .mx(try MX(presentation: &s))
        case .txt: .txt(try TXT(presentation: &s))
        case .hinfo: .hinfo(try HINFO(presentation: &s))
        case .rp: .rp(try RP(presentation: &s))
        case .srv: .srv(try SRV(presentation: &s))
        case .naptr: .naptr(try NAPTR(presentation: &s))
        case .caa: .caa(try CAA(presentation: &s))
        case .sshfp: .sshfp(try SSHFP(presentation: &s))
        case .tlsa: .tlsa(try TLSA(presentation: &s))
        case .smimea: .smimea(try TLSA(presentation: &s))
        case .openpgpkey: .openpgpkey(try OPENPGPKEY(presentation: &s))
        case .svcb: .svcb(try SVCB(presentation: &s))
        case .https: .https(try SVCB(presentation: &s))
        case .uri: .uri(try URI(presentation: &s))
        case .loc: .loc(try LOC(presentation: &s))
        case .ds: .ds(try DS(presentation: &s))
        case .cds: .cds(try DS(presentation: &s))
        case .dnskey: .dnskey(try DNSKEY(presentation: &s))
        case .cdnskey: .cdnskey(try DNSKEY(presentation: &s))
        case .rrsig: .rrsig(try RRSIG(presentation: &s))
        case .nsec: .nsec(try NSEC(presentation: &s))
        case .nsec3: .nsec3(try NSEC3(presentation: &s))
        case .nsec3param: .nsec3param(try NSEC3PARAM(presentation: &s))
        case .zonemd: .zonemd(try ZONEMD(presentation: &s))
        case .csync: .csync(try CSYNC(presentation: &s))
        case .tsig: .tsig(try TSIG(presentation: &s))
        default: .unknown(type, try Opaque(presentation: &s))
        }
    }
}

extension RDATA {
    /// Decodes `length` octets of RDATA of `type` at the reader's offset.
    public init(type: RecordType, length: Int, from reader: inout WireReader) throws(DNSWireError) {
        self = try reader.withLimit(length) { (r: inout WireReader) throws(DNSWireError) -> RDATA in
            try RDATA.decode(type: type, from: &r)
        }
    }

    /// Decodes RDATA given on its own (no message around it, so no compression).
    public init(type: RecordType, wire bytes: some Sequence<UInt8>) throws(DNSWireError) {
        var reader = WireReader(bytes: bytes)
        try self.init(type: type, length: reader.remaining, from: &reader)
    }

    /// Parses presentation RDATA; accepts the generic `\# LENGTH HEX` form for
    /// every type (RFC 3597 §5), and checks no token is left over.
    public init(type: RecordType, presentation scanner: inout RDATAScanner) throws(PresentationError) {
        if let first = scanner.peek(), !first.quoted, scanner.text(first).elementsEqual("\\#".utf8) {
            _ = try scanner.next("'\\#'")
            let bytes = try RDATA.genericData(&scanner)
            do {
                self = try RDATA(type: type, wire: bytes)
            } catch {
                throw scanner.error("generic RDATA is not valid \(type): \(error)", at: first)
            }
        } else {
            self = try RDATA.parse(type: type, from: &scanner)
        }
        try scanner.finish()
    }

    /// Parses RDATA text such as `10 mail.example.`.
    public init(type: RecordType, text: String, origin: DomainName? = nil) throws(PresentationError) {
        var scanner = try RDATAScanner(text: text, origin: origin)
        try self.init(type: type, presentation: &scanner)
    }

    /// Encodes the RDATA (without its length), with the compression and
    /// canonical-case rules of its type.
    public func write(to writer: inout WireWriter) {
        let type = self.type
        let savedCompress = writer.namesCompressible
        let savedLower = writer.namesLowercasedInCanonicalForm
        writer.namesCompressible = type.namesCompressedOnWrite
        writer.namesLowercasedInCanonicalForm = type.namesLowercasedInCanonicalForm
        self.writeContent(to: &writer)
        writer.namesCompressible = savedCompress
        writer.namesLowercasedInCanonicalForm = savedLower
    }

    // A direct switch rather than `content`: no existential box on the hot path.
    private func writeContent(to w: inout WireWriter) {
        switch self {
        case .a(let v): v.write(to: &w)
        case .aaaa(let v): v.write(to: &w)
        case .ns(let v), .cname(let v), .dname(let v), .ptr(let v): v.write(to: &w)
        case .soa(let v): v.write(to: &w)
        case .mx(let v): v.write(to: &w)
        case .txt(let v): v.write(to: &w)
        case .hinfo(let v): v.write(to: &w)
        case .rp(let v): v.write(to: &w)
        case .srv(let v): v.write(to: &w)
        case .naptr(let v): v.write(to: &w)
        case .caa(let v): v.write(to: &w)
        case .sshfp(let v): v.write(to: &w)
        case .tlsa(let v), .smimea(let v): v.write(to: &w)
        case .openpgpkey(let v): v.write(to: &w)
        case .svcb(let v), .https(let v): v.write(to: &w)
        case .uri(let v): v.write(to: &w)
        case .loc(let v): v.write(to: &w)
        case .ds(let v), .cds(let v): v.write(to: &w)
        case .dnskey(let v), .cdnskey(let v): v.write(to: &w)
        case .rrsig(let v): v.write(to: &w)
        case .nsec(let v): v.write(to: &w)
        case .nsec3(let v): v.write(to: &w)
        case .nsec3param(let v): v.write(to: &w)
        case .zonemd(let v): v.write(to: &w)
        case .csync(let v): v.write(to: &w)
        case .tsig(let v): v.write(to: &w)
        case .unknown(_, let v): v.write(to: &w)
        }
    }

    /// The RDATA alone in uncompressed wire form.
    public var wireBytes: [UInt8] {
        var writer = WireWriter(mode: .uncompressed)
        self.write(to: &writer)
        return writer.bytes
    }

    /// The RDATA in RFC 4034 §6.2 canonical form.
    public var canonicalWireBytes: [UInt8] {
        var writer = WireWriter(mode: .canonical)
        self.write(to: &writer)
        return writer.bytes
    }

    /// The presentation form of the RDATA fields.
    public func writePresentation(to out: inout String) {
        self.content.writePresentation(to: &out)
    }
}

extension RDATA: CustomStringConvertible {
    public var description: String {
        var out = ""
        self.writePresentation(to: &out)
        return out
    }
}
