// SPDX-License-Identifier: Apache-2.0

import HanonDDNS
import Logging
import Synchronization

/// The dyndns2 endpoint of `hanon serve` (`[ddns.server]`): started with
/// the DNS listeners (before privileges are dropped, so it can bind port
/// 443 and read its key), its users and certificate replaced on reload,
/// stopped with the server.
final class DDNSService: Sendable {
    private struct Running: Sendable {
        var server: DynDNS2Server
        var settings: DDNSServerSettings
    }

    private let running = Mutex<Running?>(nil)
    /// Failed logins per client, kept across reloads.
    private let failures = DDNSFailureLimiter()

    /// The listeners bound (empty when off).
    var listeners: [DynDNS2Server.Listener] { self.running.withLock { $0?.server.listeners ?? [] } }

    func start(_ settings: DDNSServerSettings?, writer: any DDNSZoneWriter, logger: Logger) async throws {
        guard let settings else { return }
        var certificate: DynDNS2Certificate?
        if !settings.https.isEmpty, let cert = settings.certificateFile, let key = settings.keyFile {
            do {
                certificate = try DynDNS2Certificate(certificateFile: cert, keyFile: key)
            } catch {
                throw SettingsError("\(settings.configuredAt): ddns.server: \(error)")
            }
        }
        let handler = self.handler(settings, writer: writer, logger: logger)
        let server: DynDNS2Server
        do {
            server = try await DynDNS2Server.start(
                https: settings.https, http: settings.http, tls: certificate, handler: handler, limits: settings.limits,
                logger: logger)
        } catch {
            throw SettingsError("\(settings.configuredAt): ddns.server: cannot listen: \(error)")
        }
        self.running.withLock { $0 = Running(server: server, settings: settings) }
    }

    /// New users, TTL and certificate; new addresses need a restart.
    func reload(_ settings: DDNSServerSettings?, writer: any DDNSZoneWriter, logger: Logger) {
        guard let current = self.running.withLock({ $0 }) else {
            if settings != nil { logger.warning("ddns.server: the endpoint starts at the next restart") }
            return
        }
        guard let settings else {
            logger.warning("ddns.server removed: the endpoint stops at the next restart")
            return
        }
        if settings.https != current.settings.https || settings.http != current.settings.http
            || settings.limits.maxConnections != current.settings.limits.maxConnections
        {
            logger.warning(
                "ddns.server: listen, listen-http and max-connections changes take effect at the next restart")
        }
        var certificate: DynDNS2Certificate?
        if !current.settings.https.isEmpty, let cert = settings.certificateFile, let key = settings.keyFile {
            do {
                certificate = try DynDNS2Certificate(certificateFile: cert, keyFile: key)
            } catch {
                logger.error("ddns.server: \(error); the old certificate stays")
            }
        }
        current.server.replace(handler: self.handler(settings, writer: writer, logger: logger), tls: certificate)
        self.running.withLock { $0?.settings = settings }
        logger.info("ddns.server: \(settings.users.count) users")
    }

    func stop() async {
        let server = self.running.withLock { running in
            defer { running = nil }
            return running?.server
        }
        await server?.shutdown()
    }

    private func handler(_ settings: DDNSServerSettings, writer: any DDNSZoneWriter, logger: Logger)
        -> DynDNS2Handler
    {
        DynDNS2Handler(
            users: DDNSUsers(settings.users), writer: writer, ttl: settings.ttl, failures: self.failures, logger: logger
        )
    }
}

extension HanonServer {
    /// Where the dyndns2 endpoint (and hanon's own-zone address updates) write:
    /// the zones served here, through the dynamic update path.
    public var ddnsWriter: any DDNSZoneWriter {
        DDNSZoneAdapter(updater: self.updater, handler: self.handler)
    }

    /// The dyndns2 endpoint's listeners (empty when `[ddns.server]` is absent).
    public var ddnsListeners: [DynDNS2Server.Listener] { self.ddns.listeners }
}
