// SPDX-License-Identifier: Apache-2.0

import DNSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a request's COOKIE option (RFC 7873) means for the response, from ``ServerCookies/evaluate(requestCookie:clientIP:now:)``.
///
/// Every case but ``none`` and ``malformed`` carries the COOKIE option to put in the response's
/// OPT record: the client cookie echoed and a server cookie (RFC 7873 §5.2.3–§5.2.5).
public enum CookieOutcome: Sendable, Hashable {
    /// The request has no COOKIE option: answer as usual, add no COOKIE (RFC 7873 §5.2.1).
    case none
    /// The COOKIE option's length is not 8 or 16 to 40 octets: answer FORMERR, with no COOKIE
    /// option in the response (RFC 7873 §5.2.2).
    case malformed
    /// Only a client cookie: answer normally with a new server cookie (RFC 7873 §5.2.3).
    case clientOnly(response: EDNSOption.Cookie)
    /// A server cookie we issued, within its lifetime: answer normally (RFC 7873 §5.2.5). The
    /// response carries the same server cookie, or a fresh one when it is more than half an hour
    /// old, was made with the previous secret or has non-zero reserved octets (RFC 9018 §4.3).
    case valid(response: EDNSOption.Cookie)
    /// A server cookie we cannot verify: a wrong hash, an unknown version or length, or a
    /// timestamp more than an hour in the past or five minutes in the future (RFC 9018 §4.3).
    /// Answered as if only the client cookie had been sent (RFC 7873 §5.2.4), with a fresh cookie.
    case invalid(response: EDNSOption.Cookie)

    /// The COOKIE option to put in the response's OPT record, nil for ``none`` and ``malformed``.
    public var responseCookie: EDNSOption.Cookie? {
        switch self {
        case .none, .malformed: nil
        case .clientOnly(let cookie), .valid(let cookie), .invalid(let cookie): cookie
        }
    }

    /// True when the request proved, with a valid server cookie, that it comes from its source
    /// address; such a request need not be rate limited.
    public var hasValidServerCookie: Bool {
        if case .valid = self { return true }
        return false
    }

    /// The rcode this outcome forces, nil when the request is answered normally.
    ///
    /// - ``malformed`` → FORMERR (RFC 7873 §5.2.2).
    /// - ``clientOnly`` or ``invalid`` with `requiringValidCookie` → BADCOOKIE (23) with the new
    ///   server cookie and no answer (RFC 7873 §5.2.3, §5.2.4: a server "MAY" insist, for example
    ///   when the client is being rate limited). Without it, nil: answer normally.
    /// - ``valid`` and ``none`` → nil.
    public func rcode(requiringValidCookie: Bool) -> RCode? {
        switch self {
        case .none, .valid: nil
        case .malformed: .formErr
        case .clientOnly, .invalid: requiringValidCookie ? .badCookie : nil
        }
    }
}

/// The server side of DNS cookies: RFC 7873 with the interoperable server cookie of RFC 9018.
///
/// A server cookie (RFC 9018 §4.2) is 16 octets:
///
///     | Version = 1 | Reserved = 0 (3 octets) | Timestamp (4 octets, seconds, serial) |
///     | Hash (8 octets) = SipHash-2-4(key = secret,
///     |                   Client Cookie | Version | Reserved | Timestamp | Client-IP)  |
///
/// so every server of an anycast set that shares the secret accepts the others' cookies.
/// The secret is 16 octets, from the configuration or random at start (RFC 9018 §4.4 and §5:
/// servers that share an address share the secret). During a rollover the ``previousSecret``
/// still validates cookies issued before it, and every response carries a cookie made with the
/// current one (RFC 9018 §5, appendix A.4).
///
/// Use: on every request that has an OPT record, call ``evaluate(requestCookie:clientIP:now:)``
/// before answering it, with `edns.option(.cookie)`; act on ``CookieOutcome/rcode(requiringValidCookie:)``
/// and put ``CookieOutcome/responseCookie`` in the response's OPT record. A request without OPT
/// gets no cookie. The value is immutable and `Sendable`: share one between threads, and build a
/// new one to roll the secret.
public struct ServerCookies: Sendable {
    /// The version of the RFC 9018 server cookie construction.
    public static let version: UInt8 = 1
    /// Length of an RFC 9018 server cookie.
    public static let serverCookieLength = 16
    /// A cookie whose timestamp is more than this many seconds in the past is expired (RFC 9018 §4.3: one hour).
    public static let maximumAge: UInt32 = 3600
    /// A cookie whose timestamp is more than this many seconds in the future is invalid (RFC 9018 §4.3: five minutes).
    public static let maximumClockSkew: UInt32 = 300
    /// A valid cookie older than this many seconds is replaced by a fresh one (RFC 9018 §4.3: half an hour).
    public static let refreshAge: UInt32 = 1800

    /// The secret new server cookies are made with.
    public let secret: SipHash24.Key
    /// The secret before the last rollover, still accepted for cookies it made (RFC 9018 §5).
    public let previousSecret: SipHash24.Key?
    /// Policy: answer every UDP request that has a COOKIE option but no valid server cookie with
    /// BADCOOKIE and a fresh cookie (RFC 7873 §5.2.3 "MAY"). Off by default, as in BIND and Knot:
    /// the caller passes `requireValidCookie || <client is being rate limited>` to
    /// ``CookieOutcome/rcode(requiringValidCookie:)``, and never requires it over TCP, where the
    /// source address is already proven.
    public let requireValidCookie: Bool

    /// A cookie server with the given secret and, during a rollover, the previous one.
    public init(secret: SipHash24.Key, previousSecret: SipHash24.Key? = nil, requireValidCookie: Bool = false) {
        self.secret = secret
        self.previousSecret = previousSecret
        self.requireValidCookie = requireValidCookie
    }

