// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A zone that loaded, with what it was loaded from.
public struct LoadedZone: Sendable {
    public var source: ZoneSource
    public var zone: Zone
    /// The files read (the zone file and its `$INCLUDE`s) as they were when read.
    var stamps: [FileStamp]
    /// Warnings of the zone checks, already formatted.
    public var warnings: [String]
}

/// Identity of a file's content for "changed since last load": device,
/// inode, size and modification time (as `make` and NSD's reload do).
struct FileStamp: Sendable, Hashable {
    var path: String
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var modifiedNanoseconds: Int64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.path = path
        self.device = UInt64(info.st_dev)
        self.inode = UInt64(info.st_ino)
        self.size = Int64(info.st_size)
        self.modified = Int64(info.st_mtim.tv_sec)
        self.modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
    }

    /// True when the file still looks as it did.
    var isCurrent: Bool { FileStamp(path: self.path) == self }
}

/// Reads, checks and builds zones; errors name the file, line and column.
public enum ZoneLoader {
    /// Loads `source`, or reuses `previous` when none of its files changed.
    ///
    /// A zone with errors is not loaded: the result lists the errors (each
    /// `FILE:LINE:COLUMN: message`, prefixed with where the zone was configured).
    public static func load(_ source: ZoneSource, previous: LoadedZone? = nil) -> Result<LoadedZone, ZoneLoadError> {
        if let previous, previous.source == source, source.text == nil, !previous.stamps.isEmpty,
            previous.stamps.allSatisfy(\.isCurrent)
        {
            return .success(previous)
        }
        var parsed: ParsedZone
        if let text = source.text {
            parsed = ZoneFileParser.parse(text: text, name: source.file, origin: source.name)
        } else {
            parsed = ZoneFileParser().parse(file: source.file, origin: source.name)
        }
        // Stamps taken after reading: a file changed while being read is read again next time.
        let stamps = source.text == nil ? parsed.files.compactMap { FileStamp(path: $0) } : []
        if !parsed.hasErrors || !parsed.records.isEmpty {
            _ = ZoneChecker.check(&parsed)
        }
        let diagnostics = parsed.diagnostics.map { source.errorPrefix + $0.description }
        let errors = parsed.diagnostics.filter { $0.severity == .error }.map { source.errorPrefix + $0.description }
        let warnings = parsed.diagnostics.filter { $0.severity == .warning }.map { source.errorPrefix + $0.description }
        guard errors.isEmpty else {
            var shown = diagnostics.filter { !$0.contains("warning:") }
            if parsed.suppressedCount > 0 {
                shown.append(source.errorPrefix + "\(parsed.suppressedCount) more problems not shown")
            }
            return .failure(ZoneLoadError(zone: source.name, messages: shown))
        }
        parsed.dropLocations()
        do {
            let zone = try Zone(parsed)
            return .success(LoadedZone(source: source, zone: zone, stamps: stamps, warnings: warnings))
        } catch {
            return .failure(ZoneLoadError(zone: source.name, messages: [source.errorPrefix + error.message]))
        }
    }
}

/// Why a zone did not load: every problem found, one line each.
public struct ZoneLoadError: Error, Sendable, CustomStringConvertible {
    public var zone: DomainName
    public var messages: [String]
    public var description: String { self.messages.joined(separator: "\n") }
}

/// This host's name, for `id.server` / `hostname.bind` when no identity is configured.
public func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "hanon" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

extension Zone {
    /// The SOA serial (RFC 1035 §3.3.13).
    var serial: UInt32 {
        if case .soa(let soa) = self.soa.rdata { return soa.serial }
        return 0
    }
}
