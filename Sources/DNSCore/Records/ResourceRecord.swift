// SPDX-License-Identifier: Apache-2.0

/// A resource record (RFC 1035 §3.2.1): owner, class, TTL and typed data.
public struct ResourceRecord: Sendable, Hashable {
    public var name: DomainName
    public var dnsClass: DNSClass
    public var ttl: UInt32
    public var rdata: RDATA

    public init(name: DomainName, dnsClass: DNSClass = .in, ttl: UInt32, rdata: RDATA) {
        self.name = name
        self.dnsClass = dnsClass
        self.ttl = ttl
        self.rdata = rdata
    }

    @inlinable public var type: RecordType { self.rdata.type }
}

extension ResourceRecord {
    /// Decodes one record at the reader's offset.
    public init(wire reader: inout WireReader) throws(DNSWireError) {
        self.name = try reader.readName()
        let type = RecordType(try reader.readUInt16())
        self.dnsClass = DNSClass(try reader.readUInt16())
        self.ttl = try reader.readUInt32()
        let length = Int(try reader.readUInt16())
        self.rdata = try RDATA(type: type, length: length, from: &reader)
    }

    /// Encodes the record, with the RDLENGTH filled in after the RDATA.
    public func write(to writer: inout WireWriter) {
        writer.writeName(self.name)
        writer.writeUInt16(self.type.rawValue)
        writer.writeUInt16(self.dnsClass.rawValue)
        writer.writeUInt32(self.ttl)
        let lengthAt = writer.reserveUInt16()
        let start = writer.buffer.writerIndex
        self.rdata.write(to: &writer)
        writer.patchUInt16(UInt16(truncatingIfNeeded: writer.buffer.writerIndex - start), at: lengthAt)
    }
}

extension ResourceRecord {
    /// Parses one record in presentation format, `OWNER [TTL] [CLASS] TYPE RDATA`
    /// (TTL and class in either order). Relative names take `origin`; a
    /// missing TTL takes `defaultTTL`.
    public init(text: String, origin: DomainName? = nil, defaultTTL: UInt32 = 3600) throws(PresentationError) {
        let source = Array(text.utf8)
        var lexer = PresentationLexer(source: source)
        var entry = PresentationEntry()
        guard try lexer.nextEntry(into: &entry) else { throw PresentationError("empty record") }
        let tokens = entry.tokens
        let ownerText = source[tokens[0].start..<tokens[0].end]
        let owner: DomainName
        do {
            owner = try DomainName(parsing: ownerText, origin: origin)
        } catch {
            throw PresentationError("bad owner name: \(error.message)", line: tokens[0].line, column: tokens[0].column)
        }
        var i = 1
        var ttl: UInt32? = nil
        var dnsClass: DNSClass? = nil
        var type: RecordType? = nil
        while i < tokens.count, type == nil {
            let t = source[tokens[i].start..<tokens[i].end]
            if ttl == nil, let value = parseTTL(t) {
                ttl = value
            } else if dnsClass == nil, let c = DNSClass(mnemonic: t) {
                dnsClass = c
            } else if let rt = RecordType(mnemonic: t) {
                type = rt
            } else {
                throw PresentationError(
                    "unknown record type '\(String(decoding: t, as: UTF8.self))'", line: tokens[i].line,
                    column: tokens[i].column)
            }
            i += 1
        }
        guard let type else { throw PresentationError("missing record type", line: entry.line, column: 1) }
        var scanner = RDATAScanner(source: source, tokens: tokens[i...], origin: origin)
        let rdata = try RDATA(type: type, presentation: &scanner)
        self.init(name: owner, dnsClass: dnsClass ?? .in, ttl: ttl ?? defaultTTL, rdata: rdata)
    }

    /// Appends `owner TTL CLASS TYPE RDATA` (tab-separated, as dig prints).
    public func writePresentation(to out: inout String, separator: String = "\t") {
        self.name.writePresentation(to: &out)
        out += separator
        out += String(self.ttl)
        out += separator
        out += self.dnsClass.description
        out += separator
        out += self.type.description
        out += separator
        self.rdata.writePresentation(to: &out)
    }
}

extension ResourceRecord: CustomStringConvertible {
    public var description: String {
        var out = ""
        self.writePresentation(to: &out, separator: " ")
        return out
    }
}
