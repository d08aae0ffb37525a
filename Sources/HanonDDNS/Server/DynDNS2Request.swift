// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// A dyndns2 update request, from its request target:
/// `/nic/update?hostname=a.example.org,b.example.org&myip=192.0.2.1,2001:db8::1`.
///
/// `hostname` is a comma-separated list; `myip` a comma-separated list of
/// IPv4 and IPv6 addresses (empty or absent: the client's address);
/// `myipv6` more IPv6 addresses (as dynv6 and No-IP accept). Parameters
/// ddclient and routers add (`system`, `wildcard`, `mx`, `backmx`,
/// `offline`) are ignored. `/v3/update` is the same request.
public struct DynDNS2Request: Sendable, Equatable {
    /// The names as sent (percent-decoded), not yet checked.
    public var hostnames: [[UInt8]]
    public var v4: [IPv4Address]
    public var v6: [IPv6Address]

    /// The paths served.
    public static let paths: Set<String> = ["/nic/update", "/v3/update"]
    /// Longest request target accepted.
    public static let maxTargetLength = 4096

    public init(hostnames: [[UInt8]], v4: [IPv4Address] = [], v6: [IPv6Address] = []) {
        self.hostnames = hostnames
        self.v4 = v4
        self.v6 = v6
    }

    /// Why a target is not an update request.
    public enum Problem: Error, Sendable, Equatable {
        /// Not one of ``paths``: 404.
        case notFound
        /// Malformed: 400 with the reason.
        case badRequest(String)
    }

    /// Parses a request target (origin form, RFC 9112 §3.2.1).
    public static func parse(target: String) -> Result<DynDNS2Request, Problem> {
        let bytes = Array(target.utf8)
        guard bytes.count <= Self.maxTargetLength else {
            return .failure(.badRequest("the request target is too long"))
        }
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return .failure(.badRequest("the request target has a byte that is not printable ASCII"))
        }
        let question = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.endIndex
        guard let path = percentDecoded(bytes[..<question]) else {
            return .failure(.badRequest("bad percent-encoding in the path"))
        }
        guard Self.paths.contains(String(decoding: path, as: UTF8.self)) else { return .failure(.notFound) }
        let query = question < bytes.endIndex ? bytes[(question + 1)...] : []
        var hostnames: [[UInt8]]?
        var addresses: [[UInt8]] = []
        var seen: Set<String> = []
        for pair in query.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
            guard let key = percentDecoded(pair[..<equals], plusIsSpace: true),
                let value = percentDecoded(equals < pair.endIndex ? pair[(equals + 1)...] : [], plusIsSpace: true)
            else { return .failure(.badRequest("bad percent-encoding in the query")) }
            let name = String(decoding: key, as: UTF8.self).lowercased()
            guard ["hostname", "myip", "myipv6"].contains(name) else { continue }
            guard seen.insert(name).inserted else { return .failure(.badRequest("\(name) is given twice")) }
            let items = value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true).map(Array.init)
            if name == "hostname" {
                hostnames = items
            } else {
                addresses += items
            }
        }
        guard let hostnames, !hostnames.isEmpty else { return .failure(.badRequest("no hostname")) }
        var request = DynDNS2Request(hostnames: hostnames)
        for text in addresses {
            if let v4 = IPv4Address(parsing: text) {
                if !request.v4.contains(v4) { request.v4.append(v4) }
            } else if let v6 = IPv6Address(parsing: text) {
                if !request.v6.contains(v6) { request.v6.append(v6) }
            } else {
                let shown = String(
                    decoding: text.prefix(64).map { $0 < 0x20 || $0 > 0x7E ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
                return .failure(.badRequest("'\(shown)' is not an IP address"))
            }
        }
        return .success(request)
    }

    /// Percent-decoding (RFC 3986 §2.1); nil for a `%` not followed by two hex digits.
    static func percentDecoded(_ bytes: some Collection<UInt8>, plusIsSpace: Bool = false) -> [UInt8]? {
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        let input = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            let c = input[i]
            if c == UInt8(ascii: "%") {
                guard i + 2 < input.count, let high = hex(input[i + 1]),
                    let low = hex(input[i + 2])
                else { return nil }
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(plusIsSpace && c == UInt8(ascii: "+") ? UInt8(ascii: " ") : c)
                i += 1
            }
        }
        return out
    }

    /// The host name as a domain name, when it is a fully qualified host
    /// name: at least two labels of letters, digits, `-` and `_`, each 1 to
    /// 63 octets, at most 253 in all, an optional final dot. Nil otherwise (`notfqdn`).
    public static func fullyQualifiedName(_ text: [UInt8]) -> DomainName? {
        var body = text[...]
        if body.last == UInt8(ascii: ".") { body = body.dropLast() }
        guard !body.isEmpty, body.count <= 253 else { return nil }
        let labels = body.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return nil }
        for label in labels {
            guard (1...63).contains(label.count) else { return nil }
            for c in label {
                let ok =
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
                    || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
                guard ok else { return nil }
            }
        }
        return try? DomainName(labels: labels)
    }
}
