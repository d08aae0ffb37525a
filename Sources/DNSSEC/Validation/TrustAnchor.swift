// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// A trust anchor (RFC 4033 §2, RFC 4035 §4.4): a zone whose DNSKEY RRset is
/// trusted when it contains a key matching one of the anchor's DS records or
/// equal to one of its DNSKEYs, signed by that key.
public struct TrustAnchor: Sendable, Hashable {
    public var zone: DomainName
    public var ds: [RDATA.DS]
    public var dnskeys: [RDATA.DNSKEY]

    public init(zone: DomainName, ds: [RDATA.DS] = [], dnskeys: [RDATA.DNSKEY] = []) {
        self.zone = zone
        self.ds = ds
        self.dnskeys = dnskeys
    }

    /// The root zone's key-signing keys as IANA publishes them
    /// (https://data.iana.org/root-anchors/root-anchors.xml): KSK-2017 (key
    /// tag 20326) and KSK-2024 (key tag 38696), RSASHA256, DS digest type 2.
    public static let root = TrustAnchor(
        zone: .root,
        ds: [
            RDATA.DS(
                keyTag: 20326, algorithm: .rsaSHA256, digestType: .sha256,
                digest: Self.hex("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D")),
            RDATA.DS(
                keyTag: 38696, algorithm: .rsaSHA256, digestType: .sha256,
                digest: Self.hex("683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16")),
        ])

    static func hex(_ text: String) -> [UInt8] { Hex.decode(Array(text.utf8)) ?? [] }

    /// Reads trust anchors from zone-file text (the form of Unbound's
    /// `auto-trust-anchor-file` and the lab's `root.key`): DS and DNSKEY
    /// records, any owner, `$ORIGIN`/`$TTL` allowed; relative names are
    /// relative to the root. Any other record type, a DNSKEY without the
    /// zone key flag, or a syntax error is reported as `FILE:LINE:COL: message`.
    public static func parse(text: String, name: String = "trust-anchors") throws(TrustAnchorError) -> [TrustAnchor] {
        try self.anchors(from: ZoneFileParser.parse(text: text, name: name, origin: .root))
    }

    /// ``parse(text:name:)`` from a file.
    public static func load(file path: String) throws(TrustAnchorError) -> [TrustAnchor] {
        try self.anchors(from: ZoneFileParser().parse(file: path, origin: .root))
    }

    static func anchors(from parsed: ParsedZone) throws(TrustAnchorError) -> [TrustAnchor] {
        var errors = parsed.diagnostics.filter { $0.severity == .error }.map(\.description)
        var byZone: [DomainName: TrustAnchor] = [:]
        var order: [DomainName] = []
        for (i, record) in parsed.records.enumerated() {
            func fail(_ message: String) {
                let location =
                    i < parsed.locations.count ? parsed.locations[i] : ZoneLocation(file: 0, line: 0, column: 0)
                let file = Int(location.file) < parsed.files.count ? parsed.files[Int(location.file)] : "trust-anchors"
                errors.append("\(file):\(location.line):\(location.column): \(message)")
            }
            var anchor = byZone[record.name] ?? TrustAnchor(zone: record.name)
            switch record.rdata {
            case .ds(let ds):
                anchor.ds.append(ds)
            case .dnskey(let key):
                guard key.isZoneKey else {
                    fail("DNSKEY \(key.keyTag) of \(record.name) is not a zone key (flags \(key.flags))")
                    continue
                }
                anchor.dnskeys.append(key)
            default:
                fail("\(record.type) is not a trust anchor record (DS or DNSKEY)")
                continue
            }
            if byZone[record.name] == nil { order.append(record.name) }
            byZone[record.name] = anchor
        }
        if errors.isEmpty && order.isEmpty {
            errors.append("\(parsed.files.first ?? "trust-anchors"): no DS or DNSKEY record")
        }
        guard errors.isEmpty else { throw TrustAnchorError(messages: errors) }
        return order.compactMap { byZone[$0] }
    }
}

/// Why a trust anchor file cannot be used: one `FILE:LINE:COL: message` per problem.
public struct TrustAnchorError: Error, Hashable, Sendable, CustomStringConvertible {
    public var messages: [String]
    public init(messages: [String]) { self.messages = messages }
    public var description: String { self.messages.joined(separator: "\n") }
}
