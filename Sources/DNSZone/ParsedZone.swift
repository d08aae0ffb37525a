// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The records of a zone file as read, with where each one came from and
/// the problems found on the way.
///
/// ``locations`` runs parallel to ``records`` (8 bytes a record). It is kept
/// only so the zone checks can name `FILE:LINE:COLUMN`; call
/// ``dropLocations()`` once the checks are done.
public struct ParsedZone: Sendable {
    /// The zone apex: `--origin` when given, else the first `$ORIGIN` read before
    /// any record, else the owner of the first SOA record; nil when none of these exists.
    public var origin: DomainName?
    /// The zone's class (IN unless the parser was told otherwise).
    public var dnsClass: DNSClass
    /// Records in file order, duplicates included (``ZoneChecker`` finds them).
    public var records: [ResourceRecord] = []
    /// Where each record was read (parallel to ``records``).
    public var locations: [ZoneLocation] = []
    /// Files read, in the order they were opened; ``ZoneLocation/file`` indexes this.
    public var files: [String] = []
    /// Errors and warnings, in the order they were found.
    public var diagnostics: [ZoneParseError] = []
    /// Errors in ``diagnostics`` (warnings not counted).
    public private(set) var errorCount = 0

    public init(origin: DomainName?, dnsClass: DNSClass) {
        self.origin = origin
        self.dnsClass = dnsClass
    }

    /// True when at least one error (not warning) was found.
    public var hasErrors: Bool { self.errorCount > 0 }

    /// The errors alone.
    public var errors: [ZoneParseError] { self.diagnostics.filter { $0.severity == .error } }

    /// The warnings alone.
    public var warnings: [ZoneParseError] { self.diagnostics.filter { $0.severity == .warning } }

    /// Warnings found (including those not kept).
    public private(set) var warningCount = 0
    /// Errors and warnings kept in ``diagnostics``, each (a zone with the wrong
    /// origin would otherwise list every record); the rest are only counted.
    public var reportLimit = ZoneLimits.default.maxErrors
    /// Problems counted but not kept in ``diagnostics``.
    public var suppressedCount: Int {
        max(0, self.errorCount - self.reportLimit) + max(0, self.warningCount - self.reportLimit)
    }

    /// Records a problem (counted always, kept up to ``reportLimit`` of its severity).
    public mutating func report(_ problem: ZoneParseError) {
        let count: Int
        if problem.severity == .error {
            self.errorCount += 1
            count = self.errorCount
        } else {
            self.warningCount += 1
            count = self.warningCount
        }
        if count <= self.reportLimit { self.diagnostics.append(problem) }
    }

    /// Records a problem at a record's location.
    public mutating func report(
        _ message: String,
        at location: ZoneLocation,
        severity: ZoneParseError.Severity = .error
    ) {
        self.report(
            ZoneParseError(
                file: self.fileName(location.file),
                line: Int(location.line),
                column: Int(location.column),
                message: message,
                severity: severity
            )
        )
    }

    /// The name of file number `index` ("" when out of range).
    public func fileName(_ index: UInt16) -> String {
        Int(index) < self.files.count ? self.files[Int(index)] : ""
    }

    /// Frees the per-record locations once they are no longer needed.
    public mutating func dropLocations() {
        self.locations = []
    }
}
