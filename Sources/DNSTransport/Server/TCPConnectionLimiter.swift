// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// Sits on a TCP listening channel and sees each accepted connection before
/// it is set up: counts open connections, closes new ones beyond the limit
/// at once (RFC 7766 §6.2.2), and lists the open ones for a graceful
/// shutdown. All state is confined to the listening channel's event loop.
final class TCPConnectionLimiter: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let limit: Int
    private(set) var open: [ObjectIdentifier: any Channel] = [:]
    /// Set when shutdown begins: no new connection is accepted.
    var draining = false
    /// Connections closed because of the limit (or shutdown), for tests and metrics.
    private(set) var refused = 0

    init(limit: Int) {
        self.limit = limit
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = Self.unwrapInboundIn(data)
        guard !self.draining, self.open.count < self.limit else {
            self.refused += 1
            child.close(promise: nil)
            return
        }
        let id = ObjectIdentifier(child)
        self.open[id] = child
        let limiter = NIOLoopBound(self, eventLoop: context.eventLoop)
        child.closeFuture.hop(to: context.eventLoop).whenComplete { _ in
            limiter.value.open.removeValue(forKey: id)
        }
        context.fireChannelRead(data)
    }
}

/// Sent down a TCP connection's pipeline to make it finish writing what it
/// has and close (server shutdown).
struct DNSTCPDrainEvent: Sendable {}
