// SPDX-License-Identifier: Apache-2.0

/// A TOML syntax or semantic error (TOML 1.0: duplicate keys, table redefinition, bad escapes,
/// malformed numbers and dates, …), with the position where it was found.
///
/// Printed as `FILE:LINE:COLUMN: message`.
public struct TOMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): \(message)" }
}
