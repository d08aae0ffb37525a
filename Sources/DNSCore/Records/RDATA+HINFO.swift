// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// HINFO: host information (RFC 1035 §3.3.2), two <character-string>s.
    ///
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                      CPU                      /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///     /                       OS                      /
    ///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///
    /// Presentation: both strings, always quoted, as BIND prints them:
    /// `"PC-Intel-700mhz" "Linux"`. RFC 8482 §4.2 minimal ANY answers use
    /// `"RFC8482" ""`.
    public struct HINFO: RDATAContent {
        /// The CPU type, at most 255 octets.
        public var cpu: [UInt8]
        /// The operating system, at most 255 octets.
        public var os: [UInt8]

        public init(cpu: [UInt8], os: [UInt8]) {
            self.cpu = cpu
            self.os = os
        }

        public init(cpu: String, os: String) {
            self.cpu = Array(cpu.utf8)
            self.os = Array(os.utf8)
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.cpu = try reader.readCharacterString()
            self.os = try reader.readCharacterString()
        }

        /// Writes both strings; strings over 255 octets are cut to 255
        /// (the presentation parser never makes them).
        public func write(to writer: inout WireWriter) {
            writer.writeCharacterString(self.cpu.prefix(255))
            writer.writeCharacterString(self.os.prefix(255))
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.cpu = try s.characterString("HINFO CPU")
            self.os = try s.characterString("HINFO OS")
        }

        public func writePresentation(to out: inout String) {
            appendQuoted(self.cpu, to: &out)
            out += " "
            appendQuoted(self.os, to: &out)
        }
    }
}
