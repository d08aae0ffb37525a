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
        // Rank the distinct names once, then sort plain integer keys
        // (rank, type, class, position): no record is copied while sorting.
        var table = NameTable(expectedCount: records.count / 2)
        var nameOf = [Int32](repeating: 0, count: records.count)
        for i in records.indices {
            if i > 0, records[i - 1].name.wire == records[i].name.wire {
                nameOf[i] = nameOf[i - 1]
            } else {
                nameOf[i] = table.insert(records[i].name).id
            }
        }
        let names = table.names
        table = NameTable(expectedCount: 0)
        let sortedNames = canonicalOrder(of: names)
        var rank = [UInt32](repeating: 0, count: names.count)
        for (position, id) in sortedNames.enumerated() { rank[id] = UInt32(position) }

        struct Key: Comparable {
            var major: UInt64
            var index: Int32
            static func < (a: Key, b: Key) -> Bool { a.major != b.major ? a.major < b.major : a.index < b.index }
        }
        var keys = [Key]()
        keys.reserveCapacity(records.count)
        for i in records.indices {
            let major =
                UInt64(rank[Int(nameOf[i])]) << 32 | UInt64(records[i].type.rawValue) << 16
                | UInt64(records[i].dnsClass.rawValue)
            keys.append(Key(major: major, index: Int32(i)))
        }
        keys.sort()

        var out: [ResourceRecord] = []
        out.reserveCapacity(records.count)
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count && keys[end].major == keys[start].major { end += 1 }
            if end - start == 1 {
                out.append(records[Int(keys[start].index)])
            } else {
                // One RRset: order by canonical RDATA (RFC 4034 §6.3), drop duplicates.
                let set = keys[start..<end].map { Int($0.index) }
                let canonical = set.map { records[$0].rdata.canonicalWireBytes }
                let order = set.indices.sorted { x, y in
                    let c = compareOctets(canonical[x], canonical[y])
                    return c != 0 ? c < 0 : x < y
                }
                var previous: Int? = nil
                for k in order {
                    if let p = previous, canonical[p] == canonical[k] || records[set[p]].rdata == records[set[k]].rdata
                    {
                        continue
                    }
                    out.append(records[set[k]])
                    previous = k
                }
            }
            start = end
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
