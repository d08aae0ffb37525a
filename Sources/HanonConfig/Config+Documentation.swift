// SPDX-License-Identifier: Apache-2.0

extension Config {
    /// A complete config using every supported key, shown in docs/config.md and parsed by the tests.
    public static let example = """
        # hanon.toml: every key, mostly at its default
        data = "/var/lib/hanon"            # keys, journals, DDNS state, secondary copies
        user = "hanon"                     # drop privileges after binding

        [dns]
        listen = ["0.0.0.0:53", "[::]:53"]
        threads = 0                        # 0 = one per core
        nsid = "ns1"
        identity = "ns1.example.org"       # id.server, hostname.bind
        version = "hanon"                  # version.bind
        max-udp-size = 1232
        tcp-idle-timeout = "10s"
        tcp-max-connections = 100
        query-log = false

        [dns.rate-limit]                   # response rate limiting: on when present
        responses-per-second = 20
        slip = 2
        window = "15s"
        ipv4-prefix = 24
        ipv6-prefix = 56

        [dns.cookies]
        secret = "0123456789abcdef0123456789abcdef"   # make your own: openssl rand -hex 16

        [log]
        level = "info"

        [[key]]                            # TSIG
        name = "transfer"
        algorithm = "hmac-sha256"
        secret = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="   # make your own: tsig-keygen transfer

        [[key]]
        name = "ddns"
        secret = "c2VjcmV0IGtleSBmb3IgZHluYW1pYyB1cGRhdGVzIQ=="

        [[zone]]
        name = "example.org"
        file = "zones/example.org.zone"    # relative to this file's directory
        allow-transfer = ["192.0.2.0/24", "2001:db8::53", "key:transfer"]   # default: nobody
        notify = ["192.0.2.53", "[2001:db8::53]:53"]                         # secondaries
        allow-update = [                   # dynamic update (RFC 2136); none by default
          { key = "ddns", names = ["home.example.org"], types = ["A", "AAAA"] },
          { address = "127.0.0.1/32", names = ["*.dyn.example.org"] },
        ]
        serial-policy = "increment"        # or "unixtime", "date" (YYYYMMDDnn)
        zonefile-sync = "60s"              # rewrite the zone file after this quiet time

        [zone.dnssec]                      # sign example.org (or just: dnssec = true)
        algorithm = "ecdsap256sha256"      # or ecdsap384sha384, ed25519, rsasha256
        keys = "csk"                       # or "ksk-zsk"
        denial = "nsec"                    # or "nsec3"
        nsec3-opt-out = false
        signature-validity = "14d"
        signature-refresh = "5d"           # re-sign when less than this is left
        jitter = "12h"
        dnskey-ttl = "1h"
        zsk-lifetime = "0"                 # 0 = never roll
        ksk-lifetime = "0"
        propagation-delay = "5m"
        parent-ds-check = "command"        # or the parent's servers: ["192.0.2.1", "198.51.100.1"]
        parent-ds-check-interval = "1m"    # how often they are asked while a new DS is awaited

        [[zone]]
        name = "example.net"
        file = "/etc/hanon/zones/example.net.zone"
        dnssec = true                      # signed with the defaults

        [[zone]]                           # a secondary: transferred from its primary
        name = "example.com"
        primary = ["198.51.100.1@key:transfer"]

        [ddns]                             # dynamic DNS client
        interval = "5m"                    # look for a new address this often
        allow-private = false              # never publish 10/8, 192.168/16, fc00::/7…
        ca-file = "/etc/ssl/certs/ca-certificates.crt"   # CAs for HTTPS; always verified

        [ddns.ipv4]                        # sources, tried in this order: interface, web, dns-name, command
        interface = "eth0"
        web = "https://checkip.example.net/"
        web-skip = "Current IP Address:"
        dns-name = "myip.example.net"
        dns-type = "A"
        dns-server = "resolver1.example.net"
        command = ["/usr/local/bin/wan-address", "--ipv4"]

        [ddns.ipv6]
        interface = "eth0"
        web = "https://checkip6.example.net/"
        web-skip = "Address:"
        dns-name = "myip.example.net"
        dns-type = "AAAA"
        dns-server = "[2001:db8::53]:53"
        command = ["/usr/local/bin/wan-address", "--ipv6"]

        [[ddns.record]]                    # a zone hanon serves: through the dynamic update path
        name = "home.example.org"
        provider = "hanon"

        [[ddns.record]]
        name = "home.example.net"
        provider = "dyndns2"               # or zoneedit, cloudflare, rfc2136, hanon
        server = "https://members.example.net"
        username = "alice"
        password-file = "/etc/hanon/ddns.password"   # or password = "…"
        ipv4 = true
        ipv6 = false

        [[ddns.record]]
        name = "gw.example.com"
        provider = "cloudflare"
        server = "https://api.cloudflare.com/client/v4"
        zone = "example.com"
        password = "cloudflare-api-token"
        ttl = 300

        [[ddns.record]]
        name = "vpn.example.com"
        provider = "rfc2136"
        server = "198.51.100.1"            # the zone's primary
        zone = "example.com"
        key = "ddns"

        [ddns.server]                      # dyndns2 endpoint: GET /nic/update?hostname=…&myip=…
        listen = ["0.0.0.0:8443", "[::]:8443"]      # HTTPS
        listen-http = ["127.0.0.1:8080"]            # plain HTTP: loopback only
        certificate = "/etc/hanon/ddns.crt"
        key = "/etc/hanon/ddns.key"
        ttl = 300                          # for records it creates
        max-connections = 64
        idle-timeout = "10s"

        [[ddns.server.user]]
        name = "router"
        password-file = "/etc/hanon/router.password"
        names = ["home.example.org", "*.dyn.example.org"]

        [[ddns.server.user]]
        name = "laptop"
        password = "change me"
        names = ["laptop.example.org"]
        [resolver]                         # a validating resolver for the local network
        listen = ["192.168.1.1:5353"]      # not an address:port dns.listen holds
        allow = ["127.0.0.0/8", "::1/128", "192.168.0.0/16"]
        root-hints = "/etc/hanon/root.hints"
        trust-anchor = "/etc/hanon/root.key"
        dnssec = true
        cache-size = 64
        ttl-max = "1d"
        ttl-min = "0s"
        qname-minimisation = true
        aggressive-nsec = true
        prefetch = true                    # refresh popular names before they expire
        serve-stale = true                 # RFC 8767: expired answers when authorities are unreachable
        stale-answer-ttl = "30s"
        max-stale-ttl = "1d"
        stale-refresh-time = "30s"
        stale-answer-client-timeout = 1800 # milliseconds
        allow-loopback-upstreams = false

        [[resolver.forward]]               # names of the home router's zone
        zone = "home.arpa"
        servers = ["192.168.1.254"]

        """

