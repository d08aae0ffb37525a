// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// One zone's line of `hanon zone status` (issue 4 item 6), in the shape of
/// `knotc zone-status`: `[name] key: value | key: value …`.
public struct ZoneStatusLine: Sendable, Hashable {
    public var zone: DomainName
    /// Field names and values, in the order printed.
    public var fields: [(String, String)]

    public init(zone: DomainName, fields: [(String, String)]) {
        self.zone = zone
        self.fields = fields
    }

    public var text: String {
        "[\(self.zone)] " + self.fields.map { "\($0.0): \($0.1)" }.joined(separator: " | ")
    }

    public static func == (a: ZoneStatusLine, b: ZoneStatusLine) -> Bool { a.text == b.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.text) }

    /// "12s ago", "3m05s ago", "2h01m ago", "-" for never.
    static func ago(_ instant: ContinuousClock.Instant?, now: ContinuousClock.Instant = .now) -> String {
        guard let instant else { return "-" }
        let seconds = max(0, (now - instant).components.seconds)
        if seconds < 60 { return "\(seconds)s ago" }
        if seconds < 3600 { return "\(seconds / 60)m\(Self.two(seconds % 60))s ago" }
        if seconds < 86400 { return "\(seconds / 3600)h\(Self.two(seconds / 60 % 60))m ago" }
        return "\(seconds / 86400)d\(Self.two(seconds / 3600 % 24))h ago"
    }

    private static func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension HanonServer {
    /// Answers a control command (``ControlSocket``).
    func control(_ command: String) async -> String {
        let words = command.split(separator: " ").map(String.init)
        switch words.first {
        case "zone-status":
            var only: DomainName?
            if words.count > 1 {
                let text = words[1].hasSuffix(".") ? words[1] : words[1] + "."
                guard let name = try? DomainName(text, origin: .root) else {
                    return "error: '\(words[1])' is not a zone name\n"
                }
                only = name
            }
            let lines = await self.zoneStatus().filter { only == nil || $0.zone == only }
            if let only, lines.isEmpty { return "error: no zone \(only)\n" }
            return lines.map { $0.text + "\n" }.joined()
        case "ping":
            return "pong\n"
        default:
            return "error: unknown command '\(command)' (commands: zone-status [ZONE], ping)\n"
        }
    }

    /// Every configured zone: serial, source, last change, transfers.
    public func zoneStatus() async -> [ZoneStatusLine] {
        let now = ContinuousClock.now
        let (settings, zones, loadedAt, secondaries) = self.statusSnapshot()
        let updates = Dictionary(self.updaterStatus().map { ($0.zone, $0) }, uniquingKeysWith: { a, _ in a })
        var lines: [ZoneStatusLine] = []
        for source in settings.zones {
            var fields: [(String, String)] = []
            if let update = updates[source.name] {
                fields.append(("serial", String(update.serial)))
            } else if let zone = zones[source.name] {
                fields.append(("serial", String(zone.zone.serial)))
            } else {
                fields.append(("serial", "- (not loaded)"))
            }
            fields.append(("source", source.text == nil ? "file \(source.file)" : "built in"))
            fields.append(("loaded", ZoneStatusLine.ago(loadedAt[source.name], now: now)))
            if let update = updates[source.name] {
                fields.append(("last update", ZoneStatusLine.ago(update.lastUpdate, now: now)))
                fields.append(
                    (
                        "journal",
                        "\(update.journalBytes) bytes" + (update.pendingWrite ? ", zone file write pending" : "")
                    ))
            }
            self.appendTransferFields(source.name, to: &fields)
            lines.append(ZoneStatusLine(zone: source.name, fields: fields))
        }
        for source in settings.secondaries {
            var fields: [(String, String)] = []
            let status = await secondaries[source.name]?.status
            if let serial = status?.serial {
                fields.append(("serial", String(serial) + (status?.expired == true ? " (expired: SERVFAIL)" : "")))
            } else {
                fields.append(("serial", "- (not transferred yet)"))
            }
            fields.append(("source", "primary " + source.primaries.map(\.description).joined(separator: ", ")))
            fields.append(("last check", ZoneStatusLine.ago(status?.lastCheck, now: now)))
            fields.append(("last transfer", status?.lastTransfer ?? "-"))
            if let error = status?.lastError { fields.append(("last error", error)) }
            self.appendTransferFields(source.name, to: &fields)
            lines.append(ZoneStatusLine(zone: source.name, fields: fields))
        }
        return lines
    }

    /// The secondaries notified of the zone's last change, and how they answered.
    private func appendTransferFields(_ zone: DomainName, to fields: inout [(String, String)]) {
        let notified = self.transferHandler.notifyOutcomes(of: zone)
        if !notified.isEmpty { fields.append(("notified", notified.joined(separator: ", "))) }
    }
}
