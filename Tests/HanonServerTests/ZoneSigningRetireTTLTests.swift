// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import DNSZone
import Foundation
import Testing

@testable import HanonServer

/// Signing on load (and on reload) takes the key lifecycle's steps with
/// TTLsig = the zone's largest TTL (RFC 7583 §3.3.3), as the server's key
/// check does — not KeyPolicy's 1-day default, which kept a retired CSK
/// published a day in a zone of 300 s TTLs.
@Suite struct ZoneSigningRetireTTLTests {
    @Test func aRetiredCSKIsRemovedAfterTheZonesTTLNotADay() throws {
        let dir = try ServeTests.TempDir()
        let zone = try Zone(ZoneFileParser.parse(text: ServeTests.zoneText, origin: "serve.test."))
        let directory = KeyDirectory.path(data: dir.url.path, zone: "serve.test.")
        let settings = ZoneDNSSECSettings(
            keyPolicy: KeyPolicy(
                scheme: .csk, kskLifetime: 1000, propagationDelay: 1, parentDSCheck: false, dnskeyTTL: 2),
            dnskeyTTL: 2, keyDirectory: directory)
        let start: UInt32 = 1_800_000_000
        let roll = start + 1000
        let first = try ZoneSigning.signWhole(zone, serial: 1, settings: settings, now: start)
        let old = try #require(first.signing.keySet.keySigning.first)
        #expect(first.signing.keySet.nextChange == roll, "the rollover starts at the end of the lifetime")

        let rolling = try ZoneSigning.signWhole(zone, serial: 2, settings: settings, now: roll)
        let new = try #require(rolling.signing.keySet.published.first { $0.keyTag != old.keyTag })
        try KeyLifecycle.confirmDS(
            zone: "serve.test.", directory: directory, keyTag: new.keyTag, now: roll, ttl: 2)

        // Active at max(Tpub + Ipub, Tseen + Dprp + TTLds) = roll + 3; the old CSK retires.
        let swapped = try ZoneSigning.signWhole(zone, serial: 3, settings: settings, now: roll + 3)
        #expect(swapped.signing.keySet.keySigning.map(\.keyTag) == [new.keyTag])
        // Iret (CSK) = Dsgn + Dprp + max(TTLkey, TTLsig) = 0 + 1 + max(2, 300).
        #expect(swapped.signing.keySet.nextChange == roll + 3 + 301)
        let removed = try ZoneSigning.signWhole(zone, serial: 4, settings: settings, now: roll + 3 + 301)
        #expect(removed.signing.keySet.published.map(\.keyTag) == [new.keyTag])
    }
}
