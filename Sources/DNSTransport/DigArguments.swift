// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The command line of `hanon query` (a dig-like client), read the way dig reads its own: words
/// in any order, `@SERVER`, `-p PORT`, a name, a type and a class recognised
/// by mnemonic, and `+[no]option[=value]` switches (unique prefixes allowed).
public struct DigArguments: Sendable {
    public var server: String?
    public var port = 53
    public var name: DomainName = .root
    public var type: RecordType?
    public var dnsClass: DNSClass?
    public var tcp = false
    public var dnssec = false
    public var short = false
    public var recurse = true
    public var edns = true
    public var bufferSize: UInt16 = 1232
    public var nsid = false
    /// The client cookie to send (RFC 7873 §4.1), when asked for.
    public var cookie: [UInt8]?
    /// Seconds per try.
    public var timeout = 5
    public var tries = 3
    /// Keep a truncated UDP reply instead of asking again over TCP (`+ignore`).
    public var ignoreTruncation = false
    public var checkingDisabled = false
    public var authenticData = false
    /// `-4` / `-6`: only servers of that family.
    public var family: Int?
    private var nameGiven = false

    public struct UsageError: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// The `+` options, each with its handler; `value` is the part after `=`.
    private static let plusOptions: [String] = [
        "tcp", "vc", "dnssec", "short", "recurse", "bufsize", "nsid", "cookie", "edns", "timeout", "tries", "retry",
        "ignore", "cdflag", "adflag",
    ]

