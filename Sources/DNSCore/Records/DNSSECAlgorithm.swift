// SPDX-License-Identifier: Apache-2.0

/// A DNSSEC algorithm number (RFC 4034 Appendix A.1, IANA "DNS Security
/// Algorithm Numbers"), as DNSKEY, RRSIG and DS carry it. Open set: unknown
/// values round-trip.
///
/// Presentation output is always the number, as BIND prints it; input takes
/// the number or a mnemonic (RFC 4034 §2.2, §3.2, §5.3).
public struct DNSSECAlgorithm: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let rsaMD5 = DNSSECAlgorithm(1)
    public static let dh = DNSSECAlgorithm(2)
    public static let dsa = DNSSECAlgorithm(3)
    public static let rsaSHA1 = DNSSECAlgorithm(5)
    public static let dsaNSEC3SHA1 = DNSSECAlgorithm(6)
    public static let rsaSHA1NSEC3SHA1 = DNSSECAlgorithm(7)
    public static let rsaSHA256 = DNSSECAlgorithm(8)
    public static let rsaSHA512 = DNSSECAlgorithm(10)
    public static let eccGOST = DNSSECAlgorithm(12)
    public static let ecdsaP256SHA256 = DNSSECAlgorithm(13)
    public static let ecdsaP384SHA384 = DNSSECAlgorithm(14)
    public static let ed25519 = DNSSECAlgorithm(15)
    public static let ed448 = DNSSECAlgorithm(16)
    public static let indirect = DNSSECAlgorithm(252)
    public static let privateDNS = DNSSECAlgorithm(253)
    public static let privateOID = DNSSECAlgorithm(254)

    /// IANA mnemonics, plus the spellings BIND accepts (`NSEC3DSA`, `NSEC3RSASHA1`, `ECCGOST`).
    static let byMnemonic: [String: DNSSECAlgorithm] = [
        "RSAMD5": .rsaMD5, "DH": .dh, "DSA": .dsa, "RSASHA1": .rsaSHA1,
        "DSA-NSEC3-SHA1": .dsaNSEC3SHA1, "NSEC3DSA": .dsaNSEC3SHA1,
        "RSASHA1-NSEC3-SHA1": .rsaSHA1NSEC3SHA1, "NSEC3RSASHA1": .rsaSHA1NSEC3SHA1,
        "RSASHA256": .rsaSHA256, "RSASHA512": .rsaSHA512, "ECC-GOST": .eccGOST, "ECCGOST": .eccGOST,
        "ECDSAP256SHA256": .ecdsaP256SHA256, "ECDSAP384SHA384": .ecdsaP384SHA384,
        "ED25519": .ed25519, "ED448": .ed448,
        "INDIRECT": .indirect, "PRIVATEDNS": .privateDNS, "PRIVATEOID": .privateOID,
    ]

    /// Parses a decimal number (0–255) or a mnemonic, case-insensitively.
    public init?(presentation text: some Collection<UInt8>) {
        if let n = parseDecimal(text) {
            guard n <= 255 else { return nil }
            self.init(UInt8(n))
            return
        }
        guard let value = Self.byMnemonic[asciiUppercased(text)] else { return nil }
        self = value
    }
}

extension DNSSECAlgorithm: CustomStringConvertible {
    /// The number, as it appears in presentation form.
    public var description: String { String(self.rawValue) }
}

/// A DS digest type (RFC 4034 §5.1.3, IANA "Digest Algorithms"). Open set.
public struct DSDigestType: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    @inlinable public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// RFC 3658.
    public static let sha1 = DSDigestType(1)
    /// RFC 4509.
    public static let sha256 = DSDigestType(2)
    /// RFC 5933 (GOST R 34.11-94).
    public static let gost = DSDigestType(3)
    /// RFC 6605.
    public static let sha384 = DSDigestType(4)

    /// The digest length in octets for the types whose length is known.
    /// BIND refuses a DS of these types with any other length.
    public var digestLength: Int? {
        switch self.rawValue {
        case 1: 20
        case 2, 3: 32
        case 4: 48
        default: nil
        }
    }

    static let byMnemonic: [String: DSDigestType] = [
        "SHA-1": .sha1, "SHA1": .sha1, "SHA-256": .sha256, "SHA256": .sha256,
        "GOST": .gost, "SHA-384": .sha384, "SHA384": .sha384,
    ]

    /// Parses a decimal number (0–255) or a mnemonic as BIND accepts (`SHA-256`).
    public init?(presentation text: some Collection<UInt8>) {
        if let n = parseDecimal(text) {
            guard n <= 255 else { return nil }
            self.init(UInt8(n))
            return
        }
        guard let value = Self.byMnemonic[asciiUppercased(text)] else { return nil }
        self = value
    }
}

extension DSDigestType: CustomStringConvertible {
    public var description: String { String(self.rawValue) }
}

/// `text` upper-cased (ASCII only; other octets make it unmatchable), at most 32 octets.
func asciiUppercased(_ text: some Collection<UInt8>) -> String {
    guard text.count <= 32 else { return "" }
    var out: [UInt8] = []
    out.reserveCapacity(text.count)
    for c in text {
        guard c < 0x80 else { return "" }
        out.append((c &- 0x61) < 26 ? c - 0x20 : c)
    }
    return String(decoding: out, as: UTF8.self)
}

extension RDATAScanner {
    /// A DNSSEC algorithm: number or mnemonic.
    public mutating func dnssecAlgorithm(_ what: String) throws(PresentationError) -> DNSSECAlgorithm {
        let token = try self.next(what)
        guard let value = DNSSECAlgorithm(presentation: self.text(token)) else {
            throw self.error(
                "bad \(what) '\(self.string(token))' (0 to 255 or a mnemonic such as RSASHA256)",
                at: token
            )
        }
        return value
    }

    /// Base64 filling the rest of the RDATA, at least one octet.
    mutating func nonEmptyBase64Remaining(_ what: String) throws(PresentationError) -> [UInt8] {
        let first = self.peek()
        let bytes = try self.base64Remaining(what)
        guard !bytes.isEmpty else { throw self.error("empty \(what)", at: first) }
        return bytes
    }

    /// Hex filling the rest of the RDATA (whitespace allowed), at least one octet.
    mutating func nonEmptyHexRemaining(_ what: String) throws(PresentationError) -> [UInt8] {
        let first = self.peek()
        let bytes = try self.hexRemaining(what)
        guard !bytes.isEmpty else { throw self.error("empty \(what)", at: first) }
        return bytes
    }
}
