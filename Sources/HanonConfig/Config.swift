// SPDX-License-Identifier: Apache-2.0

/// hanon's configuration: one TOML file (docs/config.md, generated from ``Config/schema``).
///
/// Every setting has a default, so an empty file is a valid config (it serves no zones). Keys
/// and values are validated when the file is parsed; problems are reported together, each as
/// `FILE:LINE:COLUMN: message` naming the key and the expected form.
public struct Config: Equatable, Sendable {
    /// The config file's path as given (used in messages and to resolve relative paths).
    public var file: String
    /// `data`: state directory, absolute or relative to the config file's directory.
    public var data: String = "/var/lib/hanon"
    /// `user`: user to switch to after binding; nil keeps the starting user.
    public var user: String?
    /// `[dns]`.
    public var dns = DNSConfig()
    /// `[log]`.
    public var log = LogConfig()
    /// `[[key]]`: TSIG keys, in file order, names unique.
    public var keys: [TSIGKeyConfig] = []
    /// `[[zone]]`: zones, in file order, names unique.
    public var zones: [ZoneConfig] = []
    /// `[ddns.server]`: the dyndns2 endpoint; nil = off.
    public var ddnsServer: DDNSServerConfig?
    /// `[ddns]`: the dynamic DNS client.
    public var ddns = DDNSConfig()
    /// `[resolver]`; nil when absent (no resolver runs).
    public var resolver: ResolverConfig?
    /// Where each key outside arrays of tables was set: path (`dns.listen`) → position of its value.
    /// Keys left to their default are absent. Lets later checks (binding an address) point at the line.
    public var locations: [String: SourceLocation] = [:]

    /// The defaults, as if `file` were empty.
    public init(file: String) {
        self.file = file
    }

    /// The TSIG key named `name` (case-insensitive, with or without the final dot).
    public func key(named name: String) -> TSIGKeyConfig? {
        let wanted = (name.hasSuffix(".") ? name : name + ".").lowercased()
        return keys.first { $0.name.lowercased() == wanted }
    }
}

/// `[dns]`: the authoritative server.
public struct DNSConfig: Equatable, Sendable {
    /// `dns.listen`: UDP and TCP addresses.
    public var listen: [ListenAddress] = [
        ListenAddress(host: "0.0.0.0", port: 53, isIPv6: false),
        ListenAddress(host: "::", port: 53, isIPv6: true),
    ]
    /// `dns.threads`: 0 = one per core.
    public var threads = 0
    /// `dns.nsid`: NSID option payload (RFC 5001); nil = no NSID.
    public var nsid: [UInt8]?
    /// `dns.identity`: CHAOS id.server / hostname.bind answer; nil = the host name (resolved by the server).
    public var identity: String?
    /// `dns.version`: CHAOS version.bind answer; nil = refused.
    public var version: String?
    /// `dns.max-udp-size`: largest UDP response.
    public var maxUDPSize = 1232
    /// `dns.tcp-idle-timeout` (RFC 7766 §6.2.3).
    public var tcpIdleTimeout: Duration = .seconds(10)
    /// `dns.tcp-max-connections`.
    public var tcpMaxConnections = 100
    /// `dns.query-log`.
    public var queryLog = false
    /// `[dns.rate-limit]`; nil = no rate limiting.
    public var rateLimit: RateLimitConfig?
    /// `dns.cookies.secret`: 16 bytes; nil = generate one at start.
    public var cookieSecret: [UInt8]?

    public init() {}
}

/// `[dns.rate-limit]`: response rate limiting for UDP (as BIND's and Knot's RRL).
public struct RateLimitConfig: Equatable, Sendable {
    public var responsesPerSecond = 20
    /// Every slip-th limited response is sent truncated; 0 = none.
    public var slip = 2
    public var window: Duration = .seconds(15)
    public var ipv4PrefixLength = 24
    public var ipv6PrefixLength = 56

    public init() {}
}

/// `[log]`.
public struct LogConfig: Equatable, Sendable {
    public var level: LogLevel = .info

    public init() {}
}

/// Log levels, as swift-log names them.
public enum LogLevel: String, CaseIterable, Equatable, Sendable {
    case trace, debug, info, notice, warning, error, critical
}

