// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import DNSZone
import HanonConfig
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `hanon serve`: the zones, the listeners, reload on SIGHUP, clean stop on SIGTERM.
///
/// Start-up: load every zone (a zone with errors is reported and left out),
/// bind the listeners, drop root, write the pid file, then serve until
/// SIGTERM or SIGINT. On SIGHUP (`hanon reload`) the config file is read
/// again and changed zones are reloaded; a zone that fails keeps serving its
/// old version, and the error names file and line.
public final class HanonServer: Sendable {
    public let logger: Logger
    private let state: Mutex<State>
    let handler: AuthorityHandler
    private let secondaryDirectory: SecondaryDirectory
    /// The refresh loop of each secondary zone, while serving.
    private let secondaryTasks = Mutex<(running: Bool, tasks: [DomainName: Task<Void, Never>])>((false, [:]))
    let updater: ZoneUpdater
    /// The dyndns2 endpoint (`[ddns.server]`), DDNSService.swift.
    let ddns = DDNSService()

    struct State {
        var settings: ServerSettings
        var zones: [DomainName: LoadedZone]
        var server: DNSServer?
        /// Secondary zones being served now (absent: not transferred yet, or expired).
        var secondaryZones: [DomainName: Zone] = [:]
        var secondaries: [DomainName: SecondaryZone] = [:]
        /// When each file zone was last (re)loaded.
        var loadedAt: [DomainName: ContinuousClock.Instant] = [:]
        var control: ControlSocket?
        var resolver: ResolverService?
    }

    /// Loads the zones (without binding anything yet).
    public init(settings: ServerSettings, logger: Logger) {
        self.logger = logger
        var loaded: [DomainName: LoadedZone] = [:]
        let updater = ZoneUpdater(dataDirectory: settings.dataDirectory, owner: settings.user, logger: logger)
        for source in settings.zones {
            switch ZoneLoader.load(source).flatMap(updater.admit) {
            case .success(let zone):
                for warning in zone.warnings { logger.warning("\(warning)") }
                loaded[source.name] = zone
                logger.info("zone \(source.name) loaded: serial \(zone.zone.serial), \(zone.zone.recordCount) records")
            case .failure(let error):
                for message in error.messages { logger.error("\(message)") }
                logger.error("zone \(source.name) not loaded")
            }
        }
        let cookies: ServerCookies
        if let secret = settings.cookieSecret, let key = SipHash24.Key(bytes: secret) {
            cookies = ServerCookies(secret: key)
        } else {
            cookies = ServerCookies()
        }
        let limiter = settings.rateLimit.map { ResponseRateLimiter(configuration: $0) }
        var queryLogger: Logger? = nil
        if settings.queryLog {
            var l = logger
            l[metadataKey: "log"] = "query"
            queryLogger = l
        }
        let processor = QueryProcessor(
            zones: ZoneTable(settings.zones.compactMap { loaded[$0.name]?.zone }), options: settings.authority)
        let directory = SecondaryDirectory()
        self.secondaryDirectory = directory
        self.handler = AuthorityHandler(
            processor: processor, cookies: cookies, rateLimiter: limiter, queryLogger: queryLogger,
            tsig: TSIGService(keys: settings.keys, logger: logger),
            notifyReceiver: { zone, from in directory.notify(zone, from: from) }, updater: updater)
        self.updater = updater
        var state = State(settings: settings, zones: loaded, server: nil)
        let now = ContinuousClock.now
        for name in loaded.keys { state.loadedAt[name] = now }
        self.state = Mutex(state)
        self.handler.transfers.configure(settings.transfer, logger: logger)
        for (zone, diffs) in updater.journalHistory() where !diffs.isEmpty {
            self.handler.transfers.setHistory(diffs, for: zone)
        }
        self.startSecondaries(settings.secondaries)
    }

    /// The processor for the file zones and the secondary zones in `state`.
    private static func processor(_ state: State) -> QueryProcessor {
        var zones = state.settings.zones.compactMap { state.zones[$0.name]?.zone }
        zones += state.settings.secondaries.compactMap { state.secondaryZones[$0.name] }
        return QueryProcessor(zones: ZoneTable(zones), options: state.settings.authority)
    }

