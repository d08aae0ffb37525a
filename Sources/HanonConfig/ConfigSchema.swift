// SPDX-License-Identifier: Apache-2.0

/// One key of the config file, described once: the parser uses this table to reject unknown keys
/// and to word its messages, and ``Config/documentation()`` prints it as docs/config.md.
public struct ConfigKeySpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `[section]`.
        case table
        /// `[[section]]`, repeated.
        case arrayOfTables
        /// A value: string, integer, array, ….
        case value
    }

    /// Dotted path from the top: `dns.rate-limit.slip`; keys of an array of tables are written
    /// without an index: `zone.file`.
    public var path: String
    public var kind: Kind
    /// The expected form, as a phrase that follows "expected": `an integer from 512 to 4096`.
    public var type: String
    /// The default as TOML text (`1232`, `"10s"`), nil when there is none.
    public var defaultValue: String?
    /// What happens without the key when there is no TOML default (`required`, `the host name`).
    public var defaultNote: String?
    /// False for keys that are reserved for a later version: they are rejected as "not supported yet".
    public var supported: Bool
    public var description: String

    init(
        _ path: String,
        _ type: String,
        default defaultValue: String? = nil,
        note: String? = nil,
        supported: Bool = true,
        _ description: String
    ) {
        self.init(path, .value, type, default: defaultValue, note: note, supported: supported, description)
    }

    init(
        _ path: String,
        _ kind: Kind,
        _ type: String,
        default defaultValue: String? = nil,
        note: String? = nil,
        supported: Bool = true,
        _ description: String
    ) {
        self.path = path
        self.kind = kind
        self.type = type
        self.defaultValue = defaultValue
        self.defaultNote = note
        self.supported = supported
        self.description = description
    }

    /// The path of the enclosing table, "" at the top.
    public var parent: String {
        guard let dot = path.lastIndex(of: ".") else { return "" }
        return String(path[..<dot])
    }

    /// The last component of the path.
    public var name: String {
        guard let dot = path.lastIndex(of: ".") else { return path }
        return String(path[path.index(after: dot)...])
    }
}

extension Config {
    static let durationForm = "(\"10s\", \"5m\", \"1h30m\", \"2d\", or an integer of seconds)"

    /// Every key the config file may contain, in documentation order.
    public static let schema: [ConfigKeySpec] = coreSchema + ddnsClientSchema

