// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// What setting a name's addresses did to the zone.
public enum DDNSChange: Sendable, Hashable {
    /// The zone changed: new serial, journalled, NOTIFY sent to secondaries.
    case changed
    /// The name already had exactly these addresses: no update, no serial change.
    case unchanged
    /// The name is in no zone this server can change (not served, or a secondary zone).
    case notServed
}

/// Writes addresses into a zone hanon serves, the way an RFC 2136 UPDATE
/// does (journal, serial, zone file write-back, IXFR history, NOTIFY,
/// re-signing). The dyndns2 endpoint and the updater of hanon's own
/// records both write through this; HanonServer provides the
/// implementation (`DDNSZoneAdapter`).
public protocol DDNSZoneWriter: Sendable {
    /// Replaces the A RRset of `name` with `v4` (when not empty) and the AAAA
    /// RRset with `v6` (when not empty); an empty list leaves that type as it
    /// is. An existing RRset keeps its TTL; a new one gets `ttl` (nil: the
    /// writer's default). Throws when the change could not be made durable.
    func setAddresses(_ name: DomainName, v4: [IPv4Address], v6: [IPv6Address], ttl: UInt32?) async throws
        -> DDNSChange
}
