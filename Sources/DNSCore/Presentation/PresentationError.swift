// SPDX-License-Identifier: Apache-2.0

/// An error in DNS presentation format (zone files, records given as text).
///
/// ``line`` and ``column`` are 1-based positions of the token at fault, when
/// known (0 otherwise); the zone parser adds the file name.
public struct PresentationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int

    public init(_ message: String, line: Int = 0, column: Int = 0) {
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        self.line > 0 ? "\(self.line):\(self.column): \(self.message)" : self.message
    }
}
