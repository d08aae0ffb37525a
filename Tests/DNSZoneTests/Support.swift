// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// Parses `files` (the first file named `top`) with an in-memory file system.
func parseZone(_ files: [String: String], top: String = "zone", origin: DomainName? = "example.") -> ParsedZone {
    ZoneFileParser(fileSystem: InMemoryZoneFiles(files)).parse(file: top, origin: origin)
}

/// Parses one file and checks it; returns the zone with all diagnostics.
func checkZone(_ text: String, origin: DomainName? = "example.") -> ParsedZone {
    var zone = parseZone(["zone": text], origin: origin)
    ZoneChecker.check(&zone)
    return zone
}

/// The records of `zone` as `owner TTL CLASS TYPE RDATA` strings, in file order.
func lines(_ zone: ParsedZone) -> [String] {
    zone.records.map(\.description)
}

/// Diagnostics as printed (`FILE:LINE:COLUMN: message`).
func printed(_ zone: ParsedZone) -> [String] {
    zone.diagnostics.map(\.description)
}

/// A valid apex, to put in front of test records.
let apex = """
    $ORIGIN example.
    $TTL 300
    @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    @ IN NS ns1
    ns1 IN A 192.0.2.53

    """
