// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSResolver
import DNSTransport
import Foundation
import HanonConfig
import NIOCore

/// What `[resolver]` asks for, checked and parsed (addresses, networks, the hints file).
public struct ResolverSettings: Sendable {
    public var listen: [SocketAddress]
    public var allow: [AddressPrefix]
    public var options: ResolverOptions
    public var cache: CachePolicy
    /// Validate answers (`dnssec`).
    public var dnssec: Bool
    /// The trust anchor file for the validator; nil = the built-in root anchors.
    public var trustAnchorFile: String?

    public init(
        listen: [SocketAddress], allow: [AddressPrefix], options: ResolverOptions = ResolverOptions(),
        cache: CachePolicy = CachePolicy(), dnssec: Bool = true, trustAnchorFile: String? = nil
    ) {
        self.listen = listen
        self.allow = allow
        self.options = options
        self.cache = cache
        self.dnssec = dnssec
        self.trustAnchorFile = trustAnchorFile
    }

    /// The settings of a `[resolver]` table; a hints file that cannot be
    /// read or parsed is an error naming it.
    public init(config: ResolverConfig) throws {
        let at = "\(config.location.file):\(config.location.line)"
        var listen: [SocketAddress] = []
        for address in config.listen {
            do {
                listen.append(try SocketAddress(ipAddress: address.host, port: Int(address.port)))
            } catch {
                throw SettingsError("\(at): resolver.listen: bad address \(address)")
            }
        }
        var allow: [AddressPrefix] = []
        for network in config.allow {
            guard let prefix = AddressPrefix(network) else {
                throw SettingsError("\(at): resolver.allow: bad network \(network)")
            }
            allow.append(prefix)
        }
        var options = ResolverOptions()
        options.allowLoopbackUpstreams = config.allowLoopbackUpstreams
        options.qnameMinimisation = config.qnameMinimisation
        options.aggressiveNSEC = config.aggressiveNSEC
        options.prefetch = config.prefetch
        options.staleAnswerClientTimeout =
            config.staleAnswerClientTimeoutMs > 0 ? .milliseconds(config.staleAnswerClientTimeoutMs) : nil
        for forward in config.forward {
            guard let zone = try? DomainName(forward.zone, origin: .root) else {
                throw SettingsError("\(at): resolver.forward: bad zone \(forward.zone)")
            }
            var servers: [SocketAddress] = []
            for server in forward.servers {
                guard let address = try? SocketAddress(ipAddress: server.host, port: Int(server.port)) else {
                    throw SettingsError("\(at): resolver.forward \(forward.zone): bad address \(server)")
                }
                servers.append(address)
            }
            options.forwardZones[zone] = servers
        }
        if let file = config.rootHints {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
            else { throw SettingsError("\(at): resolver.root-hints: cannot read \(file)") }
            do {
                options.rootHints = try RootHints(parsing: text)
            } catch {
                throw SettingsError("\(file): \(error)")
            }
        }
        var cache = CachePolicy()
        cache.capacity = config.cacheSizeMiB << 20
        cache.ttlMax = UInt32(config.ttlMax.components.seconds)
        cache.ttlMin = UInt32(config.ttlMin.components.seconds)
        cache.negativeTTLMax = min(cache.negativeTTLMax, cache.ttlMax)
        cache.serveStale = config.serveStale
        cache.staleAnswerTTL = UInt32(config.staleAnswerTTL.components.seconds)
        cache.maxStaleTTL = UInt32(config.maxStaleTTL.components.seconds)
        cache.staleRefreshTime = UInt32(config.staleRefreshTime.components.seconds)
        self.init(
            listen: listen, allow: allow, options: options, cache: cache, dnssec: config.dnssec,
            trustAnchorFile: config.trustAnchor)
    }
}
