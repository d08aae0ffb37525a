// SPDX-License-Identifier: Apache-2.0

/// Reads typed values out of parsed TOML, checking them against ``Config/schema`` and collecting
/// every problem as a ``ConfigError`` instead of stopping at the first.
final class ConfigDecoder {
    let file: String
    /// The config file's directory ("" when the path has none), for relative paths.
    let directory: String
    private(set) var errors: [ConfigError] = []
    var locations: [String: SourceLocation] = [:]
    /// Every value path read, so tests can prove the decoder reads each key the schema lists.
    private(set) var readPaths: Set<String> = []

    init(file: String) {
        self.file = file
        if let slash = file.lastIndex(of: "/") {
            directory = String(file[...slash])
        } else {
            directory = ""
        }
    }

    /// The errors in file order.
    var sortedErrors: [ConfigError] {
        errors.enumerated().sorted {
            ($0.element.location.line, $0.element.location.column, $0.offset)
                < ($1.element.location.line, $1.element.location.column, $1.offset)
        }.map(\.element)
    }

    func error(_ message: String, key: String?, at location: SourceLocation) {
        errors.append(ConfigError(message, key: key, at: location))
    }

    /// "`path`: problem; expected <form from the schema>".
    func bad(_ path: String, _ value: TOMLValue, _ problem: String) {
        let expected = Config.schemaByPath[path]?.type ?? "a valid value"
        error("\(path): \(problem); expected \(expected)", key: path, at: value.location)
    }

    func path(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

    /// A path relative to the config file's directory, unless absolute.
    func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory + path }

    // MARK: Unknown keys

    /// Reports every key that the schema does not list, naming its full path and suggesting a
    /// close sibling; reports keys reserved for later versions as not supported yet; checks that
    /// sections are tables.
    func checkKeys(_ table: TOMLTable, prefix: String) {
        for entry in table.entries {
            let name = entry.key.name
            let full = path(prefix, TOMLTableNode.displayKey(name))
            guard !name.contains("."), let spec = Config.schemaByPath[full] else {
                error("unknown key '\(full)'\(suggestion(for: name, in: prefix))", key: full, at: entry.key.location)
                continue
            }
            guard spec.supported else {
                error("'\(full)' is not supported yet", key: full, at: entry.key.location)
                continue
            }
            switch spec.kind {
            case .value:
                break
            case .table:
                if let sub = entry.value.table {
                    checkKeys(sub, prefix: full)
                } else if entry.value.boolean != nil, spec.type.hasPrefix("true or false") {
                    // A table that can also be switched on with its defaults (`dnssec = true`).
                } else {
                    bad(full, entry.value, "found \(article(entry.value.typeName))")
                }
            case .arrayOfTables:
                let items = entry.value.array ?? []
                if entry.value.array == nil || items.contains(where: { $0.table == nil }) {
                    bad(full, entry.value, "found \(article(entry.value.typeName)); write [[\(full)]] sections")
                    continue
                }
                for item in items {
                    if let sub = item.table { checkKeys(sub, prefix: full) }
                }
            }
        }
    }

    /// ` (did you mean 'listen'?)`, or ` (did you mean 'dns.listen'?)` for a key in the wrong table.
    func suggestion(for name: String, in prefix: String) -> String {
        let siblings = Config.schema.filter { $0.parent == prefix && $0.supported }
        let limit = max(1, min(3, name.count / 3))
        let best = siblings.map { ($0.name, ConfigValueParsers.editDistance(name, $0.name)) }
            .filter { $0.1 <= limit }
            .min { $0.1 < $1.1 }
        if let best { return " (did you mean '\(best.0)'?)" }
        if let elsewhere = Config.schema.first(where: { $0.name == name && $0.supported && $0.kind == .value }) {
            return " (did you mean '\(elsewhere.path)'?)"
        }
        return ""
    }

    func article(_ typeName: String) -> String {
        ["array", "integer"].contains(typeName) ? "an \(typeName)" : "a \(typeName)"
    }

