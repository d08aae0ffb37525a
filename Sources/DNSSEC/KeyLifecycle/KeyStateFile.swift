// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The text form of a ``KeySchedule``: one line per key, readable and
/// editable by a person, kept next to the keys' BIND files.
///
/// ```
/// # hanon key states for example.com. (times UTC, YYYYMMDDHHMMSS)
/// key 40213 13 csk created=20261129093000 published=20261129093000 active=20261129093000 ds-submitted=20261129093000 ds-seen=20261130120000
/// key 1571 13 csk created=20270301000000 published=20270301000000 ds-submitted=20270301000000
/// next 20270302130000 key 1571 (csk) becomes active, the key it replaces retires
/// ```
///
/// `key TAG ALGORITHM ROLE` then `name=time` fields: `created` (required),
/// `published`, `active`, `retired`, `removed`, `ds-submitted`, `ds-seen`,
/// `ds-withdrawn`, `rollover-requested`, and `ds-ttl=SECONDS`. `next` is
/// informational (written by the server for `hanon dnssec status`). The
/// file must end with a newline: a file cut short is an error, never read
/// as fewer keys.
public enum KeyStateFile {
    /// The state file of `zone` in its key directory.
    public static func path(zone: DomainName, directory: String) -> String {
        let name = zone.lowercased().description
        return directory + "/" + (name == "." ? "root." : name) + "state"
    }

    /// The file's text for `schedule`.
    public static func format(_ schedule: KeySchedule, zone: DomainName) -> String {
        var text = "# hanon key states for \(zone.lowercased()) (times UTC, YYYYMMDDHHMMSS)\n"
        text += "# written by hanon; \"hanon dnssec status\" shows them, \"hanon dnssec ds-seen\" and\n"
        text += "# \"hanon dnssec rollover\" change them.\n"
        for key in schedule.keys {
            var line = "key \(key.keyTag) \(key.algorithm.rawValue) \(key.role.rawValue)"
            func time(_ name: String, _ value: UInt32?) {
                if let value { line += " \(name)=\(DNSSECTime.format(value))" }
            }
            time("created", key.created)
            time("published", key.published)
            time("active", key.active)
            time("retired", key.retired)
            time("removed", key.removed)
            time("ds-submitted", key.dsSubmitted)
            time("ds-seen", key.dsSeen)
            time("ds-withdrawn", key.dsWithdrawn)
            if let ttl = key.dsTTL { line += " ds-ttl=\(ttl)" }
            time("rollover-requested", key.rolloverRequested)
            text += line + "\n"
        }
        if let next = schedule.nextEvent {
            text += "next \(DNSSECTime.format(next.time)) \(next.text)\n"
        }
        return text
    }

    /// Parses the file's text; `path` names the file in errors
    /// (`PATH:LINE: reason`).
    public static func parse(_ text: String, path: String) throws(DNSSECError) -> KeySchedule {
        var schedule = KeySchedule()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let last = lines.last {
            guard last.isEmpty else {
                throw DNSSECError(
                    .keyFile, "\(path):\(lines.count): incomplete line (the file does not end with a newline)")
            }
            lines.removeLast()
        }
        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            func fail(_ reason: String) -> DNSSECError { DNSSECError(.keyFile, "\(path):\(number): \(reason)") }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            switch first {
            case "key":
                let key = try self.parseKey(words.dropFirst(), fail: fail)
                if schedule.keys.contains(where: { $0.keyTag == key.keyTag && $0.algorithm == key.algorithm }) {
                    throw fail("key \(key.keyTag) algorithm \(key.algorithm.rawValue) is listed twice")
                }
                schedule.keys.append(key)
            case "next":
                guard words.count >= 2, words[1].count == 14, let time = DNSSECTime.parse(Array(words[1].utf8)) else {
                    throw fail("'next' needs a time YYYYMMDDHHMMSS")
                }
                schedule.nextEvent = KeySchedule.Event(time: time, text: words.dropFirst(2).joined(separator: " "))
            default:
                throw fail("unknown line '\(first)' (expected 'key' or 'next')")
            }
        }
        return schedule
    }

    private static func parseKey(
        _ words: ArraySlice<Substring>, fail: (String) -> DNSSECError
    ) throws(DNSSECError) -> KeyRecord {
        guard words.count >= 3 else { throw fail("'key' needs a key tag, an algorithm and a role") }
        let start = words.startIndex
        guard let tag = UInt16(words[start]) else { throw fail("bad key tag '\(words[start])'") }
        guard let algorithm = DNSSECAlgorithm(presentation: Array(words[start + 1].utf8)) else {
            throw fail("bad algorithm '\(words[start + 1])'")
        }
        guard let role = KeyRole(rawValue: String(words[start + 2])) else {
            throw fail("bad role '\(words[start + 2])' (expected ksk, zsk or csk)")
        }
        var times: [String: UInt32] = [:]
        var dsTTL: UInt32? = nil
        let timeFields: Set<String> = [
            "created", "published", "active", "retired", "removed", "ds-submitted", "ds-seen", "ds-withdrawn",
            "rollover-requested",
        ]
        for word in words.dropFirst(3) {
            guard let equals = word.firstIndex(of: "=") else { throw fail("expected name=value, found '\(word)'") }
            let name = String(word[..<equals])
            let value = word[word.index(after: equals)...]
            if times[name] != nil || (name == "ds-ttl" && dsTTL != nil) { throw fail("'\(name)' given twice") }
            if name == "ds-ttl" {
                guard let ttl = UInt32(value) else { throw fail("bad ds-ttl '\(value)'") }
                dsTTL = ttl
            } else if timeFields.contains(name) {
                guard value.count == 14, let time = DNSSECTime.parse(Array(value.utf8)) else {
                    throw fail("bad time '\(value)' for '\(name)' (expected YYYYMMDDHHMMSS)")
                }
                times[name] = time
            } else {
                throw fail("unknown field '\(name)'")
            }
        }
        guard let created = times["created"] else { throw fail("key \(tag) has no 'created' time") }
        let key = KeyRecord(
            keyTag: tag, algorithm: algorithm, role: role, created: created, published: times["published"],
            active: times["active"], retired: times["retired"], removed: times["removed"],
            dsSubmitted: times["ds-submitted"], dsSeen: times["ds-seen"], dsWithdrawn: times["ds-withdrawn"],
            dsTTL: dsTTL, rolloverRequested: times["rollover-requested"])
        // The steps come in order, each after the one it needs.
        let order: [(String, String)] = [
            ("published", "active"), ("active", "retired"), ("published", "removed"),
            ("ds-submitted", "ds-withdrawn"), ("ds-submitted", "ds-seen"),
        ]
        for (before, after) in order {
            guard let later = times[after] else { continue }
            guard let earlier = times[before] else { throw fail("'\(after)' without '\(before)'") }
            guard earlier <= later else { throw fail("'\(after)' is before '\(before)'") }
        }
        if !role.isSecureEntryPoint && (key.dsSubmitted != nil || key.dsSeen != nil || key.dsWithdrawn != nil) {
            throw fail("a zsk has no DS")
        }
        return key
    }
}