/// An address to listen on: `192.0.2.1:53` or `[2001:db8::1]:53`.
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    /// The IP address without brackets.
    public var host: String
    public var port: UInt16
    public var isIPv6: Bool

    public init(host: String, port: UInt16, isIPv6: Bool) {
        self.host = host
        self.port = port
        self.isIPv6 = isIPv6
    }

    /// Parses `IPv4:PORT` or `[IPv6]:PORT` with a port from 1 to 65535; nil otherwise.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        let hostPart = text[..<colon]
        let portPart = text[text.index(after: colon)...]
        guard (1...5).contains(portPart.count), portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portPart), (1...65535).contains(port)
        else { return nil }
        if hostPart.hasPrefix("[") && hostPart.hasSuffix("]") && hostPart.count > 2 {
            let inner = hostPart.dropFirst().dropLast()
            guard ConfigValueParsers.isIPv6(inner) else { return nil }
            self.init(host: inner.lowercased(), port: UInt16(port), isIPv6: true)
        } else {
            guard ConfigValueParsers.isIPv4(hostPart) else { return nil }
            self.init(host: String(hostPart), port: UInt16(port), isIPv6: false)
        }
    }

    /// Like ``init(parsing:)``, and also a bare address (`192.0.2.1`, `2001:db8::1`), which
    /// gets `defaultPort`.
    public init?(parsing text: String, defaultPort: UInt16) {
        if ConfigValueParsers.isIPv4(Substring(text)) {
            self.init(host: text, port: defaultPort, isIPv6: false)
        } else if ConfigValueParsers.isIPv6(Substring(text)) {
            self.init(host: text.lowercased(), port: defaultPort, isIPv6: true)
        } else if text.hasPrefix("[") && text.hasSuffix("]") && ConfigValueParsers.isIPv6(text.dropFirst().dropLast()) {
            self.init(host: text.dropFirst().dropLast().lowercased(), port: defaultPort, isIPv6: true)
        } else {
            self.init(parsing: text)
        }
    }

    /// `192.0.2.1:53` or `[2001:db8::1]:53`.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// One entry of `zone.primary`: where a secondary zone is transferred from,
/// and the TSIG key to sign with (`"192.0.2.1"`, `"[2001:db8::1]:5353@key:transfer"`).
public struct PrimaryConfig: Equatable, Sendable {
    public var address: ListenAddress
    /// Name of a `[[key]]`, absolute with the final dot.
    public var keyName: String?

    public init(address: ListenAddress, keyName: String? = nil) {
        self.address = address
        self.keyName = keyName
    }
}

/// `[[key]]`: a TSIG key (RFC 8945).
public struct TSIGKeyConfig: Equatable, Sendable {
    /// Absolute name, with the final dot.
    public var name: String
    public var algorithm: TSIGAlgorithmName
    public var secret: [UInt8]
    /// Position of the `[[key]]` header.
    public var location: SourceLocation

    public init(name: String, algorithm: TSIGAlgorithmName, secret: [UInt8], location: SourceLocation) {
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
        self.location = location
    }
}

/// TSIG algorithms hanon accepts in the config (RFC 8945 §6; no SHA-224, which swift-crypto lacks).
public enum TSIGAlgorithmName: String, CaseIterable, Equatable, Sendable {
    case hmacSHA256 = "hmac-sha256"
    case hmacSHA384 = "hmac-sha384"
    case hmacSHA512 = "hmac-sha512"
    case hmacSHA1 = "hmac-sha1"
    case hmacMD5 = "hmac-md5"

    /// The algorithm's domain name in TSIG records (RFC 8945 §6).
    public var domainName: String {
        self == .hmacMD5 ? "hmac-md5.sig-alg.reg.int." : rawValue + "."
    }
}

/// `[[zone]]`: a zone served from a file.
public struct ZoneConfig: Equatable, Sendable {
    /// Absolute name, with the final dot, as written (case kept).
    public var name: String
    /// Path of the zone file: absolute, or relative to the current directory when the config file's
    /// path was itself relative.
    public var file: String
    /// Position of the `[[zone]]` header.
    public var location: SourceLocation
    /// Position of the `file` value.
    public var fileLocation: SourceLocation
    /// For a secondary zone, its primaries (`primary`); empty for a zone served from its file.
    /// A secondary zone's `file` is where its copy is kept (empty: in the data directory).
    public var primaries: [PrimaryConfig]
    /// `allow-transfer`: who may transfer the zone, in normal form (`192.0.2.0/24`,
    /// `2001:db8::/32`, `key:name.`); empty = nobody.
    public var allowTransfer: [String] = []
    /// Position of each ``allowTransfer`` entry.
    public var allowTransferLocations: [SourceLocation] = []
    /// `notify`: secondaries told of every change (RFC 1996), port 53 unless given.
    public var notify: [ListenAddress] = []
    /// `allow-update`: who may update the zone (RFC 2136); empty = nobody.
    public var allowUpdate: [UpdateRuleConfig] = []
    /// `serial-policy`: how the SOA serial moves on an update.
    public var serialPolicy: SerialPolicyName = .increment
    /// `zonefile-sync`: how long after the last update the zone file is rewritten.
    public var zonefileSync: Duration = .seconds(60)
    /// `dnssec`: signed by hanon with keys it keeps; nil = served as the file is.
    public var dnssec: ZoneDNSSECConfig? = nil

    public init(
        name: String, file: String, location: SourceLocation, fileLocation: SourceLocation,
        primaries: [PrimaryConfig] = []
    ) {
        self.name = name
        self.file = file
        self.location = location
        self.fileLocation = fileLocation
        self.primaries = primaries
    }

    /// True for a zone transferred from primaries.
    public var isSecondary: Bool { !self.primaries.isEmpty }

    /// A message about this zone in the form `hanon.toml:20: zone example.org: message`, pointing
    /// at the zone's `[[zone]]` header (for problems found after parsing, such as a zone file
    /// that does not load).
    public func diagnostic(_ message: String) -> String {
        "\(location.file):\(location.line): zone \(name == "." ? "." : String(name.dropLast())): \(message)"
    }
}
