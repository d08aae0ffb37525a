// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import HanonConfig
import HanonDDNS
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `[ddns.server]` as the running server needs it: addresses parsed,
/// password files read, name patterns checked.
public struct DDNSServerSettings: Sendable {
    public var https: [SocketAddress]
    public var http: [SocketAddress]
    public var certificateFile: String?
    public var keyFile: String?
    public var users: [DDNSUser]
    public var ttl: UInt32
    public var limits: DynDNS2Limits
    /// `hanon.toml:30:1`: where `[ddns.server]` (or its certificate) is, for errors at start.
    public var configuredAt: String

    /// The settings of `config`; a password file that cannot be read is an
    /// error naming the `password-file` line.
    init(config: DDNSServerConfig) throws {
        let at = config.location.description
        func addresses(_ list: [ListenAddress]) throws -> [SocketAddress] {
            try list.map { address in
                do {
                    return try SocketAddress(ipAddress: address.host, port: Int(address.port))
                } catch {
                    throw SettingsError("\(at): ddns.server: bad address \(address): \(error)")
                }
            }
        }
        self.https = try addresses(config.listen)
        self.http = try addresses(config.listenHTTP)
        self.certificateFile = config.certificate
        self.keyFile = config.key
        self.ttl = UInt32(clamping: config.ttl)
        var limits = DynDNS2Limits()
        limits.maxConnections = config.maxConnections
        limits.idleTimeout = config.idleTimeout
        self.limits = limits
        self.configuredAt = at
        var users: [DDNSUser] = []
        for user in config.users {
            let password: String
            switch user.password {
            case .text(let text):
                password = text
            case .file(let path):
                password = try Self.readPassword(path, at: user.passwordLocation)
            }
            var names: [DDNSNamePattern] = []
            for text in user.names {
                guard let pattern = DDNSNamePattern(text) else {
                    throw SettingsError("\(user.location): ddns.server.user.names: '\(text)' is not a valid name")
                }
                names.append(pattern)
            }
            users.append(DDNSUser(name: user.name, password: password, names: names))
        }
        self.users = users
    }

    /// The first line of a password file, without its line end.
    static func readPassword(_ path: String, at location: SourceLocation) throws -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw SettingsError(
                "\(location): ddns.server.user.password-file: cannot read '\(path)': \(String(cString: strerror(errno)))"
            )
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while bytes.count < 4096 {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        guard !line.isEmpty else {
            throw SettingsError("\(location): ddns.server.user.password-file: '\(path)' has an empty first line")
        }
        return String(decoding: line, as: UTF8.self)
    }

    /// True when a name this endpoint may change can be in `zone`.
    func mayWrite(into zone: DomainName) -> Bool {
        self.users.contains { user in
            user.names.contains { pattern in
                switch pattern {
                case .exact(let name): return name.isSubdomain(of: zone)
                case .below(let base): return base.isSubdomain(of: zone) || zone.isSubdomain(of: base)
                }
            }
        }
    }
}

extension ServerSettings {
    /// Reads `[ddns.server]`; the file zones its users' names fall in get a
    /// journal and a serial policy (dynamic updates) even without
    /// `allow-update`, which then still refuses every network UPDATE.
    mutating func configureDDNSServer(_ config: Config) throws {
        let server = try config.ddnsServer.map { try DDNSServerSettings(config: $0) }
        self.ddnsServer = server
        // Names hanon's own DDNS client keeps up to date ([[ddns.record]] provider "hanon").
        let ownNames = config.ddns.records.filter { $0.provider == .hanon }.compactMap {
            try? DomainName($0.name, origin: .root)
        }
        func mayWrite(into zone: DomainName) -> Bool {
            server?.mayWrite(into: zone) == true || ownNames.contains { $0.isSubdomain(of: zone) }
        }
        for i in self.zones.indices where self.zones[i].update == nil && mayWrite(into: self.zones[i].name) {
            let zone = config.zones.first { $0.name.lowercased() == self.zones[i].name.description.lowercased() }
            let serial: SerialPolicy
            switch zone?.serialPolicy ?? .increment {
            case .increment: serial = .increment
            case .unixtime: serial = .unixtime
            case .date: serial = .date
            }
            self.zones[i].update = ZoneUpdateSettings(
                policy: UpdatePolicy(rules: []), serialPolicy: serial, zonefileSync: zone?.zonefileSync ?? .seconds(60))
        }
    }
}
