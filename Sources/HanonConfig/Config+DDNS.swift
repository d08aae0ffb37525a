// SPDX-License-Identifier: Apache-2.0

import Foundation

/// `[ddns]`: the dynamic DNS client — where this host's addresses are detected, and which
/// records follow them at which provider.
public struct DDNSConfig: Equatable, Sendable {
    /// `ddns.interval`: time between two detections.
    public var interval: Duration = .seconds(300)
    /// `ddns.allow-private`: publish private and reserved addresses.
    public var allowPrivate = false
    /// `ddns.ca-file`: PEM file of the CAs to trust; nil = the system's bundle.
    public var caFile: String?
    /// `[ddns.ipv4]`, `[ddns.ipv6]`: address sources, tried in the order interface, web,
    /// dns-name, command until one gives an address; empty = that family is not detected.
    public var ipv4: [DDNSSourceConfig] = []
    public var ipv6: [DDNSSourceConfig] = []
    /// `[[ddns.record]]`.
    public var records: [DDNSRecordConfig] = []

    public init() {}
}

/// Where one family's address comes from.
public enum DDNSSourceConfig: Equatable, Sendable {
    /// `interface = "eth0"`.
    case interface(String)
    /// `web = "https://…"`, `web-skip = "IP Address:"`.
    case web(url: String, skip: String?)
    /// `dns-name`, `dns-type` (A, AAAA or TXT), `dns-server` (`host`, `host:port`, `[v6]:port`).
    case dns(name: String, type: String, server: String, port: Int)
    /// `command = ["/usr/local/bin/wan-ip", "--v4"]`.
    case command([String])
}

/// The providers hanon speaks.
public enum DDNSProviderName: String, CaseIterable, Equatable, Sendable {
    case dyndns2
    case zoneedit
    case cloudflare
    case rfc2136
    /// A zone hanon serves itself.
    case hanon
}

/// `[[ddns.record]]`: one name kept at the detected addresses by one provider.
public struct DDNSRecordConfig: Equatable, Sendable {
    /// Absolute, with the final dot.
    public var name: String
    public var provider: DDNSProviderName
    /// `server`: the provider's HTTPS base URL, or for rfc2136 the primary's address.
    public var server: String?
    public var username: String?
    /// `password` (the Cloudflare API token for cloudflare).
    public var password: String?
    /// `password-file`: read when the updater is set up (its first line is the password).
    public var passwordFile: String?
    public var passwordFileLocation: SourceLocation?
    /// `zone`: for cloudflare (its name), rfc2136 (the zone updated), zoneedit (optional).
    public var zone: String?
    /// `key`: name of a `[[key]]` signing rfc2136 updates (absolute).
    public var key: String?
    public var ttl: Int = 300
    public var ipv4 = true
    public var ipv6 = true
    public var location: SourceLocation

    public init(name: String, provider: DDNSProviderName, location: SourceLocation) {
        self.name = name
        self.provider = provider
        self.location = location
    }

    /// `hanon.toml:12: ddns record home.example.org: message`.
    public func diagnostic(_ message: String) -> String {
        "\(location.file):\(location.line): ddns record \(name.dropLast()): \(message)"
    }
}

