// SPDX-License-Identifier: Apache-2.0

/// A TOML 1.0 parser (https://toml.io/en/v1.0.0) that keeps the position of every key and value.
///
/// Strict: anything TOML 1.0 calls invalid is an error (duplicate keys, table redefinition,
/// bad escapes, leading zeros, newlines in inline tables, invalid UTF-8, control characters, …).
/// The first error stops the parse. Nesting of arrays and inline tables is capped at
/// ``maximumNesting`` so hostile input cannot exhaust the stack.
public struct TOMLParser {
    /// Deepest nesting accepted, counting arrays, inline tables and the parts of keys and table
    /// headers (`[a.b]` and `x.y = 1` are two levels each), so the value tree stays shallow.
    public static let maximumNesting = 100

    let bytes: [UInt8]
    let file: String
    var i = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    /// The parts of the current table header's key, which count towards ``maximumNesting``.
    var headerDepth = 0
    let columns = ColumnCache()

    /// Parses a whole document into its root table. `file` is used in positions.
    public static func parse(_ text: String, file: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(bytes: Array(text.utf8), file: file)
        return try parser.parseDocument()
    }

    /// Parses raw bytes, which must be UTF-8 (TOML 1.0 §Spec: "A TOML file must be a valid UTF-8
    /// encoded Unicode document").
    public static func parse(bytes: [UInt8], file: String) throws(TOMLError) -> TOMLTable {
        var parser = TOMLParser(bytes: bytes, file: file)
        return try parser.parseDocument()
    }

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    // MARK: Positions

    var here: SourceLocation { location(at: i) }

    /// The position of `offset`, which must be on the current line. Columns are counted from the
    /// last position asked for on the same line, so a long line costs linear time, not quadratic.
    func location(at offset: Int) -> SourceLocation {
        var k = lineStart
        var column = 1
        if columns.lineStart == lineStart && columns.offset <= offset {
            k = columns.offset
            column = columns.column
        }
        while k < offset && k < bytes.count {
            if bytes[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        columns.lineStart = lineStart
        columns.offset = k
        columns.column = column
        return SourceLocation(file: file, line: line, column: column)
    }

    /// The last column computed (see ``location(at:)``).
    final class ColumnCache {
        var lineStart = -1
        var offset = 0
        var column = 1
    }

    func error(_ message: String) -> TOMLError { TOMLError(message, at: here) }

    var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    func peek(_ offset: Int) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    /// What is at the cursor, for messages: `'x'`, `end of line`, `end of file`.
    var found: String {
        guard let c = peek else { return "end of file" }
        if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { return "end of line" }
        var end = i + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 { end += 1 }
        let text = String(decoding: bytes[i..<end], as: UTF8.self)
        if c < 0x20 || c == 0x7F { return "control character U+" + hex(UInt32(c), width: 4) }
        return "'\(text)'"
    }

    func hex(_ v: UInt32, width: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    // MARK: Document

    mutating func parseDocument() throws(TOMLError) -> TOMLTable {
        try validateUTF8()
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            i = 3
            lineStart = 3
        }
        let root = TOMLTableNode(origin: .root, location: SourceLocation(file: file, line: 1, column: 1), path: "")
        var current = root
        while let c = peek {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                i += 1
            } else if c == UInt8(ascii: "#") {
                try skipComment()
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                try consumeNewline()
            } else if c == UInt8(ascii: "[") {
                current = try parseHeader(root: root)
                try endOfLine()
            } else {
                try parseKeyValue(into: current)
                try endOfLine()
            }
        }
        return root.build()
    }

    /// After an expression: optional whitespace and comment, then a newline or the end.
    mutating func endOfLine() throws(TOMLError) {
        skipWhitespace()
        if peek == UInt8(ascii: "#") { try skipComment() }
        guard let c = peek else { return }
        if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
            try consumeNewline()
            return
        }
        throw error("expected a newline after the value, found \(found)")
    }

    mutating func skipWhitespace() {
        while let c = peek, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") { i += 1 }
    }

    /// Consumes LF or CRLF; a lone CR is an error (TOML 1.0 §Spec: newline is LF or CRLF).
    mutating func consumeNewline() throws(TOMLError) {
        if peek == UInt8(ascii: "\r") {
            guard peek(1) == UInt8(ascii: "\n") else {
                throw error("a carriage return must be followed by a line feed")
            }
            i += 1
        }
        i += 1
        line += 1
        lineStart = i
    }

