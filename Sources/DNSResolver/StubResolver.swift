// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Logging
import NIOCore
import Synchronization

/// The stub resolver for hanon's own lookups (issue 6 item 6): asks the
/// servers of a ``ResolvConf`` with RD set, as glibc does — in order,
/// `attempts` rounds of `timeout` seconds each — except that the server
/// that answered last is asked first, so a dead first server costs one
/// failure, not one per lookup.
///
/// It says once which server it chose: one log line (notice) naming the
/// server and why it is used (`using 127.0.0.1 (from nameserver 0.0.0.0 in
/// /etc/resolv.conf: this host)`) when a server first answers, and again
/// only when the choice changes because that server stopped answering.
/// Failures of single servers are not logged; a lookup no server answers is
/// an error to the caller.
public final class StubResolver: Sendable {
    public let configuration: ResolvConf
    /// The file the configuration came from, named in the log line.
    public let path: String
    /// The port asked (53; another for tests, as `hanon query -p`).
    public let port: Int
    private let client: DNSClient
    private let logger: Logger
    /// The index in ``ResolvConf/nameservers`` of the server that answered last.
    private let chosen = Mutex<Int?>(nil)

    public init(
        configuration: ResolvConf, path: String = "/etc/resolv.conf", port: Int = 53,
        client: DNSClient = DNSClient(), logger: Logger
    ) {
        self.configuration = configuration
        self.path = path
        self.port = port
        self.client = client
        self.logger = logger
    }

    /// The server chosen so far (the last to answer), nil before any answered.
    public var chosenServer: ResolvConf.Nameserver? {
        self.chosen.withLock { $0 }.map { self.configuration.nameservers[$0] }
    }

    /// Why no server answered.
    public struct NoAnswer: Error, CustomStringConvertible {
        /// Each server tried and its last error.
        public var failures: [(server: String, error: String)]
        public var description: String {
            "no server answered: " + self.failures.map { "\($0.server): \($0.error)" }.joined(separator: "; ")
        }
    }

    /// Sends `query` (RD as given) to the servers until one answers, and
    /// returns the reply, whatever its RCODE.
    public func query(_ query: DNSMessage) async throws(NoAnswer) -> DNSResponse {
        let servers = self.configuration.nameservers
        let first = self.chosen.withLock { $0 } ?? 0
        let order = servers.indices.map { (first + $0) % max(servers.count, 1) }
        let options = DNSQueryOptions(timeout: .seconds(max(self.configuration.timeout, 1)), tries: 1)
        var failures: [String: String] = [:]
        for _ in 0..<max(self.configuration.attempts, 1) {
            for index in order {
                let server = servers[index]
                // Nothing listening is a definite failure: not retried in later rounds.
                if failures[server.host] == "connection refused" { continue }
                let response: DNSResponse
                do {
                    let address = try DigSession.socketAddress(server.host, port: self.port)
                    response = try await self.client.query(query, server: address, options: options)
                } catch let error as DNSTransportError {
                    failures[server.host] = error.code == .connectionRefused ? "connection refused" : "\(error)"
                    continue
                } catch {
                    failures[server.host] = "\(error)"
                    continue
                }
                self.choose(index)
                return response
            }
        }
        throw NoAnswer(failures: servers.map { ($0.host, failures[$0.host] ?? "not asked") })
    }

    /// Asks `name` `type` with RD set.
    public func lookup(_ name: DomainName, _ type: RecordType) async throws(NoAnswer) -> DNSResponse {
        try await self.query(DNSMessage.query(id: 0, name: name, type: type, recursionDesired: true))
    }

    /// Records `index` as the server answering; logs when that is news.
    private func choose(_ index: Int) {
        let changed = self.chosen.withLock { chosen -> Bool in
            defer { chosen = index }
            return chosen != index
        }
        guard changed else { return }
        let server = self.configuration.nameservers[index]
        self.logger.notice("stub resolver: using \(server.host) (\(server.reason(path: self.path)))")
    }
}
