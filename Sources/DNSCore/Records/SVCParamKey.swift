// SPDX-License-Identifier: Apache-2.0

/// A SvcParamKey of SVCB and HTTPS records (RFC 9460 §14.3, IANA "DNS SVCB
/// Service Parameter Keys" registry): an open set of 16-bit codes.
///
/// Unknown keys are written `keyNNNNN` in presentation format (RFC 9460 §2.1).
public struct SVCParamKey: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// Keys that must be understood for the RR to be usable (RFC 9460 §8).
    public static let mandatory = SVCParamKey(0)
    /// Additional supported ALPN protocol ids (RFC 9460 §7.1).
    public static let alpn = SVCParamKey(1)
    /// The default ALPN is not supported (RFC 9460 §7.1); the value is empty.
    public static let noDefaultALPN = SVCParamKey(2)
    /// Alternative TCP/UDP port (RFC 9460 §7.2).
    public static let port = SVCParamKey(3)
    /// IPv4 address hints (RFC 9460 §7.3).
    public static let ipv4hint = SVCParamKey(4)
    /// Encrypted ClientHello ECHConfigList (RFC 9460 §14.3.2, RFC 9848).
    public static let ech = SVCParamKey(5)
    /// IPv6 address hints (RFC 9460 §7.3).
    public static let ipv6hint = SVCParamKey(6)
    /// DNS over HTTPS URI template path (RFC 9461 §5).
    public static let dohpath = SVCParamKey(7)
    /// Oblivious HTTP gateway support (RFC 9540 §4); the value is empty.
    public static let ohttp = SVCParamKey(8)
    /// Reserved, "Invalid key" (RFC 9460 §14.3.2); still presentable as `key65535`.
    public static let invalid = SVCParamKey(65535)

    static let mnemonics: [(SVCParamKey, String)] = [
        (.mandatory, "mandatory"), (.alpn, "alpn"), (.noDefaultALPN, "no-default-alpn"), (.port, "port"),
        (.ipv4hint, "ipv4hint"), (.ech, "ech"), (.ipv6hint, "ipv6hint"), (.dohpath, "dohpath"), (.ohttp, "ohttp"),
    ]

    /// The registered mnemonic (`alpn`, `dohpath`, …), or `keyNNNNN`.
    public var description: String {
        for (key, name) in Self.mnemonics where key == self { return name }
        return "key\(self.rawValue)"
    }

    /// The name used in SVCB presentation output. BIND 9.18 (`named-checkzone -D`)
    /// prints mnemonics only for the RFC 9460 keys 0–6 and `keyNNNNN` for the
    /// rest (it prints `key7="/dns-query{?dns}"` for dohpath); interop tests
    /// compare with it, so the output follows it. Both forms are accepted on input.
    public var presentationName: String {
        self.rawValue <= 6 ? self.description : "key\(self.rawValue)"
    }

    /// Parses a mnemonic or `keyNNNNN` (RFC 9460 §2.1: lower case, decimal
    /// without leading zeros, at most 65535). Returns nil otherwise.
    public init?(parsing text: some Collection<UInt8>) {
        for (key, name) in Self.mnemonics where text.elementsEqual(name.utf8) {
            self = key
            return
        }
        guard text.count > 3, text.starts(with: "key".utf8) else { return nil }
        let digits = text.dropFirst(3)
        if digits.count > 1, digits.first == UInt8(ascii: "0") { return nil }
        guard let value = parseDecimal(digits), value <= UInt64(UInt16.max) else { return nil }
        self.rawValue = UInt16(value)
    }

    public init?(_ text: String) { self.init(parsing: Array(text.utf8)) }

    public static func < (lhs: SVCParamKey, rhs: SVCParamKey) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One SvcParam: a key and its value in wire form (RFC 9460 §2.2).
///
/// The value of a known key is checked against its wire rules when an
/// ``RDATA/SVCB`` is built, decoded or parsed.
public struct SVCParam: Hashable, Sendable {
    public var key: SVCParamKey
    /// The SvcParamValue octets as on the wire (without the length).
    public var value: [UInt8]

