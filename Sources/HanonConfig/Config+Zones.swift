// SPDX-License-Identifier: Apache-2.0

extension Config {
    /// The tables of `[[name]]` with the location of each header; empty when absent or malformed
    /// (``ConfigDecoder/checkKeys(_:prefix:)`` reports that).
    static func arrayOfTables(_ root: TOMLTable, _ name: String) -> [(TOMLTable, SourceLocation)] {
        guard let items = root[name]?.array else { return [] }
        return items.compactMap { item in item.table.map { ($0, item.location) } }
    }

    /// `[[key]]`: TSIG keys, names unique.
    static func decodeKeys(_ root: TOMLTable, _ d: ConfigDecoder) -> [TSIGKeyConfig] {
        var keys: [TSIGKeyConfig] = []
        for (table, location) in arrayOfTables(root, "key") {
            let name = d.domainName(table, "key", "name")
            if d.value(table, "key", "name", record: false) == nil {
                d.error("key.name is required; expected a domain name", key: "key.name", at: location)
            }
            let algorithm: TSIGAlgorithmName? =
                table["algorithm"] == nil ? .hmacSHA256 : d.choice(table, "key", "algorithm", record: false)
            _ = d.value(table, "key", "algorithm", record: false)
            var secret: [UInt8]?
            if let (s, v) = d.string(table, "key", "secret", record: false) {
                if let bytes = ConfigValueParsers.base64(s) {
                    secret = bytes
                } else {
                    d.bad("key.secret", v, "the secret is not valid base64")
                }
            } else if table["secret"] == nil {
                d.error("key.secret is required; expected base64", key: "key.secret", at: location)
            }
            guard let (keyName, nameValue) = name, let algorithm, let secret else { continue }
            if let first = keys.first(where: { $0.name.lowercased() == keyName.lowercased() }) {
                d.bad("key.name", nameValue, "key '\(keyName)' is already defined at line \(first.location.line)")
                continue
            }
            keys.append(TSIGKeyConfig(name: keyName, algorithm: algorithm, secret: secret, location: location))
        }
        return keys
    }

    /// `[[zone]]`: zones, names unique.
    static func decodeZones(_ root: TOMLTable, _ d: ConfigDecoder, keys: [TSIGKeyConfig]) -> [ZoneConfig] {
        var zones: [ZoneConfig] = []
        for (table, location) in arrayOfTables(root, "zone") {
            let name = d.domainName(table, "zone", "name")
            if d.value(table, "zone", "name", record: false) == nil {
                d.error("zone.name is required; expected a domain name", key: "zone.name", at: location)
            }
            let primaries = decodePrimaries(table, d, keys: keys)
            var file: (String, SourceLocation)?
            if let (s, v) = d.string(table, "zone", "file", record: false) {
                if s.isEmpty {
                    d.bad("zone.file", v, "the string is empty")
                } else {
                    file = (d.resolve(s), v.location)
                }
            } else if table["file"] == nil {
                if table["primary"] != nil {
                    // A secondary zone without a file keeps its copy in the data directory.
                    file = ("", location)
                } else {
                    d.error("zone.file is required; expected a path", key: "zone.file", at: location)
                }
            }
            guard let (zoneName, nameValue) = name, let (path, fileLocation) = file else { continue }
            if let first = zones.first(where: { $0.name.lowercased() == zoneName.lowercased() }) {
                d.bad("zone.name", nameValue, "zone '\(zoneName)' is already defined at line \(first.location.line)")
                continue
            }
            guard let primaries else { continue }
            var zone = ZoneConfig(
                name: zoneName, file: path, location: location, fileLocation: fileLocation, primaries: primaries)
            decodeTransfer(table, d, into: &zone)
            decodeUpdateSettings(table, d, zone: zoneName, keys: keys, into: &zone)
            zone.dnssec = decodeDNSSEC(table, d)
            if let dnssec = zone.dnssec, zone.isSecondary {
                d.error(
                    "zone.dnssec: a secondary zone is signed by its primary; expected no dnssec with primary",
                    key: "zone.dnssec", at: dnssec.location)
            }
            zones.append(zone)
        }
        return zones
    }

    /// `zone.primary`: `["ADDRESS[:PORT][@key:NAME]", …]`; nil after an error (reported).
    static func decodePrimaries(_ table: TOMLTable, _ d: ConfigDecoder, keys: [TSIGKeyConfig]) -> [PrimaryConfig]? {
        guard let v = d.value(table, "zone", "primary", record: false) else { return [] }
        guard let items = v.array else {
            d.bad("zone.primary", v, "found \(d.article(v.typeName))")
            return nil
        }
        if items.isEmpty {
            d.bad("zone.primary", v, "the array is empty")
            return nil
        }
        var primaries: [PrimaryConfig] = []
        var ok = true
        for item in items {
            guard let text = item.string else {
                d.bad("zone.primary", item, "found \(d.article(item.typeName)) in the array")
                ok = false
                continue
            }
            var addressText = Substring(text)
            var keyName: String?
            if let at = text.firstIndex(of: "@") {
                addressText = text[..<at]
                let rest = text[text.index(after: at)...]
                guard rest.hasPrefix("key:") else {
                    d.bad("zone.primary", item, "'\(text)': after '@' expected key:NAME")
                    ok = false
                    continue
                }
                let name = String(rest.dropFirst(4))
                guard case .success(let absolute) = ConfigValueParsers.domainName(name),
                    let key = keys.first(where: { $0.name.lowercased() == absolute.lowercased() })
                else {
                    d.bad("zone.primary", item, "'\(text)': no [[key]] named '\(name)'")
                    ok = false
                    continue
                }
                keyName = key.name
            }
            guard let address = ListenAddress(parsing: String(addressText), defaultPort: 53) else {
                d.bad("zone.primary", item, "'\(addressText)' is not an IP address (with an optional port)")
                ok = false
                continue
            }
            primaries.append(PrimaryConfig(address: address, keyName: keyName))
        }
        return ok ? primaries : nil
    }
}

extension ZoneConfig {
    /// A zone given on the command line (`hanon serve --zone example.test=path`), validated as a
    /// `[[zone]]` would be. Its positions name `source` (default `--zone`) with line 0.
    public static func commandLine(name: String, file: String, source: String = "--zone") throws(ConfigErrors)
        -> ZoneConfig
    {
        let location = SourceLocation(file: source, line: 0, column: 0)
        switch ConfigValueParsers.domainName(name) {
        case .success(let absolute):
            guard !file.isEmpty else {
                throw ConfigErrors([ConfigError("zone \(name): the file name is empty", key: "zone.file", at: location)]
                )
            }
            return ZoneConfig(name: absolute, file: file, location: location, fileLocation: location)
        case .failure(let problem):
            throw ConfigErrors([
                ConfigError("'\(name)' is not a valid zone name: \(problem.reason)", key: "zone.name", at: location)
            ])
        }
    }
}
