// SPDX-License-Identifier: Apache-2.0

extension Config {
    /// Parses and validates config text. `file` names the file in messages and anchors relative
    /// paths (`zone.file`, `data`). Throws every problem found, not only the first.
    public static func parse(text: String, file: String) throws(ConfigErrors) -> Config {
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(text, file: file)
        } catch {
            throw ConfigErrors([ConfigError(error.message, at: error.location)])
        }
        let decoder = ConfigDecoder(file: file)
        let config = decode(root, with: decoder)
        if !decoder.errors.isEmpty {
            throw ConfigErrors(decoder.sortedErrors)
        }
        return config
    }

    /// Decodes `root` with `decoder`, which collects the problems.
    static func decode(_ root: TOMLTable, with decoder: ConfigDecoder) -> Config {
        decoder.checkKeys(root, prefix: "")
        var config = Config(file: decoder.file)
        if let data = decoder.text(root, "", "data", maxBytes: 4096) { config.data = decoder.resolve(data) }
        if let (user, v) = decoder.string(root, "", "user") {
            if user.isEmpty || user.contains(where: { $0 == ":" || $0 == "/" || $0.isWhitespace })
                || user.utf8.count > 32
            {
                decoder.bad("user", v, "'\(user)' is not a user name")
            } else {
                config.user = user
            }
        }
        if let dns = root["dns"]?.table { config.dns = decodeDNS(dns, decoder) }
        if let log = root["log"]?.table {
            if let level: LogLevel = decoder.choice(log, "log", "level") { config.log.level = level }
        }
        config.keys = decodeKeys(root, decoder)
        config.zones = decodeZones(root, decoder, keys: config.keys)
        checkTransferKeys(config, decoder)
        config.ddnsServer = decodeDDNSServer(root, decoder)
        config.ddns = decodeDDNS(root, decoder, keys: config.keys)
        if let value = root["resolver"], let resolver = value.table {
            config.resolver = decodeResolver(resolver, decoder, location: value.location)
        }
        config.locations = decoder.locations
        return config
    }
}
