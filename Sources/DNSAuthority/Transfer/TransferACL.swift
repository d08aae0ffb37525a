// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Who may transfer a zone (`allow-transfer`): address prefixes and TSIG key
/// names. A request is allowed when its source address is inside one of the
/// prefixes, or when it was signed with one of the keys (the signature
/// already verified, RFC 8945 §5.2). Empty: nobody (the default, as NSD and
/// Knot; zone transfers expose every name of the zone).
public struct TransferACL: Sendable, Hashable {
    /// One entry of the list.
    public enum Entry: Sendable, Hashable, CustomStringConvertible {
        /// A network: the address with the host bits cleared, and the prefix length.
        case network(ClientIP, prefixLength: Int)
        /// A TSIG key name.
        case key(DomainName)

        /// `192.0.2.0/24`, `::1/128`, or `key:NAME`.
        public var description: String {
            switch self {
            case .network(let address, let length): "\(address)/\(length)"
            case .key(let name): "key:\(name)"
            }
        }
    }

    /// The entries, in configuration order.
    public var entries: [Entry]

    /// Nobody.
    public static let none = TransferACL(entries: [])

    /// An ACL of `entries`.
    public init(entries: [Entry]) { self.entries = entries }

    /// Parses `192.0.2.0/24`, `2001:db8::/32`, a bare address (a host: /32
    /// or /128) or `key:NAME`; nil for anything else (a prefix length out of
    /// range, host bits set are cleared).
    public static func entry(parsing text: String) -> Entry? {
        if text.hasPrefix("key:") {
            let name = String(text.dropFirst(4))
            guard !name.isEmpty, let parsed = try? DomainName(name.hasSuffix(".") ? name : name + ".", origin: .root)
            else { return nil }
            return .key(parsed)
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = ClientIP(String(parts[0])) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(parts[1]), value <= maximum
            else { return nil }
            length = value
        }
        return .network(address.masked(prefixLength: length), prefixLength: length)
    }

    /// True when a request from `client`, signed with `keyName` (nil:
    /// unsigned, or signed with a key that did not verify) may transfer.
    public func allows(client: ClientIP, keyName: DomainName?) -> Bool {
        for entry in self.entries {
            switch entry {
            case .network(let network, let length):
                if network.isIPv4 == client.isIPv4, client.masked(prefixLength: length) == network { return true }
            case .key(let name):
                if let keyName, keyName == name { return true }
            }
        }
        return false
    }
}
