// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import DNSZone

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The signed version of a zone hanon signs, kept beside its journal
/// (`DATA/journal/ZONE.signed`), so that a restart serves the zone as it was
/// signed — the same serial, the same signatures — instead of signing it
/// whole again (Knot keeps the signed zone in its journal, BIND in its
/// `.signed` file, for the same reason). The copy and the journal entries
/// after its serial are the signed zone (``ZoneWriters/restoreSigned``).
///
/// A canonical zone file (``ZoneWriter``) after a header of comment lines:
///
///     ; hanon signed copy 1
///     ; serial 2026112901 whole 2026112801
///     ; settings nsec dnskey-ttl 3600
///     ; source 89abcdef01234567
///     ; body 123456 bytes fnv1a64 0123456789abcdef
///
/// `source` is the checksum of the unsigned source (the zone file's records
/// without the signer's, canonical) the zone was last brought to: the same
/// zone file at the next start needs no comparison. The body's length and checksum catch a copy cut short or damaged; the
/// copy is written whole or not at all (temporary file, fsync, rename:
/// ``DurableFile/replace(_:with:mode:)``).
enum SignedZoneStore {
    /// A copy read back: the signed zone and the signing settings it was made with.
    struct Copy: Sendable {
        var zone: Zone
        var settings: String
        /// The serial the zone was last signed whole at (its IXFR history starts there).
        var wholeSerial: UInt32?
        /// ``sourceDigest(_:)`` of the zone file it was last brought to.
        var source: UInt64
    }

    /// Why a copy was not usable (the path, and the line where meaningful).
    struct Damaged: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    static let magic = "; hanon signed copy 1"

    /// The copy beside the journal at `journal` (`X.journal` → `X.signed`).
    static func path(journal: String) -> String {
        (journal.hasSuffix(".journal") ? String(journal.dropLast(".journal".count)) : journal) + ".signed"
    }

    /// The settings a signed zone must have been made with to be served
    /// again as it is: the denial of existence (NSEC or NSEC3 and its
    /// parameters) and the DNSKEY TTL. (Validity and jitter only change the
    /// signatures to come; the keys are checked against the zone itself.)
    static func settingsFingerprint(_ settings: ZoneDNSSECSettings) -> String {
        let denial: String
        switch settings.denial {
        case .nsec: denial = "nsec"
        case .nsec3(let iterations, let salt, let optOut):
            let saltText = salt.isEmpty ? "-" : salt.map { String($0, radix: 16) }.joined(separator: ":")
            denial = "nsec3 iterations \(iterations) salt \(saltText) opt-out \(optOut)"
        }
        return denial + " dnskey-ttl \(settings.dnskeyTTL)"
    }

    /// FNV-1a, 64 bits: catches a damaged copy (not an attacker: the data
    /// directory is hanon's own).
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    /// The checksum of an unsigned source (``ZoneSigning/unsignedRecords(of:)``), canonical.
    static func sourceDigest(_ unsigned: [ResourceRecord]) -> UInt64 {
        Self.checksum(ZoneWriter.format(unsigned).utf8)
    }

    /// The file's bytes for `zone` signed with `settings`, brought to the source `source`.
    static func encode(_ zone: Zone, settings: ZoneDNSSECSettings, wholeSerial: UInt32?, source: UInt64) -> [UInt8] {
        let body = Array(ZoneWriter.format(zone.allRecords).utf8)
        let whole = wholeSerial.map { "\($0)" } ?? "-"
        let header =
            "\(Self.magic)\n; serial \(zone.serial) whole \(whole)\n; settings \(Self.settingsFingerprint(settings))\n"
            + "; source \(String(source, radix: 16))\n"
            + "; body \(body.count) bytes fnv1a64 \(String(Self.checksum(body), radix: 16))\n"
        return Array(header.utf8) + body
    }

    /// Writes the copy of `zone` durably (mode 0600, like the keys beside it).
    static func write(
        _ zone: Zone, settings: ZoneDNSSECSettings, wholeSerial: UInt32?, source: UInt64, to path: String
    ) throws(JournalError) {
        let bytes = Self.encode(zone, settings: settings, wholeSerial: wholeSerial, source: source)
        try DurableFile.replace(path, with: bytes, mode: 0o600)
    }

