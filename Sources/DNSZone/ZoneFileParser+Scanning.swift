// SPDX-License-Identifier: Apache-2.0

import DNSCore

// Byte-level helpers of the zone parser, specialised for the hot loop.

@inline(__always)
func isDigit(_ c: UInt8?) -> Bool {
    guard let c else { return false }
    return c >= 48 && c <= 57
}

/// True when the bytes at `a..<aEnd` equal those at `b..<bEnd` of `source`.
@inline(__always)
func sameBytes(_ source: [UInt8], _ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Bool {
    guard aEnd - a == bEnd - b else { return false }
    return source.withUnsafeBufferPointer { p in
        var i = 0
        while a + i < aEnd {
            if p[a + i] != p[b + i] { return false }
            i += 1
        }
        return true
    }
}

/// A name's text is absolute when it ends in a dot that is not escaped (or is `.`).
func isAbsoluteNameText(_ text: ArraySlice<UInt8>) -> Bool {
    guard let last = text.last, last == UInt8(ascii: ".") else { return false }
    var backslashes = 0
    var i = text.index(before: text.endIndex)
    while i > text.startIndex {
        i = text.index(before: i)
        guard text[i] == UInt8(ascii: "\\") else { break }
        backslashes += 1
    }
    return backslashes % 2 == 0
}

/// The most common types, recognised without building a String (the general
/// `RecordType(mnemonic:)` handles the rest); a measured hot spot on large zones.
@inline(__always)
func commonRecordType(_ text: ArraySlice<UInt8>) -> RecordType? {
    switch text.count {
    case 1: return equalsIgnoringCase(text, "A") ? .a : nil
    case 2:
        if equalsIgnoringCase(text, "NS") { return .ns }
        if equalsIgnoringCase(text, "MX") { return .mx }
        return nil
    case 3:
        if equalsIgnoringCase(text, "TXT") { return .txt }
        if equalsIgnoringCase(text, "SRV") { return .srv }
        if equalsIgnoringCase(text, "PTR") { return .ptr }
        if equalsIgnoringCase(text, "CAA") { return .caa }
        if equalsIgnoringCase(text, "SOA") { return .soa }
        return nil
    case 4: return equalsIgnoringCase(text, "AAAA") ? .aaaa : nil
    case 5:
        if equalsIgnoringCase(text, "CNAME") { return .cname }
        if equalsIgnoringCase(text, "DNAME") { return .dname }
        return nil
    default: return nil
    }
}

/// Line ends in `bytes`.
func countNewlines(_ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBufferPointer { p in
        var n = 0
        for byte in p where byte == 10 { n += 1 }
        return n
    }
}

/// The end of the last complete entry in `bytes`: just after the last line
/// end outside parentheses, quotes and comments (0 when there is none yet).
/// Mirrors ``PresentationLexer``, so each piece handed to it holds whole entries.
func lastEntryBoundary(_ bytes: [UInt8]) -> Int {
    bytes.withUnsafeBufferPointer { p in
        let n = p.count
        var depth = 0
        var last = 0
        var i = 0
        while i < n {
            switch p[i] {
            case UInt8(ascii: "\n"):
                i += 1
                if depth == 0 { last = i }
            case UInt8(ascii: ";"):
                while i < n && p[i] != UInt8(ascii: "\n") { i += 1 }
            case UInt8(ascii: "\""):
                i += 1
                while i < n {
                    if p[i] == UInt8(ascii: "\\") {
                        i += 2
                        continue
                    }
                    if p[i] == UInt8(ascii: "\n") { break }
                    i += 1
                    if p[i - 1] == UInt8(ascii: "\"") { break }
                }
            case UInt8(ascii: "("):
                depth += 1
                i += 1
            case UInt8(ascii: ")"):
                depth = max(0, depth - 1)
                i += 1
            case UInt8(ascii: "\\"):
                i += 2
            default:
                i += 1
            }
        }
        return min(last, n)
    }
}

/// The common case of a name token — no escapes, not `@` — straight to wire
/// form (RFC 1035 §3.1) with one exact allocation. Returns nil for anything
/// else (escapes, `@`, empty or over-long labels, over-long names), which the
/// caller hands to `DomainName(parsing:origin:)` for the full rules and the
/// error message.
func plainName(_ source: [UInt8], _ start: Int, _ end: Int, origin: DomainName?) -> DomainName? {
    let length = end - start
    guard length > 0 else { return nil }
    return source.withUnsafeBufferPointer { p -> DomainName? in
        let absolute = p[end - 1] == UInt8(ascii: ".")
        if absolute && length == 1 { return .root }
        let textEnd = absolute ? end - 1 : end
        let suffix = absolute ? [0] : (origin?.wire ?? [0])
        let total = (textEnd - start) + 1 + suffix.count
        guard total <= 255 else { return nil }
        var wire = [UInt8](repeating: 0, count: total)
        var ok = true
        wire.withUnsafeMutableBufferPointer { w in
            var labelStart = 0
            var out = 1
            var i = start
            while i < textEnd {
                let c = p[i]
                if c == UInt8(ascii: "\\") || c == UInt8(ascii: "@") {
                    ok = false
                    return
                }
                if c == UInt8(ascii: ".") {
                    let labelLength = out - labelStart - 1
                    guard labelLength > 0 && labelLength <= 63 else {
                        ok = false
                        return
                    }
                    w[labelStart] = UInt8(labelLength)
                    labelStart = out
                    out += 1
                } else {
                    w[out] = c
                    out += 1
                }
                i += 1
            }
            let labelLength = out - labelStart - 1
            guard labelLength > 0 && labelLength <= 63 else {
                ok = false
                return
            }
            w[labelStart] = UInt8(labelLength)
            for b in suffix {
                w[out] = b
                out += 1
            }
        }
        guard ok else { return nil }
        return try? DomainName(wire: wire)
    }
}