    public init(key: SVCParamKey, value: [UInt8]) {
        self.key = key
        self.value = value
    }

    /// `alpn` from protocol ids (RFC 9460 §7.1.1: each 1–255 octets).
    public static func alpn(_ ids: [String]) -> SVCParam {
        var value: [UInt8] = []
        for id in ids {
            let bytes = Array(id.utf8)
            value.append(UInt8(truncatingIfNeeded: bytes.count))
            value.append(contentsOf: bytes)
        }
        return SVCParam(key: .alpn, value: value)
    }

    /// `port` (RFC 9460 §7.2).
    public static func port(_ port: UInt16) -> SVCParam {
        SVCParam(key: .port, value: [UInt8(port >> 8), UInt8(port & 0xFF)])
    }

    /// `ipv4hint` (RFC 9460 §7.3).
    public static func ipv4hint(_ addresses: [IPv4Address]) -> SVCParam {
        SVCParam(key: .ipv4hint, value: addresses.flatMap(\.bytes))
    }

    /// `ipv6hint` (RFC 9460 §7.3).
    public static func ipv6hint(_ addresses: [IPv6Address]) -> SVCParam {
        SVCParam(key: .ipv6hint, value: addresses.flatMap(\.bytes))
    }

    /// `mandatory` (RFC 9460 §8): the keys are sorted here as the wire form requires.
    public static func mandatory(_ keys: [SVCParamKey]) -> SVCParam {
        SVCParam(
            key: .mandatory, value: keys.sorted().flatMap { [UInt8($0.rawValue >> 8), UInt8($0.rawValue & 0xFF)] })
    }

    /// `no-default-alpn` (RFC 9460 §7.1), with its empty value.
    public static let noDefaultALPN = SVCParam(key: .noDefaultALPN, value: [])

    /// Why `value` is not a valid wire value for `key`, or nil when it is.
    ///
    /// RFC 9460 §7 and §8 (and RFC 9461 §5, RFC 9540 §4): mandatory is a
    /// non-empty list of 2-octet keys in strictly increasing order without
    /// `mandatory` itself; alpn a non-empty list of 1–255-octet ids;
    /// no-default-alpn and ohttp empty; port 2 octets; ipv4hint and ipv6hint
    /// non-empty multiples of 4 and 16 octets; dohpath UTF-8.
    public static func problem(key: SVCParamKey, value v: [UInt8]) -> String? {
        switch key {
        case .mandatory:
            guard !v.isEmpty, v.count % 2 == 0 else { return "mandatory must be a non-empty list of 2-octet keys" }
            var previous: Int = -1
            for i in stride(from: 0, to: v.count, by: 2) {
                let k = Int(v[i]) << 8 | Int(v[i + 1])
                guard k != 0 else { return "mandatory must not list mandatory" }
                guard k > previous else { return "mandatory keys must be in strictly increasing order" }
                previous = k
            }
            return nil
        case .alpn:
            guard !v.isEmpty else { return "alpn must not be empty" }
            var i = 0
            while i < v.count {
                let length = Int(v[i])
                guard length > 0 else { return "empty alpn protocol id" }
                guard i + 1 + length <= v.count else { return "alpn protocol id runs past the value" }
                i += 1 + length
            }
            return nil
        case .noDefaultALPN, .ohttp:
            return v.isEmpty ? nil : "\(key) must have an empty value"
        case .port:
            return v.count == 2 ? nil : "port must be 2 octets"
        case .ipv4hint:
            return !v.isEmpty && v.count % 4 == 0 ? nil : "ipv4hint must be a non-empty multiple of 4 octets"
        case .ipv6hint:
            return !v.isEmpty && v.count % 16 == 0 ? nil : "ipv6hint must be a non-empty multiple of 16 octets"
        case .dohpath:
            return validUTF8(v) ? nil : "dohpath must be UTF-8"
        default:
            return nil
        }
    }
}

private func validUTF8(_ bytes: [UInt8]) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}
