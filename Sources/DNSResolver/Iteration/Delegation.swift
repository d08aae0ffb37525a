// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// A zone cut being iterated from: the zone, its name servers, and the
/// addresses known for them (RFC 1034 §5.3.3's SLIST).
struct Delegation: Sendable {
    var zone: DomainName
    var nsNames: [DomainName]
    var addresses: [DomainName: [SocketAddress]]
    /// NS names whose addresses were already looked up (or tried) for this cut.
    var resolvedNames: Set<DomainName> = []

    /// Every known address, in NS order.
    var allAddresses: [SocketAddress] {
        var seen = Set<SocketAddress>()
        var result: [SocketAddress] = []
        for name in self.nsNames {
            for address in self.addresses[name] ?? [] where seen.insert(address).inserted {
                result.append(address)
            }
        }
        return result
    }

    /// NS names with no known address yet, not yet looked up.
    var namesWithoutAddresses: [DomainName] {
        self.nsNames.filter { (self.addresses[$0] ?? []).isEmpty && !self.resolvedNames.contains($0) }
    }
}

/// The root servers (RFC 1034 §5.3.2's SBELT): built in, or read from a
/// root hints file (`named.root` format).
public struct RootHints: Sendable, Hashable {
    public var servers: [DomainName: [SocketAddress]]
    /// The NS names in file order.
    public var names: [DomainName]

    public init(servers: [(DomainName, [SocketAddress])]) {
        self.names = servers.map(\.0)
        var map: [DomainName: [SocketAddress]] = [:]
        for (name, addresses) in servers { map[name, default: []] += addresses }
        self.servers = map
    }

    /// Parses a hints file: `.  NS  name` and `name  A|AAAA  address`
    /// records in zone-file syntax (TTL and class optional, `;` comments).
    public init(parsing text: String) throws(RootHintsError) {
        var names: [DomainName] = []
        var addresses: [DomainName: [SocketAddress]] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard !fields.isEmpty else { continue }
            var rest = fields.dropFirst()
            if let f = rest.first, UInt32(f) != nil { rest = rest.dropFirst() }
            if let f = rest.first, f.uppercased() == "IN" { rest = rest.dropFirst() }
            guard rest.count == 2, let type = rest.first?.uppercased(), let value = rest.last else {
                throw RootHintsError("line \(number + 1): expected 'NAME [TTL] [IN] TYPE VALUE'")
            }
            let owner: DomainName
            do {
                owner = try DomainName(fields[0], origin: .root)
            } catch {
                throw RootHintsError("line \(number + 1): bad name '\(fields[0])'")
            }
            switch type {
            case "NS":
                guard owner.isRoot, let name = try? DomainName(value, origin: .root) else {
                    throw RootHintsError("line \(number + 1): NS must be '. NS name'")
                }
                if !names.contains(name) { names.append(name) }
            case "A", "AAAA":
                guard let address = try? SocketAddress(ipAddress: value, port: 53) else {
                    throw RootHintsError("line \(number + 1): bad address '\(value)'")
                }
                addresses[owner, default: []].append(address)
            default:
                throw RootHintsError("line \(number + 1): unexpected type \(type)")
            }
        }
        guard !names.isEmpty else { throw RootHintsError("no '. NS' record") }
        self.names = names
        self.servers = addresses.filter { names.contains($0.key) }
        guard !self.servers.isEmpty else { throw RootHintsError("no address for any root server") }
    }

    var delegation: Delegation {
        Delegation(zone: .root, nsNames: self.names, addresses: self.servers)
    }

    /// The real root servers (IANA's named.root, 2024), IPv4 and IPv6.
    public static let builtIn: RootHints = {
        let table: [(String, String, String)] = [
            ("a", "198.41.0.4", "2001:503:ba3e::2:30"), ("b", "170.247.170.2", "2801:1b8:10::b"),
            ("c", "192.33.4.12", "2001:500:2::c"), ("d", "199.7.91.13", "2001:500:2d::d"),
            ("e", "192.203.230.10", "2001:500:a8::e"), ("f", "192.5.5.241", "2001:500:2f::f"),
            ("g", "192.112.36.4", "2001:500:12::d0d"), ("h", "198.97.190.53", "2001:500:1::53"),
            ("i", "192.36.148.17", "2001:7fe::53"), ("j", "192.58.128.30", "2001:503:c27::2:30"),
            ("k", "193.0.14.129", "2001:7fd::1"), ("l", "199.7.83.42", "2001:500:9f::42"),
            ("m", "202.12.27.33", "2001:dc3::35"),
        ]
        var servers: [(DomainName, [SocketAddress])] = []
        for (letter, v4, v6) in table {
            guard let name = try? DomainName("\(letter).root-servers.net.", origin: .root) else { continue }
            let addresses = [v4, v6].compactMap { try? SocketAddress(ipAddress: $0, port: 53) }
            servers.append((name, addresses))
        }
        return RootHints(servers: servers)
    }()
}

/// A root hints file that cannot be used.
public struct RootHintsError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
