// SPDX-License-Identifier: Apache-2.0

import NIOCore
import NIOPosix

/// A DNS server's sockets: UDP and TCP listeners on every configured address,
/// run on their own event loop threads, answering through a
/// ``DNSRequestHandler`` (RFC 1035 §4.2, RFC 7766).
///
/// ```swift
/// let server = try await DNSServer.start(configuration: config, handler: authority)
/// print(server.listeners)          // actual ports when port 0 was asked for
/// await server.run()               // returns once shutdown() has finished
/// ```
///
/// `run()` fits swift-service-lifecycle: cancelling it shuts the server
/// down, and a graceful-shutdown handler can call ``shutdown()``.
public actor DNSServer {
    /// What it was started with.
    public nonisolated let configuration: DNSServerConfiguration
    /// Every bound address and transport, in configuration order, with the
    /// actual port when port 0 was asked for.
    public nonisolated let listeners: [DNSListener]

    private let group: MultiThreadedEventLoopGroup
    private let udpChannels: [any Channel]
    private let tcpChannels: [any Channel]
    #if os(Linux)
        private let udpThreads: UDPBatchThreads?
    #endif
    private var shutdownTask: Task<Void, Never>?
    private var stopped = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    private init(
        configuration: DNSServerConfiguration, group: MultiThreadedEventLoopGroup, bound: BoundSockets,
        handler: some DNSRequestHandler
    ) {
        self.configuration = configuration
        self.group = group
        self.udpChannels = bound.udp
        self.tcpChannels = bound.tcp
        self.listeners = bound.listeners
        #if os(Linux)
            self.udpThreads =
                bound.batchSockets.isEmpty
                ? nil : UDPBatchThreads(sockets: bound.batchSockets, handler: handler, configuration: configuration)
        #endif
    }

    /// Binds every listener and starts serving. On any binding error,
    /// whatever was bound is closed again and the error names the listener.
    ///
    /// - Throws: ``DNSServerError`` (`addressInUse`, `permissionDenied`,
    ///   `addressNotAvailable`, `invalidConfiguration`, `bindFailed`).
    public static func start(
        configuration: DNSServerConfiguration, handler: some DNSRequestHandler
    ) async throws(DNSServerError) -> DNSServer {
        try configuration.validate()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        do {
            let bound = try await Self.bindAll(configuration: configuration, handler: handler, group: group)
            return DNSServer(configuration: configuration, group: group, bound: bound, handler: handler)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// The first bound address for `transport`, convenient with port 0.
    public nonisolated func address(for transport: DNSTransportProtocol) -> SocketAddress? {
        self.listeners.first { $0.transport == transport }?.address
    }

    /// Waits until the server has shut down. Cancelling the calling task
    /// starts ``shutdown()``, so a `ServiceGroup` can run it as a service.
    public func run() async {
        await withTaskCancellationHandler {
            await self.waitUntilStopped()
        } onCancel: {
            Task { await self.shutdown() }
        }
    }

    private func waitUntilStopped() async {
        if self.stopped { return }
        await withCheckedContinuation { self.waiters.append($0) }
    }

    /// Stops serving: stops the UDP threads (``UDPBatchLoop``) or closes
    /// the UDP channels, closes the TCP listening sockets,
    /// lets each open TCP connection write the answers it already has and
    /// close (at most ``DNSServerConfiguration/shutdownGracePeriod``, then
    /// they are closed anyway), and stops the event loop threads.
    /// Calling it again waits for the first call to finish.
    public func shutdown() async {
        if let task = self.shutdownTask {
            await task.value
            return
        }
        let (udp, tcp, group) = (self.udpChannels, self.tcpChannels, self.group)
        let grace = self.configuration.shutdownGracePeriod
        #if os(Linux)
            let udpThreads = self.udpThreads
        #endif
        let task = Task {
            #if os(Linux)
                await udpThreads?.stop()
            #endif
            await Self.closeAll(udp: udp, tcp: tcp, grace: grace)
            try? await group.shutdownGracefully()
        }
        self.shutdownTask = task
        await task.value
        self.stopped = true
        for waiter in self.waiters { waiter.resume() }
        self.waiters = []
    }

    private static func closeAll(udp: [any Channel], tcp: [any Channel], grace: Duration) async {
        for channel in udp { try? await channel.close() }
        var connections: [any Channel] = []
        for listener in tcp {
            let open = try? await listener.eventLoop.submit { () throws -> [any Channel] in
                let limiter = try listener.pipeline.syncOperations.handler(type: TCPConnectionLimiter.self)
                limiter.draining = true
                return Array(limiter.open.values)
            }.get()
            connections += open ?? []
            try? await listener.close()
        }
        guard !connections.isEmpty else { return }
        for connection in connections {
            connection.pipeline.fireUserInboundEventTriggered(DNSTCPDrainEvent())
        }
        let loop = connections[0].eventLoop
        let allClosed = EventLoopFuture.andAllComplete(connections.map(\.closeFuture), on: loop)
        await withTaskGroup(of: Void.self) { waits in
            waits.addTask { try? await allClosed.get() }
            waits.addTask { try? await Task.sleep(for: grace) }
            await waits.next()
            for connection in connections { connection.close(promise: nil) }
            waits.cancelAll()
        }
    }
}

extension DNSServerConfiguration {
    func validate() throws(DNSServerError) {
        guard !self.listenAddresses.isEmpty else {
            throw DNSServerError(.invalidConfiguration, detail: "no listen address")
        }
        guard self.udp || self.tcp else {
            throw DNSServerError(.invalidConfiguration, detail: "neither UDP nor TCP enabled")
        }
        guard self.threads >= 1 else {
            throw DNSServerError(.invalidConfiguration, detail: "threads must be at least 1")
        }
        guard self.udpVectorReadCount >= 1, self.maxUDPRequestSize >= 512, self.maxTCPConnections >= 0 else {
            throw DNSServerError(
                .invalidConfiguration, detail: "UDP read count, request size or TCP connection limit out of range")
        }
        for address in self.listenAddresses {
            if case .unixDomainSocket = address {
                throw DNSServerError(.invalidConfiguration, detail: "not an IP address: \(address)")
            }
        }
    }
}
