// SPDX-License-Identifier: Apache-2.0

import Foundation
import NIOHTTP1

/// ZoneEdit's dynamic update protocol: `GET /auth/dynamic.html?host=NAME&dnsto=ADDRESS` with
/// Basic authentication (user name and the zone's dynamic token); one request per address.
/// The answer holds `<SUCCESS CODE="200" TEXT="…" ZONE="…" IP="…">` or
/// `<ERROR CODE="701" TEXT="…" ZONE="…">` (as ddclient's zoneedit1 reads it).
public struct ZoneEditProvider: DDNSProvider {
    public let server: HTTPSURL
    public let user: String
    public let password: String
    /// Sent as `zone=` when the name is not directly below its zone.
    public let zone: String?
    public let client: HTTPSClient

    public init(server: HTTPSURL, user: String, password: String, zone: String? = nil, client: HTTPSClient) {
        self.server = server
        self.user = user
        self.password = password
        self.zone = zone
        self.client = client
    }

    public var label: String { "zoneedit \(server.with(target: "/"))" }

    public func update(name: String, addresses: RecordAddresses) async -> ProviderOutcome {
        var results: [ProviderOutcome] = []
        for address in addresses.all {
            var items = [("host", name), ("dnsto", address.description)]
            if address.family == .v6 { items.append(("type", "AAAA")) }
            if let zone { items.append(("zone", zone)) }
            let url = server.with(target: "/auth/dynamic.html?" + HTTPSURL.query(items))
            let response: HTTPSResponse
            do {
                response = try await client.send(.GET, url, headers: [BasicAuth.header(user: user, password: password)])
            } catch let failure as TLSVerificationFailure {
                return .temporaryError(failure.description)
            } catch {
                return .temporaryError("\(error)")
            }
            let outcome = Self.outcome(status: response.status, body: response.text)
            if !outcome.isSuccess { return outcome }
            results.append(outcome)
        }
        if let updated = results.first(where: { if case .updated = $0 { true } else { false } }) { return updated }
        return results.first ?? .unchanged("nothing to send")
    }

    /// Maps an answer to an outcome. 200 is an update, 201 ("no records need updating") and 707
    /// (a duplicate update, which ddclient also takes as success) are no change; 701 (zone not in
    /// the account), 708 (login failed) and HTTP 401/403 are permanent; the rest, 702 (too soon)
    /// included, are retried later.
    public static func outcome(status: Int, body: String) -> ProviderOutcome {
        if status == 401 || status == 403 { return .permanentError("HTTP \(status): authentication failed") }
        guard let tag = firstTag(in: body) else {
            if status == 429 || status >= 500 { return .temporaryError("HTTP \(status)") }
            return .temporaryError("unexpected answer (HTTP \(status)): \(body.prefix(200))")
        }
        let code = tag.attributes["CODE"] ?? "?"
        let text = tag.attributes["TEXT"] ?? ""
        let summary = "\(code) \(text)".trimmingCharacters(in: .whitespaces)
        switch (tag.name, code) {
        case ("SUCCESS", "201"), ("ERROR", "707"): return .unchanged(summary)
        case ("SUCCESS", _): return .updated(summary)
        case ("ERROR", "701"), ("ERROR", "708"): return .permanentError(summary)
        default: return .temporaryError(summary)
        }
    }

    /// The first `<SUCCESS …>` or `<ERROR …>` element and its attributes.
    static func firstTag(in body: String) -> (name: String, attributes: [String: String])? {
        var rest = Substring(body)
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: ">") else { return nil }
            let inside = rest[..<close]
            rest = rest[rest.index(after: close)...]
            let name = inside.prefix { $0.isLetter }.uppercased()
            guard name == "SUCCESS" || name == "ERROR" else { continue }
            return (name, attributes(inside.dropFirst(name.count)))
        }
        return nil
    }

    /// `CODE="200" TEXT="Update succeeded."` → [CODE: 200, TEXT: Update succeeded.]
    static func attributes(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text
        while true {
            rest = rest.drop { $0.isWhitespace }
            let key = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            guard !key.isEmpty else { break }
            rest = rest.dropFirst(key.count).drop { $0.isWhitespace }
            guard rest.first == "=" else { break }
            rest = rest.dropFirst().drop { $0.isWhitespace }
            var value: Substring
            if let quote = rest.first, quote == "\"" || quote == "'" {
                rest = rest.dropFirst()
                value = rest.prefix { $0 != quote }
                rest = rest.dropFirst(value.count).dropFirst()
            } else {
                value = rest.prefix { !$0.isWhitespace && $0 != "/" }
                rest = rest.dropFirst(value.count)
            }
            result[key.uppercased()] = String(value)
        }
        return result
    }
}
