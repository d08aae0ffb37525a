// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// A problem found in a zone file, located at the token or record at fault.
///
/// Printed as `FILE:LINE:COLUMN: message` (the form compilers and
/// named-checkzone use), so editors can jump to it. Warnings print as
/// `FILE:LINE:COLUMN: warning: message`.
public struct ZoneParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Whether the zone can still be loaded.
    public enum Severity: Sendable, Hashable {
        /// The zone must not be loaded (named-checkzone fails too).
        case error
        /// Reported, but the zone is loadable (named-checkzone also just warns).
        case warning
    }

    /// The file as it was named (the top file as given, included files joined to
    /// the including file's directory).
    public var file: String
    /// 1-based line; 0 when the problem is about the whole zone.
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int, column: Int, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.severity = severity
    }

    public var description: String {
        let prefix = self.severity == .warning ? "warning: " : ""
        return "\(self.file):\(self.line):\(self.column): \(prefix)\(self.message)"
    }
}

/// Where a record came from: an index into ``ParsedZone/files`` and a position.
///
/// Eight bytes per record; kept only while a zone is parsed and checked.
public struct ZoneLocation: Sendable, Hashable {
    public var file: UInt16
    public var column: UInt16
    public var line: UInt32

    public init(file: Int, line: Int, column: Int) {
        self.file = UInt16(clamping: file)
        self.line = UInt32(clamping: line)
        self.column = UInt16(clamping: column)
    }
}

/// Bounds on what a zone file may make the parser do (see STYLE: bounded by construction).
public struct ZoneLimits: Sendable {
    /// Nesting of `$INCLUDE` (the top file is depth 0). BIND has no fixed
    /// bound; 7 is deep enough for any real layout and stops runaway chains.
    public var maxIncludeDepth = 7
    /// Errors collected before the parser stops (warnings do not count).
    public var maxErrors = 100
    /// Records one `$GENERATE` may produce.
    public var maxGeneratedRecords = 1_000_000
    /// Bytes read from a file at a time; the parser holds about this much of
    /// the file (plus one unfinished entry), never the whole file.
    public var readSize = 1 << 20

    public init() {}

    public static let `default` = ZoneLimits()
}
