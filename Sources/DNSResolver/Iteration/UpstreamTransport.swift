// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import NIOCore
import NIOPosix

/// What became of one query sent to one authoritative server.
public enum UpstreamResult: Sendable {
    /// A reply whose ID and question match the query (RFC 5452 §9.1).
    case reply(DNSMessage, roundTrip: Duration)
    /// No matching reply within the timeout.
    case timedOut
    /// ICMP port unreachable on the connected UDP socket (or a TCP RST):
    /// nothing listens there, a definite failure — try the next server at
    /// once rather than wait (the lab's `lame2.test`).
    case refused
    /// No route to the host or network (ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL):
    /// counts against the address family.
    case unreachable
    /// Any other failure (undecodable reply, connection closed).
    case failed
}

/// How the iterator reaches authoritative servers; a scripted fake in tests.
public protocol UpstreamTransport: Sendable {
    /// Sends `query` to `server` over UDP (or TCP when `overTCP`), once,
    /// with a fresh random ID and source port, and waits at most `timeout`.
    func send(_ query: DNSMessage, to server: SocketAddress, overTCP: Bool, timeout: Duration) async -> UpstreamResult
}

/// The real network, through ``DNSClient``: a connected UDP socket per
/// query (so ECONNREFUSED reports ICMP port unreachable), random IDs,
/// replies checked for ID and question.
public struct NIOUpstreamTransport: UpstreamTransport {
    private let client: DNSClient

    public init(eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.client = DNSClient(eventLoopGroup: eventLoopGroup)
    }

    public func send(
        _ query: DNSMessage, to server: SocketAddress, overTCP: Bool, timeout: Duration
    ) async -> UpstreamResult {
        let options = DNSQueryOptions(timeout: timeout, tries: 1, tcpOnly: overTCP, retryTruncatedOverTCP: false)
        do {
            let response = try await self.client.query(query, server: server, options: options)
            return .reply(response.message, roundTrip: response.roundTripTime)
        } catch {
            switch error.code {
            case .timedOut: return .timedOut
            case .connectionRefused: return .refused
            case .network:
                let detail = error.detail.lowercased()
                if detail.contains("unreachable") || detail.contains("not available") || detail.contains("errno: 101")
                    || detail.contains("errno: 113") || detail.contains("errno: 99")
                {
                    return .unreachable
                }
                return .failed
            default: return .failed
            }
        }
    }
}
