// SPDX-License-Identifier: Apache-2.0

/// One token of presentation format: a byte range in the source text.
///
/// The range excludes the quotes of a quoted string; escapes (`\X`, `\DDD`)
/// are left in place for the consumer, which knows whether the token is a
/// name or a character-string.
public struct PresentationToken: Sendable, Hashable {
    public var start: Int
    public var end: Int
    public var quoted: Bool
    /// 1-based line and column of the token's first character.
    public var line: Int
    public var column: Int

    public init(start: Int, end: Int, quoted: Bool, line: Int, column: Int) {
        self.start = start
        self.end = end
        self.quoted = quoted
        self.line = line
        self.column = column
    }
}

/// One entry of a zone file: the tokens of a line, continued across line
/// ends inside parentheses (RFC 1035 §5.1).
public struct PresentationEntry: Sendable {
    public var tokens: [PresentationToken] = []
    /// True when the line starts with a blank: the owner is the previous one.
    public var startsWithBlank = false
    /// Line where the entry starts.
    public var line = 0

    public init() {}
}

/// Splits presentation text into entries and tokens.
///
/// Handles comments (`;` to end of line), quoted strings with escapes,
/// backslash escapes in unquoted tokens, and parentheses that continue an
/// entry over several lines.
public struct PresentationLexer: Sendable {
    public let source: [UInt8]
    private var position = 0
    private var line = 1
    private var lineStart = 0

    public init(source: [UInt8]) {
        self.source = source
    }

    /// A lexer for a piece of a larger text that starts at line `firstLine`
    /// (at the start of a line), so positions are those in the whole text.
    public init(source: [UInt8], firstLine: Int) {
        self.source = source
        self.line = firstLine
    }

    /// Current 1-based line.
    public var currentLine: Int { self.line }

    /// Reads the next non-empty entry into `entry` (its tokens are replaced).
    /// Returns false at the end of the source.
    public mutating func nextEntry(into entry: inout PresentationEntry) throws(PresentationError) -> Bool {
        entry.tokens.removeAll(keepingCapacity: true)
        let count = self.source.count
        while self.position < count {
            entry.startsWithBlank = false
            entry.line = self.line
            var depth = 0
            var openLine = 0
            var openColumn = 0
            if self.position == self.lineStart {
                let c = self.source[self.position]
                entry.startsWithBlank = c == UInt8(ascii: " ") || c == UInt8(ascii: "\t")
            }
            lineLoop: while self.position < count {
                let c = self.source[self.position]
                switch c {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    self.position += 1
                case UInt8(ascii: "\n"):
                    self.position += 1
                    self.line += 1
                    self.lineStart = self.position
                    if depth == 0 { break lineLoop }
                case UInt8(ascii: ";"):
                    while self.position < count && self.source[self.position] != UInt8(ascii: "\n") {
                        self.position += 1
                    }
                case UInt8(ascii: "("):
                    if depth == 0 {
                        openLine = self.line
                        openColumn = self.position - self.lineStart + 1
                    }
                    depth += 1
                    self.position += 1
                case UInt8(ascii: ")"):
                    guard depth > 0 else {
                        throw PresentationError(
                            "')' without '('", line: self.line, column: self.position - self.lineStart + 1)
                    }
                    depth -= 1
                    self.position += 1
                case UInt8(ascii: "\""):
                    entry.tokens.append(try self.quotedToken())
                default:
                    entry.tokens.append(try self.plainToken())
                }
            }
            if depth > 0 {
                throw PresentationError("'(' not closed", line: openLine, column: openColumn)
            }
            if !entry.tokens.isEmpty { return true }
        }
        return false
    }

    /// Skips the rest of the current line, so that reading can go on after
    /// an error (the zone parser reports it and resumes at the next line).
    public mutating func skipLine() {
        let count = self.source.count
        while self.position < count && self.source[self.position] != UInt8(ascii: "\n") {
            self.position += 1
        }
        if self.position < count {
            self.position += 1
            self.line += 1
            self.lineStart = self.position
        }
    }

    private mutating func quotedToken() throws(PresentationError) -> PresentationToken {
        let line = self.line
        let column = self.position - self.lineStart + 1
        self.position += 1
        let start = self.position
        let count = self.source.count
        while self.position < count {
            let c = self.source[self.position]
            if c == UInt8(ascii: "\\") {
                self.position += 2
                continue
            }
            if c == UInt8(ascii: "\"") {
                let token = PresentationToken(
                    start: start, end: self.position, quoted: true, line: line, column: column)
                self.position += 1
                return token
            }
            if c == UInt8(ascii: "\n") {
                break
            }
            self.position += 1
        }
        throw PresentationError("quoted string not closed", line: line, column: column)
    }

    private mutating func plainToken() throws(PresentationError) -> PresentationToken {
        let line = self.line
        let column = self.position - self.lineStart + 1
        let start = self.position
        let count = self.source.count
        while self.position < count {
            let c = self.source[self.position]
            switch c {
            case UInt8(ascii: "\\"):
                guard self.position + 1 < count, self.source[self.position + 1] != UInt8(ascii: "\n") else {
                    throw PresentationError(
                        "backslash at end of line", line: line, column: self.position - self.lineStart + 1)
                }
                self.position += 2
                continue
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: ";"),
                UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\""):
                return PresentationToken(start: start, end: self.position, quoted: false, line: line, column: column)
            default:
                self.position += 1
            }
        }
        return PresentationToken(
            start: start, end: min(self.position, count), quoted: false, line: line, column: column)
    }
}
