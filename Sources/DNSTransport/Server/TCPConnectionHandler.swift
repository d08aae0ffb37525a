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
///
/// A request the handler streams (``DNSRequestHandler/stream(_:context:)``,
/// e.g. a zone transfer) is sent message by message while the socket is
/// writable, so a large zone never sits whole in memory; requests pipelined
/// behind it wait (up to ``maxQueuedRequests``, then reading pauses). Each
/// message sent counts as activity for the idle timeout.
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
    /// The stream being sent (RFC 5936 §2.2), nil when none.
    private var stream: (any DNSResponseStream)?
    /// Requests that arrived while a stream was being sent, in order.
    private var queued = CircularBuffer<ByteBuffer>()
    /// The client half-closed during a stream: close once it is done.
    private var closeWhenDone = false
    /// ``pump(context:)`` is running (a wake-up during it must not re-enter).
    private var pumping = false
    private var unflushedMessages = 0
    /// Requests held behind a stream before reading stops.
    static var maxQueuedRequests: Int { 64 }
    /// Stream messages written between flushes.
    static var messagesPerFlush: Int { 4 }

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
        self.abandonStream()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.closing, self.request != nil else { return }
        let message = Self.unwrapInboundIn(data)
        self.lastRequest = .now()
        if self.stream != nil || !self.queued.isEmpty {
            // RFC 7766 §6.2.1.1: answers leave in order, so this one waits
            // behind the stream; stop reading when too many wait.
            self.queued.append(message)
            self.updateAutoRead(context: context)
            return
        }
        self.serve(message, context: context)
    }

    /// Answers one request: starts its stream, or writes its one response.
    private func serve(_ message: ByteBuffer, context: ChannelHandlerContext) {
        guard let request = self.request else { return }
        guard message.readableBytes >= UDPListenerHandler<Handler>.minimumRequestSize else {
            // Answers to the requests before it still go out.
            self.drainAndClose(context: context)
            return
        }
        if let stream = self.handler.stream(message, context: request) {
            self.stream = stream
            self.pump(context: context)
            return
        }
        guard let reply = self.handler.handle(message, context: request) else { return }
        self.write(reply, context: context)
    }

    /// Frames and writes one response; false (and the connection closing)
    /// when it is too long to frame.
    @discardableResult
    private func write(_ reply: ByteBuffer, context: ChannelHandlerContext) -> Bool {
        guard reply.readableBytes <= DNSTCPFrameDecoder.maxFrameLength else {
            self.drainAndClose(context: context)
            return false
        }
        var framed = context.channel.allocator.buffer(capacity: 2 + reply.readableBytes)
        framed.writeInteger(UInt16(reply.readableBytes))
        framed.writeImmutableBuffer(reply)
        context.write(Self.wrapOutboundOut(framed), promise: nil)
        self.needsFlush = true
        return true
    }

    /// Runs the current stream while the socket is writable, then the
    /// requests that waited behind it; flushes what it wrote.
    private func pump(context: ChannelHandlerContext) {
        guard !self.pumping else { return }
        self.pumping = true
        defer { self.pumping = false }
        while !self.closing, context.channel.isWritable {
            guard let stream = self.stream else {
                guard let message = self.queued.popFirst() else { break }
                self.serve(message, context: context)
                continue
            }
            switch stream.next(wakeUp: self.makeWakeUp(context: context)) {
            case .message(let reply):
                self.lastRequest = .now()
                guard self.write(reply, context: context) else { break }
                if self.needsFlush, self.unflushedMessages >= Self.messagesPerFlush {
                    self.unflushedMessages = 0
                    self.needsFlush = false
                    context.flush()
                }
                self.unflushedMessages += 1
            case .pending:
                self.flushIfNeeded(context: context)
                return
            case .finished:
                self.stream = nil
                self.updateAutoRead(context: context)
            }
        }
        self.flushIfNeeded(context: context)
        if self.stream == nil, self.queued.isEmpty, self.closeWhenDone {
            self.drainAndClose(context: context)
        }
    }

    private func flushIfNeeded(context: ChannelHandlerContext) {
        self.unflushedMessages = 0
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
    }

    private func makeWakeUp(context: ChannelHandlerContext) -> DNSStreamWakeUp {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        return DNSStreamWakeUp {
            loop.execute {
                guard !handler.value.closing else { return }
                handler.value.pump(context: boundContext.value)
            }
        }
    }

    /// Reads while the socket is writable and few requests wait.
    private func updateAutoRead(context: ChannelHandlerContext) {
        guard !self.closing else { return }
        let read = context.channel.isWritable && self.queued.count < Self.maxQueuedRequests
        try? context.channel.syncOptions?.setOption(.autoRead, value: read)
        if read { context.read() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if (event as? ChannelEvent) == .inputClosed, self.stream != nil || !self.queued.isEmpty {
            // Half-close: the transfer and the requests behind it finish first.
            self.closeWhenDone = true
        } else if event is DNSTCPDrainEvent || (event as? ChannelEvent) == .inputClosed {
            self.drainAndClose(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// A client that sends requests without reading the answers stops being
    /// read until it catches up, so answers cannot pile up in memory.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !self.closing {
            self.updateAutoRead(context: context)
            if context.channel.isWritable, self.stream != nil || !self.queued.isEmpty {
                self.pump(context: context)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.closing = true
        self.abandonStream()
        context.close(promise: nil)
    }

    /// Stops answering, lets every answer already written reach the socket,
    /// then closes. Writes complete in order, so an empty write's promise
    /// fires after all earlier ones.
    private func drainAndClose(context: ChannelHandlerContext) {
        guard !self.closing else { return }
        self.closing = true
        self.abandonStream()
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

    /// Cancels the stream and forgets the requests waiting behind it.
    private func abandonStream() {
        self.stream?.cancel()
        self.stream = nil
        self.queued.removeAll()
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
    /// A stream waiting for its producer (a deferred answer) while the socket
    /// is writable is not idle; one blocked by a client that does not read is.
    private func checkIdle(context: ChannelHandlerContext) {
        self.idleCheck = nil
        guard !self.closing else { return }
        var due = self.lastRequest + self.idleTimeout
        if self.stream != nil, context.channel.isWritable { due = NIODeadline.now() + self.idleTimeout }
        if NIODeadline.now() >= due {
            self.drainAndClose(context: context)
        } else {
            self.scheduleIdleCheck(context: context, at: due)
        }
    }
}
