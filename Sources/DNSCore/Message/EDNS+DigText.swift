// SPDX-License-Identifier: Apache-2.0

/// dig's OPT pseudosection: the `; EDNS:` line and one line per option,
/// checked against dig 9.18 (empty options print as `; NSID:`, padding as
/// its length).
extension EDNS {
    /// The lines after `;; OPT PSEUDOSECTION:` (BIND `dns_message_pseudosectiontotext`).
    ///
    /// - Parameter clientCookie: the client cookie sent, to judge a COOKIE option.
    public func digText(clientCookie: [UInt8]? = nil) -> String {
        var out = ""
        self.writeDigText(clientCookie: clientCookie, to: &out)
        return out
    }

    func writeDigText(clientCookie: [UInt8]?, to out: inout String) {
        out += "; EDNS: version: \(self.version), flags:"
        if self.flags & 0x8000 != 0 { out += " do" }
        if self.flags & 0x4000 != 0 { out += " co" }
        out += ";"
        let mbz = self.flags & 0x3FFF
        if mbz != 0 {
            let hex = Hex.encode([UInt8(mbz >> 8), UInt8(mbz & 0xFF)], uppercase: false)
            out += " MBZ: 0x\(hex),"
        }
        out += " udp: \(self.udpPayloadSize)\n"
        for option in self.options {
            option.writeDigText(clientCookie: clientCookie, to: &out)
            out += "\n"
        }
    }
}

extension EDNSOption {
    /// One option as dig shows it (`; NSID: 6e 73 31 ("ns1")`), typed when it
    /// is well formed, without the newline.
    ///
    /// - Parameter clientCookie: the client cookie sent; a COOKIE option is
    ///   then `(good)` when it echoes it with a server cookie, `(echoed)` when
    ///   it echoes it alone and `(bad)` otherwise (RFC 7873 §5.3, as dig 9.18).
    public func digText(clientCookie: [UInt8]? = nil) -> String {
        var out = ""
        self.writeDigText(clientCookie: clientCookie, to: &out)
        return out
    }

    func writeDigText(clientCookie: [UInt8]?, to out: inout String) {
        out += "; "
        let data = self.data
        switch self.code {
        case .nsid:
            out += "NSID:"
            Self.writeHexAndText(data, to: &out)
        case .cookie:
            out += "COOKIE:"
            if !data.isEmpty { out += " " + Hex.encode(data, uppercase: false) }
            if (try? Cookie(self)) == nil {
                out += " (malformed)"
            } else if let client = clientCookie {
                out += " (\(self.cookieJudgement(sent: client)))"
            }
        case .clientSubnet:
            out += "CLIENT-SUBNET:"
            if let subnet = try? ClientSubnet(self) {
                out += " \(subnet)"
            } else {
                Self.writeHexAndText(data, to: &out)
            }
        case .expire where data.count == 4 || data.isEmpty:
            out += "EXPIRE:"
            if data.count == 4 {
                let seconds = data.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                out += " \(seconds) (\(verboseDuration(seconds)))"
            }
        case .tcpKeepalive where data.count == 2 || data.isEmpty:
            out += "TCP KEEPALIVE:"
            if data.count == 2 {
                let tenths = Int(data[0]) << 8 | Int(data[1])
                out += " \(tenths / 10).\(tenths % 10) secs"
            }
        case .padding:
            out += "PAD:"
            if !data.isEmpty { out += " (\(data.count) bytes)" }
        case EDNSOptionCode(14) where data.count % 2 == 0:
            // RFC 8145 edns-key-tag.
            out += "KEY-TAG:"
            var tags: [String] = []
            var i = 0
            while i + 1 < data.count {
                tags.append(String(Int(data[i]) << 8 | Int(data[i + 1])))
                i += 2
            }
            if !tags.isEmpty { out += " " + tags.joined(separator: ", ") }
        case .extendedError:
            out += "EDE:"
            guard let ede = try? ExtendedError(self) else {
                // dig 9.18 rejects these replies as malformed; BIND's
                // renderer shows the INFO-CODE and non-UTF-8 text as hex.
                guard data.count >= 2 else {
                    Self.writeHexAndText(data, to: &out)
                    return
                }
                let code = ExtendedError.InfoCode(UInt16(data[0]) << 8 | UInt16(data[1]))
                out += " \(code.rawValue)"
                if let name = code.digName { out += " (\(name))" }
                let text = data[2...]
                out += ": " + text.map { Hex.encode([$0], uppercase: false) + " " }.joined()
                out += "(" + printableASCII(Array(text)) + ")"
                return
            }
            out += " \(ede.infoCode.rawValue)"
            if let name = ede.infoCode.digName { out += " (\(name))" }
            if !ede.extraText.isEmpty {
                // dig shows control characters as '.', everything else as is.
                let shown = ede.extraText.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "." : String($0) }
                out += ": (" + shown.joined() + ")"
            }
        default:
            out += "OPT=\(self.code.rawValue):"
            Self.writeHexAndText(data, to: &out)
        }
    }

    /// How dig judges a reply's COOKIE option against the client cookie it
    /// sent (RFC 7873 §5.3): only the first 8 octets of what was sent are the
    /// client cookie (`+cookie=HEX` may send a server cookie after them).
    public enum CookieJudgement: String, Sendable {
        /// Our client cookie echoed, with a server cookie.
        case good
        /// Our client cookie echoed alone.
        case echoed
        /// Not our client cookie (dig also warns `Client COOKIE mismatch`).
        case bad
    }

    /// This COOKIE option judged against the client cookie sent.
    public func cookieJudgement(sent client: [UInt8]) -> CookieJudgement {
        guard self.data.count >= 8, client.count >= 8, self.data.prefix(8).elementsEqual(client.prefix(8)) else {
            return .bad
        }
        return self.data.count >= 16 ? .good : .echoed
    }

    /// ` 6e 73 31 ("ns1")`, or nothing for empty data.
    private static func writeHexAndText(_ data: [UInt8], to out: inout String) {
        guard !data.isEmpty else { return }
        out += " " + data.map { Hex.encode([$0], uppercase: false) }.joined(separator: " ")
        out += " (\"" + printableASCII(data) + "\")"
    }
}

/// `1 week 1 second`, as BIND's verbose TTL text.
func verboseDuration(_ seconds: UInt32) -> String {
    let units: [(UInt32, String)] = [
        (604_800, "week"), (86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second"),
    ]
    var rest = seconds
    var parts: [String] = []
    for (size, name) in units {
        let n = rest / size
        rest %= size
        if n > 0 { parts.append("\(n) \(name)\(n == 1 ? "" : "s")") }
    }
    return parts.isEmpty ? "0 seconds" : parts.joined(separator: " ")
}
