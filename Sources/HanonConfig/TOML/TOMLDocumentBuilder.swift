// SPDX-License-Identifier: Apache-2.0

/// The mutable table tree a TOML document is built into, enforcing TOML 1.0's rules on where
/// keys and tables may be defined:
/// - a key is defined once (TOML 1.0 §Keys: "Defining a key multiple times is invalid");
/// - a table is defined once by a `[header]`, and not by a header if dotted keys defined it
///   (§Table: "[fruit.apple] # INVALID");
/// - dotted keys cannot add to a table defined by a header elsewhere;
/// - inline tables and static arrays are complete once written (§Inline Table, §Array of Tables:
///   "Attempting to append to a statically defined array … must produce an error").
final class TOMLTableNode {
    enum Origin {
        case root
        /// Created as an intermediate of a `[a.b.c]` or `[[a.b.c]]` header; may later be defined by a header.
        case implicit
        /// Defined by a `[header]`.
        case header
        /// Created by a dotted key (`a.b = 1`) or inside an inline table.
        case dotted
        /// An element of an array of tables.
        case arrayElement
    }

    var origin: Origin
    var location: SourceLocation
    let path: String
    private(set) var names: [String] = []
    private(set) var items: [String: Item] = [:]
    private(set) var keyLocations: [String: SourceLocation] = [:]

    enum Item {
        case value(TOMLValue)
        case table(TOMLTableNode)
        case arrayOfTables(TOMLArrayOfTablesNode)
    }

    init(origin: Origin, location: SourceLocation, path: String) {
        self.origin = origin
        self.location = location
        self.path = path
    }

    func childPath(_ name: String) -> String {
        let quoted = TOMLTableNode.displayKey(name)
        return path.isEmpty ? quoted : path + "." + quoted
    }

    /// A key as it would be written in a document: bare if possible, quoted otherwise.
    static func displayKey(_ name: String) -> String {
        let bare = !name.isEmpty && name.unicodeScalars.allSatisfy { TOMLParser.isBareKeyScalar($0) }
        return bare ? name : "\"" + name + "\""
    }

    subscript(name: String) -> Item? { items[name] }

    func set(_ name: String, _ item: Item, keyLocation: SourceLocation) {
        if items[name] == nil { names.append(name) }
        items[name] = item
        keyLocations[name] = keyLocation
    }

    func keyLocation(_ name: String) -> SourceLocation? { keyLocations[name] }

    /// The immutable table.
    func build() -> TOMLTable {
        var table = TOMLTable()
        for name in names {
            guard let item = items[name], let keyLocation = keyLocations[name] else { continue }
            let value: TOMLValue
            switch item {
            case .value(let v):
                value = v
            case .table(let node):
                value = TOMLValue(.table(node.build()), at: node.location)
            case .arrayOfTables(let array):
                let tables = array.tables.map { TOMLValue(.table($0.build()), at: $0.location) }
                value = TOMLValue(.array(tables), at: array.location)
            }
            table.entries.append(.init(key: TOMLKey(name, at: keyLocation), value: value))
        }
        return table
    }
}

/// An array of tables made by `[[header]]` lines; only these can be appended to.
final class TOMLArrayOfTablesNode {
    var tables: [TOMLTableNode] = []
    let location: SourceLocation

    init(location: SourceLocation) {
        self.location = location
    }
}

extension TOMLTableNode {
    private static func describe(_ item: Item) -> String {
        switch item {
        case .value(let v): v.typeName == "table" ? "an inline table" : "a \(v.typeName)"
        case .table: "a table"
        case .arrayOfTables: "an array of tables"
        }
    }

    private static func at(_ l: SourceLocation) -> String { "\(l.line):\(l.column)" }

    /// Walks one step of a header's key (`[a.b.c]` or `[[a.b.c]]`) that is not the last:
    /// creates an implicit table if missing, enters the last table of an array of tables.
    func headerIntermediate(_ key: TOMLKey) throws(TOMLError) -> TOMLTableNode {
        switch self[key.name] {
        case nil:
            let node = TOMLTableNode(origin: .implicit, location: key.location, path: childPath(key.name))
            set(key.name, .table(node), keyLocation: key.location)
            return node
        case .table(let node):
            return node
        case .arrayOfTables(let array):
            guard let last = array.tables.last else { throw TOMLError("empty array of tables", at: key.location) }
            return last
        case .value(let v):
            let definedAt = keyLocation(key.name).map { " at " + Self.at($0) } ?? ""
            throw TOMLError(
                "key '\(childPath(key.name))' is already defined as \(Self.describe(.value(v)))\(definedAt); it cannot be extended",
                at: key.location
            )
        }
    }

