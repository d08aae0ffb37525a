// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Reads master files (RFC 1035 §5) as BIND, NSD and Knot read them.
///
/// Supported: `$ORIGIN`, `$TTL` (RFC 2308 §4), `$INCLUDE file [origin]`
/// (relative to the including file's directory, nesting bounded by
/// ``ZoneLimits/maxIncludeDepth``, loops detected), BIND's `$GENERATE`,
/// parentheses over lines, comments, quoted strings, relative names and `@`,
/// an omitted owner (a line starting with a blank repeats the previous owner),
/// an omitted TTL or class, TTL units (`1h30m`, `2w`), TTL and class in either
/// order, `TYPEnnn` / `CLASSnnn` and RFC 3597 `\#` data.
///
/// An omitted TTL follows BIND: the last `$TTL`; without one, the last
/// explicit TTL (RFC 1035 §5.1); when the very first record is an SOA without
/// a TTL, the SOA MINIMUM, with a warning, for every record without a TTL.
///
/// Errors do not stop the parser: it reports the entry at fault as
/// `FILE:LINE:COLUMN: message` and goes on with the next entry, until
/// ``ZoneLimits/maxErrors`` errors have been found.
public struct ZoneFileParser: Sendable {
    public var fileSystem: any ZoneFileSystem
    public var limits: ZoneLimits
    /// The class of the zone; records of another class are errors.
    public var zoneClass: DNSClass

    public init(
        fileSystem: any ZoneFileSystem = LocalZoneFiles(),
        limits: ZoneLimits = .default,
        zoneClass: DNSClass = .in
    ) {
        self.fileSystem = fileSystem
        self.limits = limits
        self.zoneClass = zoneClass
    }

    /// Parses the zone in `path`. With `origin` nil, the apex is taken from the
    /// first `$ORIGIN` before any record, else from the first SOA owner.
    public func parse(file path: String, origin: DomainName? = nil) -> ParsedZone {
        var state = ZoneParseState(
            fileSystem: self.fileSystem,
            limits: self.limits,
            zoneClass: self.zoneClass,
            origin: origin
        )
        state.parseFile(path: path, origin: origin, depth: 0, includedFrom: nil)
        return state.zone
    }

    /// Parses zone text held in memory (named `name` in error messages).
    public static func parse(
        text: String,
        name: String = "zone",
        origin: DomainName? = nil,
        limits: ZoneLimits = .default
    ) -> ParsedZone {
        ZoneFileParser(fileSystem: InMemoryZoneFiles([name: text]), limits: limits).parse(file: name, origin: origin)
    }
}

/// One file being read.
struct ZoneFrame {
    var fileIndex: Int
    var path: String
    /// The current origin for relative names (RFC 1035 §5.1 `$ORIGIN`).
    var origin: DomainName?
    /// Distinguishes frames so the owner cache never matches across sources.
    var id: Int
}

/// The mutable state of one parse; split over files by facet.
struct ZoneParseState {
    let fileSystem: any ZoneFileSystem
    let limits: ZoneLimits
    let zoneClass: DNSClass
    var zone: ParsedZone
    var stopped = false
    var includeStack: [String] = []
    var nextFrameID = 0

    // RFC 2308 §4 `$TTL`, RFC 1035 last explicit TTL, BIND's SOA MINIMUM fallback.
    var ttlDirective: UInt32? = nil
    var lastExplicitTTL: UInt32? = nil
    var soaMinimumTTL: UInt32? = nil

    // The previous owner, and the token it was read from, so a repeated owner
    // is not parsed (nor allocated) again.
    var lastOwner: DomainName? = nil
    var ownerCacheFrame = -1
    var ownerCacheStart = 0
    var ownerCacheEnd = 0

    init(fileSystem: any ZoneFileSystem, limits: ZoneLimits, zoneClass: DNSClass, origin: DomainName?) {
        self.fileSystem = fileSystem
        self.limits = limits
        self.zoneClass = zoneClass
        self.zone = ParsedZone(origin: origin, dnsClass: zoneClass)
        self.zone.reportLimit = limits.maxErrors
    }

    mutating func newFrameID() -> Int {
        self.nextFrameID += 1
        return self.nextFrameID
    }

    /// Reports an error (or warning) in file `fileIndex`; stops at the error limit.
    mutating func report(_ error: PresentationError, file fileIndex: Int, severity: ZoneParseError.Severity = .error) {
        guard !self.stopped else { return }
        let name = fileIndex < self.zone.files.count ? self.zone.files[fileIndex] : ""
        self.zone.report(
            ZoneParseError(
                file: name,
                line: error.line,
                column: error.column,
                message: error.message,
                severity: severity
            )
        )
        if severity == .error && self.zone.errorCount >= self.limits.maxErrors {
            // Appended directly: this note is not subject to the report limit.
            self.zone.diagnostics.append(
                ZoneParseError(
                    file: name,
                    line: error.line,
                    column: error.column,
                    message: "too many errors (\(self.limits.maxErrors)); stopping",
                    severity: .warning
                )
            )
            self.stopped = true
        }
    }

