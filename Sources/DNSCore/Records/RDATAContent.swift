// SPDX-License-Identifier: Apache-2.0

/// What every typed RDATA provides: wire decoding and encoding, and the
/// presentation form (RFC 1035 §5, and each type's RFC).
///
/// Name compression and canonical lower-casing are not decided here: the
/// record type's descriptor (``RecordType/namesCompressedOnWrite``,
/// ``RecordType/namesLowercasedInCanonicalForm``) sets them on the writer,
/// so a type only calls ``WireWriter/writeName(_:)``.
public protocol RDATAContent: Sendable, Hashable {
    /// Decodes from `reader`, whose ``WireReader/end`` is the end of the RDATA.
    /// Must consume exactly the RDATA.
    init(wire reader: inout WireReader) throws(DNSWireError)
    /// Encodes the RDATA (without its length).
    func write(to writer: inout WireWriter)
    /// Parses the presentation fields; the caller checks nothing is left over.
    init(presentation scanner: inout RDATAScanner) throws(PresentationError)
    /// Appends the presentation form of the RDATA fields.
    func writePresentation(to out: inout String)
}

extension RecordType {
    /// RFC 3597 §4: names in RDATA are compressed only in the types RFC 1035
    /// defined (NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO, MX).
    public var namesCompressedOnWrite: Bool {
        switch self.rawValue {
        case 2, 3, 4, 5, 6, 7, 8, 9, 12, 14, 15: true
        default: false
        }
    }

    /// RFC 4034 §6.2 as corrected by RFC 6840 §5.1 (NSEC and HINFO removed):
    /// the types whose RDATA names are lower-cased in canonical form.
    public var namesLowercasedInCanonicalForm: Bool {
        switch self {
        case .ns, .md, .mf, .cname, .soa, .mb, .mg, .mr, .ptr, .minfo, .mx, .rp, .afsdb, .rt, .sig, .px, .nxt,
            .naptr, .kx, .srv, .dname, .a6, .rrsig:
            true
        default: false
        }
    }
}

extension RDATA {
    /// RDATA kept as opaque octets: RFC 3597 unknown types.
    public struct Opaque: RDATAContent {
        public var bytes: [UInt8]

        public init(bytes: [UInt8]) { self.bytes = bytes }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.bytes = try reader.readRemainingBytes()
        }

        public func write(to writer: inout WireWriter) { writer.writeBytes(self.bytes) }

        /// Only the generic form `\# LENGTH HEX` (RFC 3597 §5).
        public init(presentation scanner: inout RDATAScanner) throws(PresentationError) {
            let token = try scanner.next("'\\#'")
            guard scanner.text(token).elementsEqual("\\#".utf8) else {
                throw scanner.error("data of this type must be given as '\\# LENGTH HEX' (RFC 3597)", at: token)
            }
            self.bytes = try RDATA.genericData(&scanner)
        }

        public func writePresentation(to out: inout String) {
            out += "\\# \(self.bytes.count)"
            if !self.bytes.isEmpty {
                out += " "
                out += Hex.encode(self.bytes)
            }
        }
    }

    /// Reads `LENGTH HEX…` after `\#` and checks the length matches.
    static func genericData(_ scanner: inout RDATAScanner) throws(PresentationError) -> [UInt8] {
        let lengthToken = try scanner.next("RDATA length")
        guard let length = parseDecimal(scanner.text(lengthToken)), length <= 65535 else {
            throw scanner.error("bad RDATA length '\(scanner.string(lengthToken))'", at: lengthToken)
        }
        if length == 0 {
            return []
        }
        let (hex, first) = try scanner.remainingJoined("RDATA hex")
        guard let bytes = Hex.decode(hex) else { throw scanner.error("bad hexadecimal RDATA", at: first) }
        guard bytes.count == Int(length) else {
            throw scanner.error("RDATA length \(length) but \(bytes.count) octets given", at: lengthToken)
        }
        return bytes
    }
}

extension DomainName: RDATAContent {
    public init(wire reader: inout WireReader) throws(DNSWireError) {
        self = try reader.readName()
    }

    public func write(to writer: inout WireWriter) { writer.writeName(self) }

    public init(presentation scanner: inout RDATAScanner) throws(PresentationError) {
        self = try scanner.name()
    }
}
