// SPDX-License-Identifier: Apache-2.0

/// What only the client that sent the query knows, for rendering the reply
/// as dig does.
public struct DigTextOptions: Sendable, Hashable {
    /// The client cookie sent in the query: the reply's COOKIE is then judged
    /// `(good)`, `(echoed)` or `(bad)` (RFC 7873 §5.3). Nil prints no judgement
    /// (dig `+nocookie`, or a message that is not a reply to us).
    public var clientCookie: [UInt8]?
    /// Print `;; WARNING: recursion requested but not available` when RD is
    /// set and RA is not, as dig does for every message it receives (not for
    /// one it shows as sent, `+qr`).
    public var recursionWarning: Bool
    /// The OPT record of the query sent, if it had one: a FORMERR or NOTIMP
    /// reply without OPT then gets dig's advice to retry without EDNS
    /// (RFC 6891 §7).
    public var queryEDNS: EDNS?

    public init(clientCookie: [UInt8]? = nil, recursionWarning: Bool = false, queryEDNS: EDNS? = nil) {
        self.clientCookie = clientCookie
        self.recursionWarning = recursionWarning
        self.queryEDNS = queryEDNS
    }
}

/// dig-style rendering of a whole message (the part of dig's output from
/// `;; ->>HEADER<<-` to the blank line before `;; Query time`), checked
/// against dig 9.18: the same header and flags lines, the OPT pseudosection
/// with typed options, and records laid out on dig's tab stops.
extension DNSMessage {
    /// The message as dig prints it.
    public func digText(_ options: DigTextOptions = DigTextOptions()) -> String {
        var out = ""
        out.reserveCapacity(256)
        self.writeDigHeader(options, to: &out)
        if let edns = self.edns {
            out += ";; OPT PSEUDOSECTION:\n"
            edns.writeDigText(clientCookie: options.clientCookie, to: &out)
        }
        let update = self.header.opcode == .update
        if !self.questions.isEmpty {
            out += update ? ";; ZONE SECTION:\n" : ";; QUESTION SECTION:\n"
            for q in self.questions {
                out += q.digText
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
            for record in records {
                out += record.digText(update: update)
                out += "\n"
            }
            out += "\n"
        }
        if let (title, record) = signature {
            out += ";; \(title) PSEUDOSECTION:\n"
            out += record.digText(update: update)
            out += "\n\n"
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

    private func writeDigHeader(_ options: DigTextOptions, to out: inout String) {
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
        out += "AUTHORITY: \(self.authorities.count), ADDITIONAL: \(additional)\n"
        if options.recursionWarning && self.header.recursionDesired && !self.header.recursionAvailable {
            out += ";; WARNING: recursion requested but not available\n"
        }
        if let sent = options.queryEDNS, self.edns == nil, self.rcode == .formErr || self.rcode == .notImp {
            let dnssec = sent.dnssecOK ? "+nodnssec " : ""
            out += "\n;; WARNING: EDNS query returned status \(self.rcode.digName) - retry with '\(dnssec)+noedns'\n"
        }
        out += "\n"
    }
}

extension Question {
    /// `;name.<tabs>IN<tab>A`: dig's question line. There is no TTL, and
    /// BIND counts the columns from the name, not from the leading `;`
    /// (checked with dig 9.18: a 31-octet name is followed by a tab, a
    /// 38-octet one by a tab and then a space).
    public var digText: String {
        var line = ""
        self.name.writePresentation(to: &line)
        var column = line.utf8.count
        digIndent(&line, column: &column, to: 32)
        line += self.dnsClass.description
        column += self.dnsClass.description.utf8.count
        digIndent(&line, column: &column, to: 40)
        line += self.type.description
        return ";" + line
    }
}

extension ResourceRecord {
    /// `owner TTL CLASS TYPE RDATA` on dig's tab stops (columns 24, 32, 40, 48),
    /// without the newline.
    ///
    /// - Parameter update: the record is in an UPDATE message, where empty
    ///   RDATA of class ANY or NONE (RFC 2136 §2.4, §2.5) prints as nothing.
    public func digText(update: Bool = false) -> String {
        var line = ""
        self.name.writePresentation(to: &line)
        var column = line.utf8.count
        for (field, stop) in [
            (String(self.ttl), 24), (self.dnsClass.description, 32), (self.type.description, 40),
        ] {
            digIndent(&line, column: &column, to: stop)
            line += field
            column += field.utf8.count
        }
        digIndent(&line, column: &column, to: 48)
        if case .unknown(_, let opaque) = self.rdata, opaque.bytes.isEmpty,
            update, self.dnsClass == DNSClass.any || self.dnsClass == DNSClass.none
        {
            return line
        }
        self.rdata.writePresentation(to: &line)
        // dig prints an empty TSIG other-data field as a trailing blank
        // (`... 4660 NOERROR 0 `); with other data there is none.
        if case .tsig(let tsig) = self.rdata, tsig.otherData.isEmpty { line += " " }
        return line
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
