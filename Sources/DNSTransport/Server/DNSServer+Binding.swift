// SPDX-License-Identifier: Apache-2.0

import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Channels bound by one start attempt.
struct BoundSockets: Sendable {
    var udp: [any Channel] = []
    var tcp: [any Channel] = []
    var listeners: [DNSListener] = []
    #if os(Linux)
        /// The sockets of the `recvmmsg` loop (``DNSServerConfiguration/UDPEngine/recvmmsg``).
        var batchSockets: [UDPBatchSocket] = []
    #endif

    func closeAll() async {
        for channel in self.udp + self.tcp { try? await channel.close() }
        #if os(Linux)
            for socket in self.batchSockets { socket.close() }
        #endif
    }
}

extension DNSServerConfiguration {
    /// True when UDP is served by ``UDPBatchLoop`` rather than NIO.
    var usesUDPBatchLoop: Bool {
        #if os(Linux)
            self.udpEngine == .recvmmsg && UDPMultiMessage.calls != nil
        #else
            false
        #endif
    }
}

extension DNSServer {
    /// IPV6_V6ONLY, so that `[::]` leaves IPv4 to a `0.0.0.0` listener
    /// (RFC 3493 §5.3). NIO clears it by default.
    static let ipv6Only = ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only)
    /// SO_REUSEPORT: several UDP sockets on one address, the kernel spreading
    /// datagrams across them by flow hash (one socket per thread).
    static let reusePort = ChannelOptions.Types.SocketOption(
        level: .socket, name: NIOBSDSocket.Option(rawValue: SO_REUSEPORT))

    /// Binds everything. When port 0 was asked for, the chosen port may turn
    /// out taken for the other transport or address: then all is closed and
    /// tried again with a new port.
    static func bindAll<Handler: DNSRequestHandler>(
        configuration: DNSServerConfiguration, handler: Handler, group: MultiThreadedEventLoopGroup
    ) async throws(DNSServerError) -> BoundSockets {
        let attempts = configuration.listenAddresses.contains { $0.port == 0 } ? 10 : 1
        var lastError = DNSServerError(.bindFailed)
        for _ in 0..<attempts {
            var bound = BoundSockets()
            do {
                try await Self.bindOnce(configuration: configuration, handler: handler, group: group, into: &bound)
                return bound
            } catch {
                await bound.closeAll()
                guard error.code == .addressInUse else { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    private static func bindOnce<Handler: DNSRequestHandler>(
        configuration: DNSServerConfiguration, handler: Handler, group: MultiThreadedEventLoopGroup,
        into bound: inout BoundSockets
    ) async throws(DNSServerError) {
        var sharedPort: Int?
        let loops = Array(group.makeIterator())
        for configured in configuration.listenAddresses {
            var address = configured
            if address.port == 0, let port = sharedPort { address.port = port }
            if configuration.udp && configuration.usesUDPBatchLoop {
                #if os(Linux)
                    for index in 0..<configuration.threads {
                        let socket = try UDPBatchSocket(
                            binding: address, reusePort: configuration.threads > 1,
                            receiveBufferSize: configuration.udpReceiveBufferSize)
                        bound.batchSockets.append(socket)
                        if index == 0 {
                            if address.port == 0 { address = socket.local }
                            bound.listeners.append(DNSListener(address: address, transport: .udp))
                        }
                    }
                #endif
            } else if configuration.udp {
                for (index, loop) in loops.enumerated() {
                    let channel = try await Self.bindUDP(
                        address, on: loop, reusePort: loops.count > 1, configuration: configuration, handler: handler)
                    bound.udp.append(channel)
                    if index == 0 {
                        if address.port == 0, let actual = channel.localAddress { address = actual }
                        bound.listeners.append(DNSListener(address: address, transport: .udp))
                    }
                }
            }
            if configuration.tcp {
                let channel = try await Self.bindTCP(
                    address, group: group, configuration: configuration, handler: handler)
                bound.tcp.append(channel)
                if address.port == 0, let actual = channel.localAddress { address = actual }
                bound.listeners.append(DNSListener(address: address, transport: .tcp))
            }
            if configured.port == 0, sharedPort == nil { sharedPort = address.port }
        }
    }

    private static func bindUDP<Handler: DNSRequestHandler>(
        _ address: SocketAddress, on loop: any EventLoop, reusePort: Bool, configuration: DNSServerConfiguration,
        handler: Handler
    ) async throws(DNSServerError) -> any Channel {
        let readCount = configuration.udpVectorReadCount
        // NIO splits one receive buffer evenly among the datagrams of a vector read.
        let allocator = FixedSizeRecvByteBufferAllocator(capacity: readCount * configuration.maxUDPRequestSize)
        var bootstrap = DatagramBootstrap(group: loop)
            .channelOption(.datagramVectorReadMessageCount, value: readCount)
            .channelOption(.recvAllocator, value: allocator)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(configuration.udpReceiveBufferSize))
        if reusePort { bootstrap = bootstrap.channelOption(Self.reusePort, value: 1) }
        if case .v6 = address { bootstrap = bootstrap.channelOption(Self.ipv6Only, value: 1) }
        do {
            return
                try await bootstrap
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            UDPListenerHandler(handler: handler, local: address))
                    }
                }
                .bind(to: address).get()
        } catch {
            throw DNSServerError.binding(error, listener: DNSListener(address: address, transport: .udp).description)
        }
    }

    private static func bindTCP<Handler: DNSRequestHandler>(
        _ address: SocketAddress, group: MultiThreadedEventLoopGroup, configuration: DNSServerConfiguration,
        handler: Handler
    ) async throws(DNSServerError) -> any Channel {
        let limit = configuration.maxTCPConnections
        let idleTimeout = TimeAmount(configuration.tcpIdleTimeout)
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: Int32(clamping: configuration.tcpBacklog))
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        if case .v6 = address { bootstrap = bootstrap.serverChannelOption(Self.ipv6Only, value: 1) }
        do {
            return
                try await bootstrap
                .serverChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(TCPConnectionLimiter(limit: limit))
                    }
                }
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                        try sync.addHandler(TCPConnectionHandler(handler: handler, idleTimeout: idleTimeout))
                    }
                }
                .bind(to: address).get()
        } catch {
            throw DNSServerError.binding(error, listener: DNSListener(address: address, transport: .tcp).description)
        }
    }
}