    /// Defines the table named by the last key of a `[header]`.
    func defineHeaderTable(_ key: TOMLKey) throws(TOMLError) -> TOMLTableNode {
        let path = childPath(key.name)
        switch self[key.name] {
        case nil:
            let node = TOMLTableNode(origin: .header, location: key.location, path: path)
            set(key.name, .table(node), keyLocation: key.location)
            return node
        case .table(let node):
            switch node.origin {
            case .implicit:
                node.origin = .header
                node.location = key.location
                return node
            case .header, .root, .arrayElement:
                throw TOMLError("table '\(path)' is already defined at \(Self.at(node.location))", at: key.location)
            case .dotted:
                throw TOMLError(
                    "table '\(path)' is already defined by dotted keys at \(Self.at(node.location))",
                    at: key.location
                )
            }
        case .some(let item):
            let definedAt = keyLocation(key.name).map { " at " + Self.at($0) } ?? ""
            throw TOMLError(
                "key '\(path)' is already defined as \(Self.describe(item))\(definedAt); it cannot be redefined as a table",
                at: key.location
            )
        }
    }

    /// Appends a table to the array of tables named by the last key of a `[[header]]`.
    func appendArrayTable(_ key: TOMLKey) throws(TOMLError) -> TOMLTableNode {
        let path = childPath(key.name)
        let element = TOMLTableNode(origin: .arrayElement, location: key.location, path: path)
        switch self[key.name] {
        case nil:
            let array = TOMLArrayOfTablesNode(location: key.location)
            array.tables.append(element)
            set(key.name, .arrayOfTables(array), keyLocation: key.location)
        case .arrayOfTables(let array):
            array.tables.append(element)
        case .value(let v) where v.array != nil:
            throw TOMLError(
                "cannot append to static array '\(path)' defined at \(Self.at(keyLocation(key.name) ?? v.location)); [[\(path)]] needs an array of tables",
                at: key.location
            )
        case .some(let item):
            let definedAt = keyLocation(key.name).map { " at " + Self.at($0) } ?? ""
            throw TOMLError(
                "key '\(path)' is already defined as \(Self.describe(item))\(definedAt); it cannot be an array of tables",
                at: key.location
            )
        }
        return element
    }

    /// Walks one step of a dotted key (`a.b.c = 1`) that is not the last. Dotted keys create and
    /// extend tables that dotted keys created, never a table a header defined (TOML 1.0 §Table).
    func dottedIntermediate(_ key: TOMLKey) throws(TOMLError) -> TOMLTableNode {
        let path = childPath(key.name)
        switch self[key.name] {
        case nil:
            let node = TOMLTableNode(origin: .dotted, location: key.location, path: path)
            set(key.name, .table(node), keyLocation: key.location)
            return node
        case .table(let node) where node.origin == .dotted:
            return node
        case .table(let node) where node.origin == .implicit:
            // A table only named on the way to a header's table (`b` of `[a.b.c]`) may be extended
            // by dotted keys; from then on it counts as defined by them (as tomli and toml-test do).
            node.origin = .dotted
            return node
        case .table(let node):
            throw TOMLError(
                "dotted keys cannot add to table '\(path)' defined by a header at \(Self.at(node.location))",
                at: key.location
            )
        case .some(let item):
            let definedAt = keyLocation(key.name).map { " at " + Self.at($0) } ?? ""
            throw TOMLError(
                "key '\(path)' is already defined as \(Self.describe(item))\(definedAt); it cannot be extended",
                at: key.location
            )
        }
    }

    /// Defines the last key of a key/value pair.
    func defineValue(_ key: TOMLKey, _ value: TOMLValue) throws(TOMLError) {
        if let existing = self[key.name] {
            let definedAt =
                keyLocation(key.name).map { " (first defined at \(Self.at($0)) as \(Self.describe(existing)))" } ?? ""
            throw TOMLError("duplicate key '\(childPath(key.name))'\(definedAt)", at: key.location)
        }
        set(key.name, .value(value), keyLocation: key.location)
    }
}
