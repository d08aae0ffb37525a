// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSZone

/// The summary's per-type counts: types below 256 are counted in an array,
/// the others (CAA 257, TYPE65280) in a dictionary; both end in `types`.
@Suite struct ZoneCheckerTypeCountTests {
    @Test func smallAndLargeTypesAreCounted() throws {
        var zone = parseZone([
            "zone": apex
                + "www A 192.0.2.1\nwww A 192.0.2.1\n@ CAA 0 issue \"ca.example\"\n@ CAA 0 iodef \"mailto:x@example\"\n"
                + "x TYPE65280 \\# 1 01\nx TYPE200 \\# 0\nx TYPE200 \\# 1 02\n"
        ])
        let summary = try #require(ZoneChecker.check(&zone))
        #expect(summary.types[.a] == 2)
        #expect(summary.types[RecordType(257)] == 2)
        #expect(summary.types[RecordType(65280)] == 1)
        #expect(summary.types[RecordType(200)] == 2)
        #expect(summary.types[.soa] == 1)
        #expect(summary.types[.ns] == 1)
        #expect(summary.types.count == 6)
        #expect(summary.types[.aaaa] == nil)
        #expect(
            summary.description
                == "example.: 9 records, 4 names, 6 types (A 2, NS 1, SOA 1, TYPE200 2, CAA 2, TYPE65280 1)")
    }
}
