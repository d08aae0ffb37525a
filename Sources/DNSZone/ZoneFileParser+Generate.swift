// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// BIND's `$GENERATE start-stop[/step] lhs [ttl] [class] type rhs`.
///
/// In `lhs` and `rhs`, `$` is replaced by the iterator; `${offset[,width[,base]]}`
/// adds `offset`, pads to `width` and prints in `base`: `d` decimal, `o` octal,
/// `x`/`X` hexadecimal, `n`/`N` reversed nibbles separated by dots (for
/// ip6.arpa, `width` counting the dots too). `$$` and `\$` give a literal `$`
/// (`\$` stays escaped, so it is a literal dollar in a name). A quoted RHS
/// is substituted and then read as RDATA text, as BIND does (`MX "10 host$"`).
extension ZoneParseState {
    mutating func generateDirective(
        _ tokens: ArraySlice<PresentationToken>,
        source: [UInt8],
        frame: inout ZoneFrame
    ) throws(PresentationError) {
        let head = tokens[tokens.startIndex]
        guard tokens.count >= 5 else {
            throw PresentationError(
                "missing argument: $GENERATE START-STOP[/STEP] LHS [TTL] [CLASS] TYPE RHS",
                line: head.line,
                column: head.column
            )
        }
        let rangeToken = tokens[tokens.startIndex + 1]
        guard let range = parseGenerateRange(source[rangeToken.start..<rangeToken.end]) else {
            throw PresentationError(
                "bad $GENERATE range '\(String(decoding: source[rangeToken.start..<rangeToken.end], as: UTF8.self))' (START-STOP[/STEP], START <= STOP)",
                line: rangeToken.line,
                column: rangeToken.column
            )
        }
        let count = (range.stop - range.start) / range.step + 1
        guard count <= UInt64(self.limits.maxGeneratedRecords) else {
            throw PresentationError(
                "$GENERATE would make \(count) records (limit \(self.limits.maxGeneratedRecords))",
                line: rangeToken.line,
                column: rangeToken.column
            )
        }
        let lhs = tokens[tokens.startIndex + 2]
        // [ttl] [class] type: copied through unchanged.
        var i = tokens.startIndex + 3
        var middle: [PresentationToken] = []
        var sawType = false
        while i < tokens.endIndex && middle.count < 3 {
            let token = tokens[i]
            i += 1
            middle.append(token)
            if !isDigit(source[token.start]) && DNSClass(mnemonic: source[token.start..<token.end]) == nil {
                sawType = true
                break
            }
        }
        guard sawType, i < tokens.endIndex else {
            throw PresentationError("$GENERATE needs a TYPE and an RHS", line: head.line, column: head.column)
        }
        let rhs = tokens[i...]

        // Check the templates once, so a bad modifier is one error, not one per value.
        var line: [UInt8] = []
        for token in [lhs] + Array(rhs) {
            try substituteGenerate(source[token.start..<token.end], value: Int64(range.start), into: &line, at: token)
        }

        let location = ZoneLocation(file: frame.fileIndex, line: head.line, column: head.column)
        var value = range.start
        while value <= range.stop && !self.stopped {
            line.removeAll(keepingCapacity: true)
            try substituteGenerate(source[lhs.start..<lhs.end], value: Int64(value), into: &line, at: lhs)
            for token in middle {
                line.append(UInt8(ascii: " "))
                line.append(contentsOf: source[token.start..<token.end])
            }
            // As BIND: the RHS text (quotes removed) is substituted, then read
            // as RDATA, so `MX "10 host$"` works. BIND takes one RHS token;
            // several are accepted and joined with a blank.
            for token in rhs {
                line.append(UInt8(ascii: " "))
                try substituteGenerate(source[token.start..<token.end], value: Int64(value), into: &line, at: token)
            }
            var lexer = PresentationLexer(source: line)
            var entry = PresentationEntry()
            let generatedFrameID = self.newFrameID()
            do {
                guard try lexer.nextEntry(into: &entry) else { break }
                var generatedFrame = frame
                generatedFrame.id = generatedFrameID
                try self.record(
                    entry.tokens[...],
                    source: lexer.source,
                    startsWithBlank: false,
                    frame: &generatedFrame,
                    location: location
                )
            } catch {
                throw PresentationError(
                    "$GENERATE value \(value) gives '\(String(decoding: line, as: UTF8.self))': \(error.message)",
                    line: head.line,
                    column: head.column
                )
            }
            value += range.step
        }
        self.ownerCacheFrame = -1
    }
}

