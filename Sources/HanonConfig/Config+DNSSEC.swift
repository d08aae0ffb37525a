// SPDX-License-Identifier: Apache-2.0

/// `zone.dnssec`: a zone hanon signs itself (`dnssec = true`, or a `[zone.dnssec]` table).
///
/// Defaults follow BIND's `dnssec-policy default` where BIND and Knot differ:
/// signatures valid 14 days, refreshed when less than 5 days are left,
/// expirations spread over 12 hours, DNSKEY TTL 1 hour, zone propagation
/// delay 5 minutes; keys never roll unless a lifetime is given.
public struct ZoneDNSSECConfig: Hashable, Sendable {
    /// `algorithm`: the DNSSEC signing algorithm of new keys (RFC 8624 §3.1).
    public enum Algorithm: String, CaseIterable, Equatable, Sendable {
        case ecdsap256sha256
        case ecdsap384sha384
        case ed25519
        /// 2048-bit keys.
        case rsasha256
    }

    /// `keys`: one combined signing key, or a key-signing and a zone-signing key.
    public enum KeyLayout: String, CaseIterable, Equatable, Sendable {
        case csk
        case kskZSK = "ksk-zsk"
    }

    /// `denial`: NSEC (RFC 4034 §4) or NSEC3 (RFC 5155, RFC 9276 parameters).
    public enum Denial: String, CaseIterable, Equatable, Sendable {
        case nsec
        case nsec3
    }

    /// `parent-ds-check`: how a new DS at the parent is confirmed before an old KSK goes.
    public enum ParentDSCheck: Hashable, Sendable {
        /// By `hanon dnssec ds-seen` (a person checks).
        case command
        /// By asking these servers of the parent zone for the DS RRset.
        case servers([ListenAddress])
    }

    public var algorithm: Algorithm = .ecdsap256sha256
    public var keys: KeyLayout = .csk
    public var denial: Denial = .nsec
    /// `nsec3-opt-out`: insecure delegations left out of the NSEC3 chain (RFC 5155 §6).
    public var nsec3OptOut = false
    /// `signature-validity`: from signing to expiration (inception is backdated 1 hour).
    public var signatureValidity: Duration = .seconds(14 * 86400)
    /// `signature-refresh`: an RRSIG with less than this left is replaced.
    public var signatureRefresh: Duration = .seconds(5 * 86400)
    /// `jitter`: expirations are lowered by a random amount up to this, to spread refreshes.
    public var jitter: Duration = .seconds(12 * 3600)
    /// `dnskey-ttl`: TTL of the DNSKEY, CDS and CDNSKEY RRsets.
    public var dnskeyTTL: Duration = .seconds(3600)
    /// `zsk-lifetime`: a ZSK is rolled after this long; zero = never.
    public var zskLifetime: Duration = .zero
    /// `ksk-lifetime`: a KSK (or CSK) is rolled after this long; zero = never.
    public var kskLifetime: Duration = .zero
    /// `propagation-delay`: how long a change takes to reach every secondary.
    public var propagationDelay: Duration = .seconds(300)
    /// `parent-ds-check`.
    public var parentDSCheck: ParentDSCheck = .command
    /// `parent-ds-check-interval`: while a new DS is awaited, how often the parent's servers are asked.
    public var parentDSCheckInterval: Duration = .seconds(60)
    /// Position of the `dnssec` key or table.
    public var location: SourceLocation

    public init(location: SourceLocation) {
        self.location = location
    }
}

extension Config {
    /// `zone.dnssec`: `true`/`false` or a table of the keys above; problems reported.
    static func decodeDNSSEC(_ table: TOMLTable, _ d: ConfigDecoder) -> ZoneDNSSECConfig? {
        let p = "zone.dnssec"
        // Read directly: a table key (checkKeys has reported a value that is neither table nor boolean).
        guard let v = table["dnssec"] else { return nil }
        if let on = v.boolean { return on ? ZoneDNSSECConfig(location: v.location) : nil }
        guard let t = v.table else { return nil }
        var c = ZoneDNSSECConfig(location: v.location)
        if let a: ZoneDNSSECConfig.Algorithm = d.choice(t, p, "algorithm", record: false) { c.algorithm = a }
        if let k: ZoneDNSSECConfig.KeyLayout = d.choice(t, p, "keys", record: false) { c.keys = k }
        if let n: ZoneDNSSECConfig.Denial = d.choice(t, p, "denial", record: false) { c.denial = n }
        if let o = d.bool(t, p, "nsec3-opt-out") {
            c.nsec3OptOut = o
            if o && c.denial != .nsec3, let at = t["nsec3-opt-out"] {
                d.bad("\(p).nsec3-opt-out", at, "opt-out needs denial = \"nsec3\"")
            }
        }
        let year = 366 * 86400
        if let x = d.duration(t, p, "signature-validity", in: 10...year) { c.signatureValidity = x }
        if let x = d.duration(t, p, "signature-refresh", in: 1...year) { c.signatureRefresh = x }
        if let x = d.duration(t, p, "jitter", in: 0...year) { c.jitter = x }
        if let x = d.duration(t, p, "dnskey-ttl", in: 0...7 * 86400) { c.dnskeyTTL = x }
        if let x = d.duration(t, p, "zsk-lifetime", in: 0...10 * year) { c.zskLifetime = x }
        if let x = d.duration(t, p, "ksk-lifetime", in: 0...10 * year) { c.kskLifetime = x }
        if let x = d.duration(t, p, "propagation-delay", in: 0...7 * 86400) { c.propagationDelay = x }
        if let x = d.duration(t, p, "parent-ds-check-interval", in: 1...86400) { c.parentDSCheckInterval = x }
        if let check = d.value(t, p, "parent-ds-check", record: false) {
            if check.string == "command" {
                c.parentDSCheck = .command
            } else if let items = check.array, !items.isEmpty {
                var servers: [ListenAddress] = []
                for item in items {
                    guard let text = item.string, let address = ListenAddress(parsing: text, defaultPort: 53) else {
                        d.bad("\(p).parent-ds-check", item, "'\(item.string ?? item.typeName)' is not an address")
                        continue
                    }
                    servers.append(address)
                }
                c.parentDSCheck = .servers(servers)
            } else {
                d.bad(
                    "\(p).parent-ds-check", check,
                    "found \(check.string.map { "'\($0)'" } ?? d.article(check.typeName))")
            }
        }
        // Fresh signatures must not be due for refresh at once: expiration − jitter − refresh > now.
        if c.signatureRefresh + c.jitter >= c.signatureValidity {
            d.error(
                "\(p): signature-refresh (\(c.signatureRefresh.components.seconds)s) plus jitter (\(c.jitter.components.seconds)s) must be less than signature-validity (\(c.signatureValidity.components.seconds)s)",
                key: p, at: v.location)
        }
        return c
    }
}
