// SPDX-License-Identifier: Apache-2.0

/// A position in a source file: the file name as given, a 1-based line and a 1-based column
/// (counted in Unicode scalars, so a tab or an accented letter is one column).
///
/// Printed as `FILE:LINE:COLUMN`, the form compilers use, so editors can jump to it.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COLUMN`.
    public var description: String { "\(file):\(line):\(column)" }
}