/// `start-stop[/step]`, each a decimal number up to 2^32 - 1, step at least 1.
func parseGenerateRange(_ text: ArraySlice<UInt8>) -> (start: UInt64, stop: UInt64, step: UInt64)? {
    guard let dash = text.firstIndex(of: UInt8(ascii: "-")) else { return nil }
    let slash = text.firstIndex(of: UInt8(ascii: "/"))
    guard let start = parseDecimal(text[text.startIndex..<dash]) else { return nil }
    let stopEnd = slash ?? text.endIndex
    guard dash < stopEnd, let stop = parseDecimal(text[(dash + 1)..<stopEnd]) else { return nil }
    var step: UInt64 = 1
    if let slash {
        guard let value = parseDecimal(text[(slash + 1)...]), value >= 1 else { return nil }
        step = value
    }
    guard start <= stop, stop <= UInt64(UInt32.max) else { return nil }
    return (start, stop, step)
}

/// Appends `template` with `$` and `${offset,width,base}` replaced for `value`.
func substituteGenerate(
    _ template: ArraySlice<UInt8>,
    value: Int64,
    into out: inout [UInt8],
    at token: PresentationToken
) throws(PresentationError) {
    func bad(_ message: String) -> PresentationError {
        PresentationError("bad $GENERATE template: \(message)", line: token.line, column: token.column)
    }
    var i = template.startIndex
    let end = template.endIndex
    while i < end {
        let c = template[i]
        if c == UInt8(ascii: "\\") {
            out.append(c)
            if i + 1 < end { out.append(template[i + 1]) }
            i += 2
            continue
        }
        guard c == UInt8(ascii: "$") else {
            out.append(c)
            i += 1
            continue
        }
        if i + 1 < end && template[i + 1] == UInt8(ascii: "$") {
            // A literal dollar, escaped so a name keeps it as data.
            out.append(UInt8(ascii: "\\"))
            out.append(UInt8(ascii: "$"))
            i += 2
            continue
        }
        var offset: Int64 = 0
        var width = 0
        var base = UInt8(ascii: "d")
        if i + 1 < end && template[i + 1] == UInt8(ascii: "{") {
            guard let close = template[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
                throw bad("'{' without '}'")
            }
            let fields = template[(i + 2)..<close].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard fields.count >= 1, fields.count <= 3 else { throw bad("expected ${offset[,width[,base]]}") }
            var offsetText = fields[0]
            var negative = false
            if offsetText.first == UInt8(ascii: "-") {
                negative = true
                offsetText = offsetText.dropFirst()
            }
            guard let magnitude = parseDecimal(offsetText), magnitude <= UInt64(UInt32.max) else {
                throw bad("offset must be a number")
            }
            offset = negative ? -Int64(magnitude) : Int64(magnitude)
            if fields.count >= 2 {
                guard let w = parseDecimal(fields[1]), w <= 255 else { throw bad("width must be 0 to 255") }
                width = Int(w)
            }
            if fields.count == 3 {
                guard fields[2].count == 1, let b = fields[2].first, "doxXnN".utf8.contains(b) else {
                    throw bad("base must be one of d, o, x, X, n, N")
                }
                base = b
            }
            i = close + 1
        } else {
            i += 1
        }
        let n = value + offset
        if n < 0 && base != UInt8(ascii: "d") {
            throw bad("negative value \(n) in base \(Character(Unicode.Scalar(base)))")
        }
        appendGenerated(n, width: width, base: base, to: &out)
    }
}

/// Formats one substituted value as BIND's `genname` does.
func appendGenerated(_ n: Int64, width: Int, base: UInt8, to out: inout [UInt8]) {
    if base == UInt8(ascii: "n") || base == UInt8(ascii: "N") {
        let digits: [UInt8] = Array((base == UInt8(ascii: "n") ? "0123456789abcdef" : "0123456789ABCDEF").utf8)
        var v = UInt64(n)
        var w = width
        repeat {
            out.append(digits[Int(v & 0x0F)])
            v >>= 4
            if w > 0 { w -= 1 }
            if w > 0 || v != 0 {
                out.append(UInt8(ascii: "."))
                if w > 0 { w -= 1 }
            }
        } while v != 0 || w > 0
        return
    }
    let radix: UInt64
    var uppercase = false
    switch base {
    case UInt8(ascii: "o"): radix = 8
    case UInt8(ascii: "x"): radix = 16
    case UInt8(ascii: "X"):
        radix = 16
        uppercase = true
    default: radix = 10
    }
    let digits: [UInt8] = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
    var magnitude = n < 0 ? UInt64(-n) : UInt64(n)
    var reversed: [UInt8] = []
    repeat {
        reversed.append(digits[Int(magnitude % radix)])
        magnitude /= radix
    } while magnitude > 0
    if n < 0 { out.append(UInt8(ascii: "-")) }
    let pad = width - reversed.count - (n < 0 ? 1 : 0)
    if pad > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: pad)) }
    out.append(contentsOf: reversed.reversed())
}
