// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One UDP exchange on a connected datagram socket: sends the query, resends
/// it after each timeout until the tries are used, and completes `promise`
/// with the first matching reply. Runs on the channel's event loop only.
final class UDPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let query: ByteBuffer
    private let server: SocketAddress
    private let matcher: ReplyMatcher
    private let timeout: TimeAmount
    private let tries: Int
    private let promise: EventLoopPromise<Reply>
    private var attempts = 0
    private var started = false
    private var done = false
    private var sentAt = ContinuousClock.now
    private var timer: Scheduled<Void>?
    /// A datagram with our ID that did not decode, reported if nothing better comes.
    private var undecodable: DNSWireError?

    init(
        query: ByteBuffer, server: SocketAddress, matcher: ReplyMatcher, timeout: TimeAmount, tries: Int,
        promise: EventLoopPromise<Reply>
    ) {
        self.query = query
        self.server = server
        self.matcher = matcher
        self.timeout = timeout
        self.tries = tries
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !self.started else { return }
        self.started = true
        self.send(context: context)
    }

    private func send(context: ChannelHandlerContext) {
        guard !self.done else { return }
        self.attempts += 1
        self.sentAt = .now
        let write = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(
            Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: self.server, data: self.query)), promise: write)
        write.futureResult.assumeIsolated().whenFailure { error in
            self.finish(context: context, .failure(DNSTransportError(mapping: error)))
        }
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            self.timedOut(context: context)
        }
    }

    private func timedOut(context: ChannelHandlerContext) {
        guard !self.done else { return }
        if self.attempts < self.tries {
            self.send(context: context)
        } else if let undecodable = self.undecodable {
            self.finish(context: context, .failure(DNSTransportError(.badResponse, "\(undecodable)")))
        } else {
            self.finish(context: context, .failure(DNSTransportError.timedOut))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let received = ContinuousClock.now
        let buffer = Self.unwrapInboundIn(data).data
        guard !self.done, self.matcher.headerMatches(buffer) else { return }
        let message: DNSMessage
        do {
            message = try DNSMessage(wire: buffer)
        } catch {
            self.undecodable = error
            return
        }
        guard self.matcher.matches(message) else { return }
        let reply = Reply(message: message, size: buffer.readableBytes, roundTrip: received - self.sentAt)
        self.finish(context: context, .success(reply))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // ECONNREFUSED on a connected UDP socket is the ICMP port unreachable
        // for one of our datagrams: nobody listens, waiting longer is useless.
        self.finish(context: context, .failure(DNSTransportError(mapping: error)))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish(context: context, .failure(DNSTransportError.connectionClosed))
        context.fireChannelInactive()
    }

    private func finish(context: ChannelHandlerContext, _ result: Result<Reply, DNSTransportError>) {
        guard !self.done else { return }
        self.done = true
        self.timer?.cancel()
        self.timer = nil
        switch result {
        case .success(let reply): self.promise.succeed(reply)
        case .failure(let error): self.promise.fail(error)
        }
        context.close(promise: nil)
    }
}

/// One exchange over a TCP connection: writes the query once the connection
/// is up and completes `promise` with the first matching framed reply.
final class TCPExchangeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let query: ByteBuffer
    private let matcher: ReplyMatcher
    private let timeout: TimeAmount
    private let promise: EventLoopPromise<Reply>
    private var started = false
    private var done = false
    private var sentAt = ContinuousClock.now
    private var timer: Scheduled<Void>?

    init(query: ByteBuffer, matcher: ReplyMatcher, timeout: TimeAmount, promise: EventLoopPromise<Reply>) {
        self.query = query
        self.matcher = matcher
        self.timeout = timeout
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !self.started else { return }
        self.started = true
        self.sentAt = .now
        let write = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(self.query), promise: write)
        write.futureResult.assumeIsolated().whenFailure { error in
            self.finish(context: context, .failure(DNSTransportError(mapping: error)))
        }
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            self.finish(context: context, .failure(DNSTransportError.timedOut))
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let received = ContinuousClock.now
        let buffer = Self.unwrapInboundIn(data)
        guard !self.done, self.matcher.headerMatches(buffer) else { return }
        do {
            let message = try DNSMessage(wire: buffer)
            guard self.matcher.matches(message) else { return }
            let reply = Reply(message: message, size: buffer.readableBytes, roundTrip: received - self.sentAt)
            self.finish(context: context, .success(reply))
        } catch {
            // Over TCP nobody else can send on this connection: a reply with our
            // ID that does not decode is the answer, and it is bad.
            self.finish(context: context, .failure(DNSTransportError(.badResponse, "\(error)")))
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.finish(context: context, .failure(DNSTransportError(mapping: error)))
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.finish(context: context, .failure(DNSTransportError.connectionClosed))
        context.fireChannelInactive()
    }

    private func finish(context: ChannelHandlerContext, _ result: Result<Reply, DNSTransportError>) {
        guard !self.done else { return }
        self.done = true
        self.timer?.cancel()
        self.timer = nil
        switch result {
        case .success(let reply): self.promise.succeed(reply)
        case .failure(let error): self.promise.fail(error)
        }
        context.close(promise: nil)
    }
}

extension DNSTransportError {
    /// Maps a NIO or socket error to the reason a user understands.
    init(mapping error: any Error) {
        switch error {
        case let error as DNSTransportError:
            self = error
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            self.init(.connectionRefused)
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first {
                self.init(mapping: first.error)
            } else {
                self.init(.network, "\(error)")
            }
        case ChannelError.connectTimeout:
            self.init(.timedOut, "connect")
        case ChannelError.ioOnClosedChannel, ChannelError.alreadyClosed, ChannelError.eof:
            self.init(.connectionClosed)
        default:
            self.init(.network, "\(error)")
        }
    }
}
