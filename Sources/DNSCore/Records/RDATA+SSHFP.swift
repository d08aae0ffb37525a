// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// SSHFP: SSH key fingerprint (RFC 4255 §3.1).
    ///
    ///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |   algorithm   |    fp type    |                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               /
    ///     /                                                               /
    ///     /                          fingerprint                          /
    ///     /                                                               /
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///
    /// Presentation: `2 1 123456789ABCDEF67890123456789ABCDEF67890`, the
    /// fingerprint in upper-case hex. The fingerprint must not be empty, and
    /// for the known types its length is checked as BIND does: SHA-1 (1)
    /// is 20 octets, SHA-256 (2, RFC 6594) is 32.
    public struct SSHFP: RDATAContent {
        /// 1 RSA, 2 DSA, 3 ECDSA (RFC 6594), 4 Ed25519 (RFC 7479), 6 Ed448 (RFC 8709).
        public var algorithm: UInt8
        /// 1 SHA-1, 2 SHA-256 (RFC 6594).
        public var fingerprintType: UInt8
        public var fingerprint: [UInt8]

        public init(algorithm: UInt8, fingerprintType: UInt8, fingerprint: [UInt8]) {
            self.algorithm = algorithm
            self.fingerprintType = fingerprintType
            self.fingerprint = fingerprint
        }

        /// The fingerprint length a known type requires, or nil for any.
        static func requiredLength(_ type: UInt8) -> Int? {
            switch type {
            case 1: 20
            case 2: 32
            default: nil
            }
        }

        /// Nil when the fingerprint length suits the type, else the complaint.
        static func lengthProblem(type: UInt8, count: Int) -> String? {
            if count == 0 { return "SSHFP fingerprint is empty" }
            if let required = requiredLength(type), required != count {
                return "SSHFP fingerprint type \(type) needs \(required) octets, not \(count)"
            }
            return nil
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.algorithm = try reader.readUInt8()
            self.fingerprintType = try reader.readUInt8()
            let start = reader.offset
            self.fingerprint = try reader.readRemainingBytes()
            if let problem = SSHFP.lengthProblem(type: self.fingerprintType, count: self.fingerprint.count) {
                throw DNSWireError.badFixedLength.at(start, problem)
            }
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt8(self.algorithm)
            writer.writeUInt8(self.fingerprintType)
            writer.writeBytes(self.fingerprint)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.algorithm = try s.uint8("SSHFP algorithm")
            self.fingerprintType = try s.uint8("SSHFP fingerprint type")
            let first = s.peek()
            self.fingerprint = try s.hexRemaining("SSHFP fingerprint")
            if let problem = SSHFP.lengthProblem(type: self.fingerprintType, count: self.fingerprint.count) {
                throw s.error(problem, at: first)
            }
        }

        public func writePresentation(to out: inout String) {
            out += "\(self.algorithm) \(self.fingerprintType) "
            out += Hex.encode(self.fingerprint)
        }
    }
}
