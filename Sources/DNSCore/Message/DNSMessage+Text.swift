// SPDX-License-Identifier: Apache-2.0

/// dig-style rendering of a whole message (the part of dig's output from
/// `;; ->>HEADER<<-` to the blank line before `;; Query time`), checked
/// against dig 9.18: the same header and flags lines, the OPT pseudosection
/// with typed options, and records laid out on dig's tab stops.
extension DNSMessage {
    /// The message as dig prints it.
    public func digText() -> String {
        var out = ""
        out.reserveCapacity(256)
        self.writeDigHeader(to: &out)
        if let edns = self.edns {
            out += ";; OPT PSEUDOSECTION:\n"
            edns.writeDigText(to: &out)
        }
        let update = self.header.opcode == .update
        if !self.questions.isEmpty {
            out += update ? ";; ZONE SECTION:\n" : ";; QUESTION SECTION:\n"
            for q in self.questions {
                var line = ";"
                q.name.writePresentation(to: &line)
                var column = line.utf8.count
                digIndent(&line, column: &column, to: 32)
                line += q.dnsClass.description
                column += q.dnsClass.description.utf8.count
                digIndent(&line, column: &column, to: 40)
                line += q.type.description
                out += line
                out += "\n"
            }
            out += "\n"
        }
        // A trailing TSIG or SIG(0) is shown in its own pseudosection, as dig does.
        var additionals = self.additionals[...]
        var signature: (String, ResourceRecord)? = nil
        if let last = additionals.last {
            if last.type == .tsig {
                signature = ("TSIG", last)
            } else if last.type == .sig && last.name.isRoot {
                signature = ("SIG0", last)
            }
            if signature != nil { additionals = additionals.dropLast() }
        }
        let sections: [(String, ArraySlice<ResourceRecord>)] = [
            (update ? "PREREQUISITE" : "ANSWER", self.answers[...]),
            (update ? "UPDATE" : "AUTHORITY", self.authorities[...]),
            ("ADDITIONAL", additionals),
        ]
        for (title, records) in sections where !records.isEmpty {
            out += ";; \(title) SECTION:\n"
            for record in records { self.writeDigRecord(record, to: &out) }
            out += "\n"
        }
        if let (title, record) = signature {
            out += ";; \(title) PSEUDOSECTION:\n"
            self.writeDigRecord(record, to: &out)
            out += "\n"
        }
        return out
    }

    /// What `dig +short` prints: the RDATA of each answer record, one per line.
    public var shortText: String {
        var out = ""
        for record in self.answers {
            record.rdata.writePresentation(to: &out)
            out += "\n"
        }
        return out
    }

    private func writeDigHeader(to out: inout String) {
        out += ";; ->>HEADER<<- opcode: \(self.header.opcode.digName), status: \(self.rcode.digName), "
        out += "id: \(self.header.id)\n"
        out += ";; flags:"
        let flags: [(Bool, String)] = [
            (self.header.isResponse, "qr"), (self.header.authoritative, "aa"), (self.header.truncated, "tc"),
            (self.header.recursionDesired, "rd"), (self.header.recursionAvailable, "ra"),
            (self.header.authenticData, "ad"), (self.header.checkingDisabled, "cd"),
        ]
        for (on, name) in flags where on { out += " " + name }
        out += ";"
        if self.header.zBit { out += " MBZ: 0x4;" }
        let additional = self.additionals.count + (self.edns == nil ? 0 : 1)
        out += " QUERY: \(self.questions.count), ANSWER: \(self.answers.count), "
        out += "AUTHORITY: \(self.authorities.count), ADDITIONAL: \(additional)\n\n"
    }

    /// `owner TTL CLASS TYPE RDATA` on dig's tab stops (columns 24, 32, 40, 48).
    private func writeDigRecord(_ record: ResourceRecord, to out: inout String) {
        var line = ""
        record.name.writePresentation(to: &line)
        var column = line.utf8.count
        for (field, stop) in [
            (String(record.ttl), 24), (record.dnsClass.description, 32), (record.type.description, 40),
        ] {
            digIndent(&line, column: &column, to: stop)
            line += field
            column += field.utf8.count
        }
        digIndent(&line, column: &column, to: 48)
        // RFC 2136 empty RDATA (class ANY/NONE in UPDATE) prints as nothing.
        if case .unknown(_, let opaque) = record.rdata, opaque.bytes.isEmpty,
            self.header.opcode == .update, record.dnsClass == DNSClass.any || record.dnsClass == DNSClass.none
        {
        } else {
            record.rdata.writePresentation(to: &line)
            // dig prints an empty TSIG other-data field as a trailing blank
            // (`... 4660 NOERROR 0 `); with other data there is none.
            if case .tsig(let tsig) = record.rdata, tsig.otherData.isEmpty { line += " " }
        }
        out += line
        out += "\n"
    }
}

/// BIND's `indent()` (masterdump.c): tabs to reach the stop, at least one
/// separator, and a space when already past the stop within the same tab.
func digIndent(_ line: inout String, column: inout Int, to stop: Int) {
    let to = max(stop, column + 1)
    var from = column
    let tabs = to / 8 - from / 8
    if tabs > 0 {
        line += String(repeating: "\t", count: tabs)
        from = (to / 8) * 8
    }
    if to > from { line += String(repeating: " ", count: to - from) }
    column = to
}

extension Opcode {
    /// The name dig prints: `RESERVEDn` for unassigned values (and DSO, which dig 9.18 does not name).
    var digName: String {
        switch self.rawValue {
        case 0, 1, 2, 4, 5: self.description
        default: "RESERVED\(self.rawValue)"
        }
    }
}

extension RCode {
    /// The status dig prints: `RESERVEDn` for 11–15 and `?n` for extended values it does not name.
    var digName: String {
        switch self.rawValue {
        case 0...10, 16, 23: self.description
        case 11...15: "RESERVED\(self.rawValue)"
        default: "?\(self.rawValue)"
        }
    }
}

extension EDNS {
    /// The lines after `;; OPT PSEUDOSECTION:`.
    func writeDigText(to out: inout String) {
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
            out += "; "
            option.writeDigText(to: &out)
            out += "\n"
        }
    }
}

extension EDNSOption {
    /// One option as dig shows it, typed when it is well formed.
    func writeDigText(to out: inout String) {
        let data = self.data
        switch self.code {
        case .nsid:
            out += "NSID:"
            Self.writeHexAndText(data, to: &out)
        case .cookie:
            out += "COOKIE:"
            if !data.isEmpty { out += " " + Hex.encode(data, uppercase: false) }
            if (try? Cookie(self)) == nil { out += " (malformed)" }
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
                Self.writeHexAndText(data, to: &out)
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
