// SPDX-License-Identifier: Apache-2.0

/// The RRSIG time fields in presentation form (RFC 4034 §3.2), without Foundation.
///
/// On the wire, Signature Expiration and Inception are 32-bit counts of
/// seconds since 1970-01-01T00:00:00Z, compared with serial-number arithmetic
/// (RFC 1982). In text they are `YYYYMMDDHHmmSS` in UTC, or — "for
/// backward compatibility" — a plain decimal count of seconds.
///
/// Printing reads the 32-bit value as unsigned (years 1970 to 2106). BIND
/// picks the 64-bit time nearest to its clock instead, which gives the same
/// text for every time within 68 years of now.
public enum DNSSECTime {
    static let secondsPerDay: Int64 = 86_400

    /// Formats a 32-bit RRSIG time as `YYYYMMDDHHmmSS` (RFC 4034 §3.2).
    public static func format(_ value: UInt32) -> String {
        var out = ""
        self.write(value, to: &out)
        return out
    }

    /// Appends `YYYYMMDDHHmmSS` for `value` to `out`.
    public static func write(_ value: UInt32, to out: inout String) {
        let seconds = Int64(value)
        let days = seconds / secondsPerDay
        let rest = seconds % secondsPerDay
        let (year, month, day) = civil(fromDays: days)
        var digits: [UInt8] = []
        digits.reserveCapacity(14)
        func append(_ n: Int64, width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var n = n
            while divisor > 0 {
                digits.append(UInt8(48 + (n / divisor) % 10))
                n %= divisor
                divisor /= 10
            }
        }
        append(year, width: 4)
        append(month, width: 2)
        append(day, width: 2)
        append(rest / 3600, width: 2)
        append(rest / 60 % 60, width: 2)
        append(rest % 60, width: 2)
        out += String(decoding: digits, as: UTF8.self)
    }

    /// Parses an RRSIG time: exactly 14 digits `YYYYMMDDHHmmSS` (UTC), or a
    /// decimal number of seconds that fits 32 bits. Nil on anything else.
    ///
    /// The date is checked (month 1–12, a day that exists in that month,
    /// hour 0–23, minute 0–59, second 0–60 as BIND allows a leap second) and
    /// reduced modulo 2^32, as the field is a serial number (RFC 4034 §3.1.5).
    public static func parse(_ text: some Collection<UInt8>) -> UInt32? {
        guard text.count == 14 else {
            guard let plain = parseDecimal(text), plain <= UInt64(UInt32.max) else { return nil }
            return UInt32(plain)
        }
        var values: [Int64] = []
        values.reserveCapacity(14)
        for c in text {
            guard isDigit(c) else { return nil }
            values.append(Int64(c - 48))
        }
        func number(_ from: Int, _ count: Int) -> Int64 {
            var n: Int64 = 0
            for i in from..<(from + count) { n = n * 10 + values[i] }
            return n
        }
        let year = number(0, 4)
        let month = number(4, 2)
        let day = number(6, 2)
        let hour = number(8, 2)
        let minute = number(10, 2)
        let second = number(12, 2)
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let total = days(fromCivil: year, month, day) * secondsPerDay + hour * 3600 + minute * 60 + second
        return UInt32(truncatingIfNeeded: total)
    }

    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
    /// `days_from_civil`, public domain).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard
    /// Hinnant's `civil_from_days`, public domain).
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
