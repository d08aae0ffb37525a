// SPDX-License-Identifier: Apache-2.0

/// A response code: the 4 header bits, extended to 12 bits by EDNS (RFC 6891 §6.1.3).
/// Open set: unknown values round-trip.
public struct RCode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let noError = RCode(0)
    public static let formErr = RCode(1)
    public static let servFail = RCode(2)
    public static let nxDomain = RCode(3)
    public static let notImp = RCode(4)
    public static let refused = RCode(5)
    public static let yxDomain = RCode(6)
    public static let yxRRSet = RCode(7)
    public static let nxRRSet = RCode(8)
    public static let notAuth = RCode(9)
    public static let notZone = RCode(10)
    public static let dsoTypeNI = RCode(11)
    /// RFC 6891: BADVERS (16) in the OPT record; BADSIG shares the value in TSIG (RFC 8945).
    public static let badVers = RCode(16)
    public static let badKey = RCode(17)
    public static let badTime = RCode(18)
    public static let badMode = RCode(19)
    public static let badName = RCode(20)
    public static let badAlg = RCode(21)
    public static let badTrunc = RCode(22)
    public static let badCookie = RCode(23)

    public var mnemonic: String? {
        switch self.rawValue {
        case 0: "NOERROR"
        case 1: "FORMERR"
        case 2: "SERVFAIL"
        case 3: "NXDOMAIN"
        case 4: "NOTIMP"
        case 5: "REFUSED"
        case 6: "YXDOMAIN"
        case 7: "YXRRSET"
        case 8: "NXRRSET"
        case 9: "NOTAUTH"
        case 10: "NOTZONE"
        case 11: "DSOTYPENI"
        case 16: "BADVERS"
        case 17: "BADKEY"
        case 18: "BADTIME"
        case 19: "BADMODE"
        case 20: "BADNAME"
        case 21: "BADALG"
        case 22: "BADTRUNC"
        case 23: "BADCOOKIE"
        default: nil
        }
    }
}

extension RCode: CustomStringConvertible {
    public var description: String { self.mnemonic ?? "RCODE\(self.rawValue)" }
}

/// A header OPCODE (RFC 1035 §4.1.1). Open set.
public struct Opcode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }
    @inlinable public init(_ rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    public static let query = Opcode(0)
    public static let iquery = Opcode(1)
    public static let status = Opcode(2)
    public static let notify = Opcode(4)
    public static let update = Opcode(5)
    public static let dso = Opcode(6)

    public var mnemonic: String? {
        switch self.rawValue {
        case 0: "QUERY"
        case 1: "IQUERY"
        case 2: "STATUS"
        case 4: "NOTIFY"
        case 5: "UPDATE"
        case 6: "DSO"
        default: nil
        }
    }
}

extension Opcode: CustomStringConvertible {
    public var description: String { self.mnemonic ?? "OPCODE\(self.rawValue)" }
}
