// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// A TSIG MAC algorithm (RFC 8945 §6), named on the wire by a domain name.
///
/// hmac-sha256 is the default (RFC 8945 §6: "REQUIRED"); hmac-md5 is kept for
/// old peers only. There is no hmac-sha224: swift-crypto has no SHA-224.
public struct TSIGAlgorithm: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case md5, sha1, sha256, sha384, sha512
    }
    let kind: Kind

    private init(kind: Kind) { self.kind = kind }

    public static let hmacSHA256 = TSIGAlgorithm(kind: .sha256)
    public static let hmacSHA384 = TSIGAlgorithm(kind: .sha384)
    public static let hmacSHA512 = TSIGAlgorithm(kind: .sha512)
    public static let hmacSHA1 = TSIGAlgorithm(kind: .sha1)
    /// `HMAC-MD5.SIG-ALG.REG.INT.` (RFC 8945 §6; RFC 6151 deprecates it).
    public static let hmacMD5 = TSIGAlgorithm(kind: .md5)

    /// Every algorithm hanon implements, default first.
    public static let all: [TSIGAlgorithm] = [.hmacSHA256, .hmacSHA384, .hmacSHA512, .hmacSHA1, .hmacMD5]

    /// The short name used in configs and by `dig -y` / `tsig-keygen`: `hmac-sha256`, `hmac-md5`.
    public var mnemonic: String {
        switch self.kind {
        case .md5: "hmac-md5"
        case .sha1: "hmac-sha1"
        case .sha256: "hmac-sha256"
        case .sha384: "hmac-sha384"
        case .sha512: "hmac-sha512"
        }
    }

    public var description: String { self.mnemonic }

    /// The algorithm's name in TSIG RDATA (RFC 8945 §6), lower case.
    public var name: DomainName {
        let text = self.kind == .md5 ? "hmac-md5.sig-alg.reg.int." : self.mnemonic + "."
        // The names are constant and valid.
        return (try? DomainName(text, origin: .root)) ?? .root
    }

    /// Octets of the full MAC (the hash's output length).
    public var macSize: Int {
        switch self.kind {
        case .md5: 16
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The shortest MAC a receiver accepts (RFC 8945 §5.2.2.1 rule 3): the
    /// larger of 10 octets and half the hash length.
    public var minimumMACSize: Int { max(10, self.macSize / 2) }

    /// The algorithm a TSIG RDATA names (case-insensitive), nil when hanon does not implement it.
    public init?(name: DomainName) {
        guard let found = Self.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// The algorithm for a mnemonic (`hmac-sha256`, case-insensitive; the
    /// wire name `hmac-md5.sig-alg.reg.int` is accepted too).
    public init?(mnemonic: String) {
        var text = mnemonic.lowercased()
        if text.hasSuffix(".") { text.removeLast() }
        if text == "hmac-md5.sig-alg.reg.int" { text = "hmac-md5" }
        guard let found = Self.all.first(where: { $0.mnemonic == text }) else { return nil }
        self = found
    }
}
