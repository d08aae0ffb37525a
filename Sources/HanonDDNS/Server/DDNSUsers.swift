// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// A name pattern of a ``DDNSUser``: one name, or every name below one.
public enum DDNSNamePattern: Sendable, Hashable, CustomStringConvertible {
    case exact(DomainName)
    /// `*.zone.`: the names strictly below `zone.`.
    case below(DomainName)

    /// `home.example.org.` or `*.dyn.example.org.`; nil when not a valid name.
    public init?(_ text: String) {
        let wildcard = text.hasPrefix("*.")
        let body = wildcard ? String(text.dropFirst(2)) : text
        guard let name = try? DomainName(body.hasSuffix(".") ? body : body + ".", origin: .root), !name.isRoot
        else { return nil }
        self = wildcard ? .below(name) : .exact(name)
    }

    public func matches(_ name: DomainName) -> Bool {
        switch self {
        case .exact(let n): return name == n
        case .below(let n): return name != n && name.isSubdomain(of: n)
        }
    }

    public var description: String {
        switch self {
        case .exact(let n): return n.description
        case .below(let n): return "*." + n.description
        }
    }
}

/// An account of the dyndns2 endpoint: who it is, its password, and the
/// names it may change.
public struct DDNSUser: Sendable {
    public var name: String
    /// The password's bytes, compared in constant time (``DDNSUsers/constantTimeEquals(_:_:)``).
    var password: [UInt8]
    public var names: [DDNSNamePattern]

    public init(name: String, password: String, names: [DDNSNamePattern]) {
        self.name = name
        self.password = Array(password.utf8)
        self.names = names
    }

    /// True when `name` is one this user may update.
    public func mayUpdate(_ name: DomainName) -> Bool {
        self.names.contains { $0.matches(name) }
    }
}

/// The accounts of the endpoint, and HTTP Basic authentication (RFC 7617) against them.
public struct DDNSUsers: Sendable {
    private var byName: [[UInt8]: DDNSUser] = [:]

    public init(_ users: [DDNSUser]) {
        for user in users { self.byName[Array(user.name.utf8)] = user }
    }

    public var count: Int { self.byName.count }

    /// The user an `Authorization: Basic …` header value proves, or nil
    /// (no header, another scheme, bad base64, no colon, unknown user or
    /// wrong password — not told apart, so a client learns nothing).
    public func authenticate(_ authorization: String?) -> DDNSUser? {
        guard let authorization, let (user, password) = Self.basicCredentials(authorization) else { return nil }
        let found = self.byName[user]
        // An unknown user costs the same comparison as a known one.
        let expected = found?.password ?? Array(repeating: 0, count: password.count)
        let equal = Self.constantTimeEquals(expected, password)
        guard let found, equal else { return nil }
        return found
    }

    /// User name and password bytes of a Basic credential (RFC 7617 §2):
    /// `Basic base64(user ":" password)`; the scheme is case-insensitive.
    static func basicCredentials(_ header: String) -> ([UInt8], [UInt8])? {
        let bytes = Array(header.utf8)
        guard bytes.count > 6, bytes.count < 4096 else { return nil }
        let scheme = bytes[0..<5].map { $0 | 0x20 }
        guard scheme == Array("basic".utf8), bytes[5] == UInt8(ascii: " ") else { return nil }
        var token = bytes[6...].drop { $0 == UInt8(ascii: " ") }
        while let last = token.last, last == UInt8(ascii: " ") { token = token.dropLast() }
        guard let decoded = DDNSBase64.decode(token), let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else {
            return nil
        }
        return (Array(decoded[..<colon]), Array(decoded[(colon + 1)...]))
    }

    /// Compares two byte strings in time that depends on their lengths only,
    /// never on where they first differ.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        let length = max(a.count, b.count)
        for i in 0..<length {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

/// Base64 decoding (RFC 4648 §4), padding required to a multiple of 4.
enum DDNSBase64 {
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let chars = Array(text)
        guard chars.count % 4 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt32? {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): return 62
            case UInt8(ascii: "/"): return 63
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let isLast = i + 4 == chars.count
            let pad = isLast ? (chars[i + 3] == UInt8(ascii: "=") ? (chars[i + 2] == UInt8(ascii: "=") ? 2 : 1) : 0) : 0
            var group: UInt32 = 0
            for j in 0..<4 {
                let c = chars[i + j]
                if j >= 4 - pad {
                    group <<= 6
                    continue
                }
                guard let v = value(c) else { return nil }
                group = group << 6 | v
            }
            out.append(UInt8(truncatingIfNeeded: group >> 16))
            if pad < 2 { out.append(UInt8(truncatingIfNeeded: group >> 8)) }
            if pad < 1 { out.append(UInt8(truncatingIfNeeded: group)) }
            i += 4
        }
        return out
    }
}
