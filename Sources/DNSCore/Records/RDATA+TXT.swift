// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// TXT: one or more <character-string>s (RFC 1035 §3.3.14).
    public struct TXT: RDATAContent {
        public var strings: [[UInt8]]

        public init(strings: [[UInt8]]) { self.strings = strings }
        public init(_ strings: String...) { self.strings = strings.map { Array($0.utf8) } }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            // RFC 1035 requires at least one string; an empty RDATA is kept as
            // no strings so that it round-trips.
            var strings: [[UInt8]] = []
            while !reader.isAtEnd {
                strings.append(try reader.readCharacterString())
            }
            self.strings = strings
        }

        public func write(to writer: inout WireWriter) {
            for s in self.strings { writer.writeCharacterString(s) }
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            var strings: [[UInt8]] = []
            repeat {
                strings.append(try s.characterString("TXT string"))
            } while !s.isAtEnd
            self.strings = strings
        }

        public func writePresentation(to out: inout String) {
            var first = true
            for s in self.strings {
                if !first { out += " " }
                first = false
                appendQuoted(s, to: &out)
            }
        }
    }
}

/// Appends a <character-string> in quotes, escaping `"` and `\` and
/// non-printable octets as `\DDD` (as BIND and dig print them).
public func appendQuoted(_ bytes: some Sequence<UInt8>, to out: inout String) {
    var buffer: [UInt8] = [UInt8(ascii: "\"")]
    for c in bytes {
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            buffer.append(UInt8(ascii: "\\"))
            buffer.append(c)
        case 0x20...0x7E:
            buffer.append(c)
        default:
            appendDecimalEscape(c, to: &buffer)
        }
    }
    buffer.append(UInt8(ascii: "\""))
    out += String(decoding: buffer, as: UTF8.self)
}
