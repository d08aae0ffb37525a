// SPDX-License-Identifier: Apache-2.0

import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// Limits of the dyndns2 endpoint's connections.
public struct DynDNS2Limits: Sendable {
    /// Most bytes a connection may send (request line, headers and any body):
    /// an update is one short GET.
    public var maxRequestBytes = 16 * 1024
    /// Most header fields in a request.
    public var maxHeaderCount = 64
    /// Connections open at once (over all listeners); more are closed at once.
    public var maxConnections = 64
    /// A connection that sends nothing for this long is closed.
    public var idleTimeout: Duration = .seconds(10)

    public init() {}
}

/// The dyndns2 endpoint on SwiftNIO: HTTPS (NIOSSL) listeners, and plain
/// HTTP ones for loopback, each connection answering one request and closing.
///
/// What a request does is ``DynDNS2Handler``'s business; the handler and the
/// TLS context can be replaced while serving (``replace(handler:tls:)``, on
/// SIGHUP), and apply to the connections accepted afterwards.
public final class DynDNS2Server: Sendable {
    /// One bound listener.
    public struct Listener: Sendable, CustomStringConvertible {
        public var address: SocketAddress
        public var tls: Bool
        public var description: String { "\(self.tls ? "https" : "http")://\(self.address)" }
    }

    private struct Current: Sendable {
        var handler: DynDNS2Handler
        var tls: DynDNS2Certificate?
    }

    private let current: Mutex<Current>
    private let channels: Mutex<[any Channel]>
    private let open = Mutex<Int>(0)
    private let limits: DynDNS2Limits
    private let logger: Logger
    private let bound = Mutex<[Listener]>([])
    /// The listeners bound (port-0 choices resolved).
    public var listeners: [Listener] { self.bound.withLock { $0 } }

    private init(handler: DynDNS2Handler, tls: DynDNS2Certificate?, limits: DynDNS2Limits, logger: Logger) {
        self.current = Mutex(Current(handler: handler, tls: tls))
        self.channels = Mutex([])
        self.limits = limits
        self.logger = logger
    }

    /// Binds `https` (with `tls`, which must be given when `https` is not
    /// empty) and `http` (plain; the caller allows loopback only) and starts serving.
    public static func start(
        https: [SocketAddress], http: [SocketAddress], tls: DynDNS2Certificate?, handler: DynDNS2Handler,
        limits: DynDNS2Limits = DynDNS2Limits(), logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> DynDNS2Server {
        let server = DynDNS2Server(handler: handler, tls: tls, limits: limits, logger: logger)
        var bound: [Listener] = []
        do {
            for (address, secure) in https.map({ ($0, true) }) + http.map({ ($0, false) }) {
                let channel = try await server.bind(address, tls: secure, group: group)
                server.channels.withLock { $0.append(channel) }
                bound.append(Listener(address: channel.localAddress ?? address, tls: secure))
            }
        } catch {
            await server.shutdown()
            throw error
        }
        server.bound.withLock { [bound] in $0 = bound }
        for listener in bound { logger.info("ddns: listening on \(listener)") }
        return server
    }

    /// New users, writer or certificate for the connections accepted from now on.
    public func replace(handler: DynDNS2Handler, tls: DynDNS2Certificate?) {
        self.current.withLock {
            $0.handler = handler
            if tls != nil { $0.tls = tls }
        }
    }

    /// Closes the listeners (connections in progress finish).
    public func shutdown() async {
        let channels = self.channels.withLock { list in
            defer { list = [] }
            return list
        }
        for channel in channels { try? await channel.close() }
    }

    private func bind(_ address: SocketAddress, tls: Bool, group: any EventLoopGroup) async throws -> any Channel {
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        if case .v6 = address {
            bootstrap = bootstrap.serverChannelOption(
                ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 1)
        }
        return try await bootstrap.childChannelInitializer { [self] channel in
            channel.eventLoop.makeCompletedFuture {
                try self.setUp(channel, tls: tls)
            }
        }.bind(to: address).get()
    }

    /// The pipeline of one accepted connection; beyond the connection limit, closes it.
    private func setUp(_ channel: any Channel, tls: Bool) throws {
        let admitted = self.open.withLock { count in
            guard count < self.limits.maxConnections else { return false }
            count += 1
            return true
        }
        guard admitted else {
            self.logger.notice("ddns: connection limit (\(self.limits.maxConnections)) reached; closing a new one")
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [self] _ in self.open.withLock { $0 -= 1 } }
        let current = self.current.withLock { $0 }
        let sync = channel.pipeline.syncOperations
        if tls {
            guard let context = current.tls?.context else {
                channel.close(promise: nil)
                return
            }
            try sync.addHandler(NIOSSLServerHandler(context: context))
        }
        try sync.addHandler(RequestSizeLimiter(maxBytes: self.limits.maxRequestBytes))
        let idle = self.limits.idleTimeout.components
        let nanoseconds = idle.seconds * 1_000_000_000 + idle.attoseconds / 1_000_000_000
        try sync.addHandler(IdleStateHandler(readTimeout: .nanoseconds(nanoseconds)))
        try sync.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: true)
        try sync.addHandler(
            DynDNS2ChannelHandler(handler: current.handler, maxHeaderCount: self.limits.maxHeaderCount))
    }
}

