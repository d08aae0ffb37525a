// SPDX-License-Identifier: Apache-2.0

import NIOHTTP1

/// The dyndns2 protocol (Dyn's "Remote Access API", spoken by many providers and by hanon's own
/// endpoint): `GET /nic/update?hostname=NAME&myip=ADDRESS` with Basic authentication; the
/// answer is one line per host name, its first word a return code.
public struct DynDNS2Provider: DDNSProvider {
    public let server: HTTPSURL
    public let user: String
    public let password: String
    public let client: HTTPSClient

    public init(server: HTTPSURL, user: String, password: String, client: HTTPSClient) {
        self.server = server
        self.user = user
        self.password = password
        self.client = client
    }

    public var label: String { "dyndns2 \(server.with(target: "/"))" }

    public func update(name: String, addresses: RecordAddresses) async -> ProviderOutcome {
        // Both families in one myip, comma-separated, as ddclient 3.11 and most providers do.
        let myip = addresses.all.map(\.description).joined(separator: ",")
        var path = server.target.hasSuffix("/") ? String(server.target.dropLast()) : server.target
        if !path.hasSuffix("/nic/update") { path += "/nic/update" }
        let url = server.with(target: path + "?" + HTTPSURL.query([("hostname", name), ("myip", myip)]))
        let response: HTTPSResponse
        do {
            response = try await client.send(.GET, url, headers: [BasicAuth.header(user: user, password: password)])
        } catch let failure as TLSVerificationFailure {
            return .temporaryError(failure.description)
        } catch {
            return .temporaryError("\(error)")
        }
        return Self.outcome(status: response.status, body: response.text)
    }

    /// Maps an answer to an outcome (return codes of the dyndns2 protocol).
    public static func outcome(status: Int, body: String) -> ProviderOutcome {
        let line = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let code = line.split(separator: " ").first.map { String($0) } ?? ""
        switch code {
        case "good": return .updated(line)
        case "nochg": return .unchanged(line)
        case "badauth": return .permanentError("badauth: the user name or password is wrong")
        case "!donator": return .permanentError("!donator: the feature needs a paid account")
        case "notfqdn": return .permanentError("notfqdn: the host name is not a fully-qualified name")
        case "nohost": return .permanentError("nohost: the host name does not exist in this account")
        case "numhost": return .permanentError("numhost: too many host names in one request")
        case "abuse": return .permanentError("abuse: the host name is blocked for abuse")
        case "badagent": return .permanentError("badagent: the provider refuses this client")
        case "!yours": return .permanentError("!yours: the host name belongs to another account")
        case "dnserr": return .temporaryError("dnserr: the provider's DNS failed")
        case "911": return .temporaryError("911: the provider has a problem; retry later")
        default: break
        }
        if status == 401 || status == 403 { return .permanentError("HTTP \(status): badauth") }
        if status == 429 || status >= 500 { return .temporaryError("HTTP \(status)") }
        return .temporaryError("unexpected answer (HTTP \(status)): \(line.prefix(200))")
    }
}