    /// Reads one file (the top file, or one named by `$INCLUDE`).
    mutating func parseFile(
        path: String,
        origin: DomainName?,
        depth: Int,
        includedFrom: (file: Int, token: PresentationToken)?
    ) {
        let canonical = self.fileSystem.canonicalPath(path)
        if let includedFrom {
            if self.includeStack.contains(canonical) {
                self.report(
                    PresentationError(
                        "$INCLUDE loop: '\(path)' is already being read",
                        line: includedFrom.token.line,
                        column: includedFrom.token.column
                    ),
                    file: includedFrom.file
                )
                return
            }
            if depth > self.limits.maxIncludeDepth {
                self.report(
                    PresentationError(
                        "$INCLUDE nested deeper than \(self.limits.maxIncludeDepth) files",
                        line: includedFrom.token.line,
                        column: includedFrom.token.column
                    ),
                    file: includedFrom.file
                )
                return
            }
        }
        let stream: any ZoneByteStream
        switch self.fileSystem.open(path: path) {
        case .success(let opened): stream = opened
        case .failure(let failure):
            self.reportUnreadable(path: path, failure: failure, includedFrom: includedFrom)
            return
        }
        let fileIndex = self.zone.files.count
        self.zone.files.append(path)
        self.includeStack.append(canonical)
        defer { self.includeStack.removeLast() }

        if depth == 0, self.zone.records.isEmpty, let size = stream.sizeHint {
            // Room for a record every 24 bytes, more than any real zone has:
            // the array then never doubles (which would briefly hold both
            // copies), and the part never written is never touched, so it
            // costs address space, not memory.
            let estimate = min(size / 24 + 16, 1 << 28)
            self.zone.records.reserveCapacity(estimate)
            self.zone.locations.reserveCapacity(estimate)
        }
        var frame = ZoneFrame(fileIndex: fileIndex, path: path, origin: origin, id: 0)
        var entry = PresentationEntry()
        var pending: [UInt8] = []
        var atEnd = false
        var line = 1
        while !self.stopped {
            // Read until `pending` holds at least one whole entry (or the file ends).
            var split = 0
            while !atEnd {
                switch stream.read(upTo: max(self.limits.readSize, 1), into: &pending) {
                case .success(let n): atEnd = n == 0
                case .failure(let failure):
                    self.report(
                        PresentationError("cannot read '\(path)': \(failure.message)", line: line),
                        file: fileIndex
                    )
                    return
                }
                split = atEnd ? pending.count : lastEntryBoundary(pending)
                if split > 0 { break }
            }
            if atEnd { split = pending.count }
            if split == 0 { break }
            let piece = Array(pending[0..<split])
            pending.removeFirst(split)
            frame.id = self.newFrameID()
            var lexer = PresentationLexer(source: piece, firstLine: line)
            while !self.stopped {
                do {
                    guard try lexer.nextEntry(into: &entry) else { break }
                } catch {
                    self.report(error, file: fileIndex)
                    lexer.skipLine()
                    continue
                }
                self.handleEntry(entry, source: lexer.source, frame: &frame, depth: depth)
            }
            line += countNewlines(piece)
            if atEnd && pending.isEmpty { break }
        }
    }

    mutating func reportUnreadable(
        path: String,
        failure: ZoneFileReadError,
        includedFrom: (file: Int, token: PresentationToken)?
    ) {
        if let includedFrom {
            self.report(
                PresentationError(
                    "cannot read '\(path)': \(failure.message)",
                    line: includedFrom.token.line,
                    column: includedFrom.token.column
                ),
                file: includedFrom.file
            )
        } else {
            self.zone.files.append(path)
            self.report(PresentationError("cannot read '\(path)': \(failure.message)"), file: self.zone.files.count - 1)
        }
    }

    /// Dispatches one entry: a `$` directive or a record.
    mutating func handleEntry(_ entry: PresentationEntry, source: [UInt8], frame: inout ZoneFrame, depth: Int) {
        let tokens = entry.tokens[...]
        guard let first = tokens.first else { return }
        do {
            if !entry.startsWithBlank && !first.quoted && source[first.start] == UInt8(ascii: "$") {
                try self.directive(tokens, source: source, frame: &frame, depth: depth)
            } else {
                let location = ZoneLocation(file: frame.fileIndex, line: first.line, column: first.column)
                try self.record(
                    tokens,
                    source: source,
                    startsWithBlank: entry.startsWithBlank,
                    frame: &frame,
                    location: location
                )
            }
        } catch {
            self.report(error, file: frame.fileIndex)
        }
    }

