// SPDX-License-Identifier: Apache-2.0

/// TOML 1.0 §Integer, §Float, §Offset Date-Time, §Local Date-Time, §Local Date, §Local Time.
extension TOMLParser {
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    static func isNumberByte(_ c: UInt8) -> Bool {
        isBareKeyByte(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
    }

    /// Reads one number or date token and classifies it.
    mutating func parseNumberOrDate() throws(TOMLError) -> TOMLValue {
        let loc = here
        let start = i
        while let c = peek, Self.isNumberByte(c) { i += 1 }
        // `1979-05-27 07:32:00`: RFC 3339 allows a space between date and time.
        if i - start == 10, bytes[start + 4] == UInt8(ascii: "-"), peek == UInt8(ascii: " "),
            let next = peek(1), Self.isDigit(next)
        {
            i += 1
            while let c = peek, Self.isNumberByte(c) { i += 1 }
        }
        let token = Array(bytes[start..<i])
        let text = String(decoding: token, as: UTF8.self)
        let isDate =
            (token.count >= 5 && token[4] == UInt8(ascii: "-") && token[0..<4].allSatisfy(Self.isDigit))
            || (token.count >= 3 && token[2] == UInt8(ascii: ":") && token[0..<2].allSatisfy(Self.isDigit))
        if isDate {
            guard let dateTime = try Self.parseDateTime(token, text: text, at: loc) else {
                throw TOMLError(
                    "invalid date-time '\(text)'; expected a form like 1979-05-27T07:32:00Z, 1979-05-27 or 07:32:00",
                    at: loc
                )
            }
            return TOMLValue(.dateTime(dateTime), at: loc)
        }
        return TOMLValue(try Self.parseNumber(token, text: text, at: loc), at: loc)
    }

    /// Checks a run of digits with optional single underscores between digits (`1_000`).
    static func validDigits(_ run: ArraySlice<UInt8>, isDigit: (UInt8) -> Bool) -> Bool {
        guard let first = run.first, let last = run.last, isDigit(first), isDigit(last) else { return false }
        var previousUnderscore = false
        for c in run {
            if c == UInt8(ascii: "_") {
                if previousUnderscore { return false }
                previousUnderscore = true
            } else if isDigit(c) {
                previousUnderscore = false
            } else {
                return false
            }
        }
        return true
    }

    static func parseNumber(_ t: [UInt8], text: String, at loc: SourceLocation) throws(TOMLError) -> TOMLValue.Kind {
        func invalid(_ why: String = "") -> TOMLError {
            TOMLError("invalid number '\(text)'\(why.isEmpty ? "" : ": " + why)", at: loc)
        }
        switch text {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        let digitsOnly = t.filter { $0 != UInt8(ascii: "_") }
        // Hexadecimal, octal, binary: no sign, underscores between digits.
        if t.count >= 2 && t[0] == UInt8(ascii: "0")
            && (t[1] == UInt8(ascii: "x") || t[1] == UInt8(ascii: "o") || t[1] == UInt8(ascii: "b"))
        {
            let radix = t[1] == UInt8(ascii: "x") ? 16 : t[1] == UInt8(ascii: "o") ? 8 : 2
            let isDigit: (UInt8) -> Bool = { c in
                guard let v = hexValue(c) else { return false }
                return Int(v) < radix
            }
            guard validDigits(t[2...], isDigit: isDigit) else { throw invalid() }
            guard let value = Int64(String(decoding: digitsOnly[2...], as: UTF8.self), radix: radix) else {
                throw invalid("out of the 64-bit integer range")
            }
            return .integer(value)
        }
        var p = 0
        if p < t.count && (t[p] == UInt8(ascii: "+") || t[p] == UInt8(ascii: "-")) { p += 1 }
        let intStart = p
        while p < t.count && (isDigit(t[p]) || t[p] == UInt8(ascii: "_")) { p += 1 }
        let intPart = t[intStart..<p]
        guard validDigits(intPart, isDigit: isDigit) else { throw invalid() }
        if intPart.count > 1 && intPart.first == UInt8(ascii: "0") { throw invalid("leading zeros are not allowed") }
        var isFloat = false
        if p < t.count && t[p] == UInt8(ascii: ".") {
            isFloat = true
            p += 1
            let start = p
            while p < t.count && (isDigit(t[p]) || t[p] == UInt8(ascii: "_")) { p += 1 }
            guard validDigits(t[start..<p], isDigit: isDigit) else { throw invalid("digits must follow the '.'") }
        }
        if p < t.count && (t[p] == UInt8(ascii: "e") || t[p] == UInt8(ascii: "E")) {
            isFloat = true
            p += 1
            if p < t.count && (t[p] == UInt8(ascii: "+") || t[p] == UInt8(ascii: "-")) { p += 1 }
            let start = p
            while p < t.count && (isDigit(t[p]) || t[p] == UInt8(ascii: "_")) { p += 1 }
            guard validDigits(t[start..<p], isDigit: isDigit) else { throw invalid("bad exponent") }
        }
        guard p == t.count else { throw invalid() }
        let plain = String(decoding: digitsOnly, as: UTF8.self)
        if isFloat {
            guard let value = Double(plain), value.isFinite else { throw invalid("out of the float range") }
            return .float(value)
        }
        guard let value = Int64(plain) else { throw invalid("out of the 64-bit integer range") }
        return .integer(value)
    }

    /// RFC 3339 as TOML 1.0 restricts it: `YYYY-MM-DD`, `HH:MM:SS[.frac]`, and
    /// `YYYY-MM-DD(T|t| )HH:MM:SS[.frac][Z|z|±HH:MM]`. Returns nil when malformed; throws for a
    /// well-formed but impossible date or time (month 13, February 30, hour 24).
    static func parseDateTime(_ t: [UInt8], text: String, at loc: SourceLocation) throws(TOMLError) -> TOMLDateTime? {
        var p = 0
        func number(_ width: Int) -> Int? {
            guard p + width <= t.count else { return nil }
            var v = 0
            for k in p..<(p + width) {
                guard isDigit(t[k]) else { return nil }
                v = v * 10 + Int(t[k] - UInt8(ascii: "0"))
            }
            p += width
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard p < t.count, t[p] == UInt8(ascii: c.unicodeScalars.first ?? " ") else { return false }
            p += 1
            return true
        }
        func impossible(_ what: String) -> TOMLError { TOMLError("invalid date-time '\(text)': \(what)", at: loc) }

        var date: TOMLDateTime.Date?
        if t.count >= 5 && t[4] == UInt8(ascii: "-") {
            guard let y = number(4), expect("-"), let m = number(2), expect("-"), let d = number(2) else { return nil }
            guard (1...12).contains(m) else { throw impossible("month \(m) is not 1 to 12") }
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
            guard (1...days).contains(d) else { throw impossible("day \(d) is not 1 to \(days)") }
            date = .init(year: y, month: m, day: d)
            if p == t.count { return TOMLDateTime(date: date, time: nil, offsetMinutes: nil) }
            guard expect("T") || expect("t") || expect(" ") else { return nil }
        }
        guard let h = number(2), expect(":"), let mi = number(2), expect(":"), let s = number(2) else { return nil }
        guard h < 24 else { throw impossible("hour \(h) is not 0 to 23") }
        guard mi < 60 else { throw impossible("minute \(mi) is not 0 to 59") }
        guard s <= 60 else { throw impossible("second \(s) is not 0 to 60") }
        var nanos = 0
        if expect(".") {
            var digits = 0
            while p < t.count && isDigit(t[p]) {
                if digits < 9 { nanos = nanos * 10 + Int(t[p] - UInt8(ascii: "0")) }
                digits += 1
                p += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        let time = TOMLDateTime.Time(hour: h, minute: mi, second: s, nanosecond: nanos)
        var offset: Int?
        if date != nil && p < t.count {
            if expect("Z") || expect("z") {
                offset = 0
            } else if p < t.count && (t[p] == UInt8(ascii: "+") || t[p] == UInt8(ascii: "-")) {
                let negative = t[p] == UInt8(ascii: "-")
                p += 1
                guard let oh = number(2), expect(":"), let om = number(2) else { return nil }
                guard oh < 24, om < 60 else { throw impossible("offset out of range") }
                offset = (oh * 60 + om) * (negative ? -1 : 1)
            }
        }
        guard p == t.count else { return nil }
        return TOMLDateTime(date: date, time: time, offsetMinutes: offset)
    }
}
