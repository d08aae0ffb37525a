// SPDX-License-Identifier: Apache-2.0

/// An error decoding or encoding DNS wire format.
///
/// Only ``code`` takes part in `==`, so tests can write
/// `#expect(throws: DNSWireError.truncated) { ... }`; ``offset`` and ``detail``
/// say where and why for people.
public struct DNSWireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an open set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: Hashable, Sendable {
            case truncated
            case badPointer
            case pointerLoop
            case badLabelType
            case labelTooLong
            case nameTooLong
            case rdataLengthMismatch
            case badFixedLength
            case badValue
            case trailingData
            case tooManyRecords
            case messageTooLarge
        }
        fileprivate let base: Base
        public var description: String { "\(self.base)" }
    }

    public let code: Code
    /// Offset in the message where the problem was found.
    public let offset: Int
    public let detail: String

    public init(_ code: Code, offset: Int, _ detail: String = "") {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public static func == (lhs: DNSWireError, rhs: DNSWireError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String {
        self.detail.isEmpty
            ? "\(self.code) at offset \(self.offset)" : "\(self.code) at offset \(self.offset): \(self.detail)"
    }
}

extension DNSWireError {
    /// The message ends before the field being read.
    public static let truncated = DNSWireError(Code(base: .truncated), offset: -1)
    /// A compression pointer that does not point strictly backwards, or out of the message.
    public static let badPointer = DNSWireError(Code(base: .badPointer), offset: -1)
    /// Too many compression pointers in one name.
    public static let pointerLoop = DNSWireError(Code(base: .pointerLoop), offset: -1)
    /// A label type other than normal or pointer (RFC 6891 §5 deprecated extended labels).
    public static let badLabelType = DNSWireError(Code(base: .badLabelType), offset: -1)
    /// A label over 63 octets.
    public static let labelTooLong = DNSWireError(Code(base: .labelTooLong), offset: -1)
    /// A name over 255 octets (RFC 1035 §2.3.4).
    public static let nameTooLong = DNSWireError(Code(base: .nameTooLong), offset: -1)
    /// RDATA that does not fill exactly its RDLENGTH, or RDLENGTH past the end.
    public static let rdataLengthMismatch = DNSWireError(Code(base: .rdataLengthMismatch), offset: -1)
    /// RDATA of a fixed-length type (A, AAAA, …) with the wrong length.
    public static let badFixedLength = DNSWireError(Code(base: .badFixedLength), offset: -1)
    /// A field value the format does not allow.
    public static let badValue = DNSWireError(Code(base: .badValue), offset: -1)
    /// Bytes after the last section.
    public static let trailingData = DNSWireError(Code(base: .trailingData), offset: -1)
    /// More records than the limits allow.
    public static let tooManyRecords = DNSWireError(Code(base: .tooManyRecords), offset: -1)
    /// A message that does not fit the size limit.
    public static let messageTooLarge = DNSWireError(Code(base: .messageTooLarge), offset: -1)

    /// The same error code at a given offset with a detail.
    @inline(never)
    public func at(_ offset: Int, _ detail: String = "") -> DNSWireError {
        DNSWireError(self.code, offset: offset, detail)
    }
}
