// SPDX-License-Identifier: Apache-2.0

extension EDNSOption {
    /// The Name Server Identifier option (RFC 5001 §2.3): opaque octets chosen
    /// by the server; empty in a query that asks for it.
    public struct NSID: Sendable, Hashable {
        public var bytes: [UInt8]

        public init(bytes: [UInt8] = []) { self.bytes = bytes }

        /// An identifier given as text (stored as its UTF-8 octets).
        public init(text: String) { self.bytes = Array(text.utf8) }

        /// Decodes an NSID option; any content is valid (RFC 5001 §2.3).
        public init(_ option: EDNSOption) throws(DNSWireError) {
            guard option.code == .nsid else { throw DNSWireError.badValue.at(0, "not an NSID option") }
            self.bytes = option.data
        }

        public var option: EDNSOption { EDNSOption(code: .nsid, data: self.bytes) }

        /// Lower-case hexadecimal, octets separated by spaces, as dig prints it (`6e 73 31`).
        public var hex: String {
            self.bytes.map { Hex.encode([$0], uppercase: false) }.joined(separator: " ")
        }

        /// The octets as text with every non-printable octet shown as `.` (as dig does).
        public var printable: String { printableASCII(self.bytes) }
    }
}

/// Printable ASCII as is, every other octet as `.` (dig's rendering of opaque option data).
func printableASCII(_ bytes: some Sequence<UInt8>) -> String {
    String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
}

extension EDNS {
    /// The NSID option, nil when absent.
    public var nsid: EDNSOption.NSID? {
        self.option(.nsid).map { EDNSOption.NSID(bytes: $0.data) }
    }
}
