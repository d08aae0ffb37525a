// SPDX-License-Identifier: Apache-2.0

/// `[resolver]`: the recursive resolver (issue 6).
public struct ResolverConfig: Equatable, Sendable {
    /// `listen`: addresses the resolver answers on (loopback by default;
    /// they must differ from `dns.listen`'s).
    public var listen: [ListenAddress] = [
        ListenAddress(host: "127.0.0.1", port: 53, isIPv6: false), ListenAddress(host: "::1", port: 53, isIPv6: true),
    ]
    /// `allow`: client networks served; everyone else gets REFUSED.
    public var allow: [String] = ["127.0.0.0/8", "::1/128"]
    /// `[[resolver.forward]]`: zones sent to other resolvers.
    public var forward: [ForwardZoneConfig] = []
    /// `root-hints`: a hints file instead of the built-in root servers.
    public var rootHints: String?
    /// `trust-anchor`: a file of DS or DNSKEY records for the root instead of the built-in anchors.
    public var trustAnchor: String?
    /// `dnssec`: validate answers.
    public var dnssec = true
    /// `cache-size` in mebibytes.
    public var cacheSizeMiB = 64
    /// `ttl-max`, `ttl-min`.
    public var ttlMax: Duration = .seconds(86_400)
    public var ttlMin: Duration = .zero
    /// `qname-minimisation`.
    public var qnameMinimisation = true
    /// `aggressive-nsec`: RFC 8198 answers from validated NSEC/NSEC3.
    public var aggressiveNSEC = true
    /// `prefetch`: refresh popular answers before they expire.
    public var prefetch = true
    /// `serve-stale` (RFC 8767), `stale-answer-ttl`, `max-stale-ttl`, `stale-refresh-time`.
    public var serveStale = false
    public var staleAnswerTTL: Duration = .seconds(30)
    public var maxStaleTTL: Duration = .seconds(86_400)
    public var staleRefreshTime: Duration = .seconds(30)
    /// `stale-answer-client-timeout` in milliseconds; 0 = wait for the resolution.
    public var staleAnswerClientTimeoutMs = 1800
    /// `allow-loopback-upstreams`: the lab's servers live on 127.53.x.y and ::1.
    public var allowLoopbackUpstreams = false
    /// Where `[resolver]` starts.
    public var location: SourceLocation

    public init(location: SourceLocation) { self.location = location }
}

/// One `[[resolver.forward]]`.
public struct ForwardZoneConfig: Equatable, Sendable {
    public var zone: String
    public var servers: [ListenAddress]
}

extension Config {
    /// `[resolver]` and its `[[resolver.forward]]` tables.
    static func decodeResolver(_ table: TOMLTable, _ d: ConfigDecoder, location: SourceLocation) -> ResolverConfig {
        var resolver = ResolverConfig(location: location)
        let p = "resolver"
        if let items = self.resolverStrings(table, d, "listen") {
            var addresses: [ListenAddress] = []
            resolver.listen = []
            for (s, item) in items {
                guard let address = ListenAddress(parsing: s) else {
                    d.bad("resolver.listen", item, "'\(s)' is not a valid address (\"127.0.0.1:53\", \"[::1]:53\")")
                    continue
                }
                if addresses.contains(address) {
                    d.bad("resolver.listen", item, "'\(s)' is listed twice")
                    continue
                }
                addresses.append(address)
            }
            resolver.listen = addresses
        }
        if resolver.listen.isEmpty, let v = table["listen"], v.array?.isEmpty == true {
            d.bad("resolver.listen", v, "the array is empty")
        }
        if let items = self.resolverStrings(table, d, "allow") {
            var networks: [String] = []
            for (s, item) in items {
                guard let network = Self.transferEntry(s), !network.hasPrefix("key:") else {
                    d.bad("resolver.allow", item, "'\(s)' is not a network (192.0.2.0/24, 2001:db8::/32)")
                    continue
                }
                networks.append(network)
            }
            resolver.allow = networks
        }
        if let s = d.text(table, p, "root-hints", maxBytes: 4096) { resolver.rootHints = d.resolve(s) }
        if let s = d.text(table, p, "trust-anchor", maxBytes: 4096) { resolver.trustAnchor = d.resolve(s) }
        if let b = d.bool(table, p, "dnssec") { resolver.dnssec = b }
        if let n = d.integer(table, p, "cache-size", in: 1...65536) { resolver.cacheSizeMiB = n }
        if let t = d.duration(table, p, "ttl-max", in: 1...(7 * 86_400)) { resolver.ttlMax = t }
        if let t = d.duration(table, p, "ttl-min", in: 0...86_400) { resolver.ttlMin = t }
        if let b = d.bool(table, p, "qname-minimisation") { resolver.qnameMinimisation = b }
        if let b = d.bool(table, p, "aggressive-nsec") { resolver.aggressiveNSEC = b }
        if let b = d.bool(table, p, "prefetch") { resolver.prefetch = b }
        if let b = d.bool(table, p, "serve-stale") { resolver.serveStale = b }
        if let t = d.duration(table, p, "stale-answer-ttl", in: 1...3600) { resolver.staleAnswerTTL = t }
        if let t = d.duration(table, p, "max-stale-ttl", in: 1...(7 * 86_400)) { resolver.maxStaleTTL = t }
        if let t = d.duration(table, p, "stale-refresh-time", in: 0...3600) { resolver.staleRefreshTime = t }
        if let n = d.integer(table, p, "stale-answer-client-timeout", in: 0...30_000) {
            resolver.staleAnswerClientTimeoutMs = n
        }
        if let b = d.bool(table, p, "allow-loopback-upstreams") { resolver.allowLoopbackUpstreams = b }
        if resolver.ttlMin > resolver.ttlMax {
            d.error("resolver.ttl-min is larger than resolver.ttl-max", key: "resolver.ttl-min", at: location)
        }
        for (forward, at) in arrayOfTables(table, "forward") {
            let q = "resolver.forward"
            let zone = d.domainName(forward, q, "zone")
            if d.value(forward, q, "zone", record: false) == nil {
                d.error(
                    "resolver.forward.zone is required; expected a domain name", key: "resolver.forward.zone", at: at)
            }
            var servers: [ListenAddress] = []
            if let v = d.value(forward, q, "servers", record: false), let items = v.array {
                for item in items {
                    guard let s = item.string, let address = Self.notifyTarget(s) else {
                        d.bad("resolver.forward.servers", item, "expected an address (192.0.2.53, [2001:db8::53]:53)")
                        continue
                    }
                    servers.append(address)
                }
            }
            if servers.isEmpty {
                d.error(
                    "resolver.forward.servers is required; expected an array of addresses",
                    key: "resolver.forward.servers", at: at)
            }
            if let (name, _) = zone { resolver.forward.append(ForwardZoneConfig(zone: name, servers: servers)) }
        }
        return resolver
    }

    private static func resolverStrings(_ table: TOMLTable, _ d: ConfigDecoder, _ name: String) -> [(
        String, TOMLValue
    )]? {
        guard let v = d.value(table, "resolver", name) else { return nil }
        guard let items = v.array else {
            d.bad("resolver.\(name)", v, "found \(d.article(v.typeName))")
            return nil
        }
        var result: [(String, TOMLValue)] = []
        for item in items {
            guard let s = item.string else {
                d.bad("resolver.\(name)", item, "found \(d.article(item.typeName)) in the array")
                continue
            }
            result.append((s, item))
        }
        return result
    }
}