    /// Creates a ``SecondaryZone`` for each new source (existing ones keep
    /// running) and forgets the ones no longer configured; each one serves
    /// its copy on disk at once when there is one.
    private func startSecondaries(_ sources: [SecondarySource]) {
        let handler = self.handler
        let created: [SecondaryZone] = self.state.withLock { state in
            var created: [SecondaryZone] = []
            for source in sources where state.secondaries[source.name]?.source != source {
                let zone = SecondaryZone(
                    source: source, logger: self.logger, keys: { [handler] in handler.tsig.keyring.key(named: $0) }
                ) { [weak self] name, zone in
                    guard let self else { return }
                    let old = self.state.withLock {
                        let old = $0.secondaryZones[name]
                        $0.secondaryZones[name] = zone
                        return old
                    }
                    handler.replaceZone(name, with: zone)
                    handler.setUnavailable(name, zone == nil)
                    // A secondary can itself be a primary for others (allow-transfer, notify).
                    if let zone, old !== zone { handler.transfers.zoneChanged(name, old: old, new: zone) }
                }
                state.secondaries[source.name] = zone
                created.append(zone)
                if state.secondaryZones[source.name] == nil { handler.setUnavailable(source.name, true) }
            }
            for name in state.secondaries.keys where !sources.contains(where: { $0.name == name }) {
                state.secondaries[name] = nil
                state.secondaryZones[name] = nil
                handler.setUnavailable(name, false)
            }
            return created
        }
        self.secondaryDirectory.set(self.state.withLock { $0.secondaries })
        for zone in created {
            if let path = zone.source.copyPath { CopyFile.makeDirectory(ofFile: path) }
        }
        let configured = Set(sources.map(\.name))
        self.secondaryTasks.withLock { tasks in
            for (name, task) in tasks.tasks where !configured.contains(name) {
                task.cancel()
                tasks.tasks[name] = nil
            }
        }
        if self.secondaryTasks.withLock({ $0.running }) { self.runSecondaries() }
    }

    /// Starts the refresh loop of every secondary zone that has none: the
    /// copy on disk is served first, then the primaries are asked.
    private func runSecondaries() {
        let zones = self.state.withLock { Array($0.secondaries.values) }
        self.secondaryTasks.withLock { tasks in
            tasks.running = true
            for zone in zones where tasks.tasks[zone.source.name] == nil {
                tasks.tasks[zone.source.name] = Task {
                    await zone.loadCopy()
                    await zone.run()
                }
            }
        }
    }

    private func stopSecondaries() {
        self.secondaryTasks.withLock { tasks in
            tasks.running = false
            for task in tasks.tasks.values { task.cancel() }
            tasks.tasks = [:]
        }
    }

    /// The updatable zones' serials, journals and last updates.
    func updaterStatus() -> [ZoneUpdateStatus] { self.updater.status() }

    /// The settings in force.
    var currentSettings: ServerSettings { self.state.withLock { $0.settings } }

    /// What `hanon zone status` reports from, taken under the lock.
    func statusSnapshot() -> (
        ServerSettings, [DomainName: LoadedZone], [DomainName: ContinuousClock.Instant], [DomainName: SecondaryZone]
    ) {
        self.state.withLock { ($0.settings, $0.zones, $0.loadedAt, $0.secondaries) }
    }

    /// The secondary zone `name`, e.g. to pass it a NOTIFY.
    func secondary(_ name: DomainName) -> SecondaryZone? {
        self.state.withLock { $0.secondaries[name] }
    }

    /// Transfers and NOTIFY (TransferHandler.swift).
    var transferHandler: TransferHandler { self.handler.transfers }

    /// Zones serving now.
    public var servedZones: [DomainName] { self.handler.processor.zones.zones.map(\.origin).sorted() }

    /// The addresses bound (after ``start()``), e.g. to learn port-0 choices.
    public var listeners: [DNSListener] { self.state.withLock { $0.server?.listeners ?? [] } }

    /// The resolver's addresses bound (after ``start()``), empty without `[resolver]`.
    public var resolverListeners: [DNSListener] { self.state.withLock { $0.resolver?.server.listeners ?? [] } }

