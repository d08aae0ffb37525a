// SPDX-License-Identifier: Apache-2.0

/// One `allow-update` entry of a `[[zone]]`: who may update which names and types (RFC 2136 §3.3).
public struct UpdateRuleConfig: Equatable, Sendable {
    /// Who the rule is for.
    public enum Identity: Equatable, Sendable {
        /// Requests signed with this TSIG key (absolute name, final dot).
        case key(String)
        /// Requests from this network, `ADDRESS/LENGTH`.
        case address(String)
    }

    public var identity: Identity
    /// Absolute names, or `*.name` for every name below `name`; empty = every name of the zone.
    public var names: [String]
    /// Type mnemonics in upper case (`A`, `TYPE65534`); empty = all but SOA, NS and DNSSEC types.
    public var types: [String]
    /// Position of each type, for errors found when the types are looked up.
    public var typeLocations: [SourceLocation]
    /// Position of the entry.
    public var location: SourceLocation

    public init(
        identity: Identity, names: [String] = [], types: [String] = [], typeLocations: [SourceLocation] = [],
        location: SourceLocation
    ) {
        self.identity = identity
        self.names = names
        self.types = types
        self.typeLocations = typeLocations
        self.location = location
    }
}

/// `zone.serial-policy`: how the SOA serial moves on an update.
public enum SerialPolicyName: String, CaseIterable, Equatable, Sendable {
    case increment
    case unixtime
    case date
}

extension Config {
    /// `serial-policy`, `zonefile-sync` and `allow-update` of one `[[zone]]`.
    static func decodeUpdateSettings(
        _ table: TOMLTable, _ d: ConfigDecoder, zone: String, keys: [TSIGKeyConfig], into config: inout ZoneConfig
    ) {
        if let policy: SerialPolicyName = d.choice(table, "zone", "serial-policy", record: false) {
            config.serialPolicy = policy
        }
        if let sync = d.duration(table, "zone", "zonefile-sync", in: 0...86400) { config.zonefileSync = sync }
        // Absent, or not an array of tables (checkKeys reports that).
        guard let list = table["allow-update"], let items = list.array else { return }
        let p = "zone.allow-update"
        for item in items {
            guard let entry = item.table else { continue }
            var identity: UpdateRuleConfig.Identity?
            let key = d.domainName(entry, p, "key")
            let address = d.string(entry, p, "address", record: false)
            if let (name, v) = key {
                if keys.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                    identity = .key(name)
                } else {
                    d.bad("\(p).key", v, "no [[key]] is named '\(name)'")
                }
            }
            if let (text, v) = address {
                if Self.isNetwork(text) {
                    identity = .address(text)
                } else {
                    d.bad("\(p).address", v, "'\(text)' is not a network")
                }
            }
            if (entry["key"] != nil) == (entry["address"] != nil) {
                d.error(
                    "\(p): give either key or address; expected a table with key or address, names and types",
                    key: p, at: item.location)
                continue
            }
            var names: [String] = []
            for (text, v) in Self.strings(entry, p, "names", d) {
                let wildcard = text.hasPrefix("*.")
                switch ConfigValueParsers.domainName(wildcard ? String(text.dropFirst(2)) : text) {
                case .success(let absolute):
                    let lower = absolute.lowercased()
                    let apex = zone.lowercased()
                    guard apex == "." || lower == apex || lower.hasSuffix("." + apex) else {
                        d.bad("\(p).names", v, "'\(text)' is not in zone '\(zone)'")
                        continue
                    }
                    names.append(wildcard ? "*." + absolute : absolute)
                case .failure(let problem):
                    d.bad("\(p).names", v, "'\(text)' is not a valid name: \(problem.reason)")
                }
            }
            var types: [String] = []
            var typeLocations: [SourceLocation] = []
            for (text, v) in Self.strings(entry, p, "types", d) {
                let upper = text.uppercased()
                guard let first = upper.unicodeScalars.first, first.properties.isAlphabetic,
                    upper.unicodeScalars.allSatisfy({
                        ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    })
                else {
                    d.bad("\(p).types", v, "'\(text)' is not a record type")
                    continue
                }
                types.append(upper)
                typeLocations.append(v.location)
            }
            guard let identity else { continue }
            config.allowUpdate.append(
                UpdateRuleConfig(
                    identity: identity, names: names, types: types, typeLocations: typeLocations,
                    location: item.location))
        }
    }

    /// An array of strings at `prefix.name`; problems reported, bad items left out.
    static func strings(_ table: TOMLTable, _ prefix: String, _ name: String, _ d: ConfigDecoder) -> [(
        String, TOMLValue
    )] {
        guard let v = d.value(table, prefix, name, record: false) else { return [] }
        guard let items = v.array else {
            d.bad("\(prefix).\(name)", v, "found \(d.article(v.typeName))")
            return []
        }
        var out: [(String, TOMLValue)] = []
        for item in items {
            if let s = item.string {
                out.append((s, item))
            } else {
                d.bad("\(prefix).\(name)", item, "found \(d.article(item.typeName)) in the array")
            }
        }
        return out
    }

    /// `ADDRESS/LENGTH` or an address alone, IPv4 or IPv6.
    static func isNetwork(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        let v4 = ConfigValueParsers.isIPv4(parts[0])
        guard v4 || ConfigValueParsers.isIPv6(parts[0]) else { return false }
        guard parts.count == 2 else { return true }
        guard let n = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return false }
        return (0...(v4 ? 32 : 128)).contains(n)
    }
}
