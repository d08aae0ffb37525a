// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// One DNS-over-TCP connection (RFC 7766), after ``DNSTCPFrameDecoder``.
///
/// Requests are answered in the order they arrive; a client may send several
/// without waiting (pipelining, RFC 7766 §6.2.1.1) and the answers are
/// flushed once per read burst. The connection is closed when:
/// - no complete request arrived for the idle timeout (RFC 7766 §6.2.3);
/// - a request is shorter than a DNS header (a zero length prefix included);
/// - the handler produced a response that cannot be framed (> 65535 octets);
/// - the client closed its side (half-close): pending answers are written first;
/// - the server shuts down: pending answers are written first.
final class TCPConnectionHandler<Handler: DNSRequestHandler>: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let handler: Handler
    private let idleTimeout: TimeAmount
    private var request: DNSRequestContext?
    private var needsFlush = false
    private var closing = false
    private var lastRequest = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?

    init(handler: Handler, idleTimeout: TimeAmount) {
        self.handler = handler
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard self.request == nil else { return }
        guard let client = context.channel.remoteAddress, let local = context.channel.localAddress else {
            // The socket went away before it could be set up.
            self.closing = true
            context.close(promise: nil)
            return
        }
        self.request = DNSRequestContext(client: client, local: local, transport: .tcp)
        self.lastRequest = .now()
        self.scheduleIdleCheck(context: context, at: self.lastRequest + self.idleTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.idleCheck?.cancel()
        self.idleCheck = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.closing, let request = self.request else { return }
        let message = Self.unwrapInboundIn(data)
        guard message.readableBytes >= UDPListenerHandler<Handler>.minimumRequestSize else {
            // Answers to the requests before it still go out.
            self.drainAndClose(context: context)
            return
        }
        self.lastRequest = .now()
        guard let reply = self.handler.handle(message, context: request) else { return }
        guard reply.readableBytes <= DNSTCPFrameDecoder.maxFrameLength else {
            self.drainAndClose(context: context)
            return
        }
        var framed = context.channel.allocator.buffer(capacity: 2 + reply.readableBytes)
        framed.writeInteger(UInt16(reply.readableBytes))
        framed.writeImmutableBuffer(reply)
        context.write(Self.wrapOutboundOut(framed), promise: nil)
        self.needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is DNSTCPDrainEvent || (event as? ChannelEvent) == .inputClosed {
            self.drainAndClose(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// A client that sends requests without reading the answers stops being
    /// read until it catches up, so answers cannot pile up in memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !self.closing {
            try? context.channel.syncOptions?.setOption(.autoRead, value: context.channel.isWritable)
            if context.channel.isWritable { context.read() }
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.closing = true
        context.close(promise: nil)
    }

    /// Stops answering, lets every answer already written reach the socket,
    /// then closes. Writes complete in order, so an empty write's promise
    /// fires after all earlier ones.
    private func drainAndClose(context: ChannelHandlerContext) {
        guard !self.closing else { return }
        self.closing = true
        self.idleCheck?.cancel()
        self.idleCheck = nil
        self.needsFlush = false
        let channel = context.channel
        let drained = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(channel.allocator.buffer(capacity: 0)), promise: drained)
        drained.futureResult.whenComplete { _ in channel.close(promise: nil) }
        // A client that never reads would keep the writes pending forever.
        let backstop = context.eventLoop.scheduleTask(in: self.idleTimeout) { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in backstop.cancel() }
    }

    private func scheduleIdleCheck(context: ChannelHandlerContext, at deadline: NIODeadline) {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.idleCheck = context.eventLoop.scheduleTask(deadline: deadline) {
            handler.value.checkIdle(context: boundContext.value)
        }
    }

    /// One timer per idle period rather than one per request: when it fires
    /// early (a request came meanwhile) it is set again for the new deadline.
    private func checkIdle(context: ChannelHandlerContext) {
        self.idleCheck = nil
        guard !self.closing else { return }
        let due = self.lastRequest + self.idleTimeout
        if NIODeadline.now() >= due {
            self.drainAndClose(context: context)
        } else {
            self.scheduleIdleCheck(context: context, at: due)
        }
    }
}