    /// Binds the listeners, then drops privileges and writes the pid file.
    public func start() async throws {
        let settings = self.state.withLock { $0.settings }
        var addresses: [SocketAddress] = []
        for text in settings.listen {
            do {
                addresses.append(try DNSServerConfiguration.parseListenAddress(text))
            } catch {
                throw SettingsError("bad listen address '\(text)': \(error)")
            }
        }
        var configuration = DNSServerConfiguration(
            listenAddresses: addresses, threads: settings.threads > 0 ? settings.threads : System.coreCount)
        configuration.tcpIdleTimeout = settings.tcpIdleTimeout
        configuration.maxTCPConnections = settings.tcpMaxConnections
        let server = try await DNSServer.start(configuration: configuration, handler: self.handler)
        self.state.withLock { $0.server = server }
        for listener in server.listeners {
            self.logger.info("listening on \(listener)")
        }
        // Not at once: the collapse takes CPU and the kernel's mmap lock (about
        // 7 ms per 2 MiB), which would delay the first answers; a second later
        // the server is answering and the collapse runs beside it.
        self.collapseZonesIntoHugePages(after: .seconds(1))
        try await self.ddns.start(settings.ddnsServer, writer: self.ddnsWriter, logger: self.logger)
        if let resolver = settings.resolver {
            let service = try await ResolverService.start(
                resolver, authority: self.handler, threads: configuration.threads, logger: self.logger)
            self.state.withLock { $0.resolver = service }
        }
        // RFC 1996 §4: tell the secondaries the zones are (perhaps newly) served.
        self.transferHandler.notifyAll(self.state.withLock { $0.zones.mapValues(\.zone) })
        if let user = settings.user {
            try Privileges.drop(to: user)
            self.logger.info("running as user \(user)")
        }
        if let data = settings.dataDirectory {
            do {
                try PidFile(directory: data).write()
            } catch {
                self.logger.warning("\(error); hanon reload will not find this server")
            }
            do {
                let control = try await ControlSocket.start(directory: data) { [weak self] command in
                    await self?.control(command) ?? "error: stopping\n"
                }
                self.state.withLock { $0.control = control }
            } catch {
                self.logger.warning(
                    "cannot open the control socket in \(data): \(error); hanon zone status will not work")
            }
        }
    }

    /// Puts the loaded zones on huge pages, in the background (see ``HugePages``).
    private func collapseZonesIntoHugePages(after delay: Duration? = nil) {
        if let delay {
            Task { [weak self] in
                try? await Task.sleep(for: delay)
                self?.collapseZonesIntoHugePages()
            }
            return
        }
        let logger = self.logger
        HugePages.collapseInBackground { report in
            logger.debug(
                "zones on huge pages: \(report.collapsed >> 20) MiB, \(report.refused) ranges refused by the kernel")
        }
    }

    /// Serves until SIGTERM/SIGINT (or until `shutdown()`), reloading on SIGHUP.
    public func run() async throws {
        if self.state.withLock({ $0.server == nil }) {
            try await self.start()
        }
        guard let server = self.state.withLock({ $0.server }) else { return }
        self.runSecondaries()
        defer { self.stopSecondaries() }
        var services: [any Service] = [
            ListenerService(server: server), ReloadOnSignal(server: self),
            ZoneFileSyncService(updater: self.updater),
            SignatureRefreshService(updater: self.updater, handler: self.handler),
        ]
        if let ddns = self.ddnsUpdaterService() { services.append(ddns) }
        if let resolver = self.state.withLock({ $0.resolver }) {
            services.append(ResolverRunService(service: resolver))
        }
        let group = ServiceGroup(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: self.logger)
        // Changes not yet in the zone files are written whatever way the group ends.
        defer { self.updater.sync(force: true) }
        try await group.run()
        await self.ddns.stop()
        if let data = self.state.withLock({ $0.settings.dataDirectory }) {
            PidFile(directory: data).remove()
        }
        await self.state.withLock({ $0.control })?.stop()
        self.logger.info("stopped")
    }

