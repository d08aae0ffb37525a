// SPDX-License-Identifier: Apache-2.0

import Foundation
import NIOHTTP1

/// The Cloudflare API v4 with an API token (`Authorization: Bearer …`): finds the zone's id
/// (`GET /zones?name=ZONE`), lists the name's A or AAAA records
/// (`GET /zones/ID/dns_records?type=A&name=NAME`), then changes the record
/// (`PATCH /zones/ID/dns_records/RECORD`) or creates it (`POST /zones/ID/dns_records`).
public struct CloudflareProvider: DDNSProvider {
    /// The API base, `https://api.cloudflare.com/client/v4` unless the config says otherwise.
    public let api: HTTPSURL
    public let token: String
    /// The zone's name (`example.org`).
    public let zone: String
    /// TTL of a created record; 1 means Cloudflare's "automatic".
    public let ttl: Int
    public let client: HTTPSClient

    public static let defaultAPI = "https://api.cloudflare.com/client/v4"

    public init(api: HTTPSURL, token: String, zone: String, ttl: Int = 1, client: HTTPSClient) {
        self.api = api
        self.token = token
        self.zone = zone
        self.ttl = ttl
        self.client = client
    }

    public var label: String { "cloudflare \(api.with(target: "/"))" }

    /// A failed call, already reduced to an outcome.
    struct Failure: Error {
        var outcome: ProviderOutcome
    }

    public func update(name: String, addresses: RecordAddresses) async -> ProviderOutcome {
        do {
            guard let zones = try await call(.GET, "/zones?" + HTTPSURL.query([("name", zone)])) as? [[String: Any]],
                let zoneID = zones.first?["id"] as? String, Self.isIdentifier(zoneID)
            else { return .permanentError("Cloudflare has no zone \(zone) for this token") }
            var changed: [String] = []
            var same: [String] = []
            for address in addresses.all {
                let type = address.family == .v4 ? "A" : "AAAA"
                let listed = try await call(
                    .GET, "/zones/\(zoneID)/dns_records?" + HTTPSURL.query([("type", type), ("name", name)]))
                let records = listed as? [[String: Any]] ?? []
                let body = try JSONSerialization.data(withJSONObject: [
                    "type": type, "name": name, "content": address.description, "ttl": ttl, "proxied": false,
                ])
                if let record = records.first, let id = record["id"] as? String, Self.isIdentifier(id) {
                    if record["content"] as? String == address.description {
                        same.append("\(type) \(address)")
                        continue
                    }
                    _ = try await call(.PATCH, "/zones/\(zoneID)/dns_records/\(id)", body: Array(body))
                } else {
                    _ = try await call(.POST, "/zones/\(zoneID)/dns_records", body: Array(body))
                }
                changed.append("\(type) \(address)")
            }
            if changed.isEmpty { return .unchanged(same.joined(separator: ", ")) }
            return .updated(changed.joined(separator: ", "))
        } catch let failure as Failure {
            return failure.outcome
        } catch {
            return .temporaryError("\(error)")
        }
    }

    /// Zone and record ids are 32 hex digits; anything else is not put into a path.
    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit }
    }

    /// One API call; returns `result`, or throws a ``Failure`` with the outcome.
    func call(_ method: HTTPMethod, _ path: String, body: [UInt8] = []) async throws -> Any? {
        let base = api.target.hasSuffix("/") ? String(api.target.dropLast()) : api.target
        var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
        if !body.isEmpty { headers.append(("Content-Type", "application/json")) }
        let response: HTTPSResponse
        do {
            response = try await client.send(method, api.with(target: base + path), headers: headers, body: body)
        } catch let failure as TLSVerificationFailure {
            throw Failure(outcome: .temporaryError(failure.description))
        } catch {
            throw Failure(outcome: .temporaryError("\(error)"))
        }
        let json = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        let success = json?["success"] as? Bool ?? false
        if response.status / 100 == 2 && success { return json?["result"] }
        throw Failure(outcome: Self.outcome(status: response.status, json: json))
    }

    /// Maps a failed call: authentication and permission errors (HTTP 401/403, codes 9103,
    /// 9106, 9109, 10000, 10001) and requests the API calls invalid (HTTP 400, 404, codes 7003,
    /// 81057…) are permanent; rate limits (HTTP 429, code 971) and server errors are retried.
    static func outcome(status: Int, json: [String: Any]?) -> ProviderOutcome {
        let errors = json?["errors"] as? [[String: Any]] ?? []
        let codes = errors.compactMap { $0["code"] as? Int }
        let text =
            errors.map { "\($0["code"].map { "\($0)" } ?? "?") \($0["message"] as? String ?? "")" }.joined(
                separator: "; ")
        let summary = "HTTP \(status)" + (text.isEmpty ? "" : ": \(text)")
        if status == 429 || status >= 500 || codes.contains(971) { return .temporaryError(summary) }
        if [400, 401, 403, 404].contains(status)
            || codes.contains(where: { [9103, 9106, 9109, 10000, 10001].contains($0) })
        {
            return .permanentError(summary)
        }
        return .temporaryError(summary)
    }
}
