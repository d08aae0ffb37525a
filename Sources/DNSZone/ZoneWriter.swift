// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Prints a zone in canonical presentation form: one record per line,
/// `OWNER<TAB>TTL<TAB>CLASS<TAB>TYPE<TAB>RDATA`, owner absolute, records
/// sorted canonically (RFC 4034 §6.1 name order, then type number, then the
/// RDATA's canonical octets, RFC 4034 §6.3) and duplicates removed
/// (RFC 2181 §5: same owner, class, type and RDATA; the first TTL read wins).
///
/// The output parses back to the same records with no origin and no `$TTL`.
public enum ZoneWriter {
    /// The records, sorted canonically, duplicates removed.
    public static func canonicalRecords(_ records: [ResourceRecord]) -> [ResourceRecord] {
        // Rank distinct names once, so the record sort compares integers.
        var index: [NameKey: Int] = [:]
        var names: [DomainName] = []
        var nameOf = [Int](repeating: 0, count: records.count)
        for i in records.indices {
            if i > 0, records[i - 1].name.wire == records[i].name.wire {
                nameOf[i] = nameOf[i - 1]
                continue
            }
            if let id = index[NameKey(records[i].name)] {
                nameOf[i] = id
            } else {
                nameOf[i] = names.count
                index[NameKey(records[i].name)] = names.count
                names.append(records[i].name)
            }
        }
        index = [:]
        let sortedNames = names.indices.sorted { canonicalNameCompare(names[$0], names[$1]) < 0 }
        var rank = [Int](repeating: 0, count: names.count)
        for (position, id) in sortedNames.enumerated() { rank[id] = position }

        var order = Array(records.indices)
        order.sort { x, y in
            let rx = rank[nameOf[x]]
            let ry = rank[nameOf[y]]
            if rx != ry { return rx < ry }
            let tx = records[x].type.rawValue
            let ty = records[y].type.rawValue
            if tx != ty { return tx < ty }
            if records[x].dnsClass.rawValue != records[y].dnsClass.rawValue {
                return records[x].dnsClass.rawValue < records[y].dnsClass.rawValue
            }
            let c = compareOctets(records[x].rdata.canonicalWireBytes, records[y].rdata.canonicalWireBytes)
            return c != 0 ? c < 0 : x < y
        }
        var out: [ResourceRecord] = []
        out.reserveCapacity(records.count)
        var previous: Int? = nil
        for i in order {
            if let p = previous, nameOf[p] == nameOf[i], records[p].dnsClass == records[i].dnsClass,
                records[p].rdata == records[i].rdata
            {
                continue
            }
            out.append(records[i])
            previous = i
        }
        return out
    }

    /// Appends one record's line (with the final newline).
    public static func appendLine(_ record: ResourceRecord, to out: inout String) {
        record.writePresentation(to: &out, separator: "\t")
        out.append("\n")
    }

    /// The zone text, canonical; `emit` receives it in chunks of about `chunkSize` characters.
    public static func write(_ records: [ResourceRecord], chunkSize: Int = 1 << 16, emit: (String) -> Void) {
        var out = ""
        out.reserveCapacity(chunkSize + 1024)
        for record in self.canonicalRecords(records) {
            self.appendLine(record, to: &out)
            if out.utf8.count >= chunkSize {
                emit(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { emit(out) }
    }

    /// The whole canonical zone as one string.
    public static func format(_ records: [ResourceRecord]) -> String {
        var all = ""
        self.write(records) { all += $0 }
        return all
    }
}
