// SPDX-License-Identifier: Apache-2.0

/// What to publish for one name: the addresses of the families the record follows.
public struct RecordAddresses: Hashable, Sendable, Codable {
    public var v4: IPAddress?
    public var v6: IPAddress?

    public init(v4: IPAddress? = nil, v6: IPAddress? = nil) {
        self.v4 = v4
        self.v6 = v6
    }

    /// The addresses present, IPv4 first.
    public var all: [IPAddress] { [v4, v6].compactMap { $0 } }

    public var isEmpty: Bool { v4 == nil && v6 == nil }
}

/// How a provider answered an update, reduced to what the updater must do next.
public enum ProviderOutcome: Hashable, Sendable, CustomStringConvertible {
    /// The record now holds the addresses.
    case updated(String)
    /// The record already held them (dyndns2 `nochg`, ZoneEdit 201, equal Cloudflare content).
    case unchanged(String)
    /// The provider refused the request for a reason retrying cannot cure (dyndns2 `badauth`,
    /// `nohost`, `notfqdn`, `abuse`; an RCODE of REFUSED or NOTAUTH; a bad token): no retries
    /// until the config changes.
    case permanentError(String)
    /// A failure that may pass (dyndns2 `911`, `dnserr`; HTTP 5xx; a timeout; SERVFAIL): retried
    /// with exponential back-off.
    case temporaryError(String)

    public var isSuccess: Bool {
        switch self {
        case .updated, .unchanged: true
        case .permanentError, .temporaryError: false
        }
    }

    public var description: String {
        switch self {
        case .updated(let s): "updated: \(s)"
        case .unchanged(let s): "no change: \(s)"
        case .permanentError(let s): "permanent error: \(s)"
        case .temporaryError(let s): "temporary error: \(s)"
        }
    }
}

/// One way of making a name elsewhere (or in a zone hanon serves) hold given addresses.
public protocol DDNSProvider: Sendable {
    /// A short name for status and logs: `dyndns2 https://members.example.net`.
    var label: String { get }
    /// Makes `name` (absolute, without the final dot) hold `addresses`.
    func update(name: String, addresses: RecordAddresses) async -> ProviderOutcome
}

/// For a name in a zone hanon serves itself: sets its A and AAAA records through the same path
/// as an RFC 2136 UPDATE (journal, SOA serial, NOTIFY, re-signing). The server wires an
/// implementation in; the DDNS client only calls it.
public protocol OwnZoneRecordUpdating: Sendable {
    /// Replaces the A RRset of `name` with `v4` and the AAAA RRset with `v6`, when given (a nil
    /// family is left alone). Returns true when the zone changed, false when the records
    /// already held these addresses. Throws when `name` is not in a zone hanon serves as primary,
    /// or the change cannot be made durable.
    func setAddresses(name: String, v4: IPAddress?, v6: IPAddress?) async throws -> Bool
}

/// The provider for names in zones hanon serves.
public struct OwnZoneProvider: DDNSProvider {
    public let updater: any OwnZoneRecordUpdating

    public init(updater: any OwnZoneRecordUpdating) {
        self.updater = updater
    }

    public var label: String { "own zone" }

    public func update(name: String, addresses: RecordAddresses) async -> ProviderOutcome {
        do {
            let changed = try await updater.setAddresses(name: name, v4: addresses.v4, v6: addresses.v6)
            let text = addresses.all.map(\.description).joined(separator: ", ")
            return changed ? .updated(text) : .unchanged(text)
        } catch {
            // Retried with back-off, not stopped: the cause (a zone not loaded yet, a disk
            // error) may pass without the record's config changing.
            return .temporaryError("\(error)")
        }
    }
}
