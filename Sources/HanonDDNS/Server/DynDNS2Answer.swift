// SPDX-License-Identifier: Apache-2.0

/// One line of a dyndns2 answer, one per hostname of the request, in the
/// request's order (the return codes of Dyn's "Remote Access API", as
/// ddclient and inadyn read them).
public enum DynDNS2Answer: Sendable, Hashable, CustomStringConvertible {
    /// The update was made; the addresses now served.
    case good(String)
    /// The name already had these addresses; nothing changed.
    case noChange(String)
    /// User name or password wrong, or none given.
    case badAuth
    /// The name is not one this user may update, or not in a zone served here.
    case noHost
    /// The name is not a fully qualified domain name.
    case notFQDN
    /// More names than one request may carry.
    case tooManyHosts
    /// The client is locked out after too many failed logins (``DDNSFailureLimiter``).
    case abuse
    /// The update could not be made (zone not writable, journal failed).
    case dnsError
    /// A problem on the server's side; try later.
    case serverError

    public var description: String {
        switch self {
        case .good(let ip): return "good \(ip)"
        case .noChange(let ip): return "nochg \(ip)"
        case .badAuth: return "badauth"
        case .noHost: return "nohost"
        case .notFQDN: return "notfqdn"
        case .tooManyHosts: return "numhost"
        case .abuse: return "abuse"
        case .dnsError: return "dnserr"
        case .serverError: return "911"
        }
    }
}
