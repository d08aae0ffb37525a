// SPDX-License-Identifier: Apache-2.0

import DNSResolver
import DNSSEC
import DNSTransport
import Logging
import NIOCore
import ServiceLifecycle

/// The recursive resolver of `hanon serve`: its own listeners (UDP on the
/// `recvmmsg` loop, misses answered later through ``DNSUDPResponder``; TCP), the ``RecursiveResolver``,
/// and a summary line of its upstream troubles every ``summaryInterval``.
final class ResolverService: Sendable {
    let resolver: RecursiveResolver
    let server: DNSServer
    let logger: Logger
    static let summaryInterval: Duration = .seconds(600)

    private init(resolver: RecursiveResolver, server: DNSServer, logger: Logger) {
        self.resolver = resolver
        self.server = server
        self.logger = logger
    }

    /// The DNSSEC validator, when `dnssec` is on: the seam where the
    /// validator (Sources/DNSResolver/Validation), built from the trust
    /// anchor file (nil path: the built-in root anchors, KSK-2017 and KSK-2024).
    static func makeValidator(_ settings: ResolverSettings, logger: Logger) throws -> (any ResponseValidating)? {
        guard settings.dnssec else { return nil }
        let anchors: [TrustAnchor]
        if let path = settings.trustAnchorFile {
            anchors = try TrustAnchor.load(file: path)
        } else {
            anchors = [.root]
        }
        logger.info(
            "validating with trust anchors \(anchors.map { "\($0.zone)" }.joined(separator: ", ")) (\(settings.trustAnchorFile ?? "built in"))"
        )
        return DNSSECValidator(configuration: .init(trustAnchors: anchors))
    }

    /// Binds the resolver's listeners and starts answering.
    static func start(
        _ settings: ResolverSettings, authority: AuthorityHandler?, threads: Int, logger: Logger
    ) async throws -> ResolverService {
        var resolverLogger = logger
        resolverLogger[metadataKey: "service"] = "resolver"
        let resolver = RecursiveResolver(
            options: settings.options, cache: ResolverCache(policy: settings.cache),
            transport: NIOUpstreamTransport(), validator: try Self.makeValidator(settings, logger: resolverLogger),
            logger: resolverLogger)
        let handler = ResolverHandler(resolver: resolver, allow: settings.allow, authority: authority)
        let configuration = DNSServerConfiguration(listenAddresses: settings.listen, threads: threads)
        let server = try await DNSServer.start(configuration: configuration, handler: handler)
        for listener in server.listeners { logger.info("resolver listening on \(listener)") }
        return ResolverService(resolver: resolver, server: server, logger: resolverLogger)
    }
}

/// The resolver's listeners and its periodic summary as a service of the group.
struct ResolverRunService: Service {
    let service: ResolverService

    func run() async {
        let summary = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: ResolverService.summaryInterval)
                if Task.isCancelled { break }
                let counters = self.service.resolver.health.counters
                if counters.upstreamQueries > 0 {
                    self.service.logger.info("\(self.service.resolver.health.summary())")
                }
            }
        }
        defer { summary.cancel() }
        await withGracefulShutdownHandler {
            await self.service.server.run()
        } onGracefulShutdown: {
            Task { await self.service.server.shutdown() }
        }
    }
}
