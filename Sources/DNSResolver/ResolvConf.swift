// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The stub resolver configuration from `/etc/resolv.conf` (resolv.conf(5)),
/// read the way glibc reads it.
///
/// - `nameserver ADDRESS` (IPv4, or IPv6 with an optional `%scope`): at most
///   three are used (`MAXNS`), later ones are ignored.
/// - `search D1 D2 …` and `domain D`: the last of them wins; `domain` is a
///   one-entry search list.
/// - `options ndots:N timeout:N attempts:N` (capped at 15, 30 and 5 as glibc
///   does); other options are kept in ``otherOptions``.
/// - `#` and `;` start a comment at the beginning of a line or after a value.
///
/// Special addresses are made explicit rather than left to the kernel:
/// `nameserver 0.0.0.0` means this host over IPv4, so it becomes 127.0.0.1;
/// `::` becomes ::1. The family never changes silently. Without any
/// usable nameserver line the defaults are 127.0.0.1 and ::1.
/// Each server carries the reason it was chosen, for a log line.
public struct ResolvConf: Sendable, Hashable {
    /// glibc's MAXNS.
    public static let maxNameservers = 3

    public var nameservers: [Nameserver]
    public var search: [DomainName]
    /// RFC 1536 / resolv.conf(5): names with fewer dots are tried with the search list first.
    public var ndots: Int = 1
    /// Seconds to wait for each server (resolv.conf(5) default 5).
    public var timeout: Int = 5
    /// Rounds over the server list (resolv.conf(5) default 2).
    public var attempts: Int = 2
    /// Options hanon does not act on (`rotate`, `edns0`, `trust-ad` …), as written.
    public var otherOptions: [String] = []
    /// Lines that could not be understood, with their numbers, for warnings.
    public var ignoredLines: [(line: Int, reason: String)] = []