extension Config {
    /// The `[ddns]` client keys, appended to ``schema``.
    static let ddnsClientSchema: [ConfigKeySpec] =
        [
            .init(
                "ddns.interval",
                "a duration from 10s to 1d \(durationForm)",
                default: "\"5m\"",
                "Time between two detections of this host's addresses. A changed address is sent within this time; an unchanged one is not sent again (the last address sent is kept in ddns-state.json in the data directory)."
            ),
            .init(
                "ddns.allow-private",
                "true or false",
                default: "false",
                "Publish private and reserved addresses (RFC 1918, CGNAT 100.64.0.0/10, loopback, link-local, ULA fc00::/7, documentation ranges…). Off: such an address is refused, and an interface's first public address is used."
            ),
            .init(
                "ddns.ca-file",
                "a path",
                note: "the system's CA bundle (/etc/ssl/certs/ca-certificates.crt)",
                "PEM file of the CAs trusted for HTTPS (web detection and providers). Certificates are always verified — expiry, name, issuer — and nothing is sent to a server that fails; there is no way to turn this off."
            ),
        ] + ddnsSourceSchema("ipv4", "A") + ddnsSourceSchema("ipv6", "AAAA") + [
            .init(
                "ddns.record", .arrayOfTables, "an array of tables",
                "Records that follow the detected addresses, one [[ddns.record]] table each."),
            .init("ddns.record.name", "a domain name", note: "required", "The name updated: \"home.example.org\"."),
            .init(
                "ddns.record.provider",
                "one of dyndns2, zoneedit, cloudflare, rfc2136, hanon",
                note: "required",
                "How: dyndns2 (`/nic/update`, Basic auth), zoneedit (`/auth/dynamic.html`), cloudflare (API v4 with a token), rfc2136 (UPDATE signed with TSIG to the zone's primary), hanon (a zone this server serves: the change goes through the dynamic update path — journal, serial, NOTIFY, re-signing)."
            ),
            .init(
                "ddns.record.server",
                "an https:// URL; for rfc2136 an address \"192.0.2.1\", \"[2001:db8::1]:53\"",
                note:
                    "required for dyndns2 and rfc2136; zoneedit: https://dynamic.zoneedit.com; cloudflare: https://api.cloudflare.com/client/v4",
                "The provider's server."
            ),
            .init(
                "ddns.record.username", "a string", note: "required for dyndns2 and zoneedit",
                "User name for Basic authentication."),
            .init(
                "ddns.record.password", "a string",
                note: "required for dyndns2, zoneedit and cloudflare (or password-file)",
                "Password (dyndns2), dynamic token (zoneedit) or API token (cloudflare)."),
            .init(
                "ddns.record.password-file", "a path", note: "none",
                "File whose first line is the password or token, so the config file can be world-readable. A relative path is relative to the config file's directory."
            ),
            .init(
                "ddns.record.zone", "a domain name", note: "required for cloudflare and rfc2136",
                "The zone holding the name (cloudflare: to find the zone id; rfc2136: the zone section of the UPDATE; zoneedit: sent as zone=)."
            ),
            .init(
                "ddns.record.key", "the name of a [[key]]", note: "unsigned",
                "TSIG key signing rfc2136 updates (RFC 8945)."),
            .init(
                "ddns.record.ttl", "an integer from 1 to 86400", default: "300",
                "TTL of the records written by rfc2136 and cloudflare."),
            .init(
                "ddns.record.ipv4", "true or false", default: "true",
                "Keep the name's A record at the detected IPv4 address (when [ddns.ipv4] is set)."),
            .init(
                "ddns.record.ipv6", "true or false", default: "true",
                "Keep the name's AAAA record at the detected IPv6 address (when [ddns.ipv6] is set)."),
        ]

    static func ddnsSourceSchema(_ family: String, _ type: String) -> [ConfigKeySpec] {
        let p = "ddns.\(family)"
        return [
            .init(
                p, .table, "a table", note: "\(family == "ipv4" ? "IPv4" : "IPv6") is not detected",
                "Where this host's \(family == "ipv4" ? "IPv4" : "IPv6") address comes from: interface, web, dns-name or command. When several are given they are tried in that order until one gives an address."
            ),
            .init("\(p).interface", "an interface name", "A local interface (\"eth0\"): its first public address."),
            .init(
                "\(p).web", "an https:// URL",
                "A web page (fetched over verified HTTPS) showing the address: the first address in its text is used."),
            .init(
                "\(p).web-skip", "a string", note: "none",
                "With web: use the first address after this text (ddclient's web-skip)."),
            .init(
                "\(p).dns-name", "a domain name",
                "Ask a DNS server for this name (as `dig myip.opendns.com @resolver1.opendns.com`).",
            ),
            .init(
                "\(p).dns-type", "one of A, AAAA, TXT", default: "\"\(type)\"",
                "With dns-name: the type asked; a TXT answer is searched for an address."),
            .init(
                "\(p).dns-server", "a host name or address, with an optional port", note: "required with dns-name",
                "With dns-name: the server asked (\"resolver1.opendns.com\", \"192.0.2.53:53\", \"[2001:db8::53]:53\")."
            ),
            .init(
                "\(p).command", "an array of strings (program and arguments)",
                "A program run without a shell; the first address it prints is used."),
        ]
    }

