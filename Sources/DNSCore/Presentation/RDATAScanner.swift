// SPDX-License-Identifier: Apache-2.0

/// Reads the RDATA fields of one record from its presentation tokens.
///
/// Each record type's `init(presentation:)` pulls its fields in order; errors
/// carry the line and column of the token at fault.
public struct RDATAScanner {
    public let source: [UInt8]
    public let tokens: ArraySlice<PresentationToken>
    public private(set) var index: Int
    /// Origin for relative names; nil means names must be absolute (or are taken as such).
    public let origin: DomainName?
    /// Position reported when fields are missing (the end of the entry).
    public let endLine: Int
    public let endColumn: Int

    public init(source: [UInt8], tokens: ArraySlice<PresentationToken>, origin: DomainName?) {
        self.source = source
        self.tokens = tokens
        self.index = tokens.startIndex
        self.origin = origin
        if let last = tokens.last {
            self.endLine = last.line
            self.endColumn = last.column + (last.end - last.start)
        } else {
            self.endLine = 0
            self.endColumn = 0
        }
    }

    /// Convenience for tests and the command line: tokenises `text` as one entry.
    public init(text: String, origin: DomainName? = nil) throws(PresentationError) {
        var lexer = PresentationLexer(source: Array(text.utf8))
        var entry = PresentationEntry()
        _ = try lexer.nextEntry(into: &entry)
        self.init(source: lexer.source, tokens: entry.tokens[...], origin: origin)
    }

    public var isAtEnd: Bool { self.index >= self.tokens.endIndex }

    /// Tokens left.
    public var remainingCount: Int { self.tokens.endIndex - self.index }

    /// Looks at the next token without consuming it.
    public func peek() -> PresentationToken? { self.isAtEnd ? nil : self.tokens[self.index] }

    /// The raw bytes of a token (escapes not processed).
    public func text(_ token: PresentationToken) -> ArraySlice<UInt8> { self.source[token.start..<token.end] }

    /// The raw text of a token as a String.
    public func string(_ token: PresentationToken) -> String { String(decoding: self.text(token), as: UTF8.self) }

    /// An error located at `token` (or at the end of the entry).
    public func error(_ message: String, at token: PresentationToken? = nil) -> PresentationError {
        if let token { return PresentationError(message, line: token.line, column: token.column) }
        return PresentationError(message, line: self.endLine, column: self.endColumn)
    }

    /// Consumes the next token; `what` names the field in the error when it is missing.
    public mutating func next(_ what: String) throws(PresentationError) -> PresentationToken {
        guard !self.isAtEnd else { throw self.error("missing \(what)") }
        let token = self.tokens[self.index]
        self.index += 1
        return token
    }

    /// Fails when tokens are left over.
    public func finish() throws(PresentationError) {
        if let extra = self.peek() {
            throw self.error("unexpected '\(self.string(extra))' after the record data", at: extra)
        }
    }

    /// A domain name, relative to ``origin``.
    public mutating func name(_ what: String = "name") throws(PresentationError) -> DomainName {
        let token = try self.next(what)
        do {
            return try DomainName(parsing: self.text(token), origin: self.origin)
        } catch {
            throw self.error("bad \(what): \(error.message)", at: token)
        }
    }

    /// An unsigned decimal integer of at most `max`.
    public mutating func integer(_ what: String, max: UInt64) throws(PresentationError) -> UInt64 {
        let token = try self.next(what)
        guard let value = parseDecimal(self.text(token)), value <= max else {
            throw self.error("bad \(what) '\(self.string(token))' (0 to \(max))", at: token)
        }
        return value
    }

    public mutating func uint8(_ what: String) throws(PresentationError) -> UInt8 {
        UInt8(try self.integer(what, max: UInt64(UInt8.max)))
    }

    public mutating func uint16(_ what: String) throws(PresentationError) -> UInt16 {
        UInt16(try self.integer(what, max: UInt64(UInt16.max)))
    }

    public mutating func uint32(_ what: String) throws(PresentationError) -> UInt32 {
        UInt32(try self.integer(what, max: UInt64(UInt32.max)))
    }

    /// A TTL-like duration: seconds, or units as BIND accepts (`1h30m`, `2w`).
    public mutating func ttl(_ what: String) throws(PresentationError) -> UInt32 {
        let token = try self.next(what)
        guard let value = parseTTL(self.text(token)) else {
            throw self.error("bad \(what) '\(self.string(token))'", at: token)
        }
        return value
    }

    /// A <character-string> (RFC 1035 §5.1), escapes resolved, at most 255 octets.
    public mutating func characterString(_ what: String = "character-string") throws(PresentationError) -> [UInt8] {
        let token = try self.next(what)
        return try self.characterString(token, what)
    }