    /// docs/config.md: every key of ``schema`` with its type, default and description, and
    /// ``example``. A test keeps the checked-in file equal to this text.
    public static func documentation() -> String {
        var out = """
            # Configuration

            <!-- Generated from Sources/HanonConfig/ConfigSchema.swift by Config.documentation(); do not edit.
                 Regenerate with: UPDATE_DOCS=1 swift test --filter ConfigDocumentationTests -->

            hanon reads one [TOML 1.0](https://toml.io/en/v1.0.0) file: `hanon serve --config FILE`,
            and `hanon check-config FILE` to check one without serving. Every key has a default, so an
            empty file is valid (it serves no zones).

            hanon refuses a file with an unknown key or a bad value, and names the file, line, column
            and key, with the expected form — every problem at once, not only the first:

            ```
            hanon.toml:12:1: unknown key 'dns.listn' (did you mean 'listen'?)
            hanon.toml:14:16: dns.max-udp-size: 9000 is out of range; expected an integer from 512 to 4096
            ```

            Forms used below:

            - **duration**: `"10s"`, `"5m"`, `"1h30m"`, `"2d"` (units d, h, m, s, largest first), or an
              integer number of seconds.
            - **address**: `"192.0.2.1:53"` or `"[2001:db8::1]:53"`, port 1 to 65535.
            - **domain name**: `"example.org"` or `"example.org."`; letters, digits, `-` and `_`, labels of at
              most 63 octets, at most 255 octets in all; internationalised names in `xn--` form.
            - **path**: absolute, or relative to the directory of the config file.

            """
        let sections = schema.filter { $0.kind != .value && $0.supported }
        out += "\n## Top level\n\n" + keyTable(parent: "")
        for section in sections {
            let header = section.kind == .table ? "[\(section.path)]" : "[[\(section.path)]]"
            out += "\n## `\(header)`\n\n\(section.description)"
            if let note = section.defaultNote { out += " Default: \(note)." }
            out += "\n\n" + keyTable(parent: section.path)
        }
        let planned = schema.filter { !$0.supported }
        if !planned.isEmpty {
            out += "\n## Not supported yet\n\n"
            out +=
                "These keys are reserved for coming versions; hanon refuses them for now rather than ignore them.\n\n"
            for spec in planned {
                let shown = spec.kind == .table ? "[\(spec.path)]" : spec.path
                out += "- `\(shown)`: \(spec.description)\n"
            }
        }
        out += "\n## Example\n\n```toml\n\(example)```\n"
        return out
    }

    private static func keyTable(parent: String) -> String {
        var out = "| Key | Type | Default | Description |\n|---|---|---|---|\n"
        for spec in schema where spec.parent == parent && spec.kind == .value && spec.supported {
            let value = spec.defaultValue.map { "`\($0)`" } ?? spec.defaultNote ?? "—"
            out += "| `\(spec.name)` | \(cell(spec.type)) | \(cell(value)) | \(cell(spec.description)) |\n"
        }
        return out
    }

    private static func cell(_ text: String) -> String {
        text.replacingPipes()
    }
}

extension String {
    fileprivate func replacingPipes() -> String {
        var out = ""
        for ch in self { out += ch == "|" ? "\\|" : String(ch) }
        return out
    }
}
