// SPDX-License-Identifier: Apache-2.0

/// A resource record TYPE (RFC 1035 §3.2.2). An open set: any 16-bit value
/// round-trips, printed as `TYPEnnn` when it has no mnemonic (RFC 3597 §5).
public struct RecordType: RawRepresentable, Hashable, Sendable, Comparable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt16) { self.rawValue = rawValue }
    public static func < (lhs: RecordType, rhs: RecordType) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let a = RecordType(1)
    public static let ns = RecordType(2)
    public static let md = RecordType(3)
    public static let mf = RecordType(4)
    public static let cname = RecordType(5)
    public static let soa = RecordType(6)
    public static let mb = RecordType(7)
    public static let mg = RecordType(8)
    public static let mr = RecordType(9)
    public static let null = RecordType(10)
    public static let wks = RecordType(11)
    public static let ptr = RecordType(12)
    public static let hinfo = RecordType(13)
    public static let minfo = RecordType(14)
    public static let mx = RecordType(15)
    public static let txt = RecordType(16)
    public static let rp = RecordType(17)
    public static let afsdb = RecordType(18)
    public static let x25 = RecordType(19)
    public static let isdn = RecordType(20)
    public static let rt = RecordType(21)
    public static let nsap = RecordType(22)
    public static let sig = RecordType(24)
    public static let key = RecordType(25)
    public static let px = RecordType(26)
    public static let gpos = RecordType(27)
    public static let aaaa = RecordType(28)
    public static let loc = RecordType(29)
    public static let nxt = RecordType(30)
    public static let srv = RecordType(33)
    public static let naptr = RecordType(35)
    public static let kx = RecordType(36)
    public static let cert = RecordType(37)
    public static let a6 = RecordType(38)
    public static let dname = RecordType(39)
    public static let opt = RecordType(41)
    public static let apl = RecordType(42)
    public static let ds = RecordType(43)
    public static let sshfp = RecordType(44)
    public static let ipseckey = RecordType(45)
    public static let rrsig = RecordType(46)
    public static let nsec = RecordType(47)
    public static let dnskey = RecordType(48)
    public static let dhcid = RecordType(49)
    public static let nsec3 = RecordType(50)
    public static let nsec3param = RecordType(51)
    public static let tlsa = RecordType(52)
    public static let smimea = RecordType(53)
    public static let hip = RecordType(55)
    public static let cds = RecordType(59)
    public static let cdnskey = RecordType(60)
    public static let openpgpkey = RecordType(61)
    public static let csync = RecordType(62)
    public static let zonemd = RecordType(63)
    public static let svcb = RecordType(64)
    public static let https = RecordType(65)
    public static let spf = RecordType(99)
    public static let nid = RecordType(104)
    public static let l32 = RecordType(105)
    public static let l64 = RecordType(106)
    public static let lp = RecordType(107)
    public static let eui48 = RecordType(108)
    public static let eui64 = RecordType(109)
    public static let tkey = RecordType(249)
    public static let tsig = RecordType(250)
    public static let ixfr = RecordType(251)
    public static let axfr = RecordType(252)
    public static let mailb = RecordType(253)
    public static let maila = RecordType(254)
    public static let any = RecordType(255)
    public static let uri = RecordType(256)
    public static let caa = RecordType(257)

    /// Mnemonics as IANA lists them.
    static let mnemonics: [(RecordType, String)] = [
        (.a, "A"), (.ns, "NS"), (.md, "MD"), (.mf, "MF"), (.cname, "CNAME"), (.soa, "SOA"), (.mb, "MB"),
        (.mg, "MG"), (.mr, "MR"), (.null, "NULL"), (.wks, "WKS"), (.ptr, "PTR"), (.hinfo, "HINFO"),
        (.minfo, "MINFO"), (.mx, "MX"), (.txt, "TXT"), (.rp, "RP"), (.afsdb, "AFSDB"), (.x25, "X25"),
        (.isdn, "ISDN"), (.rt, "RT"), (.nsap, "NSAP"), (.sig, "SIG"), (.key, "KEY"), (.px, "PX"),
        (.gpos, "GPOS"), (.aaaa, "AAAA"), (.loc, "LOC"), (.nxt, "NXT"), (.srv, "SRV"), (.naptr, "NAPTR"),
        (.kx, "KX"), (.cert, "CERT"), (.a6, "A6"), (.dname, "DNAME"), (.opt, "OPT"), (.apl, "APL"),
        (.ds, "DS"), (.sshfp, "SSHFP"), (.ipseckey, "IPSECKEY"), (.rrsig, "RRSIG"), (.nsec, "NSEC"),
        (.dnskey, "DNSKEY"), (.dhcid, "DHCID"), (.nsec3, "NSEC3"), (.nsec3param, "NSEC3PARAM"),
        (.tlsa, "TLSA"), (.smimea, "SMIMEA"), (.hip, "HIP"), (.cds, "CDS"), (.cdnskey, "CDNSKEY"),
        (.openpgpkey, "OPENPGPKEY"), (.csync, "CSYNC"), (.zonemd, "ZONEMD"), (.svcb, "SVCB"),
        (.https, "HTTPS"), (.spf, "SPF"), (.nid, "NID"), (.l32, "L32"), (.l64, "L64"), (.lp, "LP"),
        (.eui48, "EUI48"), (.eui64, "EUI64"), (.tkey, "TKEY"), (.tsig, "TSIG"), (.ixfr, "IXFR"),
        (.axfr, "AXFR"), (.mailb, "MAILB"), (.maila, "MAILA"), (.any, "ANY"), (.uri, "URI"), (.caa, "CAA"),
    ]
    private static let byValue: [UInt16: String] = Dictionary(
        uniqueKeysWithValues: mnemonics.map { ($0.0.rawValue, $0.1) })
    private static let byName: [String: RecordType] = Dictionary(
        uniqueKeysWithValues: mnemonics.map { ($0.1, $0.0) })

    /// The IANA mnemonic, or nil when the type has none.
    public var mnemonic: String? { Self.byValue[self.rawValue] }

    /// Parses `MX`, `mx` or `TYPE15` (RFC 3597 §5).
    public init?(mnemonic text: some Collection<UInt8>) {
        guard let value = parseMnemonic(text, prefix: "TYPE", table: Self.byName) else { return nil }
        self = value
    }

    public init?(_ text: String) { self.init(mnemonic: Array(text.utf8)) }
}

