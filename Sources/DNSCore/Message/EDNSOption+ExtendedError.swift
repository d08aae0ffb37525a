// SPDX-License-Identifier: Apache-2.0

extension EDNSOption {
    /// An Extended DNS Error (RFC 8914 §2).
    ///
    ///     | INFO-CODE (16 bits) | EXTRA-TEXT (UTF-8, variable, may be empty) |
    ///
    /// A message may carry several of them.
    public struct ExtendedError: Sendable, Hashable {
        public var infoCode: InfoCode
        /// Free text for people (RFC 8914 §2: UTF-8, not NUL-terminated).
        public var extraText: String

        public init(_ infoCode: InfoCode, extraText: String = "") {
            self.infoCode = infoCode
            self.extraText = extraText
        }

        /// Decodes an EDE option; throws when it is shorter than 2 octets or
        /// its EXTRA-TEXT is not valid UTF-8.
        public init(_ option: EDNSOption) throws(DNSWireError) {
            guard option.code == .extendedError else {
                throw DNSWireError.badValue.at(0, "not an Extended DNS Error option")
            }
            let data = option.data
            guard data.count >= 2 else {
                throw DNSWireError.truncated.at(
                    0, "Extended DNS Error of \(data.count) octets (RFC 8914 §2: at least 2)")
            }
            self.infoCode = InfoCode(UInt16(data[0]) << 8 | UInt16(data[1]))
            guard let text = String(validating: data[2...], as: UTF8.self) else {
                throw DNSWireError.badValue.at(2, "EXTRA-TEXT is not UTF-8 (RFC 8914 §2)")
            }
            self.extraText = text
        }

        public var option: EDNSOption {
            EDNSOption(
                code: .extendedError,
                data: [UInt8(self.infoCode.rawValue >> 8), UInt8(self.infoCode.rawValue & 0xFF)]
                    + Array(self.extraText.utf8))
        }

        /// The INFO-CODE registry (RFC 8914 §5.2, IANA "Extended DNS Error Codes"). Open set.
        public struct InfoCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            public init(_ rawValue: UInt16) { self.rawValue = rawValue }

            public static let other = InfoCode(0)
            public static let unsupportedDNSKEYAlgorithm = InfoCode(1)
            public static let unsupportedDSDigestType = InfoCode(2)
            public static let staleAnswer = InfoCode(3)
            public static let forgedAnswer = InfoCode(4)
            public static let dnssecIndeterminate = InfoCode(5)
            public static let dnssecBogus = InfoCode(6)
            public static let signatureExpired = InfoCode(7)
            public static let signatureNotYetValid = InfoCode(8)
            public static let dnskeyMissing = InfoCode(9)
            public static let rrsigsMissing = InfoCode(10)
            public static let noZoneKeyBitSet = InfoCode(11)
            public static let nsecMissing = InfoCode(12)
            public static let cachedError = InfoCode(13)
            public static let notReady = InfoCode(14)
            public static let blocked = InfoCode(15)
            public static let censored = InfoCode(16)
            public static let filtered = InfoCode(17)
            public static let prohibited = InfoCode(18)
            public static let staleNXDomainAnswer = InfoCode(19)
            public static let notAuthoritative = InfoCode(20)
            public static let notSupported = InfoCode(21)
            public static let noReachableAuthority = InfoCode(22)
            public static let networkError = InfoCode(23)
            public static let invalidData = InfoCode(24)
            /// Codes 25 and up: from the IANA registry.
            public static let signatureExpiredBeforeValid = InfoCode(25)
            /// RFC 9250 §4.5.
            public static let tooEarly = InfoCode(26)
            /// RFC 9276 §3.
            public static let unsupportedNSEC3IterationsValue = InfoCode(27)
            public static let unableToConformToPolicy = InfoCode(28)
            public static let synthesized = InfoCode(29)
            public static let invalidQueryType = InfoCode(30)

            /// The purpose as named in the IANA registry, nil when unassigned.
            public var name: String? {
                let names = [
                    "Other Error", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer",
                    "Forged Answer", "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired",
                    "Signature Not Yet Valid", "DNSKEY Missing", "RRSIGs Missing", "No Zone Key Bit Set",
                    "NSEC Missing", "Cached Error", "Not Ready", "Blocked", "Censored", "Filtered", "Prohibited",
                    "Stale NXDomain Answer", "Not Authoritative", "Not Supported", "No Reachable Authority",
                    "Network Error", "Invalid Data", "Signature Expired before Valid", "Too Early",
                    "Unsupported NSEC3 Iterations Value", "Unable to conform to policy", "Synthesized",
                    "Invalid Query Type",
                ]
                return Int(self.rawValue) < names.count ? names[Int(self.rawValue)] : nil
            }

            /// The name dig 9.18 prints (BIND's table stops at 24 and says
            /// "Other" and "Stale NXDOMAIN Answer"); nil when dig prints none.
            public var digName: String? {
                switch self.rawValue {
                case 0: "Other"
                case 19: "Stale NXDOMAIN Answer"
                case 1...24: self.name
                default: nil
                }
            }

            public var description: String { self.name ?? "INFO-CODE\(self.rawValue)" }
        }
    }
}

extension EDNS {
    /// Every Extended DNS Error option, in order (RFC 8914 §2 allows several);
    /// throws when one is malformed.
    public var extendedErrors: [EDNSOption.ExtendedError] {
        get throws(DNSWireError) {
            var errors: [EDNSOption.ExtendedError] = []
            for option in self.options where option.code == .extendedError {
                errors.append(try EDNSOption.ExtendedError(option))
            }
            return errors
        }
    }
}