    /// Stops serving: listeners closed, in-flight TCP answers finished.
    public func shutdown() async {
        let (server, resolver) = self.state.withLock { ($0.server, $0.resolver) }
        await resolver?.server.shutdown()
        await server?.shutdown()
        await self.ddns.stop()
    }

    /// What a reload did.
    public struct ReloadReport: Sendable {
        public var reloaded: [DomainName] = []
        public var unchanged: [DomainName] = []
        public var failed: [DomainName] = []
        public var added: [DomainName] = []
        public var removed: [DomainName] = []
        public var errors: [String] = []
    }

    /// Re-reads the config file (when serving from one) and every changed
    /// zone, then swaps in the new set of zones atomically.
    @discardableResult
    public func reload() -> ReloadReport {
        // Under the update writer's lock: no update lands between reading the zones and swapping them.
        self.updater.serialized { writers in self.reload(&writers) }
    }

    private func reload(_ writers: inout ZoneWriters) -> ReloadReport {
        var report = ReloadReport()
        var settings = self.state.withLock { $0.settings }
        if let file = settings.configFile {
            do {
                let config = try Config.load(path: file)
                var fresh = try ServerSettings(config: config)
                if fresh.listen != settings.listen || fresh.threads != settings.threads || fresh.user != settings.user {
                    self.logger.warning("listen, threads and user changes take effect at the next restart")
                }
                fresh.listen = settings.listen
                fresh.threads = settings.threads
                settings = fresh
            } catch {
                report.errors.append("\(error)")
                self.logger.error("reload: \(error); the running configuration stays")
                return report
            }
        }
        let previous = self.state.withLock { $0.zones }
        var next: [DomainName: LoadedZone] = [:]
        for source in settings.zones {
            let old = previous[source.name]
            switch ZoneLoader.load(source, previous: old).flatMap({ writers.admit($0) }) {
            case .success(let zone):
                next[source.name] = zone
                if old == nil {
                    report.added.append(source.name)
                } else if let old, old.zone === zone.zone {
                    report.unchanged.append(source.name)
                } else {
                    report.reloaded.append(source.name)
                }
                if old?.zone !== zone.zone {
                    for warning in zone.warnings { self.logger.warning("\(warning)") }
                    self.logger.info("zone \(source.name) loaded: serial \(zone.zone.serial)")
                }
            case .failure(let error):
                report.failed.append(source.name)
                report.errors += error.messages
                for message in error.messages { self.logger.error("\(message)") }
                if let old {
                    next[source.name] = old
                    self.logger.error("zone \(source.name) not reloaded; serial \(old.zone.serial) keeps serving")
                } else {
                    self.logger.error("zone \(source.name) not loaded")
                }
            }
        }
        report.removed = previous.keys.filter { next[$0] == nil }.sorted()
        writers.retain(only: Set(next.keys))
        let finalSettings = settings
        let changed = report.reloaded + report.added
        let processor = self.state.withLock {
            $0.settings = finalSettings
            $0.zones = next
            let now = ContinuousClock.now
            for name in changed { $0.loadedAt[name] = now }
            return Self.processor($0)
        }
        self.handler.replace(with: processor)
        if !changed.isEmpty { self.collapseZonesIntoHugePages() }
        self.startSecondaries(settings.secondaries)
        self.handler.tsig.replace(keys: settings.keys)
        self.ddns.reload(settings.ddnsServer, writer: self.ddnsWriter, logger: self.logger)
        self.transfersAfterReload(settings: finalSettings, previous: previous, next: next, report: report)
        self.logger.info(
            "reload: \(report.reloaded.count) reloaded, \(report.added.count) added, \(report.removed.count) removed, \(report.unchanged.count) unchanged, \(report.failed.count) failed"
        )
        return report
    }
}

/// The listeners as a service of the group: graceful shutdown closes them.
struct ListenerService: Service {
    let server: DNSServer

    func run() async {
        await withGracefulShutdownHandler {
            await self.server.run()
        } onGracefulShutdown: {
            Task { await self.server.shutdown() }
        }
    }
}

/// Reloads on SIGHUP until shutdown.
struct ReloadOnSignal: Service {
    let server: HanonServer

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            self.server.logger.info("SIGHUP: reloading")
            self.server.reload()
        }
    }
}