extension RecordType: CustomStringConvertible {
    public var description: String { self.mnemonic ?? "TYPE\(self.rawValue)" }
}

/// Looks `text` up case-insensitively in `table`, or parses `PREFIXnnn`.
func parseMnemonic<T: RawRepresentable>(
    _ text: some Collection<UInt8>, prefix: String, table: [String: T]
) -> T? where T.RawValue == UInt16 {
    guard !text.isEmpty, text.count <= 16 else { return nil }
    var upper = ""
    upper.reserveCapacity(text.count)
    for c in text {
        guard c < 0x80 else { return nil }
        upper.unicodeScalars.append(Unicode.Scalar((c &- 0x61) < 26 ? c - 0x20 : c))
    }
    if let value = table[upper] { return value }
    guard upper.hasPrefix(prefix) else { return nil }
    let digits = upper.dropFirst(prefix.count)
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt16(digits) else {
        return nil
    }
    return T(rawValue: n)
}

/// A record CLASS (RFC 1035 §3.2.4). Open set; `CLASSnnn` for unnamed values.
public struct DNSClass: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let `in` = DNSClass(1)
    public static let cs = DNSClass(2)
    public static let ch = DNSClass(3)
    public static let hs = DNSClass(4)
    /// RFC 2136 §2.4: NONE, used in UPDATE.
    public static let none = DNSClass(254)
    public static let any = DNSClass(255)

    private static let byName: [String: DNSClass] = [
        "IN": .in, "CS": .cs, "CH": .ch, "HS": .hs, "NONE": .none, "ANY": .any,
    ]

    public var mnemonic: String? {
        switch self.rawValue {
        case 1: "IN"
        case 2: "CS"
        case 3: "CH"
        case 4: "HS"
        case 254: "NONE"
        case 255: "ANY"
        default: nil
        }
    }

    public init?(mnemonic text: some Collection<UInt8>) {
        guard let value = parseMnemonic(text, prefix: "CLASS", table: Self.byName) else { return nil }
        self = value
    }
}

extension DNSClass: CustomStringConvertible {
    public var description: String { self.mnemonic ?? "CLASS\(self.rawValue)" }
}
