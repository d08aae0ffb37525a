// SPDX-License-Identifier: Apache-2.0

/// `[ddns.server]`: the dyndns2 endpoint (`GET /nic/update`) through which
/// routers, ddclient and inadyn update names in zones hanon serves.
public struct DDNSServerConfig: Equatable, Sendable {
    /// `listen`: HTTPS addresses.
    public var listen: [ListenAddress] = [
        ListenAddress(host: "0.0.0.0", port: 443, isIPv6: false),
        ListenAddress(host: "::", port: 443, isIPv6: true),
    ]
    /// `listen-http`: plain HTTP addresses, loopback only (127.0.0.0/8, ::1).
    public var listenHTTP: [ListenAddress] = []
    /// `certificate`: PEM certificate chain, leaf first; nil = none given.
    public var certificate: String?
    /// `key`: PEM private key of the certificate.
    public var key: String?
    /// Position of `[ddns.server]` (or of `certificate` when given), for errors found at start.
    public var location: SourceLocation
    /// `ttl`: TTL of address records created (an existing RRset keeps its TTL).
    public var ttl = 300
    /// `max-connections`: connections open at once; more are closed at once.
    public var maxConnections = 64
    /// `idle-timeout`: a connection that sends nothing for this long is closed.
    public var idleTimeout: Duration = .seconds(10)
    /// `[[ddns.server.user]]`.
    public var users: [DDNSUserConfig] = []

    public init(location: SourceLocation) {
        self.location = location
    }
}

/// `[[ddns.server.user]]`: one account of the dyndns2 endpoint.
public struct DDNSUserConfig: Equatable, Sendable {
    /// What the client sends as the Basic auth user name.
    public var name: String
    /// Where the password comes from.
    public enum Password: Equatable, Sendable {
        /// `password`: written in the config.
        case text(String)
        /// `password-file`: the file's first line (read when the server starts or reloads).
        case file(String)
    }
    public var password: Password
    /// Names the user may update: absolute names, or `*.name.` for every name below `name.`.
    public var names: [String]
    /// Position of the `[[ddns.server.user]]` header.
    public var location: SourceLocation
    /// Position of the `password-file` value, for errors reading it.
    public var passwordLocation: SourceLocation

    public init(
        name: String, password: Password, names: [String], location: SourceLocation,
        passwordLocation: SourceLocation? = nil
    ) {
        self.name = name
        self.password = password
        self.names = names
        self.location = location
        self.passwordLocation = passwordLocation ?? location
    }
}

extension Config {
    /// `[ddns.server]` and its `[[ddns.server.user]]` tables; nil when absent.
    static func decodeDDNSServer(_ root: TOMLTable, _ d: ConfigDecoder) -> DDNSServerConfig? {
        guard let ddnsValue = root["ddns"], let ddns = ddnsValue.table, let serverValue = ddns["server"],
            let table = serverValue.table
        else { return nil }
        let p = "ddns.server"
        var server = DDNSServerConfig(location: serverValue.location)
        if let list = Self.ddnsAddresses(table, d, "listen") { server.listen = list }
        if let list = Self.ddnsAddresses(table, d, "listen-http") {
            server.listenHTTP = list
            // Only plain HTTP asked for: no HTTPS default.
            if table["listen"] == nil, !list.isEmpty { server.listen = [] }
        }
        if let (s, v) = d.string(table, p, "certificate") {
            if s.isEmpty {
                d.bad("ddns.server.certificate", v, "the string is empty")
            } else {
                server.certificate = d.resolve(s)
                server.location = v.location
            }
        }
        if let (s, v) = d.string(table, p, "key") {
            if s.isEmpty { d.bad("ddns.server.key", v, "the string is empty") } else { server.key = d.resolve(s) }
        }
        if !server.listen.isEmpty, server.certificate == nil || server.key == nil {
            d.error(
                "ddns.server: listen (HTTPS) needs certificate and key (PEM files); for plain HTTP on loopback only, set listen = [] and listen-http",
                key: "ddns.server", at: serverValue.location)
        }
        if server.listen.isEmpty, server.listenHTTP.isEmpty {
            d.error(
                "ddns.server: no address to listen on; give listen (HTTPS) or listen-http (loopback)",
                key: "ddns.server", at: serverValue.location)
        }
        if let n = d.integer(table, p, "ttl", in: 0...86400) { server.ttl = n }
        if let n = d.integer(table, p, "max-connections", in: 1...65535) { server.maxConnections = n }
        if let t = d.duration(table, p, "idle-timeout", in: 1...3600) { server.idleTimeout = t }
        server.users = Self.decodeDDNSUsers(table, d)
        return server
    }

