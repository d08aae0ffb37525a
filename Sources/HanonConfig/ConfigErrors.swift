// SPDX-License-Identifier: Apache-2.0

/// One problem in a config file: where it is, the key it concerns, and what is wrong with the
/// expected form. Printed as `FILE:LINE:COLUMN: message` (or `FILE: message` when the problem is
/// the file as a whole, such as a file that cannot be read).
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    /// The full key path concerned (`dns.listen`, `zone.file`), if any.
    public var key: String?
    public var message: String

    public init(_ message: String, key: String? = nil, at location: SourceLocation) {
        self.message = message
        self.key = key
        self.location = location
    }

    public var description: String {
        location.line > 0 ? "\(location): \(message)" : "\(location.file): \(message)"
    }
}

/// All the problems found in a config file, in file order (``Config/parse(text:file:)`` does not
/// stop at the first). TOML syntax errors stop the parse, so they come alone.
public struct ConfigErrors: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
