// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension KeySchedule {
    /// The report of `hanon dnssec status`: one row per key (tag, algorithm,
    /// role, state, DS state, the times of its steps), then the next event
    /// and what waits on the parent.
    public func statusText(zone: DomainName, now: UInt32) -> String {
        let header = [
            "KEY", "ALGORITHM", "ROLE", "STATE", "DS", "CREATED", "PUBLISHED", "ACTIVE", "RETIRED", "REMOVED",
        ]
        var rows: [[String]] = [header]
        for key in self.keys {
            rows.append([
                String(key.keyTag), KeyStore.mnemonic(key.algorithm), key.role.rawValue, key.state(at: now),
                key.dsState(at: now).rawValue, Self.time(key.created), Self.time(key.published), Self.time(key.active),
                Self.time(key.retired), Self.time(key.removed),
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        var text = "zone \(zone.lowercased())\n"
        for row in rows {
            var line = ""
            for (column, cell) in row.enumerated() {
                line +=
                    column == row.count - 1
                    ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }
            text += line + "\n"
        }
        if self.keys.isEmpty { text += "no keys\n" }
        for key in self.keys where key.rolloverRequested != nil && !key.isRemoved(at: now) {
            text +=
                "requested: rollover of key \(key.keyTag) (\(key.role.rawValue)) at \(Self.time(key.rolloverRequested))\n"
        }
        if let next = self.nextEvent, next.time > now {
            text += "next: \(Self.time(next.time)) \(next.text)\n"
        } else {
            text += "next: nothing scheduled\n"
        }
        for key in self.awaitingDS(at: now) {
            text += "waiting: the parent's DS for key \(key.keyTag) (\(key.role.rawValue)), submitted "
            text +=
                "\(Self.time(key.dsSubmitted)); confirm with: hanon dnssec ds-seen \(zone.lowercased()) \(key.keyTag)\n"
        }
        return text
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, or `-`.
    public static func time(_ value: UInt32?) -> String {
        guard let value else { return "-" }
        let d = Array(DNSSECTime.format(value))
        return String(d[0..<4]) + "-" + String(d[4..<6]) + "-" + String(d[6..<8]) + "T" + String(d[8..<10]) + ":"
            + String(d[10..<12]) + ":" + String(d[12..<14]) + "Z"
    }
}
