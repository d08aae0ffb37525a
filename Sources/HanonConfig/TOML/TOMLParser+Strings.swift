// SPDX-License-Identifier: Apache-2.0

/// TOML 1.0 §String: basic (`"…"`, escapes), multi-line basic (`"""…"""`), literal (`'…'`) and
/// multi-line literal (`'''…'''`) strings.
extension TOMLParser {
    /// `"…"` with escapes; no newline inside.
    mutating func parseBasicString() throws(TOMLError) -> String {
        let open = here
        i += 1
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw TOMLError("unterminated string", at: open) }
            switch c {
            case UInt8(ascii: "\""):
                i += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw TOMLError("unterminated string (use \"\"\" for a string with newlines)", at: open)
            default:
                if Self.isControl(c) { throw error("\(found) must be escaped in a string") }
                out.append(c)
                i += 1
            }
        }
    }

    /// `'…'`: no escapes, no newline inside.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        let open = here
        i += 1
        let start = i
        while true {
            guard let c = peek else { throw TOMLError("unterminated literal string", at: open) }
            if c == UInt8(ascii: "'") {
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                i += 1
                return text
            }
            if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                throw TOMLError("unterminated literal string (use ''' for a string with newlines)", at: open)
            }
            if Self.isControl(c) { throw error("\(found) is not allowed in a literal string") }
            i += 1
        }
    }

    /// `"""…"""`: a newline right after the opening delimiter is trimmed; a backslash at the end of a
    /// line trims the newline and the whitespace that follows; up to two quotes may precede the
    /// closing delimiter. CRLF is read as LF.
    mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        let open = here
        i += 3
        if peek == UInt8(ascii: "\n") || peek == UInt8(ascii: "\r") { try consumeNewline() }
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw TOMLError("unterminated multi-line string", at: open) }
            switch c {
            case UInt8(ascii: "\""):
                if try closeMultiline(quote: c, into: &out) { return String(decoding: out, as: UTF8.self) }
            case UInt8(ascii: "\\"):
                if try lineEndingBackslash() { continue }
                try parseEscape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                out.append(UInt8(ascii: "\n"))
            default:
                if Self.isControl(c) { throw error("\(found) must be escaped in a string") }
                out.append(c)
                i += 1
            }
        }
    }

    /// `'''…'''`: like `"""` without escapes.
    mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        let open = here
        i += 3
        if peek == UInt8(ascii: "\n") || peek == UInt8(ascii: "\r") { try consumeNewline() }
        var out: [UInt8] = []
        while true {
            guard let c = peek else { throw TOMLError("unterminated multi-line literal string", at: open) }
            switch c {
            case UInt8(ascii: "'"):
                if try closeMultiline(quote: c, into: &out) { return String(decoding: out, as: UTF8.self) }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                try consumeNewline()
                out.append(UInt8(ascii: "\n"))
            default:
                if Self.isControl(c) { throw error("\(found) is not allowed in a literal string") }
                out.append(c)
                i += 1
            }
        }
    }

    /// At a run of quotes in a multi-line string: 1–2 are content, 3–5 close the string (the extra
    /// ones are content), more than 5 is an error. Returns true when the string is closed.
    private mutating func closeMultiline(quote: UInt8, into out: inout [UInt8]) throws(TOMLError) -> Bool {
        var run = 0
        while peek(run) == quote { run += 1 }
        if run < 3 {
            out.append(contentsOf: repeatElement(quote, count: run))
            i += run
            return false
        }
        if run > 5 {
            i += 5
            throw error("too many quotes at the end of a multi-line string")
        }
        out.append(contentsOf: repeatElement(quote, count: run - 3))
        i += run
        return true
    }

    /// A `\` followed only by whitespace up to the end of the line: skips it, the newline and all
    /// whitespace and newlines after it. Returns false (and consumes nothing) otherwise.
    private mutating func lineEndingBackslash() throws(TOMLError) -> Bool {
        var k = i + 1
        while k < bytes.count && (bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: "\t")) { k += 1 }
        guard k < bytes.count, bytes[k] == UInt8(ascii: "\n") || bytes[k] == UInt8(ascii: "\r") else { return false }
        i = k
        try skipBlankLines()
        return true
    }

    private mutating func skipBlankLines() throws(TOMLError) {
        while let c = peek {
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") {
                i += 1
            } else if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") {
                try consumeNewline()
            } else {
                return
            }
        }
    }

    /// `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX` (TOML 1.0 §String); anything else is an error.
    mutating func parseEscape(into out: inout [UInt8]) throws(TOMLError) {
        let start = here
        i += 1
        guard let c = peek else { throw TOMLError("unterminated escape sequence", at: start) }
        i += 1
        switch c {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = c == UInt8(ascii: "u") ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<count {
                guard let d = peek, let digit = Self.hexValue(d) else {
                    throw TOMLError(
                        "\\\(Character(Unicode.Scalar(c))) must be followed by \(count) hexadecimal digits",
                        at: start
                    )
                }
                value = value << 4 | UInt32(digit)
                i += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw TOMLError(
                    "\\\(Character(Unicode.Scalar(c)))\(hex(value, width: count)) is not a Unicode scalar value",
                    at: start
                )
            }
            UTF8.encode(scalar) { out.append($0) }
        default:
            i -= 1
            let shown = found == "end of line" ? "end of line" : found
            throw TOMLError("invalid escape sequence: '\\' followed by \(shown)", at: start)
        }
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