    /// `[[ddns.server.user]]`: names unique.
    static func decodeDDNSUsers(_ table: TOMLTable, _ d: ConfigDecoder) -> [DDNSUserConfig] {
        let p = "ddns.server.user"
        var users: [DDNSUserConfig] = []
        for (entry, location) in arrayOfTables(table, "user") {
            let name = d.text(entry, p, "name", maxBytes: 255)
            if entry["name"] == nil {
                d.error("ddns.server.user.name is required; expected a user name", key: "\(p).name", at: location)
            }
            if let name, name.contains(":") {
                d.error(
                    "ddns.server.user.name: '\(name)' contains ':', which Basic auth cannot carry in a user name",
                    key: "\(p).name", at: entry["name"]?.location ?? location)
            }
            var password: DDNSUserConfig.Password?
            var passwordLocation = location
            let text = d.string(entry, p, "password", record: false)
            let file = d.string(entry, p, "password-file", record: false)
            switch (text, file) {
            case (let (s, v)?, nil):
                if s.isEmpty { d.bad("\(p).password", v, "the string is empty") } else { password = .text(s) }
            case (nil, let (s, v)?):
                if s.isEmpty {
                    d.bad("\(p).password-file", v, "the string is empty")
                } else {
                    password = .file(d.resolve(s))
                    passwordLocation = v.location
                }
            case (_?, _?):
                d.error("\(p): give password or password-file, not both", key: p, at: location)
            case (nil, nil):
                if entry["password"] == nil, entry["password-file"] == nil {
                    d.error("\(p): password or password-file is required", key: p, at: location)
                }
            }
            var names: [String] = []
            for (s, v) in Self.strings(entry, p, "names", d) {
                let wildcard = s.hasPrefix("*.")
                switch ConfigValueParsers.domainName(wildcard ? String(s.dropFirst(2)) : s) {
                case .success(let absolute):
                    guard absolute != "." else {
                        d.bad("\(p).names", v, "'\(s)' would allow every name")
                        continue
                    }
                    names.append(wildcard ? "*." + absolute : absolute)
                case .failure(let problem):
                    d.bad("\(p).names", v, "'\(s)' is not a valid name: \(problem.reason)")
                }
            }
            if entry["names"] == nil {
                d.error(
                    "\(p).names is required; expected \(Self.schemaByPath["\(p).names"]?.type ?? "names")",
                    key: "\(p).names", at: location)
            }
            guard let name, !name.contains(":"), let password else { continue }
            if let first = users.first(where: { $0.name == name }) {
                d.error(
                    "\(p).name: user '\(name)' is already defined at line \(first.location.line)", key: "\(p).name",
                    at: entry["name"]?.location ?? location)
                continue
            }
            users.append(
                DDNSUserConfig(
                    name: name, password: password, names: names, location: location,
                    passwordLocation: passwordLocation))
        }
        return users
    }

    /// An array of listen addresses at `ddns.server.NAME`; nil when absent or bad (reported).
    private static func ddnsAddresses(_ table: TOMLTable, _ d: ConfigDecoder, _ name: String) -> [ListenAddress]? {
        let path = "ddns.server.\(name)"
        guard let v = d.value(table, "ddns.server", name) else { return nil }
        guard let items = v.array else {
            d.bad(path, v, "found \(d.article(v.typeName))")
            return nil
        }
        var addresses: [ListenAddress] = []
        var ok = true
        for item in items {
            guard let s = item.string else {
                d.bad(path, item, "found \(d.article(item.typeName)) in the array")
                ok = false
                continue
            }
            guard let address = ListenAddress(parsing: s) else {
                d.bad(path, item, "'\(s)' is not a valid address")
                ok = false
                continue
            }
            if addresses.contains(address) {
                d.bad(path, item, "'\(s)' is listed twice")
                ok = false
            }
            if name == "listen-http", !Self.isLoopback(address) {
                d.bad(
                    path, item,
                    "'\(s)' is not a loopback address; plain HTTP would carry passwords in clear text, so it is allowed on 127.0.0.0/8 and ::1 only (use listen for HTTPS)"
                )
                ok = false
            }
            addresses.append(address)
        }
        return ok ? addresses : nil
    }

    /// 127.0.0.0/8 or ::1.
    static func isLoopback(_ address: ListenAddress) -> Bool {
        if address.isIPv6 {
            let h = address.host.lowercased()
            return h == "::1" || h == "0:0:0:0:0:0:0:1"
        }
        return address.host.hasPrefix("127.")
    }
}