    /// Unescapes a token as a <character-string> (at most 255 octets).
    public func characterString(_ token: PresentationToken, _ what: String = "character-string")
        throws(PresentationError) -> [UInt8]
    {
        let bytes = try self.unescaped(token)
        guard bytes.count <= 255 else { throw self.error("\(what) longer than 255 octets", at: token) }
        return bytes
    }

    /// The token's octets with `\X` and `\DDD` escapes resolved.
    public func unescaped(_ token: PresentationToken) throws(PresentationError) -> [UInt8] {
        do {
            return try unescape(self.text(token))
        } catch {
            throw self.error(error.message, at: token)
        }
    }

    /// All remaining tokens joined (base64 or hex blobs may contain spaces).
    public mutating func remainingJoined(_ what: String) throws(PresentationError) -> (
        bytes: [UInt8], first: PresentationToken
    ) {
        let first = try self.next(what)
        var bytes = Array(self.text(first))
        while let token = self.peek() {
            bytes.append(contentsOf: self.text(token))
            self.index += 1
        }
        return (bytes, first)
    }

    /// Base64 data (RFC 4648 §4) filling the rest of the RDATA.
    public mutating func base64Remaining(_ what: String) throws(PresentationError) -> [UInt8] {
        let (text, first) = try self.remainingJoined(what)
        guard let bytes = Base64.decode(text) else { throw self.error("bad base64 in \(what)", at: first) }
        return bytes
    }

    /// Hexadecimal data filling the rest of the RDATA.
    public mutating func hexRemaining(_ what: String) throws(PresentationError) -> [UInt8] {
        let (text, first) = try self.remainingJoined(what)
        guard let bytes = Hex.decode(text) else { throw self.error("bad hexadecimal in \(what)", at: first) }
        return bytes
    }
}

/// Resolves `\X` and `\DDD` escapes.
public func unescape(_ text: some Collection<UInt8>) throws(PresentationError) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(text.count)
    var i = text.startIndex
    while i != text.endIndex {
        let c = text[i]
        i = text.index(after: i)
        guard c == UInt8(ascii: "\\") else {
            out.append(c)
            continue
        }
        guard i != text.endIndex else { throw PresentationError("text ends in a backslash") }
        let d = text[i]
        i = text.index(after: i)
        if isDigit(d) {
            guard i != text.endIndex, isDigit(text[i]) else {
                throw PresentationError("\\DDD escape needs three digits")
            }
            let e = text[i]
            i = text.index(after: i)
            guard i != text.endIndex, isDigit(text[i]) else {
                throw PresentationError("\\DDD escape needs three digits")
            }
            let f = text[i]
            i = text.index(after: i)
            let value = Int(d - 48) * 100 + Int(e - 48) * 10 + Int(f - 48)
            guard value <= 255 else { throw PresentationError("\\DDD escape over 255") }
            out.append(UInt8(value))
        } else {
            out.append(d)
        }
    }
    return out
}

/// Parses a decimal number without sign; nil on anything else or overflow.
public func parseDecimal(_ text: some Collection<UInt8>) -> UInt64? {
    guard !text.isEmpty, text.count <= 20 else { return nil }
    var value: UInt64 = 0
    for c in text {
        guard isDigit(c) else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(UInt64(c - 48))
        guard !o1, !o2 else { return nil }
        value = a
    }
    return value
}

/// Parses a TTL: plain seconds, or BIND units (`w`, `d`, `h`, `m`, `s`,
/// either case) as in `1h30m` or `2w`. Values over 2^31 - 1 are refused (RFC 2181 §8).
public func parseTTL(_ text: some Collection<UInt8>) -> UInt32? {
    parseTTL(ArraySlice(text))
}

/// ``parseTTL(_:)`` for byte slices: one pass, not generic, so callers in other
/// modules (the zone parser's hot loop) get it without specialisation.
public func parseTTL(_ text: ArraySlice<UInt8>) -> UInt32? {
    guard !text.isEmpty, text.count <= 24 else { return nil }
    var total: UInt64 = 0
    var current: UInt64 = 0
    var haveDigits = false
    var sawUnit = false
    for c in text {
        if isDigit(c) {
            current = current * 10 + UInt64(c - 48)
            guard current <= UInt64(UInt32.max) else { return nil }
            haveDigits = true
            continue
        }
        guard haveDigits else { return nil }
        let unit: UInt64
        switch c | 0x20 {
        case UInt8(ascii: "w"): unit = 604_800
        case UInt8(ascii: "d"): unit = 86_400
        case UInt8(ascii: "h"): unit = 3_600
        case UInt8(ascii: "m"): unit = 60
        case UInt8(ascii: "s"): unit = 1
        default: return nil
        }
        total += current * unit
        guard total <= UInt64(Int32.max) else { return nil }
        current = 0
        haveDigits = false
        sawUnit = true
    }
    if sawUnit {
        guard !haveDigits else { return nil }
    } else {
        total = current
    }
    return total <= UInt64(Int32.max) ? UInt32(total) : nil
}
