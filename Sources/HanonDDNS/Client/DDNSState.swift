// SPDX-License-Identifier: Apache-2.0

import DNSZone
import Foundation

/// What the updater remembers between runs, in `ddns-state.json` in the data directory: the last
/// address sent per record and provider, so a restart does not send it again; the last result;
/// when to try next. Written whole, with fsync and rename, after every change.
public struct DDNSState: Codable, Equatable, Sendable {
    /// The file's name in the data directory.
    public static let fileName = "ddns-state.json"

    /// The last detection of each family (`ipv4`, `ipv6`).
    public var detected: [String: Detection] = [:]
    /// Per record and provider, keyed by ``RecordState/key(name:provider:)``.
    public var records: [String: RecordState] = [:]

    public init() {}

    public struct Detection: Codable, Equatable, Sendable {
        public var address: IPAddress?
        public var source: String
        public var at: Date
        /// Why nothing was detected, when nothing was.
        public var error: String?

        public init(address: IPAddress?, source: String, at: Date, error: String? = nil) {
            self.address = address
            self.source = source
            self.at = at
            self.error = error
        }
    }

    /// What was last done for one record at one provider.
    public struct RecordState: Codable, Equatable, Sendable {
        public enum Result: String, Codable, Sendable {
            case updated, unchanged
            case permanentError = "permanent-error"
            case temporaryError = "temporary-error"
        }

        public var name: String
        public var provider: String
        /// The addresses the provider last confirmed (updated or unchanged).
        public var sent: RecordAddresses?
        public var lastSuccess: Date?
        /// The addresses of the last attempt, and when.
        public var attempted: RecordAddresses?
        public var lastAttempt: Date?
        public var result: Result?
        public var message: String?
        /// No attempt before this time (back-off after a temporary error).
        public var nextAttempt: Date?
        /// Temporary errors in a row.
        public var failures: Int = 0
        /// The hash of the record's config at the last attempt: a permanent error holds until
        /// it changes.
        public var configHash: String?

        public init(name: String, provider: String) {
            self.name = name
            self.provider = provider
        }

        public static func key(name: String, provider: String) -> String { "\(name.lowercased()) \(provider)" }
    }

    /// Reads the state file; a missing file is an empty state, an unreadable one an error.
    public static func load(from path: String) throws(DDNSError) -> DDNSState {
        guard FileManager.default.fileExists(atPath: path) else { return DDNSState() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DDNSError("cannot read \(path)")
        }
        do {
            return try decoder.decode(DDNSState.self, from: data)
        } catch {
            throw DDNSError("\(path) is not a DDNS state file: \(error)")
        }
    }

    /// Replaces the state file durably (temporary file, fsync, rename, fsync of the directory).
    public func save(to path: String) throws(DDNSError) {
        let data: Data
        do {
            data = try Self.encoder.encode(self)
        } catch {
            throw DDNSError("cannot encode the DDNS state: \(error)")
        }
        do {
            try DurableFile.replace(path, with: Array(data) + [0x0A], mode: 0o600)
        } catch {
            throw DDNSError("cannot write \(path): \(error)")
        }
    }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
}
