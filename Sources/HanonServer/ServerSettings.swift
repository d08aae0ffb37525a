// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import HanonConfig
import NIOCore

/// Where a zone comes from: a file, or text built into hanon (`--example`).
public struct ZoneSource: Sendable, Hashable {
    public var name: DomainName
    /// Path of the zone file (the name shown in errors for built-in text).
    public var file: String
    /// Zone text held in memory instead of a file.
    public var text: String?
    /// Where the zone was configured (`hanon.toml:20`), for error messages.
    public var configuredAt: String?
    /// Dynamic update settings; nil = updates refused.
    public var update: ZoneUpdateSettings?
    /// Signing by hanon (`dnssec`); nil = served as the file is (signed elsewhere or not at all).
    public var dnssec: ZoneDNSSECSettings?

    public init(name: DomainName, file: String, text: String? = nil, configuredAt: String? = nil) {
        self.name = name
        self.file = file
        self.text = text
        self.configuredAt = configuredAt
    }

    /// `hanon.toml:20: zone example.org.: ` or `zone example.org.: `.
    var errorPrefix: String {
        (self.configuredAt.map { "\($0): " } ?? "") + "zone \(self.name): "
    }
}

/// Everything `hanon serve` needs, from the config file or from the command line.
public struct ServerSettings: Sendable {
    /// `ADDR:PORT` or `[ADDR]:PORT`.
    public var listen: [String]
    /// Event-loop threads; 0 means one per core.
    public var threads: Int
    public var zones: [ZoneSource]
    public var authority: AuthorityOptions
    public var tcpIdleTimeout: Duration
    public var tcpMaxConnections: Int
    /// One log line per query (off by default).
    public var queryLog: Bool
    /// Response rate limiting for UDP; nil = off (as in BIND and Knot).
    public var rateLimit: RateLimitConfiguration?
    /// 16-octet secret for server cookies; random at start when nil.
    public var cookieSecret: [UInt8]?
    /// Drop root to this user after binding.
    public var user: String?
    /// Where `hanon.pid` is written; nil = no pid file.
    public var dataDirectory: String?
    /// The config file, re-read on reload; nil when settings came from the command line.
    public var configFile: String?
    public var logLevel: String
    /// Zones transferred from primaries (`zone.primary`).
    public var secondaries: [SecondarySource] = []
    /// TSIG keys (`[[key]]`, RFC 8945): signed requests are verified with them.
    public var keys: [TSIGKey]
    /// The config when it has `[[ddns.record]]`s: `hanon serve` runs the DDNS updater for them.
    public var ddnsConfig: Config?
    /// `allow-transfer` and `notify` per zone; a zone not listed allows no transfer.
    public var transfer: [DomainName: ZoneTransferSettings] = [:]
    /// `[ddns.server]`: the dyndns2 endpoint; nil = off (DDNSServerSettings.swift).
    public var ddnsServer: DDNSServerSettings?
    /// `[resolver]`; nil = no resolver.
    public var resolver: ResolverSettings?

    public init(
        listen: [String], threads: Int = 0, zones: [ZoneSource], authority: AuthorityOptions = AuthorityOptions(),
        tcpIdleTimeout: Duration = .seconds(10), tcpMaxConnections: Int = 100, queryLog: Bool = false,
        rateLimit: RateLimitConfiguration? = nil, cookieSecret: [UInt8]? = nil, user: String? = nil,
        dataDirectory: String? = nil, configFile: String? = nil, logLevel: String = "info",
        keys: [TSIGKey] = []
    ) {
        self.listen = listen
        self.threads = threads
        self.zones = zones
        self.authority = authority
        self.tcpIdleTimeout = tcpIdleTimeout
        self.tcpMaxConnections = tcpMaxConnections
        self.queryLog = queryLog
        self.rateLimit = rateLimit
        self.cookieSecret = cookieSecret
        self.user = user
        self.dataDirectory = dataDirectory
        self.configFile = configFile
        self.logLevel = logLevel
        self.keys = keys
    }