    /// A cookie server with a random secret, for a server that is not part of an anycast set.
    public init() {
        self.init(secret: .random())
    }

    /// The same server after a rollover to `newSecret`: the current secret becomes the previous one.
    public func rolledOver(to newSecret: SipHash24.Key) -> ServerCookies {
        ServerCookies(secret: newSecret, previousSecret: self.secret, requireValidCookie: self.requireValidCookie)
    }

    /// The current time as RFC 9018 timestamps count it: seconds since 1970, modulo 2^32.
    public static func currentTime() -> UInt32 {
        UInt32(truncatingIfNeeded: time(nil))
    }

    /// Evaluates the COOKIE option of a request (RFC 7873 §5.2).
    ///
    /// - Parameters:
    ///   - requestCookie: the request's COOKIE option as received (`edns.option(.cookie)`), nil when absent.
    ///   - clientIP: the request's source address.
    ///   - now: the current time in seconds since 1970 (``currentTime()``), injected for tests.
    public func evaluate(requestCookie: EDNSOption?, clientIP: ClientIP, now: UInt32) -> CookieOutcome {
        guard let option = requestCookie else { return .none }
        guard let cookie = try? EDNSOption.Cookie(option) else { return .malformed }
        let client = cookie.client
        guard let server = cookie.server else {
            return .clientOnly(response: self.responseCookie(for: cookie, clientIP: clientIP, now: now))
        }
        switch self.verify(client: client, server: server, clientIP: clientIP, now: now) {
        case .current(let age) where age < Int64(Self.refreshAge) && server[1] == 0 && server[2] == 0 && server[3] == 0:
            return .valid(response: cookie)
        case .current, .previous:
            return .valid(response: self.responseCookie(for: cookie, clientIP: clientIP, now: now))
        case .invalid:
            return .invalid(response: self.responseCookie(for: cookie, clientIP: clientIP, now: now))
        }
    }

    /// The 16-octet server cookie for `client` at `clientIP`, stamped `timestamp` (RFC 9018 §4.2).
    public func makeServerCookie(client: [UInt8], clientIP: ClientIP, timestamp: UInt32) -> [UInt8] {
        var cookie: [UInt8] = [
            Self.version, 0, 0, 0,
            UInt8(truncatingIfNeeded: timestamp >> 24), UInt8(truncatingIfNeeded: timestamp >> 16),
            UInt8(truncatingIfNeeded: timestamp >> 8), UInt8(truncatingIfNeeded: timestamp),
        ]
        cookie.reserveCapacity(Self.serverCookieLength)
        let hash = Self.hash(secret: self.secret, client: client, header: cookie, clientIP: clientIP)
        for i in 0..<8 { cookie.append(UInt8(truncatingIfNeeded: hash >> (8 * UInt64(i)))) }
        return cookie
    }

    /// The request's client cookie with a fresh server cookie stamped `now`.
    private func responseCookie(for request: EDNSOption.Cookie, clientIP: ClientIP, now: UInt32) -> EDNSOption.Cookie {
        let server = self.makeServerCookie(client: request.client, clientIP: clientIP, timestamp: now)
        // 8 and 16 octets are always accepted; the fallback (the request's own cookie) is never taken.
        return (try? EDNSOption.Cookie(client: request.client, server: server)) ?? request
    }

    private enum Verification {
        /// Valid with the current secret; `age` seconds old (negative: from the future).
        case current(age: Int64)
        case previous
        case invalid
    }

    /// RFC 9018 §4.3: the version, the length, the timestamp window, then the hash under the
    /// current and the previous secret. The timestamp is compared in serial number arithmetic
    /// (RFC 1982), so the check keeps working when the 32-bit counter wraps in 2106.
    private func verify(client: [UInt8], server: [UInt8], clientIP: ClientIP, now: UInt32) -> Verification {
        guard server.count == Self.serverCookieLength, server[0] == Self.version else { return .invalid }
        let timestamp = UInt32(server[4]) << 24 | UInt32(server[5]) << 16 | UInt32(server[6]) << 8 | UInt32(server[7])
        let age = Int64(Int32(bitPattern: now &- timestamp))
        guard age <= Int64(Self.maximumAge), age >= -Int64(Self.maximumClockSkew) else { return .invalid }
        let header = Array(server[0..<8])
        let hash = server[8..<16]
        if Self.matches(Self.hash(secret: self.secret, client: client, header: header, clientIP: clientIP), hash) {
            return .current(age: age)
        }
        if let previous = self.previousSecret,
            Self.matches(Self.hash(secret: previous, client: client, header: header, clientIP: clientIP), hash)
        {
            return .previous
        }
        return .invalid
    }

    /// SipHash-2-4(secret, Client Cookie | Version | Reserved | Timestamp | Client-IP) (RFC 9018 §4.4).
    private static func hash(secret: SipHash24.Key, client: [UInt8], header: [UInt8], clientIP: ClientIP) -> UInt64 {
        var hasher = SipHash24(key: secret)
        hasher.combine(contentsOf: client)
        hasher.combine(contentsOf: header)
        clientIP.feed(into: &hasher)
        return hasher.finalize()
    }

    /// Compares the hash with the 8 octets of a cookie (little-endian, as RFC 9018's examples
    /// show) without an early exit, so the time taken says nothing about where they differ.
    private static func matches(_ hash: UInt64, _ octets: ArraySlice<UInt8>) -> Bool {
        var difference: UInt8 = 0
        for (i, octet) in octets.enumerated() {
            difference |= octet ^ UInt8(truncatingIfNeeded: hash >> (8 * UInt64(i)))
        }
        return difference == 0
    }
}
