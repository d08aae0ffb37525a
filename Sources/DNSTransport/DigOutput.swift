// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Renders a reply the way `dig` 9.18 prints it (kept apart from
/// `DNSMessage.digText` until the two are unified), so that people (and the
/// interop tests) can read hanon's output as they read dig's.
///
/// Records are laid out in BIND's debug style: owner, then TTL at column 24,
/// class at 32, type at 40 and RDATA at 48, reached with tabs (8 wide), or a
/// single space when a field already runs past its column
/// (BIND `lib/dns/masterdump.c` `indent()`).
public enum DigOutput {
    /// Column stops of BIND's `dns_master_style_debug`.
    public static let ttlColumn = 24
    public static let classColumn = 32
    public static let typeColumn = 40
    public static let rdataColumn = 48
    public static let tabWidth = 8

    /// What the client sent, to judge the server cookie (RFC 7873 §5.3).
    public struct Sent: Sendable {
        public var clientCookie: [UInt8]?
        public init(clientCookie: [UInt8]? = nil) { self.clientCookie = clientCookie }
    }

    /// `;; ->>HEADER<<-` through the last section, each section followed by
    /// a blank line, as dig prints them.
    public static func message(_ message: DNSMessage, sent: Sent = Sent()) -> String {
        var out = ""
        let h = message.header
        out += ";; ->>HEADER<<- opcode: \(h.opcode), status: \(message.rcode), id: \(h.id)\n"
        var flags: [String] = []
        if h.isResponse { flags.append("qr") }
        if h.authoritative { flags.append("aa") }
        if h.truncated { flags.append("tc") }
        if h.recursionDesired { flags.append("rd") }
        if h.recursionAvailable { flags.append("ra") }
        if h.authenticData { flags.append("ad") }
        if h.checkingDisabled { flags.append("cd") }
        let additionalCount = message.additionals.count + (message.edns == nil ? 0 : 1)
        out += ";; flags:" + flags.map { " " + $0 }.joined()
        out += "; QUERY: \(message.questions.count), ANSWER: \(message.answers.count)"
        out += ", AUTHORITY: \(message.authorities.count), ADDITIONAL: \(additionalCount)\n"
        if h.isResponse && h.recursionDesired && !h.recursionAvailable {
            out += ";; WARNING: recursion requested but not available\n"
        }
        out += "\n"
        if let edns = message.edns {
            out += ";; OPT PSEUDOSECTION:\n"
            out += Self.pseudosection(edns, sent: sent)
        }
        if !message.questions.isEmpty {
            out += ";; QUESTION SECTION:\n"
            for q in message.questions { out += Self.question(q) + "\n" }
            out += "\n"
        }
        let sections = [("ANSWER", message.answers), ("AUTHORITY", message.authorities), ("ADDITIONAL", message.additionals)]
        for (title, records) in sections where !records.isEmpty {
            out += ";; \(title) SECTION:\n"
            for r in records { out += Self.record(r) + "\n" }
            out += "\n"
        }
        return out
    }

    /// `+short`: the RDATA of each answer record, one per line.
    public static func short(_ message: DNSMessage) -> String {
        var out = ""
        for record in message.answers {
            record.rdata.writePresentation(to: &out)
            out += "\n"
        }
        return out
    }

    /// `;name.<tabs>IN<tab>A` — the question has no TTL; BIND indents it
    /// from the name without its leading `;`.
    public static func question(_ q: Question) -> String {
        var line = ColumnLine()
        var name = ""
        q.name.writePresentation(to: &name)
        line.append(name)
        line.indent(to: Self.classColumn)
        line.append(q.dnsClass.description)
        line.indent(to: Self.typeColumn)
        line.append(q.type.description)
        return ";" + line.text
    }

    /// One record in dig's columns.
    public static func record(_ r: ResourceRecord) -> String {
        var line = ColumnLine()
        var name = ""
        r.name.writePresentation(to: &name)
        line.append(name)
        line.indent(to: Self.ttlColumn)
        line.append(String(r.ttl))
        line.indent(to: Self.classColumn)
        line.append(r.dnsClass.description)
        line.indent(to: Self.typeColumn)
        line.append(r.type.description)
        line.indent(to: Self.rdataColumn)
        var rdata = ""
        r.rdata.writePresentation(to: &rdata)
        line.append(rdata)
        return line.text
    }

    /// The `; EDNS:` line and one line per option (BIND `dns_message_pseudosectiontotext`).
    public static func pseudosection(_ edns: EDNS, sent: Sent = Sent()) -> String {
        var out = "; EDNS: version: \(edns.version), flags:"
        if edns.dnssecOK { out += " do" }
        let mbz = edns.flags & 0x7FFF
        if mbz != 0 {
            out += "; MBZ: 0x" + Self.hex4(mbz) + ", udp: "
        } else {
            out += "; udp: "
        }
        out += "\(edns.udpPayloadSize)\n"
        for option in edns.options {
            out += Self.option(option, sent: sent) + "\n"
        }
        return out
    }