/// Counts the bytes a connection sends; past the limit, answers 431 and closes.
final class RequestSizeLimiter: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let maxBytes: Int
    private var received = 0
    private var tripped = false

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.tripped else { return }
        let buffer = Self.unwrapInboundIn(data)
        self.received += buffer.readableBytes
        guard self.received <= self.maxBytes else {
            self.tripped = true
            let text = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            let answer = context.channel.allocator.buffer(string: text)
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(Self.wrapOutboundOut(answer)).whenComplete { _ in bound.value.close(promise: nil) }
            return
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // After the 431, nothing more from above (the HTTP layer may still try to answer).
        guard !self.tripped else {
            promise?.succeed(())
            return
        }
        context.write(data, promise: promise)
    }
}

/// Reads one HTTP request, lets ``DynDNS2Handler`` answer it, writes the answer and closes.
final class DynDNS2ChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: DynDNS2Handler
    private let maxHeaderCount: Int
    private var head: HTTPRequestHead?
    private var answered = false

    init(handler: DynDNS2Handler, maxHeaderCount: Int) {
        self.handler = handler
        self.maxHeaderCount = maxHeaderCount
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            if self.head == nil, !self.answered { self.head = head }
        case .body:
            break  // ignored; the size limiter bounds it
        case .end:
            guard let head = self.head, !self.answered else { return }
            self.answered = true
            self.answer(head, context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // TLS handshake failures and resets end up here: close, nothing to answer.
        context.close(promise: nil)
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let version = head.version.major == 1 && head.version.minor == 0 ? HTTPVersion.http1_0 : .http1_1
        let client = context.channel.remoteAddress?.ipAddress.flatMap(DDNSClientAddress.init)
        if head.headers.count > self.maxHeaderCount {
            self.write(
                .text(431, "Request Header Fields Too Large", "too many header fields"), version: version,
                context: context)
            return
        }
        let authorizations = head.headers["Authorization"]
        guard let client, authorizations.count <= 1, head.headers["Host"].count <= 1 else {
            self.write(
                .text(400, DDNSHTTPResponse.badRequestReason, "badrequest"), version: version, context: context)
            return
        }
        let handler = self.handler
        let promise = context.eventLoop.makePromise(of: DDNSHTTPResponse.self)
        let method = head.method.rawValue
        let target = head.uri
        let authorization = authorizations.first
        promise.completeWithTask {
            await handler.respond(method: method, target: target, authorization: authorization, client: client)
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenSuccess { response in
            let (me, context) = bound.value
            me.write(response, version: version, context: context)
        }
    }

    private func write(_ response: DDNSHTTPResponse, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        headers.add(name: "Content-Length", value: String(response.body.utf8.count))
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Cache-Control", value: "no-store")
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        let head = HTTPResponseHead(
            version: version, status: HTTPResponseStatus(statusCode: response.status, reasonPhrase: response.reason),
            headers: headers)
        context.write(Self.wrapOutboundOut(.head(head)), promise: nil)
        let body = context.channel.allocator.buffer(string: response.body)
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil))).whenComplete { _ in
            bound.value.close(promise: nil)
        }
    }
}
