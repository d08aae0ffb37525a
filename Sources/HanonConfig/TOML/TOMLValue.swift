// SPDX-License-Identifier: Apache-2.0

/// A TOML 1.0 value with the position of its first character.
///
/// Tables made by `[header]` lines carry the position of the header's last key; arrays of tables
/// made by `[[header]]` lines carry the position of the first such header, and each of their
/// tables the position of its own header.
public struct TOMLValue: Equatable, Sendable {
    /// The value itself. TOML 1.0 arrays may mix types.
    public indirect enum Kind: Equatable, Sendable {
        case string(String)
        case integer(Int64)
        case float(Double)
        case boolean(Bool)
        case dateTime(TOMLDateTime)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The TOML type name, for messages: "string", "integer", "float", "boolean", "date-time",
    /// "array", "table".
    public var typeName: String {
        switch kind {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .dateTime: "date-time"
        case .array: "array"
        case .table: "table"
        }
    }

    public var string: String? { if case .string(let s) = kind { s } else { nil } }
    public var integer: Int64? { if case .integer(let i) = kind { i } else { nil } }
    public var float: Double? { if case .float(let d) = kind { d } else { nil } }
    public var boolean: Bool? { if case .boolean(let b) = kind { b } else { nil } }
    public var dateTime: TOMLDateTime? { if case .dateTime(let d) = kind { d } else { nil } }
    public var array: [TOMLValue]? { if case .array(let a) = kind { a } else { nil } }
    public var table: TOMLTable? { if case .table(let t) = kind { t } else { nil } }
}

/// A key as written (after unquoting), with the position of its first character.
public struct TOMLKey: Hashable, Sendable {
    public var name: String
    public var location: SourceLocation

    public init(_ name: String, at location: SourceLocation) {
        self.name = name
        self.location = location
    }
}

/// A TOML table: its entries in the order they were first defined.
public struct TOMLTable: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var key: TOMLKey
        public var value: TOMLValue
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// The entry named `name`, if any (keys are case-sensitive, as TOML says).
    public func entry(_ name: String) -> Entry? {
        entries.first { $0.key.name == name }
    }

    public subscript(name: String) -> TOMLValue? { entry(name)?.value }

    public var keys: [String] { entries.map(\.key.name) }
}

/// A TOML date, time or date-time (TOML 1.0 §Offset Date-Time, §Local Date-Time, §Local Date,
/// §Local Time; RFC 3339). Which parts are present tells the kind:
/// date + time + offset = offset date-time, date + time = local date-time, date alone = local date,
/// time alone = local time.
public struct TOMLDateTime: Hashable, Sendable, CustomStringConvertible {
    public struct Date: Hashable, Sendable {
        public var year: Int
        public var month: Int
        public var day: Int
    }

    public struct Time: Hashable, Sendable {
        public var hour: Int
        public var minute: Int
        /// 0…60 (60 only for a leap second, as RFC 3339 allows).
        public var second: Int
        /// Fractional seconds, truncated to nanoseconds.
        public var nanosecond: Int
    }

    public var date: Date?
    public var time: Time?
    /// Offset from UTC in minutes, nil for local date-times. `Z` is 0.
    public var offsetMinutes: Int?

    public init(date: Date?, time: Time?, offsetMinutes: Int?) {
        self.date = date
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    /// RFC 3339 form: `1979-05-27T07:32:00Z`, `1979-05-27T00:32:00.999999-07:00`, `07:32:00`.
    public var description: String {
        var out = ""
        if let d = date {
            out += pad(d.year, 4) + "-" + pad(d.month, 2) + "-" + pad(d.day, 2)
        }
        if let t = time {
            if date != nil { out += "T" }
            out += pad(t.hour, 2) + ":" + pad(t.minute, 2) + ":" + pad(t.second, 2)
            if t.nanosecond != 0 {
                var frac = pad(t.nanosecond, 9)
                while frac.hasSuffix("0") { frac.removeLast() }
                out += "." + frac
            }
        }
        if let off = offsetMinutes {
            if off == 0 {
                out += "Z"
            } else {
                out += (off < 0 ? "-" : "+") + pad(abs(off) / 60, 2) + ":" + pad(abs(off) % 60, 2)
            }
        }
        return out
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
