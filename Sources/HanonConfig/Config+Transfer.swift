// SPDX-License-Identifier: Apache-2.0

/// `zone.allow-transfer` and `zone.notify`: who may copy a zone, and whom
/// to tell when it changes (RFC 5936, RFC 1995, RFC 1996).
extension Config {
    /// Reads `allow-transfer` and `notify` of one `[[zone]]` table into `zone`.
    static func decodeTransfer(_ table: TOMLTable, _ d: ConfigDecoder, into zone: inout ZoneConfig) {
        if let items = self.stringArray(table, d, "allow-transfer") {
            var entries: [String] = []
            for (s, item) in items {
                guard let entry = Self.transferEntry(s) else {
                    d.bad(
                        "zone.allow-transfer", item, "'\(s)' is not a network (192.0.2.0/24, 2001:db8::/32) or key:NAME"
                    )
                    continue
                }
                if entries.contains(entry) {
                    d.bad("zone.allow-transfer", item, "'\(s)' is listed twice")
                    continue
                }
                entries.append(entry)
                zone.allowTransferLocations.append(item.location)
            }
            zone.allowTransfer = entries
        }
        if let items = self.stringArray(table, d, "notify") {
            var targets: [ListenAddress] = []
            for (s, item) in items {
                guard let address = Self.notifyTarget(s) else {
                    d.bad(
                        "zone.notify", item, "'\(s)' is not an address (192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53)"
                    )
                    continue
                }
                if targets.contains(address) {
                    d.bad("zone.notify", item, "'\(s)' is listed twice")
                    continue
                }
                targets.append(address)
            }
            zone.notify = targets
        }
    }

    /// The strings of an array value, each with its value (for positions); nil when absent or
    /// not an array of strings (reported).
    private static func stringArray(_ table: TOMLTable, _ d: ConfigDecoder, _ name: String) -> [(String, TOMLValue)]? {
        guard let v = d.value(table, "zone", name, record: false) else { return nil }
        guard let items = v.array else {
            d.bad("zone.\(name)", v, "found \(d.article(v.typeName))")
            return nil
        }
        var result: [(String, TOMLValue)] = []
        for item in items {
            guard let s = item.string else {
                d.bad("zone.\(name)", item, "found \(d.article(item.typeName)) in the array")
                continue
            }
            result.append((s, item))
        }
        return result
    }

    /// An `allow-transfer` entry in normal form (`192.0.2.0/24`, `2001:db8::/32`,
    /// `key:name.`), or nil. A bare address is a host (/32, /128).
    static func transferEntry(_ text: String) -> String? {
        if text.hasPrefix("key:") {
            guard case .success(let name) = ConfigValueParsers.domainName(String(text.dropFirst(4))) else { return nil }
            return "key:" + name
        }
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let host = parts[0]
        let maximum: Int
        if ConfigValueParsers.isIPv4(host) {
            maximum = 32
        } else if ConfigValueParsers.isIPv6(host) {
            maximum = 128
        } else {
            return nil
        }
        guard parts.count == 2 else { return "\(host.lowercased())/\(maximum)" }
        guard (1...3).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let length = Int(parts[1]), length <= maximum
        else { return nil }
        return "\(host.lowercased())/\(length)"
    }

    /// A NOTIFY target: `IPv4`, `IPv4:PORT`, `[IPv6]:PORT` or a bare IPv6
    /// address; port 53 when not given.
    static func notifyTarget(_ text: String) -> ListenAddress? {
        if ConfigValueParsers.isIPv4(Substring(text)) {
            return ListenAddress(host: text, port: 53, isIPv6: false)
        }
        if ConfigValueParsers.isIPv6(Substring(text)) {
            return ListenAddress(host: text.lowercased(), port: 53, isIPv6: true)
        }
        if text.hasPrefix("["), text.hasSuffix("]") {
            return ListenAddress(parsing: text + ":53")
        }
        return ListenAddress(parsing: text)
    }

    /// Every `key:NAME` of an `allow-transfer` names a `[[key]]`.
    static func checkTransferKeys(_ config: Config, _ d: ConfigDecoder) {
        for zone in config.zones {
            for (entry, location) in zip(zone.allowTransfer, zone.allowTransferLocations) where entry.hasPrefix("key:")
            {
                let name = String(entry.dropFirst(4))
                if config.key(named: name) == nil {
                    d.error(
                        "zone.allow-transfer: key '\(name)' is not defined; add a [[key]] with that name",
                        key: "zone.allow-transfer", at: location)
                }
            }
        }
    }
}