    /// The settings a config file describes.
    public init(config: Config) throws {
        let dns = config.dns
        var zones: [ZoneSource] = []
        var secondaries: [SecondarySource] = []
        for zone in config.zones {
            let name: DomainName
            do {
                name = try DomainName(zone.name.hasSuffix(".") ? zone.name : zone.name + ".", origin: .root)
            } catch {
                throw SettingsError("\(zone.location): zone name '\(zone.name)': \(error.message)")
            }
            if zone.isSecondary {
                secondaries.append(try Self.secondary(zone, name: name, dataDirectory: config.data))
                continue
            }
            var source = ZoneSource(
                name: name, file: zone.file, configuredAt: "\(zone.location.file):\(zone.location.line)")
            source.update = try ZoneUpdateSettings(config: zone)
            source.dnssec = zone.dnssec.map {
                ZoneDNSSECSettings(config: $0, zone: name, zoneFile: zone.file, dataDirectory: config.data)
            }
            zones.append(source)
        }
        var authority = AuthorityOptions()
        authority.maxUDPPayload = dns.maxUDPSize
        authority.nsid = dns.nsid
        authority.identity = dns.identity ?? hostName()
        authority.version = dns.version
        var rateLimit: RateLimitConfiguration? = nil
        if let rrl = dns.rateLimit {
            rateLimit = RateLimitConfiguration(
                responsesPerSecond: rrl.responsesPerSecond, slip: rrl.slip, window: Int(rrl.window.components.seconds),
                ipv4PrefixLength: rrl.ipv4PrefixLength, ipv6PrefixLength: rrl.ipv6PrefixLength)
        }
        self.init(
            listen: dns.listen.map { $0.isIPv6 ? "[\($0.host)]:\($0.port)" : "\($0.host):\($0.port)" },
            threads: dns.threads, zones: zones, authority: authority, tcpIdleTimeout: dns.tcpIdleTimeout,
            tcpMaxConnections: dns.tcpMaxConnections, queryLog: dns.queryLog, rateLimit: rateLimit,
            cookieSecret: dns.cookieSecret, user: config.user, dataDirectory: config.data, configFile: config.file,
            logLevel: config.log.level.rawValue, keys: try Self.tsigKeys(config.keys))
        self.secondaries = secondaries
        self.transfer = try Self.transferSettings(config)
        try self.configureDDNSServer(config)
        if !config.ddns.records.isEmpty { self.ddnsConfig = config }
        self.resolver = try config.resolver.map { try ResolverSettings(config: $0) }
    }

    static func secondary(_ zone: ZoneConfig, name: DomainName, dataDirectory: String?) throws -> SecondarySource {
        var primaries: [SecondarySource.Primary] = []
        for primary in zone.primaries {
            let address: SocketAddress
            do {
                address = try SocketAddress(ipAddress: primary.address.host, port: Int(primary.address.port))
            } catch {
                throw SettingsError("\(zone.location): zone \(zone.name): primary \(primary.address): \(error)")
            }
            var key: DomainName?
            if let keyName = primary.keyName {
                key = try? DomainName(keyName, origin: .root)
            }
            primaries.append(SecondarySource.Primary(address: address, keyName: key))
        }
        var copy: String? = zone.file.isEmpty ? nil : zone.file
        if copy == nil, let data = dataDirectory {
            copy =
                data + (data.hasSuffix("/") ? "" : "/") + "secondary/" + (name == .root ? "root." : name.description)
                + "zone"
        }
        return SecondarySource(name: name, primaries: primaries, copyPath: copy)
    }

    /// `[[key]]` tables as TSIG keys; a name or algorithm hanon cannot use is
    /// an error naming the `[[key]]` table's file, line and column.
    static func tsigKeys(_ keys: [TSIGKeyConfig]) throws -> [TSIGKey] {
        var result: [TSIGKey] = []
        for key in keys {
            let at = "\(key.location.file):\(key.location.line):\(key.location.column)"
            let name: DomainName
            do {
                name = try DomainName(key.name.hasSuffix(".") ? key.name : key.name + ".", origin: .root)
            } catch {
                throw SettingsError("\(at): key name '\(key.name)': \(error.message)")
            }
            guard let algorithm = TSIGAlgorithm(mnemonic: key.algorithm.rawValue) else {
                throw SettingsError("\(at): key \(key.name): algorithm '\(key.algorithm.rawValue)' is not supported")
            }
            guard !key.secret.isEmpty else { throw SettingsError("\(at): key \(key.name): the secret is empty") }
            result.append(TSIGKey(name: name, algorithm: algorithm, secret: key.secret))
        }
        return result
    }
}

/// A setting that cannot be used, with where it came from.
public struct SettingsError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
