// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension ZoneParseState {
    /// `$ORIGIN`, `$TTL`, `$INCLUDE` (RFC 1035 §5.1, RFC 2308 §4) and BIND's `$GENERATE`.
    mutating func directive(
        _ tokens: ArraySlice<PresentationToken>,
        source: [UInt8],
        frame: inout ZoneFrame,
        depth: Int
    ) throws(PresentationError) {
        let head = tokens[tokens.startIndex]
        let name = source[head.start..<head.end]
        if equalsIgnoringCase(name, "$ORIGIN") {
            try self.originDirective(tokens, source: source, frame: &frame)
        } else if equalsIgnoringCase(name, "$TTL") {
            try self.ttlDirective(tokens, source: source)
        } else if equalsIgnoringCase(name, "$INCLUDE") {
            try self.includeDirective(tokens, source: source, frame: &frame, depth: depth)
        } else if equalsIgnoringCase(name, "$GENERATE") {
            try self.generateDirective(tokens, source: source, frame: &frame)
        } else {
            throw PresentationError(
                "unknown directive '\(String(decoding: name, as: UTF8.self))'",
                line: head.line,
                column: head.column
            )
        }
    }

    /// Fails unless the directive has between `min` and `max` arguments.
    func expectArguments(
        _ tokens: ArraySlice<PresentationToken>,
        source: [UInt8],
        min: Int,
        max: Int,
        usage: String
    ) throws(PresentationError) {
        let head = tokens[tokens.startIndex]
        let count = tokens.count - 1
        if count < min {
            throw PresentationError("missing argument: \(usage)", line: head.line, column: head.column)
        }
        if count > max {
            let extra = tokens[tokens.startIndex + max + 1]
            throw PresentationError(
                "unexpected '\(String(decoding: source[extra.start..<extra.end], as: UTF8.self))': \(usage)",
                line: extra.line,
                column: extra.column
            )
        }
    }

    /// `$ORIGIN name`: sets the origin for relative names; a relative argument
    /// is taken relative to the current origin, as BIND does.
    mutating func originDirective(
        _ tokens: ArraySlice<PresentationToken>,
        source: [UInt8],
        frame: inout ZoneFrame
    ) throws(PresentationError) {
        try self.expectArguments(tokens, source: source, min: 1, max: 1, usage: "$ORIGIN NAME")
        let origin = try self.name(tokens[tokens.startIndex + 1], source: source, origin: frame.origin, what: "origin")
        frame.origin = origin
        // Relative owners read before now meant something else.
        self.ownerCacheFrame = -1
        if self.zone.origin == nil && self.zone.records.isEmpty {
            self.zone.origin = origin
        }
    }

    /// `$TTL ttl` (RFC 2308 §4): the TTL of records that give none.
    mutating func ttlDirective(_ tokens: ArraySlice<PresentationToken>, source: [UInt8]) throws(PresentationError) {
        try self.expectArguments(tokens, source: source, min: 1, max: 1, usage: "$TTL TTL")
        let token = tokens[tokens.startIndex + 1]
        guard let value = parseTTL(source[token.start..<token.end]) else {
            throw PresentationError(
                "bad $TTL '\(String(decoding: source[token.start..<token.end], as: UTF8.self))'",
                line: token.line,
                column: token.column
            )
        }
        self.ttlDirective = value
    }

    /// `$INCLUDE file [origin]` (RFC 1035 §5.1): reads `file`, relative to the
    /// including file's directory, with `origin` (default: the current one).
    /// The including file's origin is unchanged afterwards.
    mutating func includeDirective(
        _ tokens: ArraySlice<PresentationToken>,
        source: [UInt8],
        frame: inout ZoneFrame,
        depth: Int
    ) throws(PresentationError) {
        try self.expectArguments(tokens, source: source, min: 1, max: 2, usage: "$INCLUDE FILE [ORIGIN]")
        let fileToken = tokens[tokens.startIndex + 1]
        let fileBytes: [UInt8]
        do {
            fileBytes = try unescape(source[fileToken.start..<fileToken.end])
        } catch {
            throw PresentationError(error.message, line: fileToken.line, column: fileToken.column)
        }
        var origin = frame.origin
        if tokens.count == 3 {
            origin = try self.name(tokens[tokens.startIndex + 2], source: source, origin: frame.origin, what: "origin")
        }
        let path = resolveIncludePath(String(decoding: fileBytes, as: UTF8.self), from: frame.path)
        self.parseFile(
            path: path,
            origin: origin,
            depth: depth + 1,
            includedFrom: (frame.fileIndex, tokens[tokens.startIndex])
        )
        self.ownerCacheFrame = -1
    }
}

/// ASCII case-insensitive comparison of bytes with a literal.
func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
    guard bytes.count == literal.utf8CodeUnitCount else { return false }
    return literal.withUTF8Buffer { expected in
        var i = 0
        for c in bytes {
            let lower = (c &- 0x41) < 26 ? c | 0x20 : c
            let e = expected[i]
            let expectedLower = (e &- 0x41) < 26 ? e | 0x20 : e
            if lower != expectedLower { return false }
            i += 1
        }
        return true
    }
}