    /// `# …` up to the end of the line; control characters other than tab are not allowed.
    mutating func skipComment() throws(TOMLError) {
        i += 1
        while let c = peek, c != UInt8(ascii: "\n") {
            if c == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n") { return }
            if Self.isControl(c) { throw error("\(found) is not allowed in a comment") }
            i += 1
        }
    }

    /// Whitespace, comments and newlines, as allowed between array elements.
    mutating func skipBlank() throws(TOMLError) {
        while let c = peek {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                i += 1
            } else if c == UInt8(ascii: "#") {
                try skipComment()
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                try consumeNewline()
            } else {
                return
            }
        }
    }

    static func isControl(_ c: UInt8) -> Bool { (c < 0x20 && c != 0x09) || c == 0x7F }

    static func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    static func isBareKeyScalar(_ s: Unicode.Scalar) -> Bool { s.isASCII && isBareKeyByte(UInt8(s.value)) }

    // MARK: Keys and tables

    /// `key`, `"quoted key"`, `'literal key'`, joined by dots with optional whitespace around them.
    mutating func parseKey() throws(TOMLError) -> [TOMLKey] {
        var keys: [TOMLKey] = []
        while true {
            skipWhitespace()
            keys.append(try parseSimpleKey())
            skipWhitespace()
            guard peek == UInt8(ascii: ".") else { return keys }
            i += 1
        }
    }

    mutating func parseSimpleKey() throws(TOMLError) -> TOMLKey {
        let loc = here
        switch peek {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
                throw error("a key cannot be a multi-line string")
            }
            return TOMLKey(try parseBasicString(), at: loc)
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") {
                throw error("a key cannot be a multi-line string")
            }
            return TOMLKey(try parseLiteralString(), at: loc)
        default:
            let start = i
            while let c = peek, Self.isBareKeyByte(c) { i += 1 }
            guard i > start else { throw error("expected a key, found \(found)") }
            return TOMLKey(String(decoding: bytes[start..<i], as: UTF8.self), at: loc)
        }
    }

    /// `[a.b]` or `[[a.b]]`; returns the table that following key/value pairs go into.
    mutating func parseHeader(root: TOMLTableNode) throws(TOMLError) -> TOMLTableNode {
        i += 1
        let isArray = peek == UInt8(ascii: "[")
        if isArray { i += 1 }
        let keys = try parseKey()
        headerDepth = 0
        guard keys.count <= Self.maximumNesting else {
            throw TOMLError("the table header has more than \(Self.maximumNesting) parts", at: keys[0].location)
        }
        headerDepth = keys.count
        skipWhitespace()
        guard peek == UInt8(ascii: "]") else {
            throw error("expected '\(isArray ? "]]" : "]")' to close the table header, found \(found)")
        }
        i += 1
        if isArray {
            guard peek == UInt8(ascii: "]") else { throw error("expected ']]' to close the array of tables header") }
            i += 1
        }
        var table = root
        for key in keys.dropLast() { table = try table.headerIntermediate(key) }
        guard let last = keys.last else { throw error("expected a key") }
        return isArray ? try table.appendArrayTable(last) : try table.defineHeaderTable(last)
    }

    /// `key = value` into `table`, creating the tables a dotted key names.
    mutating func parseKeyValue(into table: TOMLTableNode) throws(TOMLError) {
        let keys = try parseKey()
        skipWhitespace()
        guard peek == UInt8(ascii: "=") else {
            throw error("expected '=' after the key, found \(found)")
        }
        i += 1
        skipWhitespace()
        depth += keys.count
        if headerDepth + depth > Self.maximumNesting {
            throw TOMLError("keys and values are nested more than \(Self.maximumNesting) deep", at: keys[0].location)
        }
        let value = try parseValue()
        depth -= keys.count
        var target = table
        for key in keys.dropLast() { target = try target.dottedIntermediate(key) }
        guard let last = keys.last else { throw error("expected a key") }
        try target.defineValue(last, value)
    }

    // MARK: Values

    mutating func parseValue() throws(TOMLError) -> TOMLValue {
        let loc = here
        guard let c = peek else { throw error("expected a value, found end of file") }
        switch c {
        case UInt8(ascii: "\""):
            if peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"") {
                return TOMLValue(.string(try parseMultilineBasicString()), at: loc)
            }
            return TOMLValue(.string(try parseBasicString()), at: loc)
        case UInt8(ascii: "'"):
            if peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'") {
                return TOMLValue(.string(try parseMultilineLiteralString()), at: loc)
            }
            return TOMLValue(.string(try parseLiteralString()), at: loc)
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "{"):
            return try parseInlineTable()
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumberOrDate()
        default:
            let start = i
            while let b = peek, Self.isBareKeyByte(b) || b == UInt8(ascii: ".") { i += 1 }
            let word = String(decoding: bytes[start..<i], as: UTF8.self)
            switch word {
            case "true": return TOMLValue(.boolean(true), at: loc)
            case "false": return TOMLValue(.boolean(false), at: loc)
            case "inf", "nan":
                i = start
                return try parseNumberOrDate()
            case "":
                throw error("expected a value, found \(found)")
            default:
                throw TOMLError("expected a value, found '\(word)' (strings must be quoted)", at: loc)
            }
        }
    }

    mutating func enterNesting() throws(TOMLError) {
        depth += 1
        if headerDepth + depth > Self.maximumNesting {
            throw error("arrays and inline tables are nested more than \(Self.maximumNesting) deep")
        }
    }

    /// `[ v, v, … ]`: newlines and comments allowed, trailing comma allowed, types may mix.
    mutating func parseArray() throws(TOMLError) -> TOMLValue {
        let loc = here
        try enterNesting()
        i += 1
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            if peek == UInt8(ascii: "]") {
                i += 1
                break
            }
            items.append(try parseValue())
            try skipBlank()
            if peek == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if peek == UInt8(ascii: "]") {
                i += 1
                break
            }
            throw error("expected ',' or ']' in the array, found \(found)")
        }
        depth -= 1
        return TOMLValue(.array(items), at: loc)
    }

    /// `{ k = v, … }`: on one line, no trailing comma (TOML 1.0 §Inline Table).
    mutating func parseInlineTable() throws(TOMLError) -> TOMLValue {
        let loc = here
        try enterNesting()
        i += 1
        let node = TOMLTableNode(origin: .root, location: loc, path: "")
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            i += 1
        } else {
            while true {
                try parseKeyValue(into: node)
                skipWhitespace()
                if peek == UInt8(ascii: ",") {
                    i += 1
                    skipWhitespace()
                    if peek == UInt8(ascii: "}") {
                        throw error("a trailing comma is not allowed in an inline table")
                    }
                    continue
                }
                if peek == UInt8(ascii: "}") {
                    i += 1
                    break
                }
                if peek == nil || peek == UInt8(ascii: "\n") || peek == UInt8(ascii: "\r") {
                    throw error("an inline table must be on one line; expected ',' or '}', found \(found)")
                }
                throw error("expected ',' or '}' in the inline table, found \(found)")
            }
        }
        depth -= 1
        return TOMLValue(.table(node.build()), at: loc)
    }

    // MARK: UTF-8

    /// TOML 1.0 §Spec: the document must be valid UTF-8 (no overlong forms, no surrogates).
    mutating func validateUTF8() throws(TOMLError) {
        var k = 0
        let n = bytes.count
        while k < n {
            let b = bytes[k]
            if b < 0x80 {
                if b == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = k + 1
                }
                k += 1
                continue
            }
            var length = 0
            var scalar: UInt32 = 0
            switch b {
            case 0xC2...0xDF:
                length = 2
                scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF:
                length = 3
                scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4:
                length = 4
                scalar = UInt32(b & 0x07)
            default: length = 0
            }
            var valid = length > 0 && k + length <= n
            if valid {
                for j in 1..<length {
                    let c = bytes[k + j]
                    if c & 0xC0 != 0x80 {
                        valid = false
                        break
                    }
                    scalar = scalar << 6 | UInt32(c & 0x3F)
                }
            }
            if valid && length == 3 && (scalar < 0x800 || (0xD800...0xDFFF).contains(scalar)) { valid = false }
            if valid && length == 4 && (scalar < 0x10000 || scalar > 0x10FFFF) { valid = false }
            guard valid else {
                i = k
                throw error("invalid UTF-8 (byte 0x\(hex(UInt32(b), width: 2)))")
            }
            k += length
        }
        i = 0
        line = 1
        lineStart = 0
    }
}