    public static func == (lhs: ResolvConf, rhs: ResolvConf) -> Bool {
        lhs.nameservers == rhs.nameservers && lhs.search == rhs.search && lhs.ndots == rhs.ndots
            && lhs.timeout == rhs.timeout && lhs.attempts == rhs.attempts && lhs.otherOptions == rhs.otherOptions
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.nameservers)
        hasher.combine(self.search)
    }

    /// One server to ask, and why.
    public struct Nameserver: Sendable, Hashable, CustomStringConvertible {
        /// The address to send to, as text (`127.0.0.1`, `fe80::1`), never a wildcard.
        public var address: String
        /// The IPv6 zone (`eth0` in `fe80::1%eth0`), if any.
        public var scope: String?
        public var isIPv6: Bool
        public var origin: Origin

        public init(address: String, scope: String? = nil, isIPv6: Bool, origin: Origin) {
            self.address = address
            self.scope = scope
            self.isIPv6 = isIPv6
            self.origin = origin
        }

        /// The address with its scope, as getaddrinfo takes it.
        public var host: String { self.scope.map { "\(self.address)%\($0)" } ?? self.address }

        public var description: String { self.host }

        /// Why this server is used, e.g. `from nameserver 0.0.0.0 in /etc/resolv.conf: this host`.
        public func reason(path: String) -> String {
            switch self.origin {
            case .listed:
                "from nameserver \(self.host) in \(path)"
            case .thisHost(let written, _):
                "from nameserver \(written) in \(path): this host"
            case .defaultNoNameserver:
                "no nameserver in \(path): this host, as glibc does"
            }
        }
    }

    /// Where a nameserver came from.
    public enum Origin: Sendable, Hashable {
        /// A `nameserver` line, used as written.
        case listed(line: Int)
        /// A `nameserver` line with the unspecified address (`0.0.0.0`, `::`),
        /// which means this host, over the same family.
        case thisHost(written: String, line: Int)
        /// No usable `nameserver` line: the glibc default, the local host.
        case defaultNoNameserver
    }

    /// The configuration when the file is empty or missing.
    public init() {
        self.nameservers = Self.defaultNameservers
        self.search = []
    }

    public static let defaultNameservers: [Nameserver] = [
        Nameserver(address: "127.0.0.1", isIPv6: false, origin: .defaultNoNameserver),
        Nameserver(address: "::1", isIPv6: true, origin: .defaultNoNameserver),
    ]

    /// Parses the text of a resolv.conf file. Never fails: like glibc, it
    /// skips what it does not understand (listed in ``ignoredLines``).
    public init(parsing text: String) {
        self.nameservers = []
        self.search = []
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let fields = Self.fields(of: rawLine)
            guard let keyword = fields.first else { continue }
            let values = fields.dropFirst()
            switch keyword {
            case "nameserver":
                self.addNameserver(values.first, line: lineNumber)
            case "search":
                self.search = values.compactMap { try? DomainName(String($0)) }
            case "domain":
                self.search = values.first.flatMap { try? DomainName(String($0)) }.map { [$0] } ?? []
            case "options":
                for option in values { self.apply(option: option, line: lineNumber) }
            default:
                // glibc ignores `sortlist`, `lookup` and unknown keywords as well.
                if keyword != "sortlist" {
                    self.ignoredLines.append((lineNumber, "unknown keyword '\(keyword)'"))
                }
            }
        }
        if self.nameservers.isEmpty { self.nameservers = Self.defaultNameservers }
    }

    /// Splits a line into whitespace-separated fields, stopping at `#` or `;`.
    private static func fields(of line: Substring) -> [Substring] {
        var fields: [Substring] = []
        var rest = line[...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            guard let first = rest.first, first != "#", first != ";" else { break }
            let end =
                rest.firstIndex { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "#" || $0 == ";" }
                ?? rest.endIndex
            fields.append(rest[rest.startIndex..<end])
            rest = rest[end...]
        }
        return fields
    }

    private mutating func addNameserver(_ value: Substring?, line: Int) {
        guard let value else {
            self.ignoredLines.append((line, "nameserver without an address"))
            return
        }
        guard self.nameservers.count < Self.maxNameservers else {
            self.ignoredLines.append((line, "more than \(Self.maxNameservers) nameservers"))
            return
        }
        var address = value
        var scope: String? = nil
        if let percent = value.firstIndex(of: "%") {
            address = value[value.startIndex..<percent]
            scope = String(value[value.index(after: percent)...])
            if scope?.isEmpty == true { scope = nil }
        }
        if scope == nil, let v4 = IPv4Address(String(address)) {
            if v4.value == 0 {
                self.nameservers.append(
                    Nameserver(
                        address: "127.0.0.1", isIPv6: false, origin: .thisHost(written: String(value), line: line)))
            } else {
                self.nameservers.append(Nameserver(address: v4.description, isIPv6: false, origin: .listed(line: line)))
            }
        } else if let v6 = IPv6Address(String(address)) {
            if v6.bytes.allSatisfy({ $0 == 0 }) {
                self.nameservers.append(
                    Nameserver(address: "::1", isIPv6: true, origin: .thisHost(written: String(value), line: line)))
            } else {
                self.nameservers.append(
                    Nameserver(address: v6.description, scope: scope, isIPv6: true, origin: .listed(line: line)))
            }
        } else {
            self.ignoredLines.append((line, "'\(value)' is not an IP address"))
        }
    }

    private mutating func apply(option: Substring, line: Int) {
        func value(_ prefix: String, max: Int) -> Int? {
            guard option.hasPrefix(prefix) else { return nil }
            let digits = option.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Swift.min(Int(digits.prefix(6)) ?? max, max)
        }
        if let n = value("ndots:", max: 15) {
            self.ndots = n
        } else if let n = value("timeout:", max: 30) {
            self.timeout = Swift.max(1, n)
        } else if let n = value("attempts:", max: 5) {
            self.attempts = Swift.max(1, n)
        } else if option.hasPrefix("ndots:") || option.hasPrefix("timeout:") || option.hasPrefix("attempts:") {
            self.ignoredLines.append((line, "bad option '\(option)'"))
        } else {
            self.otherOptions.append(String(option))
        }
    }
}
