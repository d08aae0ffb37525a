// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Who may change what in one zone by dynamic update (RFC 2136 §3.3), in the
/// manner of BIND's `update-policy` and Knot's ACLs.
///
/// A zone without rules refuses every update (REFUSED), as BIND does
/// without `allow-update`. A request is allowed to change a record when one
/// rule matches its requester (the TSIG key it was signed with, or the
/// address it came from), the record's owner, and the record's type.
public struct UpdatePolicy: Sendable, Hashable {
    /// The rules; any one that matches allows the change.
    public var rules: [UpdateRule]

    /// A policy with `rules` (empty: updates refused).
    public init(rules: [UpdateRule] = []) { self.rules = rules }

    /// True when some rule could allow `requester` anything: requests from
    /// anyone else are refused before their prerequisites are looked at, so
    /// they learn nothing about the zone (as BIND answers them).
    public func admits(_ requester: UpdateRequester) -> Bool {
        self.rules.contains { $0.identity.matches(requester) }
    }

    /// True when `requester` may change records of `type` at `name`.
    public func allows(_ requester: UpdateRequester, name: DomainName, type: RecordType) -> Bool {
        self.rules.contains { $0.identity.matches(requester) && $0.matches(name: name) && $0.matches(type: type) }
    }
}

/// Who sent an update.
public struct UpdateRequester: Sendable, Hashable {
    /// The client's address.
    public var address: ClientIP
    /// The TSIG key the request was signed with and verified (RFC 8945), nil when unsigned.
    public var keyName: DomainName?

    public init(address: ClientIP, keyName: DomainName? = nil) {
        self.address = address
        self.keyName = keyName
    }
}

/// One rule of an ``UpdatePolicy``.
public struct UpdateRule: Sendable, Hashable {
    /// Who the rule is for.
    public enum Identity: Sendable, Hashable {
        /// Requests signed with this TSIG key.
        case key(DomainName)
        /// Requests from this network, signed or not (BIND's `allow-update { ADDRESS; }`).
        case address(AddressPrefix)

        func matches(_ requester: UpdateRequester) -> Bool {
            switch self {
            case .key(let name): return requester.keyName == name
            case .address(let prefix): return prefix.contains(requester.address)
            }
        }
    }

    /// A set of owner names.
    public enum NamePattern: Sendable, Hashable {
        /// This name only (BIND `name`).
        case exact(DomainName)
        /// Names strictly below this one, written `*.sub` (BIND `wildcard`).
        case below(DomainName)

        /// `"host.example.org"` or `"*.dyn.example.org"`, relative to nothing (absolute).
        public init?(_ text: String) {
            let wildcard = text.hasPrefix("*.")
            let rest = wildcard ? String(text.dropFirst(2)) : text
            guard let name = try? DomainName(rest.hasSuffix(".") ? rest : rest + ".", origin: .root) else { return nil }
            self = wildcard ? .below(name) : .exact(name)
        }

        func matches(_ name: DomainName) -> Bool {
            switch self {
            case .exact(let n): return name == n
            case .below(let n): return name != n && name.isSubdomain(of: n)
            }
        }
    }

    public var identity: Identity
    /// Owner names the rule covers; empty means every name of the zone (BIND `zonesub`).
    public var names: [NamePattern]
    /// Types the rule covers. Empty means every type but SOA, NS and the
    /// DNSSEC types RRSIG, NSEC, NSEC3 (BIND's default for an empty type
    /// list); `ANY` in the list means every type but the DNSSEC ones.
    public var types: [RecordType]

    public init(identity: Identity, names: [NamePattern] = [], types: [RecordType] = []) {
        self.identity = identity
        self.names = names
        self.types = types
    }

    func matches(name: DomainName) -> Bool {
        self.names.isEmpty || self.names.contains { $0.matches(name) }
    }

    func matches(type: RecordType) -> Bool {
        if UpdateProcessor.dnssecTypes.contains(type) { return false }
        if self.types.isEmpty { return type != .soa && type != .ns }
        return self.types.contains(type) || self.types.contains(.any)
    }
}

/// A network: an address and a prefix length (`192.0.2.0/24`, `2001:db8::/32`).
public struct AddressPrefix: Sendable, Hashable, CustomStringConvertible {
    public var network: ClientIP
    public var length: Int

    /// `ADDRESS/LENGTH`, or an address alone (the whole address).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = ClientIP(String(parts[0])) else { return nil }
        let maxLength = address.isIPv4 ? 32 : 128
        var length = maxLength
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...maxLength).contains(n) else { return nil }
            length = n
        }
        self.network = address.masked(prefixLength: length)
        self.length = length
    }

    /// True when `address` is in the network (an IPv4 prefix never holds an IPv6 address).
    public func contains(_ address: ClientIP) -> Bool {
        address.isIPv4 == self.network.isIPv4 && address.masked(prefixLength: self.length) == self.network
    }

    public var description: String { "\(self.network)/\(self.length)" }
}