    /// The keys before `[ddns]`'s.
    static let coreSchema: [ConfigKeySpec] = [
        .init(
            "data",
            "a path",
            default: "\"/var/lib/hanon\"",
            "Directory for the state hanon keeps: keys, journals, DDNS state, copies of secondary zones. A relative path is relative to the config file's directory."
        ),
        .init(
            "user",
            "a user name",
            note: "keep the user hanon was started as",
            "User to switch to after the listening sockets are bound, so hanon can bind port 53 as root and then run without privileges."
        ),
        .init("dns", .table, "a table", "The authoritative DNS server."),
        .init(
            "dns.listen",
            "an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\"",
            default: "[\"0.0.0.0:53\", \"[::]:53\"]",
            "Addresses to answer on, over UDP and TCP. The port is 1 to 65535."
        ),
        .init(
            "dns.threads",
            "an integer from 0 to 1024",
            default: "0",
            "Threads answering queries; 0 means one per core."
        ),
        .init(
            "dns.nsid",
            "a string of at most 128 bytes, or hex bytes written \"0x…\"",
            note: "no NSID",
            "Name server identifier returned to clients that ask for it (RFC 5001). Text is sent as its UTF-8 bytes; \"0x6e7331\" sends those bytes, as in Knot."
        ),
        .init(
            "dns.identity",
            "a string of at most 255 bytes",
            note: "the host name",
            "Answer to CHAOS TXT queries for id.server and hostname.bind (RFC 4892)."
        ),
        .init(
            "dns.version",
            "a string of at most 255 bytes",
            note: "not answered",
            "Answer to CHAOS TXT queries for version.bind; these are refused unless it is set."
        ),
        .init(
            "dns.max-udp-size",
            "an integer from 512 to 4096",
            default: "1232",
            "Largest UDP response, whatever the client's EDNS buffer size (RFC 6891 §6.2.5; 1232 avoids IP fragmentation, as DNS Flag Day 2020 advises). Without EDNS, responses stay within 512 bytes."
        ),
        .init(
            "dns.tcp-idle-timeout",
            "a duration from 1s to 1h \(durationForm)",
            default: "\"10s\"",
            "How long a TCP connection may stay idle before hanon closes it (RFC 7766 §6.2.3); Knot's default."
        ),
        .init(
            "dns.tcp-max-connections",
            "an integer from 1 to 65535",
            default: "100",
            "Most TCP connections open at once; further connections wait or are refused. NSD's default (tcp-count)."
        ),
        .init(
            "dns.query-log",
            "true or false",
            default: "false",
            "Log one line per query (client, name, type, response code). Off by default: it costs time at high rates."
        ),
        .init(
            "dns.rate-limit",
            .table,
            "a table",
            "Response rate limiting for UDP, per client network, as in BIND and Knot. Off unless this table is present. Responses over the limit are dropped, except every slip-th, which is sent truncated so that a real client retries over TCP."
        ),
        .init(
            "dns.rate-limit.responses-per-second",
            "an integer from 1 to 1000000",
            default: "20",
            "Responses per second allowed to one client network (BIND responses-per-second; Knot rate-limit, whose default this is)."
        ),
        .init(
            "dns.rate-limit.slip",
            "an integer from 0 to 10",
            default: "2",
            "Send every slip-th limited response truncated instead of dropping it; 0 drops all, 1 truncates all (BIND slip)."
        ),
        .init(
            "dns.rate-limit.window",
            "a duration from 1s to 1h \(durationForm)",
            default: "\"15s\"",
            "Period over which rates are averaged (BIND window)."
        ),
        .init(
            "dns.rate-limit.ipv4-prefix",
            "an integer from 0 to 32",
            default: "24",
            "IPv4 clients are counted per network of this prefix length (BIND ipv4-prefix-length)."
        ),
        .init(
            "dns.rate-limit.ipv6-prefix",
            "an integer from 0 to 128",
            default: "56",
            "IPv6 clients are counted per network of this prefix length (BIND ipv6-prefix-length)."
        ),
        .init("dns.cookies", .table, "a table", "DNS cookies (RFC 7873, server cookies of RFC 9018). Always on."),
        .init(
            "dns.cookies.secret",
            "32 hex digits (16 bytes)",
            note: "random, new at each start",
            "Secret for server cookies (SipHash-2-4 key, RFC 9018 §4.4). Give all servers of an anycast set the same secret."
        ),
        .init("log", .table, "a table", "Logging."),
        .init(
            "log.level",
            "one of trace, debug, info, notice, warning, error, critical",
            default: "\"info\"",
            "Least severe level logged."
        ),
        .init("key", .arrayOfTables, "an array of tables", "TSIG keys (RFC 8945), one [[key]] table each."),
        .init("key.name", "a domain name", note: "required", "Key name, as both ends of a transfer know it."),
        .init(
            "key.algorithm",
            "one of hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1, hmac-md5",
            default: "\"hmac-sha256\"",
            "HMAC algorithm (RFC 8945 §6)."
        ),
        .init(
            "key.secret",
            "base64",
            note: "required",
            "Shared secret, base64 as tsig-keygen, keymgr and nsd-control print it."
        ),
        .init("zone", .arrayOfTables, "an array of tables", "Zones served, one [[zone]] table each."),
        .init("zone.name", "a domain name", note: "required", "The zone's apex, e.g. \"example.org\"."),
        .init(
            "zone.file",
            "a path",
            note: "required, except for a secondary zone",
            "Zone file in master-file format (RFC 1035 §5). A relative path is relative to the config file's directory. For a secondary zone: where its copy is kept (default: `secondary/NAME.zone` in the data directory; without a data directory, no copy)."
        ),
        .init(
            "zone.dnssec",
            .table,
            "true or false, or a table",
            note: "false",
            "Sign the zone and keep it signed (RFC 4033–4035): `dnssec = true` with the defaults below, or a `[zone.dnssec]` table after the zone's keys. Keys are generated on first start and kept in the data directory (`keys/ZONE/`, BIND key files, private keys mode 0600); signatures are refreshed before they expire, dynamic updates are signed incrementally, and CDS/CDNSKEY (RFC 7344, RFC 8078) are published for the parent. The zone file stays the unsigned source: hanon never writes signatures into it. Not for secondary zones. Defaults follow BIND's dnssec-policy default."
        ),
        .init(
            "zone.dnssec.algorithm",
            "one of ecdsap256sha256, ecdsap384sha384, ed25519, rsasha256",
            default: "\"ecdsap256sha256\"",
            "Algorithm of new keys (RFC 8624 §3.1); rsasha256 keys have 2048 bits."
        ),
        .init(
            "zone.dnssec.keys",
            "one of csk, ksk-zsk",
            default: "\"csk\"",
            "One combined signing key (CSK), or a key-signing key and a zone-signing key (RFC 6781 §3.1)."
        ),
        .init(
            "zone.dnssec.denial",
            "one of nsec, nsec3",
            default: "\"nsec\"",
            "Authenticated denial of existence: NSEC (RFC 4034 §4) or NSEC3 (RFC 5155) with RFC 9276 parameters (0 extra iterations, empty salt)."
        ),
        .init(
            "zone.dnssec.nsec3-opt-out",
            "true or false",
            default: "false",
            "Leave insecure delegations out of the NSEC3 chain (RFC 5155 §6); only with denial = \"nsec3\"."
        ),
        .init(
            "zone.dnssec.signature-validity",
            "a duration from 10s to 366d \(durationForm)",
            default: "\"14d\"",
            "How long a signature is valid from signing (its inception is backdated 1 hour for lagging clocks). BIND and Knot: 14 days."
        ),
        .init(
            "zone.dnssec.signature-refresh",
            "a duration from 1s to 366d \(durationForm)",
            default: "\"5d\"",
            "A signature with less than this left before it expires is replaced (BIND signatures-refresh). Refresh plus jitter must be less than the validity."
        ),
        .init(
            "zone.dnssec.jitter",
            "a duration from 0s to 366d \(durationForm)",
            default: "\"12h\"",
            "Each signature's expiration is lowered by a random amount up to this, so refreshes spread out instead of all coming due at once (BIND signatures-jitter)."
        ),
        .init(
            "zone.dnssec.dnskey-ttl",
            "a duration from 0s to 7d \(durationForm)",
            default: "\"1h\"",
            "TTL of the DNSKEY, CDS and CDNSKEY RRsets (BIND dnskey-ttl)."
        ),
        .init(
            "zone.dnssec.zsk-lifetime",
            "a duration from 0s to 3660d \(durationForm)",
            default: "0",
            "Roll the zone-signing key after this long (pre-publish, RFC 6781 §4.1.1.1); 0 = never."
        ),
        .init(
            "zone.dnssec.ksk-lifetime",
            "a duration from 0s to 3660d \(durationForm)",
            default: "0",
            "Roll the key-signing key, or the CSK, after this long (double-DS, RFC 6781 §4.1.2); 0 = never."
        ),
        .init(
            "zone.dnssec.propagation-delay",
            "a duration from 0s to 7d \(durationForm)",
            default: "\"5m\"",
            "How long a change of the zone takes to reach every secondary, waited for during rollovers (BIND zone-propagation-delay)."
        ),
        .init(
            "zone.dnssec.parent-ds-check",
            "\"command\", or an array of addresses of the parent zone's servers",
            default: "\"command\"",
            "How a KSK rollover learns that the parent publishes the new DS: by asking the parent's servers for the DS RRset, or when told with a command."
        ),
        .init(
            "zone.dnssec.parent-ds-check-interval",
            "a duration from 1s to 1d \(durationForm)",
            default: "\"1m\"",
            "While a new DS is awaited, how often the parent's servers (parent-ds-check) are asked for it (Knot's submission check-interval). Seconds make a lab's rollover run fast."
        ),
        .init(
            "zone.allow-transfer",
            "an array of networks (\"192.0.2.0/24\", \"::1\") and keys (\"key:NAME\")",
            default: "[]",
            "Who may transfer the zone by AXFR or IXFR over TCP (RFC 5936, RFC 1995): a client whose address is in one of the networks, or whose request is signed with one of the TSIG keys. Empty: nobody."
        ),
        .init(
            "zone.notify",
            "an array of addresses (\"192.0.2.53\", \"[2001:db8::53]:5353\")",
            default: "[]",
            "Secondaries sent a NOTIFY (RFC 1996) over UDP when the zone changes, port 53 unless given; retried 5 times, 2 s apart and doubling, until they answer."
        ),
        .init(
            "zone.primary",
            "an array of addresses",
            "Makes the zone a secondary: its primaries, tried in order, as `\"192.0.2.1\"`, `\"[2001:db8::1]:5353\"`, with `@key:NAME` to sign with a [[key]] (TSIG). The zone is refreshed by its SOA timers and on NOTIFY, by IXFR with AXFR as fallback, and answers SERVFAIL once the SOA expire passes without a primary."
        ),
        .init(
            "zone.allow-update",
            .arrayOfTables,
            "an array of tables",
            note: "no updates (REFUSED)",
            "Who may change the zone by dynamic update (RFC 2136), one table per rule: `allow-update = [{ key = \"ddns\", names = [\"home.example.org\"], types = [\"A\", \"AAAA\"] }]`. An update is allowed when a rule matches its TSIG key or client address, and each record's name and type. Updates are journalled (fsync) in the data directory before they are answered."
        ),
        .init(
            "zone.allow-update.key",
            "the name of a [[key]]",
            note: "give key or address",
            "Updates signed with this TSIG key."
        ),
        .init(
            "zone.allow-update.address",
            "a network \"ADDRESS/LENGTH\" or an address",
            note: "give key or address",
            "Updates from this network, signed or not (BIND's allow-update by address)."
        ),
        .init(
            "zone.allow-update.names",
            "an array of domain names, or \"*.name\" for every name below name",
            note: "every name of the zone",
            "Names the rule lets change: a name exactly (BIND update-policy name), or the names below one (BIND wildcard)."
        ),
        .init(
            "zone.allow-update.types",
            "an array of record types",
            note: "all but SOA, NS, RRSIG, NSEC, NSEC3",
            "Types the rule lets change (BIND's default for an empty list); \"ANY\" lets change every type but RRSIG, NSEC and NSEC3, which only the signer changes."
        ),
        .init(
            "zone.serial-policy",
            "one of increment, unixtime, date",
            default: "\"increment\"",
            "How an update moves the SOA serial: plus one, seconds since 1970, or YYYYMMDDnn (as BIND's serial-update-method); always forward in RFC 1982 arithmetic."
        ),
        .init(
            "zone.zonefile-sync",
            "a duration from 0s to 1d \(durationForm)",
            default: "\"60s\"",
            "After updates, how long the zone stays quiet before hanon rewrites the zone file (canonical form, atomic rename; also at shutdown). The journal holds the changes meanwhile. Knot's zonefile-sync."
        ),
        .init(
            "resolver",
            .table,
            "a table",
            note: "no resolver",
            "The validating, caching recursive resolver. It iterates from the root servers, answers the zones hanon serves itself from their data, and serves only the clients in `allow`."
        ),
        .init(
            "resolver.listen",
            "an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\"",
            default: "[\"127.0.0.1:53\", \"[::1]:53\"]",
            "Addresses the resolver answers on, over UDP and TCP. They must differ from dns.listen (e.g. dns.listen on the public address, resolver.listen on 127.0.0.1:53 and the LAN address)."
        ),
        .init(
            "resolver.allow",
            "an array of networks (\"192.168.0.0/16\", \"fd00::/8\")",
            default: "[\"127.0.0.0/8\", \"::1/128\"]",
            "Clients the resolver serves; others get REFUSED. Loopback only by default: never an open resolver."
        ),
        .init(
            "resolver.forward",
            .arrayOfTables,
            "an array of tables",
            note: "none",
            "Zones resolved by other resolvers instead of by iteration, one [[resolver.forward]] table each (queries sent with RD set)."
        ),
        .init(
            "resolver.forward.zone", "a domain name", note: "required", "The zone forwarded, and every name below it."),
        .init(
            "resolver.forward.servers",
            "an array of addresses (\"192.0.2.53\", \"[2001:db8::53]:5353\")",
            note: "required",
            "Resolvers the zone is sent to, port 53 unless given."
        ),
        .init(
            "resolver.root-hints",
            "a path",
            note: "the real root servers, built in",
            "Root hints file (named.root format: `. NS name` and the names' A and AAAA records)."
        ),
        .init(
            "resolver.trust-anchor",
            "a path",
            note: "the root's current KSKs, built in",
            "Trust anchor file: DS or DNSKEY records for the root in zone-file format (as Unbound's trust-anchor-file)."
        ),
        .init(
            "resolver.dnssec",
            "true or false",
            default: "true",
            "Validate answers (RFC 4033–4035): AD on secure answers, SERVFAIL with an Extended DNS Error on bogus ones."
        ),
        .init(
            "resolver.cache-size",
            "an integer of mebibytes from 1 to 65536",
            default: "64",
            "Memory for cached answers and records; the least recently used are evicted beyond it."
        ),
        .init(
            "resolver.ttl-max",
            "a duration from 1s to 7d \(durationForm)",
            default: "\"1d\"",
            "No record is cached longer than this (Unbound cache-max-ttl)."
        ),
        .init(
            "resolver.ttl-min",
            "a duration from 0s to 1d \(durationForm)",
            default: "\"0s\"",
            "Records are cached at least this long (Unbound cache-min-ttl). Above 0 it serves records past their owners' TTLs."
        ),
        .init(
            "resolver.prefetch",
            "true or false",
            default: "true",
            "Refresh an answer in the background when a client asks for it in the last tenth of its TTL, so popular names never expire for clients (Unbound's prefetch rule; on by default, as BIND's prefetch)."
        ),
        .init(
            "resolver.serve-stale",
            "true or false",
            default: "false",
            "Serve expired answers when their authorities cannot be reached (RFC 8767), with TTL stale-answer-ttl and Extended DNS Error 3 \"Stale Answer\" (19 for NXDOMAIN). Off by default, as Unbound's serve-expired and BIND's stale-answer-enable."
        ),
        .init(
            "resolver.stale-answer-ttl",
            "a duration from 1s to 1h \(durationForm)",
            default: "\"30s\"",
            "The TTL of records served stale (RFC 8767 §4; BIND's stale-answer-ttl, Unbound's serve-expired-reply-ttl)."
        ),
        .init(
            "resolver.max-stale-ttl",
            "a duration from 1s to 7d \(durationForm)",
            default: "\"1d\"",
            "How long past its expiry an answer may still be served stale (RFC 8767 §4 suggests 1 to 3 days; BIND's max-stale-ttl, Unbound's serve-expired-ttl). Stale answers take cache memory and are evicted like any other."
        ),
        .init(
            "resolver.stale-refresh-time",
            "a duration from 0s to 1h \(durationForm)",
            default: "\"30s\"",
            "After a refresh failed and a stale answer was served, how long the stale answer is served at once without asking the authorities again (RFC 8767 §4: no more often than every 30 seconds; BIND's stale-refresh-time)."
        ),
        .init(
            "resolver.stale-answer-client-timeout",
            "an integer of milliseconds from 0 to 30000",
            default: "1800",
            "With serve-stale: how long a client whose question has a stale answer waits for the resolution before it gets the stale answer; the resolution goes on and refreshes the cache (RFC 8767 §5's client response timer; BIND's stale-answer-client-timeout, Unbound's serve-expired-client-timeout). 0 waits until the resolution ends."
        ),
        .init(
            "resolver.qname-minimisation",
            "true or false",
            default: "true",
            "Send each server only the labels it needs to see (RFC 9156), falling back to the full name when a server mishandles it."
        ),
        .init(
            "resolver.aggressive-nsec",
            "true or false",
            default: "true",
            "Answer NXDOMAIN and NODATA from NSEC and NSEC3 records already validated secure (RFC 8198), without asking the authority again. Never from insecure data or NSEC3 Opt-Out spans. On by default, as in Unbound since 1.15."
        ),
        .init(
            "resolver.allow-loopback-upstreams",
            "true or false",
            default: "false",
            "Let referrals point at loopback addresses (127.0.0.0/8, ::1). For test labs only: a real deployment keeps it off."
        ),
        .init("ddns", .table, "a table", "Dynamic DNS."),
        .init(
            "ddns.server",
            .table,
            "a table",
            "The dyndns2 endpoint (`GET /nic/update?hostname=…&myip=…`, HTTP Basic auth), through which routers, ddclient and inadyn change A and AAAA records in zones hanon serves. Off unless this table is present. A change goes the way of a dynamic update: journal, serial, zone file, NOTIFY; the same address again is `nochg` and changes nothing. A client address with 10 failed logins in a minute gets `abuse` until the minute is over."
        ),
        .init(
            "ddns.server.listen",
            "an array of addresses \"IPv4:PORT\" or \"[IPv6]:PORT\"",
            default: "[\"0.0.0.0:443\", \"[::]:443\"]",
            note: "none when only listen-http is given",
            "Addresses of the HTTPS endpoint; needs certificate and key. `[]` for none."
        ),
        .init(
            "ddns.server.listen-http",
            "an array of loopback addresses \"127.0.0.1:PORT\" or \"[::1]:PORT\"",
            default: "[]",
            "Addresses for plain HTTP, allowed on loopback only (a local proxy that ends TLS): anywhere else the password would cross the network in clear text."
        ),
        .init(
            "ddns.server.certificate",
            "a path",
            note: "required with listen",
            "The server's certificate chain, PEM, leaf first. Read at start and on reload."
        ),
        .init("ddns.server.key", "a path", note: "required with listen", "The certificate's private key, PEM."),
        .init(
            "ddns.server.ttl",
            "an integer from 0 to 86400",
            default: "300",
            "TTL of an address record the endpoint creates; an existing record keeps its TTL."
        ),
        .init(
            "ddns.server.max-connections",
            "an integer from 1 to 65535",
            default: "64",
            "Most connections open at once; a connection beyond is closed at once."
        ),
        .init(
            "ddns.server.idle-timeout",
            "a duration from 1s to 1h \(durationForm)",
            default: "\"10s\"",
            "A connection that sends nothing for this long is closed."
        ),
        .init(
            "ddns.server.user",
            .arrayOfTables,
            "an array of tables",
            note: "nobody may update",
            "Accounts of the endpoint, one [[ddns.server.user]] table each."
        ),
        .init("ddns.server.user.name", "a user name without ':'", note: "required", "The Basic auth user name."),
        .init(
            "ddns.server.user.password",
            "a string",
            note: "give password or password-file",
            "The password, compared in constant time."
        ),
        .init(
            "ddns.server.user.password-file",
            "a path",
            note: "give password or password-file",
            "A file whose first line is the password (keep it mode 0600); read at start and on reload."
        ),
        .init(
            "ddns.server.user.names",
            "an array of domain names, or \"*.name\" for every name below name",
            note: "required",
            "Names this user may update (`nohost` for any other). A name must be in a zone hanon serves from a file."
        ),
    ]

    static let schemaByPath: [String: ConfigKeySpec] = {
        var byPath: [String: ConfigKeySpec] = [:]
        for spec in schema { byPath[spec.path] = spec }
        return byPath
    }()
}