    /// Removes the copy (a zone no longer signed must not find an old one).
    static func remove(_ path: String) {
        _ = path.withCString { unlink($0) }
    }

    /// The serial in the header of the copy at `path`, even when the zone
    /// data after it is damaged (a fallback signing must move past it).
    static func serial(at path: String) -> UInt32? {
        guard let bytes = try? DurableFile.read(path) else { return nil }
        let lines = bytes.prefix(256).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard lines.count > 2, String(decoding: lines[0], as: UTF8.self) == Self.magic else { return nil }
        let words = String(decoding: lines[1], as: UTF8.self).split(separator: " ")
        guard words.count >= 3, words[1] == "serial" else { return nil }
        return UInt32(words[2])
    }

    /// Reads the copy at `path` for the zone `origin`: nil when there is none.
    static func read(_ path: String, origin: DomainName) throws(Damaged) -> Copy? {
        let bytes: [UInt8]
        do {
            guard let read = try DurableFile.read(path) else { return nil }
            bytes = read
        } catch {
            throw Damaged(description: "\(path): \(error)")
        }
        // The five header lines.
        var lines: [String] = []
        var start = 0
        while lines.count < 5 {
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                throw Damaged(description: "\(path):\(lines.count + 1): the header is cut short")
            }
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = end + 1
        }
        guard lines[0] == Self.magic else {
            throw Damaged(description: "\(path):1: not a signed copy of this version (\"\(Self.magic)\" expected)")
        }
        let serialWords = lines[1].split(separator: " ")
        guard serialWords.count == 5, serialWords[1] == "serial", let serial = UInt32(serialWords[2]),
            serialWords[3] == "whole", serialWords[4] == "-" || UInt32(serialWords[4]) != nil
        else {
            throw Damaged(description: "\(path):2: \"; serial N whole M\" expected")
        }
        guard lines[2].hasPrefix("; settings ") else {
            throw Damaged(description: "\(path):3: \"; settings ...\" expected")
        }
        let settings = String(lines[2].dropFirst("; settings ".count))
        let sourceWords = lines[3].split(separator: " ")
        guard sourceWords.count == 3, sourceWords[1] == "source", let source = UInt64(sourceWords[2], radix: 16) else {
            throw Damaged(description: "\(path):4: \"; source X\" expected")
        }
        let bodyWords = lines[4].split(separator: " ")
        guard bodyWords.count == 6, bodyWords[1] == "body", bodyWords[3] == "bytes", bodyWords[4] == "fnv1a64",
            let length = Int(bodyWords[2]), let sum = UInt64(bodyWords[5], radix: 16)
        else {
            throw Damaged(description: "\(path):5: \"; body N bytes fnv1a64 X\" expected")
        }
        let body = bytes[start...]
        guard body.count == length else {
            throw Damaged(description: "\(path): \(body.count) bytes of zone data, \(length) written (cut short?)")
        }
        guard Self.checksum(body) == sum else {
            throw Damaged(description: "\(path): checksum mismatch (damaged)")
        }
        // Parsed whole, header comments included, so errors carry the file's own line numbers.
        let parsed = ZoneFileParser.parse(text: String(decoding: bytes, as: UTF8.self), name: path, origin: origin)
        if let error = parsed.diagnostics.first(where: { $0.severity == .error }) {
            throw Damaged(description: error.description)
        }
        let zone: Zone
        do {
            zone = try Zone(parsed)
        } catch {
            throw Damaged(description: "\(path): \(error)")
        }
        guard zone.origin == origin else {
            throw Damaged(description: "\(path): a copy of \(zone.origin), not \(origin)")
        }
        guard zone.serial == serial else {
            throw Damaged(description: "\(path): serial \(zone.serial), the header says \(serial)")
        }
        return Copy(zone: zone, settings: settings, wholeSerial: UInt32(serialWords[4]), source: source)
    }
}
