// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import HanonConfig

/// A zone's dynamic update settings (`allow-update`, `serial-policy`, `zonefile-sync`).
public struct ZoneUpdateSettings: Sendable, Hashable {
    public var policy: UpdatePolicy
    public var serialPolicy: SerialPolicy
    /// Quiet time after the last update before the zone file is rewritten.
    public var zonefileSync: Duration

    public init(policy: UpdatePolicy, serialPolicy: SerialPolicy = .increment, zonefileSync: Duration = .seconds(60)) {
        self.policy = policy
        self.serialPolicy = serialPolicy
        self.zonefileSync = zonefileSync
    }

    /// The settings of a `[[zone]]`; nil when it allows no updates.
    /// Type names are looked up here: an unknown one is an error naming its position.
    init?(config zone: ZoneConfig) throws {
        guard !zone.allowUpdate.isEmpty else { return nil }
        var rules: [UpdateRule] = []
        for rule in zone.allowUpdate {
            let identity: UpdateRule.Identity
            switch rule.identity {
            case .key(let name):
                guard let key = try? DomainName(name, origin: .root) else {
                    throw SettingsError("\(rule.location): zone.allow-update.key: '\(name)' is not a valid name")
                }
                identity = .key(key)
            case .address(let text):
                guard let prefix = AddressPrefix(text) else {
                    throw SettingsError("\(rule.location): zone.allow-update.address: '\(text)' is not a network")
                }
                identity = .address(prefix)
            }
            var names: [UpdateRule.NamePattern] = []
            for name in rule.names {
                guard let pattern = UpdateRule.NamePattern(name) else {
                    throw SettingsError("\(rule.location): zone.allow-update.names: '\(name)' is not a valid name")
                }
                names.append(pattern)
            }
            var types: [RecordType] = []
            for (i, name) in rule.types.enumerated() {
                guard let type = RecordType(mnemonic: Array(name.utf8)[...]) else {
                    let at = i < rule.typeLocations.count ? rule.typeLocations[i] : rule.location
                    throw SettingsError("\(at): zone.allow-update.types: unknown record type '\(name)'")
                }
                types.append(type)
            }
            rules.append(UpdateRule(identity: identity, names: names, types: types))
        }
        let serial: SerialPolicy
        switch zone.serialPolicy {
        case .increment: serial = .increment
        case .unixtime: serial = .unixtime
        case .date: serial = .date
        }
        self.init(policy: UpdatePolicy(rules: rules), serialPolicy: serial, zonefileSync: zone.zonefileSync)
    }
}
