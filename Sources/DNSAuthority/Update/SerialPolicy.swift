// SPDX-License-Identifier: Apache-2.0

/// How the SOA serial moves when a zone changes by dynamic update
/// (RFC 2136 §3.6: the serial must increase), as BIND's `serial-update-method`.
public enum SerialPolicy: String, Sendable, Hashable, CaseIterable {
    /// The old serial plus one.
    case increment
    /// Seconds since 1970 (UTC), or the old serial plus one when that is not greater.
    case unixtime
    /// `YYYYMMDDnn`: today's date and a two-digit counter, or the old serial
    /// plus one when that is not greater (more than 99 changes a day run into tomorrow).
    case date

    /// The serial after `serial`, at `now` (seconds since 1970); never 0,
    /// which some secondaries treat as "no serial", and always greater in
    /// RFC 1982 serial arithmetic.
    public func next(after serial: UInt32, now: Int64) -> UInt32 {
        var candidate: UInt32
        switch self {
        case .increment:
            candidate = serial &+ 1
        case .unixtime:
            candidate = UInt32(truncatingIfNeeded: now)
        case .date:
            let (year, month, day) = Self.civilDate(daysSinceEpoch: now >= 0 ? now / 86400 : (now - 86399) / 86400)
            candidate = UInt32(truncatingIfNeeded: (year * 10000 + month * 100 + day) * 100)
        }
        if !Self.isGreater(candidate, than: serial) { candidate = serial &+ 1 }
        if candidate == 0 { candidate = 1 }
        return candidate
    }

    /// `a > b` in serial number arithmetic (RFC 1982 §3.2).
    public static func isGreater(_ a: UInt32, than b: UInt32) -> Bool {
        (a > b && a - b < 1 << 31) || (a < b && b - a > 1 << 31)
    }

    /// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
