// SPDX-License-Identifier: Apache-2.0

/// Why a DNSSEC operation failed: a key or signature that cannot be used, a
/// signature that does not verify, a key file that cannot be read.
///
/// `==` compares the ``code`` only, so tests can write
/// `#expect(throws: DNSSECError.malformedKey)`.
public struct DNSSECError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable {
        private enum Kind: Hashable, Sendable {
            case unsupportedAlgorithm, malformedKey, malformedSignature, keyMismatch
            case signatureExpired, signatureNotYetValid, badSignature, signingFailed, keyFile, zone
        }
        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// An algorithm hanon cannot sign or verify with (RFC 8624 §3.1).
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// A public or private key of the wrong length or form.
        public static let malformedKey = Code(.malformedKey)
        /// A signature of the wrong length or form.
        public static let malformedSignature = Code(.malformedSignature)
        /// The RRSIG does not belong to this key or RRset (RFC 4035 §5.3.1).
        public static let keyMismatch = Code(.keyMismatch)
        /// Now is after the signature expiration (RFC 4035 §5.3.1).
        public static let signatureExpired = Code(.signatureExpired)
        /// Now is before the signature inception (RFC 4035 §5.3.1).
        public static let signatureNotYetValid = Code(.signatureNotYetValid)
        /// The cryptographic check failed (RFC 4035 §5.3.3).
        public static let badSignature = Code(.badSignature)
        /// The crypto library refused to sign or generate.
        public static let signingFailed = Code(.signingFailed)
        /// A key file could not be read, written or understood.
        public static let keyFile = Code(.keyFile)
        /// The zone cannot be signed as it is.
        public static let zone = Code(.zone)
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public static let unsupportedAlgorithm = DNSSECError(.unsupportedAlgorithm, "")
    public static let malformedKey = DNSSECError(.malformedKey, "")
    public static let malformedSignature = DNSSECError(.malformedSignature, "")
    public static let keyMismatch = DNSSECError(.keyMismatch, "")
    public static let signatureExpired = DNSSECError(.signatureExpired, "")
    public static let signatureNotYetValid = DNSSECError(.signatureNotYetValid, "")
    public static let badSignature = DNSSECError(.badSignature, "")
    public static let signingFailed = DNSSECError(.signingFailed, "")
    public static let keyFile = DNSSECError(.keyFile, "")
    public static let zone = DNSSECError(.zone, "")

    public static func == (a: DNSSECError, b: DNSSECError) -> Bool { a.code == b.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String { self.detail }
}
