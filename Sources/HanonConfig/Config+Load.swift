// SPDX-License-Identifier: Apache-2.0
import Foundation

extension Config {
    /// Reads and parses the config file at `path`. Throws ``ConfigErrors`` (every problem found),
    /// including when the file cannot be read or is not UTF-8.
    public static func load(path: String) throws -> Config {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            throw ConfigErrors([ConfigError(reason, at: SourceLocation(file: path, line: 0, column: 0))])
        }
        let root: TOMLTable
        do {
            root = try TOMLParser.parse(bytes: Array(data), file: path)
        } catch {
            throw ConfigErrors([ConfigError(error.message, at: error.location)])
        }
        let decoder = ConfigDecoder(file: path)
        let config = decode(root, with: decoder)
        if !decoder.errors.isEmpty { throw ConfigErrors(decoder.sortedErrors) }
        return config
    }
}
