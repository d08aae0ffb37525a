// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging

/// An HTTP answer of the endpoint, before encoding.
public struct DDNSHTTPResponse: Sendable, Equatable {
    public var status: Int
    public var reason: String
    public var headers: [(String, String)]
    public var body: String

    public init(status: Int, reason: String, headers: [(String, String)] = [], body: String) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    public static func == (lhs: DDNSHTTPResponse, rhs: DDNSHTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.body == rhs.body
            && lhs.headers.map { "\($0.0): \($0.1)" }
                == rhs.headers.map { "\($0.0): \($0.1)" }
    }

    static func text(_ status: Int, _ reason: String, _ body: String, headers: [(String, String)] = [])
        -> DDNSHTTPResponse
    {
        DDNSHTTPResponse(status: status, reason: reason, headers: headers, body: body + "\n")
    }

    static let badRequestReason = "Bad Request"
}

/// The client's address as the connection shows it.
public enum DDNSClientAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// From text as NIO prints a peer (`192.0.2.1`, `2001:db8::1`, `::ffff:192.0.2.1`).
    public init?(_ text: String) {
        if let v4 = IPv4Address(text) {
            self = .v4(v4)
        } else if let v6 = IPv6Address(text) {
            let b = v6.bytes
            if b.count == 16, b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF {
                self = .v4(IPv4Address(b[12], b[13], b[14], b[15]))
            } else {
                self = .v6(v6)
            }
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .v4(let a): return a.description
        case .v6(let a): return a.description
        }
    }
}

/// The dyndns2 protocol without I/O: one request in, one answer out.
///
/// `GET /nic/update?hostname=…&myip=…` with HTTP Basic auth (RFC 7617). The
/// answer is `text/plain`, one line per hostname in the request's order
/// (``DynDNS2Answer``). Only GET is served (405 otherwise); an unknown path
/// is 404, a malformed target 400, missing or wrong credentials 401 with
/// `badauth`.
public struct DynDNS2Handler: Sendable {
    public var users: DDNSUsers
    public var writer: any DDNSZoneWriter
    /// TTL of records created; nil: the writer's default.
    public var ttl: UInt32?
    public var logger: Logger
    /// Failed logins per client address (``DDNSFailureLimiter``).
    public var failures: DDNSFailureLimiter
    /// Most hostnames in one request (Dyn's limit; more is `numhost`).
    public static let maxHostnames = 20

    public init(
        users: DDNSUsers, writer: any DDNSZoneWriter, ttl: UInt32? = nil,
        failures: DDNSFailureLimiter = DDNSFailureLimiter(), logger: Logger
    ) {
        self.users = users
        self.writer = writer
        self.ttl = ttl
        self.failures = failures
        self.logger = logger
    }

    /// Answers one request.
    public func respond(
        method: String, target: String, authorization: String?, client: DDNSClientAddress
    ) async -> DDNSHTTPResponse {
        guard method == "GET" else {
            return .text(405, "Method Not Allowed", "method not allowed", headers: [("Allow", "GET")])
        }
        let request: DynDNS2Request
        switch DynDNS2Request.parse(target: target) {
        case .success(let r): request = r
        case .failure(.notFound): return .text(404, "Not Found", "not found")
        case .failure(.badRequest(let reason)):
            self.logger.info("ddns: bad request from \(client): \(reason)")
            return .text(400, DDNSHTTPResponse.badRequestReason, "badrequest: \(reason)")
        }
        // Too many failed logins from this address: abuse, credentials not even looked at.
        guard !self.failures.isBlocked(client) else {
            self.logger.notice("ddns: \(client) is locked out after repeated failed logins; abuse")
            return .text(200, "OK", DynDNS2Answer.abuse.description)
        }
        guard let user = self.users.authenticate(authorization) else {
            self.logger.notice("ddns: \(authorization == nil ? "no credentials" : "bad credentials") from \(client)")
            // A client that sends no credentials first (curl without --basic) is not guessing.
            if authorization != nil { self.failures.recordFailure(client) }
            return .text(401, "Unauthorized", "badauth", headers: [("WWW-Authenticate", "Basic realm=\"hanon\"")])
        }
        guard request.hostnames.count <= Self.maxHostnames else {
            return .text(200, "OK", DynDNS2Answer.tooManyHosts.description)
        }
        var v4 = request.v4
        var v6 = request.v6
        if v4.isEmpty && v6.isEmpty {
            switch client {
            case .v4(let a): v4 = [a]
            case .v6(let a): v6 = [a]
            }
        }
        let shown = (v4.map(\.description) + v6.map(\.description)).joined(separator: ",")
        var lines: [String] = []
        for text in request.hostnames {
            let answer = await self.update(text, v4: v4, v6: v6, shown: shown, user: user, client: client)
            lines.append(answer.description)
        }
        return .text(200, "OK", lines.joined(separator: "\n"))
    }

    /// One hostname of a request.
    private func update(
        _ text: [UInt8], v4: [IPv4Address], v6: [IPv6Address], shown: String, user: DDNSUser,
        client: DDNSClientAddress
    ) async -> DynDNS2Answer {
        guard let name = DynDNS2Request.fullyQualifiedName(text) else { return .notFQDN }
        guard user.mayUpdate(name) else {
            self.logger.notice("ddns: user \(user.name) from \(client) may not update \(name); nohost")
            return .noHost
        }
        do {
            switch try await self.writer.setAddresses(name, v4: v4, v6: v6, ttl: self.ttl) {
            case .changed:
                self.logger.info("ddns: user \(user.name) from \(client): \(name) set to \(shown)")
                return .good(shown)
            case .unchanged:
                return .noChange(shown)
            case .notServed:
                self.logger.notice("ddns: user \(user.name) from \(client): \(name) is in no zone served here; nohost")
                return .noHost
            }
        } catch {
            self.logger.error("ddns: user \(user.name) from \(client): \(name): \(error); dnserr")
            return .dnsError
        }
    }
}