    /// Parses a name token, refusing a relative name when no origin is known.
    func name(_ token: PresentationToken, source: [UInt8], origin: DomainName?, what: String) throws(PresentationError)
        -> DomainName
    {
        if !token.quoted, token.end > token.start, origin != nil || source[token.end - 1] == UInt8(ascii: "."),
            let name = plainName(source, token.start, token.end, origin: origin)
        {
            return name
        }
        let text = source[token.start..<token.end]
        if origin == nil && !isAbsoluteNameText(text) {
            throw PresentationError(
                "relative \(what) '\(String(decoding: text, as: UTF8.self))' but no origin (use $ORIGIN or --origin)",
                line: token.line,
                column: token.column
            )
        }
        do {
            return try DomainName(parsing: text, origin: origin)
        } catch {
            throw PresentationError(
                "bad \(what) '\(String(decoding: text, as: UTF8.self))': \(error.message)",
                line: token.line,
                column: token.column
            )
        }
    }

    /// One record entry: `[OWNER] [TTL] [CLASS] TYPE RDATA` (TTL and class in either order).
    mutating func record(
        _ tokens: ArraySlice<PresentationToken>,
        source: [UInt8],
        startsWithBlank: Bool,
        frame: inout ZoneFrame,
        location: ZoneLocation
    ) throws(PresentationError) {
        var i = tokens.startIndex
        let owner: DomainName
        if startsWithBlank {
            guard let last = self.lastOwner else {
                throw PresentationError(
                    "no previous owner name for a line that starts with a blank",
                    line: tokens[i].line,
                    column: tokens[i].column
                )
            }
            owner = last
        } else {
            let token = tokens[i]
            i += 1
            if let last = self.lastOwner, self.ownerCacheFrame == frame.id,
                sameBytes(source, token.start, token.end, self.ownerCacheStart, self.ownerCacheEnd)
            {
                owner = last
            } else {
                owner = try self.name(token, source: source, origin: frame.origin, what: "owner name")
                self.lastOwner = owner
                self.ownerCacheFrame = frame.id
                self.ownerCacheStart = token.start
                self.ownerCacheEnd = token.end
            }
        }

        var ttl: UInt32? = nil
        var dnsClass: DNSClass? = nil
        var type: RecordType? = nil
        while i < tokens.endIndex {
            let token = tokens[i]
            let text = source[token.start..<token.end]
            i += 1
            if !token.quoted {
                if ttl == nil, isDigit(text.first), let value = parseTTL(text) {
                    ttl = value
                    continue
                }
                if dnsClass == nil, text.count == 2, equalsIgnoringCase(text, "IN") {
                    dnsClass = .in
                    continue
                }
                if let value = commonRecordType(text) {
                    type = value
                    break
                }
                if dnsClass == nil, let value = DNSClass(mnemonic: text) {
                    dnsClass = value
                    continue
                }
                if let value = RecordType(mnemonic: text) {
                    type = value
                    break
                }
            }
            let shown = String(decoding: text, as: UTF8.self)
            if isDigit(text.first) {
                throw PresentationError("bad TTL '\(shown)'", line: token.line, column: token.column)
            }
            throw PresentationError("unknown record type '\(shown)'", line: token.line, column: token.column)
        }
        guard let type else {
            let last = tokens[tokens.index(before: tokens.endIndex)]
            throw PresentationError(
                "missing record type",
                line: last.line,
                column: last.column + (last.end - last.start)
            )
        }
        if let dnsClass, dnsClass != self.zoneClass {
            let token = tokens[tokens.startIndex]
            throw PresentationError(
                "class \(dnsClass) does not match the zone class \(self.zoneClass)",
                line: token.line,
                column: token.column
            )
        }
        if type == .soa && frame.origin == nil {
            // No $ORIGIN and no --origin: the SOA owner is the apex and the origin.
            frame.origin = owner
        }
        if type == .soa && self.zone.origin == nil {
            self.zone.origin = owner
        }
        var scanner = RDATAScanner(source: source, tokens: tokens[i...], origin: frame.origin)
        let rdata = try RDATA(type: type, presentation: &scanner)

        let finalTTL: UInt32
        if let ttl {
            finalTTL = ttl
            if self.ttlDirective == nil && self.soaMinimumTTL == nil { self.lastExplicitTTL = ttl }
        } else if let value = self.ttlDirective {
            finalTTL = value
        } else if let value = self.soaMinimumTTL {
            finalTTL = value
        } else if let value = self.lastExplicitTTL {
            finalTTL = value
        } else if case .soa(let soa) = rdata {
            finalTTL = soa.minimum
            self.soaMinimumTTL = soa.minimum
            self.report(
                PresentationError(
                    "no TTL given and no $TTL: using the SOA MINIMUM (\(soa.minimum)) for records without a TTL",
                    line: Int(location.line),
                    column: Int(location.column)
                ),
                file: frame.fileIndex,
                severity: .warning
            )
        } else {
            throw PresentationError(
                "no TTL given and no $TTL before this record",
                line: Int(location.line),
                column: Int(location.column)
            )
        }
        self.zone.records.append(
            ResourceRecord(name: owner, dnsClass: dnsClass ?? self.zoneClass, ttl: finalTTL, rdata: rdata)
        )
        self.zone.locations.append(location)
    }
}