    /// The first line of a `password-file`; the error names the key's position.
    public static func readPasswordFile(_ record: DDNSRecordConfig) -> Result<String, ConfigError> {
        guard let path = record.passwordFile else { return .success(record.password ?? "") }
        let at = record.passwordFileLocation ?? record.location
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(
                ConfigError("ddns.record.password-file: cannot read \(path)", key: "ddns.record.password-file", at: at))
        }
        guard let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first, !line.isEmpty
        else {
            return .failure(
                ConfigError("ddns.record.password-file: \(path) is empty", key: "ddns.record.password-file", at: at))
        }
        return .success(String(line))
    }

    /// `[ddns]`, the client part.
    static func decodeDDNS(_ root: TOMLTable, _ d: ConfigDecoder, keys: [TSIGKeyConfig]) -> DDNSConfig {
        var config = DDNSConfig()
        guard let table = root["ddns"]?.table else { return config }
        if let interval = d.duration(table, "ddns", "interval", in: 10...86400) { config.interval = interval }
        if let allow = d.bool(table, "ddns", "allow-private") { config.allowPrivate = allow }
        if let (path, v) = d.string(table, "ddns", "ca-file") {
            if path.isEmpty { d.bad("ddns.ca-file", v, "the string is empty") } else { config.caFile = d.resolve(path) }
        }
        if let v = table["ipv4"], let t = v.table { config.ipv4 = decodeDDNSSources(t, d, "ipv4", at: v.location) }
        if let v = table["ipv6"], let t = v.table { config.ipv6 = decodeDDNSSources(t, d, "ipv6", at: v.location) }
        for (entry, location) in arrayOfTables(table, "record") {
            if let record = decodeDDNSRecord(entry, d, at: location, keys: keys) {
                if config.records.contains(where: {
                    $0.name.lowercased() == record.name.lowercased() && $0.provider == record.provider
                        && $0.server == record.server
                }) {
                    d.error(
                        "ddns.record: \(record.name) with provider \(record.provider.rawValue) is listed twice",
                        key: "ddns.record", at: location)
                    continue
                }
                config.records.append(record)
            }
        }
        return config
    }

    /// The sources of one family, in the order they are tried.
    static func decodeDDNSSources(_ t: TOMLTable, _ d: ConfigDecoder, _ family: String, at location: SourceLocation)
        -> [DDNSSourceConfig]
    {
        let p = "ddns.\(family)"
        var sources: [DDNSSourceConfig] = []
        if t["interface"] == nil && t["web"] == nil && t["dns-name"] == nil && t["command"] == nil {
            d.error("[\(p)]: give interface, web, dns-name or command", key: p, at: location)
        }
        if let v = t["web-skip"], t["web"] == nil {
            d.error("\(p).web-skip is only for web", key: "\(p).web-skip", at: v.location)
        }
        for extra in ["dns-type", "dns-server"] {
            if let v = t[extra], t["dns-name"] == nil {
                d.error("\(p).\(extra) is only for dns-name", key: "\(p).\(extra)", at: v.location)
            }
        }
        if let name = d.text(t, p, "interface", maxBytes: 15) { sources.append(.interface(name)) }
        if let (url, v) = d.string(t, p, "web") {
            if isHTTPSURL(url) {
                sources.append(.web(url: url, skip: d.text(t, p, "web-skip", maxBytes: 256)))
            } else {
                d.bad("\(p).web", v, "'\(url)' is not an https:// URL")
            }
        }
        var type = family == "ipv4" ? "A" : "AAAA"
        if let (s, v) = d.string(t, p, "dns-type") {
            if ["A", "AAAA", "TXT"].contains(s.uppercased()) {
                type = s.uppercased()
            } else {
                d.bad("\(p).dns-type", v, "'\(s)' is not a choice")
            }
        }
        let server = d.string(t, p, "dns-server")
        if let (name, _) = d.domainName(t, p, "dns-name") {
            if let (text, v) = server {
                if let (host, port) = hostAndPort(text, defaultPort: 53) {
                    sources.append(.dns(name: name, type: type, server: host, port: port))
                } else {
                    d.bad("\(p).dns-server", v, "'\(text)' is not a host with an optional port")
                }
            } else if t["dns-server"] == nil {
                d.error("\(p).dns-server is required with dns-name", key: "\(p).dns-server", at: location)
            }
        }
        if let v = t["command"] {
            let argv = strings(t, p, "command", d).map(\.0)
            if let first = argv.first, !first.isEmpty {
                sources.append(.command(argv))
            } else if v.array != nil {
                d.bad("\(p).command", v, "the command is empty")
            }
        }
        return sources
    }

    static func decodeDDNSRecord(
        _ t: TOMLTable, _ d: ConfigDecoder, at location: SourceLocation, keys: [TSIGKeyConfig]
    ) -> DDNSRecordConfig? {
        let p = "ddns.record"
        let name = d.domainName(t, p, "name")
        if t["name"] == nil { d.error("\(p).name is required; expected a domain name", key: "\(p).name", at: location) }
        let provider: DDNSProviderName? = d.choice(t, p, "provider", record: false)
        if t["provider"] == nil {
            d.error(
                "\(p).provider is required; expected one of dyndns2, zoneedit, cloudflare, rfc2136, hanon",
                key: "\(p).provider", at: location)
        }
        let server = d.string(t, p, "server", record: false)
        let username = d.string(t, p, "username", record: false)
        let password = d.string(t, p, "password", record: false)?.0
        var passwordFile: (String, SourceLocation)?
        if let (file, v) = d.string(t, p, "password-file", record: false) {
            if t["password"] != nil {
                d.bad("\(p).password-file", v, "give password or password-file, not both")
            } else if file.isEmpty {
                d.bad("\(p).password-file", v, "the string is empty")
            } else {
                passwordFile = (d.resolve(file), v.location)
            }
        }
        let zone = d.domainName(t, p, "zone")
        var keyName: String?
        if let (k, v) = d.domainName(t, p, "key") {
            if keys.contains(where: { $0.name.lowercased() == k.lowercased() }) {
                keyName = k
            } else {
                d.bad("\(p).key", v, "no [[key]] is named '\(k)'")
            }
        }
        let ttl = d.integer(t, p, "ttl", in: 1...86400)
        let ipv4 = d.bool(t, p, "ipv4")
        let ipv6 = d.bool(t, p, "ipv6")
        guard let (recordName, _) = name, let provider else { return nil }
        var record = DDNSRecordConfig(name: recordName, provider: provider, location: location)
        record.username = username?.0
        record.password = password
        record.passwordFile = passwordFile?.0
        record.passwordFileLocation = passwordFile?.1
        record.zone = zone?.0
        record.key = keyName
        if let ttl { record.ttl = ttl }
        if let ipv4 { record.ipv4 = ipv4 }
        if let ipv6 { record.ipv6 = ipv6 }
        func require(_ present: Bool, _ key: String, _ what: String) -> Bool {
            if !present {
                d.error(
                    "\(p).\(key) is required for provider \(provider.rawValue); expected \(what)", key: "\(p).\(key)",
                    at: location)
            }
            return present
        }
        var ok = true
        switch provider {
        case .dyndns2, .zoneedit, .cloudflare:
            if let (url, v) = server {
                if isHTTPSURL(url) {
                    record.server = url
                } else {
                    d.bad("\(p).server", v, "'\(url)' is not an https:// URL")
                    ok = false
                }
            } else if provider == .dyndns2 {
                ok = require(false, "server", "an https:// URL") && ok
            }
            if provider != .cloudflare { ok = require(username != nil, "username", "a string") && ok }
            ok = require(password != nil || t["password-file"] != nil, "password", "a string, or password-file") && ok
            if provider == .cloudflare { ok = require(zone != nil || t["zone"] != nil, "zone", "a domain name") && ok }
        case .rfc2136:
            if let (s, v) = server {
                if hostAndPort(s, defaultPort: 53) != nil {
                    record.server = s
                } else {
                    d.bad("\(p).server", v, "'\(s)' is not an address with an optional port")
                    ok = false
                }
            } else {
                ok = require(false, "server", "an address \"192.0.2.1\" or \"[2001:db8::1]:53\"") && ok
            }
            ok = require(zone != nil || t["zone"] != nil, "zone", "a domain name") && ok
            if let z = zone?.0,
                !(recordName.lowercased() == z.lowercased() || recordName.lowercased().hasSuffix("." + z.lowercased())
                    || z == ".")
            {
                d.error(
                    "\(p).zone: \(recordName) is not in zone \(z)", key: "\(p).zone", at: zone?.1.location ?? location)
                ok = false
            }
        case .hanon:
            break
        }
        return ok ? record : nil
    }

    /// True for `https://host…`.
    static func isHTTPSURL(_ s: String) -> Bool {
        guard s.lowercased().hasPrefix("https://") else { return false }
        let rest = s.dropFirst(8)
        return !rest.isEmpty && !rest.hasPrefix("/")
            && !s.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F }
    }

    /// `host`, `host:port`, `[v6]` or `[v6]:port`, and a bare IPv6 address.
    public static func hostAndPort(_ s: String, defaultPort: Int) -> (String, Int)? {
        if ConfigValueParsers.isIPv6(Substring(s)) { return (s, defaultPort) }
        if let address = ListenAddress(parsing: s, defaultPort: UInt16(defaultPort)) {
            return (address.host, Int(address.port))
        }
        var host = Substring(s)
        var port = defaultPort
        if let colon = s.lastIndex(of: ":") {
            guard let p = Int(s[s.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            host = s[..<colon]
            port = p
        }
        guard !host.isEmpty, host.count <= 253,
            host.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "."
            })
        else { return nil }
        return (String(host), port)
    }
}
