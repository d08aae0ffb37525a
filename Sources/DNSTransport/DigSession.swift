// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// A server for ``DigSession`` to try, and why it was chosen (printed on
/// standard error when it answers; nil for an explicit `@SERVER`).
public struct DigTarget: Sendable, Hashable {
    public var host: String
    public var reason: String?

    public init(host: String, reason: String? = nil) {
        self.host = host
        self.reason = reason
    }
}

/// Where a line of ``DigSession`` output goes.
public enum DigStream: Sendable {
    case standardOutput, standardError
}

/// One run of the dig-like client: asks the targets in order until one
/// answers and prints the reply as dig does. The executable supplies the
/// targets (from `@SERVER` or resolv.conf), the clock text and the output.
public struct DigSession: Sendable {
    /// dig's exit status when no server answered.
    public static let noReplyStatus: Int32 = 9

    public var words: [String]
    public var arguments: DigArguments

    public init(words: [String], arguments: DigArguments) {
        self.words = words
        self.arguments = arguments
    }

    /// Runs the query; returns the exit status (0 when a server answered,
    /// whatever its RCODE; 9 when none did).
    ///
    /// - Parameters:
    ///   - when: the `;; WHEN:` text, or nil to leave the line out.
    ///   - write: receives the output, in order.
    public func run(
        targets: [DigTarget], client: DNSClient = DNSClient(), when: @Sendable () -> String? = { nil },
        write: (DigStream, String) -> Void
    ) async -> Int32 {
        let args = self.arguments
        let query = args.query
        // dig asks for ANY over TCP: over UDP servers answer minimally or truncate (RFC 8482).
        let options = DNSQueryOptions(
            timeout: .seconds(args.timeout), tries: args.tries,
            tcpOnly: args.tcp || query.questions.first?.type == .any,
            retryTruncatedOverTCP: !args.ignoreTruncation)
        for target in targets {
            let address: SocketAddress
            do {
                address = try Self.socketAddress(target.host, port: args.port)
            } catch {
                write(.standardOutput, ";; could not use server '\(target.host)': \(error)\n")
                continue
            }
            let response: DNSResponse
            do {
                response = try await client.query(query, server: address, options: options)
            } catch {
                write(.standardOutput, ";; communications error to \(target.host)#\(args.port): \(error)\n")
                continue
            }
            if let reason = target.reason { write(.standardError, "using \(target.host) (\(reason))\n") }
            write(.standardOutput, self.transcript(response, host: target.host, when: when()))
            return 0
        }
        if !args.short { write(.standardOutput, self.banner) }
        write(.standardOutput, ";; no servers could be reached\n")
        return Self.noReplyStatus
    }

    /// What dig prints for a reply (or only the RDATA with `+short`).
    public func transcript(_ response: DNSResponse, host: String, when: String?) -> String {
        let args = self.arguments
        if args.short { return DigOutput.short(response.message) }
        var out = ""
        if response.retriedAfterTruncation { out += ";; Truncated, retrying in TCP mode.\n" }
        out += self.banner
        out += ";; Got answer:\n"
        out += DigOutput.message(response.message, sent: DigOutput.Sent(clientCookie: args.cookie))
        let rtt = response.roundTripTime.components
        let milliseconds = Int(rtt.seconds) * 1000 + Int(rtt.attoseconds / 1_000_000_000_000_000)
        out += DigOutput.footer(
            milliseconds: milliseconds, serverAddress: response.server.ipAddress ?? host, port: args.port,
            serverName: host, transport: response.transport.description, when: when, size: response.size)
        return out
    }

    /// dig's banner: the command line and the global options.
    public var banner: String {
        var out = "\n; <<>> hanon query <<>> " + self.words.joined(separator: " ") + "\n"
        if self.arguments.server != nil { out += "; (1 server found)\n" }
        out += ";; global options: +cmd\n"
        return out
    }

    /// A literal address directly; a scoped IPv6 address or a host name through getaddrinfo.
    public static func socketAddress(_ host: String, port: Int) throws -> SocketAddress {
        if let address = try? SocketAddress(ipAddress: host, port: port) { return address }
        return try SocketAddress.makeAddressResolvingHost(host, port: port)
    }
}
