// SPDX-License-Identifier: Apache-2.0

extension Config {
    /// `[dns]`, `[dns.rate-limit]`, `[dns.cookies]`.
    static func decodeDNS(_ table: TOMLTable, _ d: ConfigDecoder) -> DNSConfig {
        var dns = DNSConfig()
        let p = "dns"
        if let v = d.value(table, p, "listen") {
            if let items = v.array {
                var addresses: [ListenAddress] = []
                var ok = true
                for item in items {
                    guard let s = item.string else {
                        d.bad("dns.listen", item, "found \(d.article(item.typeName)) in the array")
                        ok = false
                        continue
                    }
                    guard let address = ListenAddress(parsing: s) else {
                        d.bad("dns.listen", item, "'\(s)' is not a valid address")
                        ok = false
                        continue
                    }
                    if addresses.contains(address) {
                        d.bad("dns.listen", item, "'\(s)' is listed twice")
                        ok = false
                    }
                    addresses.append(address)
                }
                if items.isEmpty {
                    d.bad("dns.listen", v, "the array is empty")
                } else if ok {
                    dns.listen = addresses
                }
            } else {
                d.bad("dns.listen", v, "found \(d.article(v.typeName))")
            }
        }
        if let n = d.integer(table, p, "threads", in: 0...1024) { dns.threads = n }
        if let (s, v) = d.string(table, p, "nsid") {
            if s.hasPrefix("0x") || s.hasPrefix("0X") {
                if let bytes = ConfigValueParsers.hex(s.dropFirst(2)), !bytes.isEmpty, bytes.count <= 128 {
                    dns.nsid = bytes
                } else {
                    d.bad("dns.nsid", v, "'\(s)' is not an even number of hex digits (at most 256)")
                }
            } else if s.isEmpty {
                d.bad("dns.nsid", v, "the string is empty")
            } else if s.utf8.count > 128 {
                d.bad("dns.nsid", v, "the string is \(s.utf8.count) bytes long")
            } else {
                dns.nsid = Array(s.utf8)
            }
        }
        if let s = d.text(table, p, "identity", maxBytes: 255) { dns.identity = s }
        if let s = d.text(table, p, "version", maxBytes: 255) { dns.version = s }
        if let n = d.integer(table, p, "max-udp-size", in: 512...4096) { dns.maxUDPSize = n }
        if let t = d.duration(table, p, "tcp-idle-timeout", in: 1...3600) { dns.tcpIdleTimeout = t }
        if let n = d.integer(table, p, "tcp-max-connections", in: 1...65535) { dns.tcpMaxConnections = n }
        if let b = d.bool(table, p, "query-log") { dns.queryLog = b }

        if let rrl = table["rate-limit"]?.table {
            let q = "dns.rate-limit"
            var limit = RateLimitConfig()
            if let n = d.integer(rrl, q, "responses-per-second", in: 1...1_000_000) { limit.responsesPerSecond = n }
            if let n = d.integer(rrl, q, "slip", in: 0...10) { limit.slip = n }
            if let t = d.duration(rrl, q, "window", in: 1...3600) { limit.window = t }
            if let n = d.integer(rrl, q, "ipv4-prefix", in: 0...32) { limit.ipv4PrefixLength = n }
            if let n = d.integer(rrl, q, "ipv6-prefix", in: 0...128) { limit.ipv6PrefixLength = n }
            dns.rateLimit = limit
        }
        if let cookies = table["cookies"]?.table {
            if let (s, v) = d.string(cookies, "dns.cookies", "secret") {
                let digits = s.hasPrefix("0x") ? s.dropFirst(2) : Substring(s)
                if let bytes = ConfigValueParsers.hex(digits), bytes.count == 16 {
                    dns.cookieSecret = bytes
                } else {
                    d.bad("dns.cookies.secret", v, "'\(s)' is not 32 hex digits")
                }
            }
        }
        return dns
    }
}