    /// One EDNS option as dig prints it.
    public static func option(_ option: EDNSOption, sent: Sent = Sent()) -> String {
        let data = option.data
        switch option.code {
        case .nsid:
            return "; NSID" + Self.hexAndText(data, separator: " ", quoted: true)
        case .cookie:
            guard !data.isEmpty else { return "; COOKIE" }
            var out = "; COOKIE: " + Self.hex(data, separator: "")
            // RFC 7873 §5.3: the first 8 octets echo our client cookie.
            if let client = sent.clientCookie {
                if data.count >= 8 && Array(data.prefix(8)) == client {
                    out += data.count >= 16 ? " (good)" : " (echoed)"
                } else {
                    out += " (bad)"
                }
            }
            return out
        case .extendedError:
            return Self.extendedError(data)
        case .expire where data.count == 4:
            let seconds = data.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return "; EXPIRE: \(seconds) (\(Self.verboseTTL(seconds)))"
        case .padding:
            return "; PAD" + Self.hexAndText(data, separator: " ", quoted: true)
        default:
            return "; OPT=\(option.code.rawValue)" + Self.hexAndText(data, separator: " ", quoted: true)
        }
    }

    /// RFC 8914 §4: INFO-CODE and EXTRA-TEXT (UTF-8).
    public static func extendedError(_ data: [UInt8]) -> String {
        if data.count == 1 {
            return "; EDE: " + Self.hex(data, separator: "") + " (\"" + Self.printable(data, utf8: false) + "\")"
        }
        guard data.count >= 2 else { return "; EDE" }
        let code = Int(data[0]) << 8 | Int(data[1])
        var out = "; EDE: \(code)"
        if code < Self.extendedErrorNames.count { out += " (\(Self.extendedErrorNames[code]))" }
        let text = Array(data.dropFirst(2))
        if !text.isEmpty {
            out += ": "
            if Array(String(decoding: text, as: UTF8.self).utf8) == text {
                out += "(" + Self.printable(text, utf8: true) + ")"
            } else {
                out += Self.hex(text, separator: " ") + "(" + Self.printable(text, utf8: false) + ")"
            }
        }
        return out
    }

    /// RFC 8914 §5.2 names, as BIND 9.18 prints them.
    static let extendedErrorNames = [
        "Other", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer", "Forged Answer",
        "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired", "Signature Not Yet Valid", "DNSKEY Missing",
        "RRSIGs Missing", "No Zone Key Bit Set", "NSEC Missing", "Cached Error", "Not Ready", "Blocked", "Censored",
        "Filtered", "Prohibited", "Stale NXDOMAIN Answer", "Not Authoritative", "Not Supported",
        "No Reachable Authority", "Network Error", "Invalid Data",
    ]

    /// `: 6e 73 31 ("ns1")`, or nothing for empty data.
    static func hexAndText(_ data: [UInt8], separator: String, quoted: Bool) -> String {
        guard !data.isEmpty else { return "" }
        return ": " + Self.hex(data, separator: separator) + "(\"" + Self.printable(data, utf8: false) + "\")"
    }

    /// Each octet as two lower-case hex digits followed by `separator`.
    static func hex(_ data: [UInt8], separator: String) -> String {
        let digits = Array("0123456789abcdef")
        var out = ""
        for byte in data {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
            out += separator
        }
        return out
    }

    static func hex4(_ value: UInt16) -> String {
        Self.hex([UInt8(value >> 8), UInt8(value & 0xFF)], separator: "")
    }

    /// Printable ASCII as is, anything else as `.` (UTF-8 kept when allowed).
    static func printable(_ data: [UInt8], utf8: Bool) -> String {
        var bytes: [UInt8] = []
        for byte in data {
            if (0x20...0x7E).contains(byte) || (utf8 && byte > 127) {
                bytes.append(byte)
            } else {
                bytes.append(UInt8(ascii: "."))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `1 day`, `2 hours 30 minutes` (BIND `dns_ttl_totext` verbose form).
    public static func verboseTTL(_ seconds: UInt32) -> String {
        var rest = seconds
        var parts: [String] = []
        for (unit, size) in [("week", UInt32(604_800)), ("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1)] {
            let n = rest / size
            rest %= size
            if n > 0 { parts.append("\(n) \(unit)\(n == 1 ? "" : "s")") }
        }
        return parts.isEmpty ? "0 seconds" : parts.joined(separator: " ")
    }

    /// `;; Query time: 1 msec`, `;; SERVER: 127.0.0.1#53(127.0.0.1) (UDP)`,
    /// `;; WHEN: …` (when given) and `;; MSG SIZE  rcvd: 56`, then a blank line.
    public static func footer(
        milliseconds: Int, serverAddress: String, port: Int, serverName: String, transport: String, when: String?,
        size: Int
    ) -> String {
        var out = ";; Query time: \(milliseconds) msec\n"
        out += ";; SERVER: \(serverAddress)#\(port)(\(serverName)) (\(transport))\n"
        if let when { out += ";; WHEN: \(when)\n" }
        out += ";; MSG SIZE  rcvd: \(size)\n\n"
        return out
    }
}

/// A line of text that knows its column, for BIND-style tab alignment.
public struct ColumnLine {
    public private(set) var text = ""
    public private(set) var column = 0

    public init() {}

    public mutating func append(_ s: String) {
        self.text += s
        self.column += s.utf8.count
    }

    /// Moves to column `to` with tabs then spaces; at least one character,
    /// so that fields never touch (BIND `masterdump.c` `indent()`).
    public mutating func indent(to target: Int, tabWidth: Int = DigOutput.tabWidth) {
        var from = self.column
        let to = max(target, from + 1)
        let tabs = max(0, to / tabWidth - from / tabWidth)
        if tabs > 0 {
            self.text += String(repeating: "\t", count: tabs)
            from = (to / tabWidth) * tabWidth
        }
        self.text += String(repeating: " ", count: to - from)
        self.column = to
    }
}