    // MARK: Typed values

    /// The value at `prefix.name`, recording its location for tables that are not repeated.
    func value(_ table: TOMLTable, _ prefix: String, _ name: String, record: Bool = true) -> TOMLValue? {
        let full = path(prefix, name)
        readPaths.insert(full)
        guard let value = table[name] else { return nil }
        if record { locations[full] = value.location }
        return value
    }

    func string(_ table: TOMLTable, _ prefix: String, _ name: String, record: Bool = true) -> (String, TOMLValue)? {
        guard let v = value(table, prefix, name, record: record) else { return nil }
        guard let s = v.string else {
            bad(path(prefix, name), v, "found \(article(v.typeName))")
            return nil
        }
        return (s, v)
    }

    /// A non-empty string without control characters and at most `maxBytes` UTF-8 bytes.
    func text(_ table: TOMLTable, _ prefix: String, _ name: String, maxBytes: Int) -> String? {
        guard let (s, v) = string(table, prefix, name) else { return nil }
        let full = path(prefix, name)
        if s.isEmpty {
            bad(full, v, "the string is empty")
            return nil
        }
        if s.utf8.count > maxBytes {
            bad(full, v, "the string is \(s.utf8.count) bytes long")
            return nil
        }
        if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            bad(full, v, "the string contains a control character")
            return nil
        }
        return s
    }

    func integer(_ table: TOMLTable, _ prefix: String, _ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let v = value(table, prefix, name) else { return nil }
        guard let i = v.integer else {
            bad(path(prefix, name), v, "found \(article(v.typeName))")
            return nil
        }
        guard let n = Int(exactly: i), range.contains(n) else {
            bad(path(prefix, name), v, "\(i) is out of range")
            return nil
        }
        return n
    }

    func bool(_ table: TOMLTable, _ prefix: String, _ name: String) -> Bool? {
        guard let v = value(table, prefix, name) else { return nil }
        guard let b = v.boolean else {
            bad(path(prefix, name), v, "found \(article(v.typeName))")
            return nil
        }
        return b
    }

    /// `"1h30m"` or an integer of seconds, within `range` seconds.
    func duration(_ table: TOMLTable, _ prefix: String, _ name: String, in range: ClosedRange<Int>) -> Duration? {
        guard let v = value(table, prefix, name) else { return nil }
        let full = path(prefix, name)
        let seconds: Int
        switch v.kind {
        case .integer(let i):
            guard let n = Int(exactly: i), n >= 0 else {
                bad(full, v, "\(i) is out of range")
                return nil
            }
            seconds = n
        case .string(let s):
            guard let n = ConfigValueParsers.durationSeconds(s) else {
                bad(full, v, "'\(s)' is not a duration")
                return nil
            }
            seconds = n
        default:
            bad(full, v, "found \(article(v.typeName))")
            return nil
        }
        guard range.contains(seconds) else {
            bad(full, v, "\(seconds) seconds is out of range")
            return nil
        }
        return .seconds(seconds)
    }

    /// One of a fixed set of strings.
    func choice<T: RawRepresentable & CaseIterable>(
        _ table: TOMLTable,
        _ prefix: String,
        _ name: String,
        record: Bool = true
    )
        -> T? where T.RawValue == String
    {
        guard let (s, v) = string(table, prefix, name, record: record) else { return nil }
        guard let choice = T(rawValue: s) else {
            bad(path(prefix, name), v, "'\(s)' is not a choice")
            return nil
        }
        return choice
    }

    /// A domain name; returns the absolute form.
    func domainName(_ table: TOMLTable, _ prefix: String, _ name: String) -> (String, TOMLValue)? {
        guard let (s, v) = string(table, prefix, name, record: false) else { return nil }
        switch ConfigValueParsers.domainName(s) {
        case .success(let absolute):
            return (absolute, v)
        case .failure(let problem):
            bad(path(prefix, name), v, "'\(s)' is not a valid name: \(problem.reason)")
            return nil
        }
    }
}