    /// Parses `arguments`; `makeCookie` supplies the client cookie for `+cookie`
    /// (RFC 7873 §4.1: random).
    public init(
        _ arguments: [String],
        makeCookie: () -> [UInt8] = { (0..<8).map { _ in UInt8.random(in: .min ... .max) } }
    ) throws(UsageError) {
        var i = 0
        func value(after flag: String) throws(UsageError) -> String {
            i += 1
            guard i < arguments.count else { throw UsageError("option \(flag) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let word = arguments[i]
            if word.hasPrefix("@") {
                let server = String(word.dropFirst())
                guard !server.isEmpty else { throw UsageError("'@' needs a server address") }
                self.server = server
            } else if word.hasPrefix("+") {
                try self.apply(plus: String(word.dropFirst()), makeCookie: makeCookie)
            } else if word.hasPrefix("-") && word.count > 1 {
                let flag = String(word.prefix(2))
                let attached = String(word.dropFirst(2))
                switch flag {
                case "-p":
                    let text = attached.isEmpty ? try value(after: flag) : attached
                    guard let port = Int(text), (1...65535).contains(port) else {
                        throw UsageError("invalid port '\(text)'")
                    }
                    self.port = port
                case "-t":
                    let text = attached.isEmpty ? try value(after: flag) : attached
                    guard let type = RecordType(text) else { throw UsageError("invalid type '\(text)'") }
                    self.type = type
                case "-c":
                    let text = attached.isEmpty ? try value(after: flag) : attached
                    guard let c = DNSClass(mnemonic: Array(text.utf8)) else {
                        throw UsageError("invalid class '\(text)'")
                    }
                    self.dnsClass = c
                case "-q":
                    try self.setName(attached.isEmpty ? try value(after: flag) : attached)
                case "-x":
                    let text = attached.isEmpty ? try value(after: flag) : attached
                    guard let reverse = Self.reverseName(text) else { throw UsageError("invalid address '\(text)'") }
                    try self.setName(reverse)
                    if self.type == nil { self.type = .ptr }
                case "-4" where attached.isEmpty: self.family = 4
                case "-6" where attached.isEmpty: self.family = 6
                default:
                    throw UsageError("invalid option '\(word)'")
                }
            } else if self.type == nil, let type = RecordType(word) {
                self.type = type
            } else if self.dnsClass == nil, let c = DNSClass(mnemonic: Array(word.utf8)) {
                self.dnsClass = c
            } else {
                try self.setName(word)
            }
            i += 1
        }
        // dig: no name means the root's NS RRset.
        if !self.nameGiven && self.type == nil { self.type = .ns }
    }

    private mutating func setName(_ text: String) throws(UsageError) {
        guard !self.nameGiven else { throw UsageError("more than one name: '\(text)'") }
        do {
            self.name = try DomainName(text, origin: .root)
        } catch {
            throw UsageError("invalid name '\(text)': \(error.message)")
        }
        self.nameGiven = true
    }

    private mutating func apply(plus text: String, makeCookie: () -> [UInt8]) throws(UsageError) {
        var key = Substring(text)
        var value: String? = nil
        if let eq = text.firstIndex(of: "=") {
            key = text[text.startIndex..<eq]
            value = String(text[text.index(after: eq)...])
        }
        var on = true
        var candidates = Self.plusOptions.filter { !key.isEmpty && $0.hasPrefix(key) }
        if candidates.isEmpty && key.hasPrefix("no") {
            on = false
            key = key.dropFirst(2)
            candidates = Self.plusOptions.filter { !key.isEmpty && $0.hasPrefix(key) }
        }
        if let exact = candidates.first(where: { $0 == key }) { candidates = [exact] }
        guard candidates.count == 1, let option = candidates.first else {
            throw UsageError(candidates.isEmpty ? "invalid option '+\(text)'" : "ambiguous option '+\(text)'")
        }
        func number(_ range: ClosedRange<Int>) throws(UsageError) -> Int {
            guard let value, let n = Int(value), range.contains(n) else {
                throw UsageError("+\(option) needs a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        switch option {
        case "tcp", "vc": self.tcp = on
        case "dnssec":
            self.dnssec = on
            if on { self.edns = true }
        case "short": self.short = on
        case "recurse": self.recurse = on
        case "bufsize":
            self.bufferSize = UInt16(try number(0...65535))
            self.edns = true
        case "nsid":
            self.nsid = on
            if on { self.edns = true }
        case "cookie":
            guard on else {
                self.cookie = nil
                return
            }
            if let value {
                guard let bytes = Self.hexBytes(value), (8...40).contains(bytes.count) else {
                    throw UsageError("+cookie=HEX needs 8 to 40 octets in hex")
                }
                self.cookie = bytes
            } else {
                self.cookie = makeCookie()
            }
            self.edns = true
        case "edns":
            self.edns = on
            if on, value != nil, try number(0...255) != 0 {
                throw UsageError("only EDNS version 0 is supported")
            }
        case "timeout": self.timeout = max(1, try number(0...300))
        case "tries": self.tries = max(1, try number(0...100))
        case "retry": self.tries = try number(0...100) + 1
        case "ignore": self.ignoreTruncation = on
        case "cdflag": self.checkingDisabled = on
        case "adflag": self.authenticData = on
        default: throw UsageError("invalid option '+\(text)'")
        }
    }

    /// The question as a query message (ID filled in by the client).
    public var query: DNSMessage {
        var edns: EDNS? = nil
        if self.edns {
            var options: [EDNSOption] = []
            if self.nsid { options.append(EDNSOption(code: .nsid, data: [])) }
            if let cookie = self.cookie { options.append(EDNSOption(code: .cookie, data: cookie)) }
            edns = EDNS(udpPayloadSize: self.bufferSize, dnssecOK: self.dnssec, options: options)
        }
        var message = DNSMessage.query(
            id: 0, name: self.name, type: self.type ?? .a, dnsClass: self.dnsClass ?? .in,
            recursionDesired: self.recurse, edns: edns)
        message.header.checkingDisabled = self.checkingDisabled
        message.header.authenticData = self.authenticData
        return message
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var i = 0
        while i < digits.count {
            guard let high = Self.nibble(digits[i]), let low = Self.nibble(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return bytes
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `-x`: the in-addr.arpa (RFC 1035 §3.5) or ip6.arpa (RFC 3596 §2.5) name.
    public static func reverseName(_ text: String) -> String? {
        if let v4 = IPv4Address(text) {
            return v4.bytes.reversed().map(String.init).joined(separator: ".") + ".in-addr.arpa."
        }
        if let v6 = IPv6Address(text) {
            let hex = Array("0123456789abcdef")
            var nibbles: [String] = []
            for byte in v6.bytes.reversed() {
                nibbles.append(String(hex[Int(byte & 0x0F)]))
                nibbles.append(String(hex[Int(byte >> 4)]))
            }
            return nibbles.joined(separator: ".") + ".ip6.arpa."
        }
        return nil
    }

    public static let usage = """
        usage: hanon query [@SERVER] [-p PORT] [-4|-6] [-t TYPE] [-c CLASS] [-x ADDR] NAME [TYPE] [CLASS]
                           [+[no]tcp] [+[no]dnssec] [+[no]short] [+[no]recurse] [+bufsize=N] [+[no]nsid]
                           [+[no]cookie[=HEX]] [+[no]edns] [+timeout=N] [+tries=N] [+retry=N] [+[no]ignore]
                           [+[no]cdflag] [+[no]adflag]
        Without @SERVER the servers in /etc/resolv.conf are tried in order.
        Exit status: 0 when a server answered (whatever its RCODE), 9 when none did, 1 on a usage error.
        """
}
