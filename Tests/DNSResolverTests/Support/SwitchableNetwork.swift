// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging
import NIOCore
import Synchronization

@testable import DNSResolver

/// A ``FakeNetwork`` that can be taken down (every server port
/// unreachable, or silent until the timeout) and slowed, while a test
/// runs; counts what is sent.
final class SwitchableNetwork: UpstreamTransport {
    enum State: Sendable {
        case up
        /// ICMP port unreachable from every server: iteration fails at once.
        case unreachable
        /// No reply from any server.
        case silent
    }

    let inner: FakeNetwork
    private let state = Mutex<State>(.up)
    private let delay = Mutex<Duration>(.zero)
    private let count = Atomic<Int>(0)

    init(_ inner: FakeNetwork) { self.inner = inner }

    func set(_ state: State) { self.state.withLock { $0 = state } }
    func setDelay(_ delay: Duration) { self.delay.withLock { $0 = delay } }
    /// Queries sent, answered or not.
    var queriesSent: Int { self.count.load(ordering: .relaxed) }

    func send(_ query: DNSMessage, to server: SocketAddress, overTCP: Bool, timeout: Duration) async -> UpstreamResult {
        self.count.wrappingAdd(1, ordering: .relaxed)
        let delay = self.delay.withLock { $0 }
        if delay > .zero { try? await Task.sleep(for: delay) }
        switch self.state.withLock({ $0 }) {
        case .up: return await self.inner.send(query, to: server, overTCP: overTCP, timeout: timeout)
        case .unreachable: return .refused
        case .silent:
            try? await Task.sleep(for: timeout)
            return .timedOut
        }
    }
}

/// The scripted root, test., example.test. and other. servers of ``FakeZones``.
enum ResolverCacheWorld {
    static func network() throws -> SwitchableNetwork {
        SwitchableNetwork(
            try FakeNetwork(servers: [
                "10.0.0.1": [FakeZones.root], "10.0.1.1": [FakeZones.test], "10.0.3.1": [FakeZones.example],
                "10.0.2.1": [FakeZones.other],
            ]))
    }

    /// A resolver over `network` without a validator, its cache per `policy`.
    static func resolver(
        _ network: SwitchableNetwork, policy: (inout CachePolicy) -> Void = { _ in },
        options: (inout ResolverOptions) -> Void = { _ in }
    ) throws -> RecursiveResolver {
        var cachePolicy = CachePolicy()
        policy(&cachePolicy)
        var resolverOptions = ResolverOptions()
        resolverOptions.rootHints = try FakeZones.hints
        resolverOptions.initialTimeout = .milliseconds(50)
        options(&resolverOptions)
        return RecursiveResolver(
            options: resolverOptions, cache: ResolverCache(policy: cachePolicy), transport: network,
            logger: .init(label: "test"))
    }

    /// Caches `records` (presentation format) as the answer to `name`/`type`,
    /// stored `age` ago (status indeterminate, as without a validator).
    static func store(
        _ resolver: RecursiveResolver, _ name: String, _ type: RecordType, _ records: [String], age: Duration,
        rcode: RCode = .noError, authorities: [String] = []
    ) throws {
        let question = Question(name: try DomainName(name, origin: .root), type: type)
        var message = DNSMessage(header: RecursiveResolver.responseHeader(), questions: [question])
        message.rcode = rcode
        message.answers = try records.map { try ResourceRecord(text: $0) }
        message.authorities = try authorities.map { try ResourceRecord(text: $0) }
        let stored = resolver.cache.storeAnswer(
            question, response: message, status: .indeterminate, at: ContinuousClock.now - age)
        if stored == nil { throw NotCacheable() }
    }

    struct NotCacheable: Error {}

    /// The Extended DNS Error codes of `response`.
    static func edeCodes(_ response: DNSMessage) -> [UInt16] {
        (response.edns?.options ?? []).compactMap { try? EDNSOption.ExtendedError($0).infoCode.rawValue }
    }
}
