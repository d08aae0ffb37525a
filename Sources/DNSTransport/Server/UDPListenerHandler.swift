// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// The UDP hot path: one datagram in, at most one datagram out (RFC 1035 §4.2.1).
///
/// Replies are written as they are produced and flushed once per read burst
/// (`channelReadComplete`), so NIO sends them with one `sendmmsg`. Nothing is
/// allocated here per datagram besides what the handler does.
final class UDPListenerHandler<Handler: DNSRequestHandler>: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// A DNS header is 12 octets (RFC 1035 §4.1.1); anything shorter cannot
    /// even be answered with FORMERR, so it is dropped here.
    static var minimumRequestSize: Int { 12 }
    /// The UDP length field is 16 bits.
    static var maximumResponseSize: Int { Int(UInt16.max) }

    private let handler: Handler
    private var local: SocketAddress
    private var needsFlush = false

    init(handler: Handler, local: SocketAddress) {
        self.handler = handler
        self.local = local
    }

    func channelActive(context: ChannelHandlerContext) {
        if let bound = context.channel.localAddress { self.local = bound }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard envelope.data.readableBytes >= Self.minimumRequestSize else { return }
        var request = DNSRequestContext(client: envelope.remoteAddress, local: self.local, transport: .udp)
        if self.handler.answersLater {
            request.udpResponder = DNSUDPResponder(channel: context.channel, client: envelope.remoteAddress)
        }
        guard let reply = self.handler.handle(envelope.data, context: request),
            reply.readableBytes <= Self.maximumResponseSize
        else { return }
        context.write(
            Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)), promise: nil)
        self.needsFlush = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if self.needsFlush {
            self.needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    /// Socket errors on a UDP listener concern one datagram (an ICMP error
    /// for an earlier reply, a reply too large): NIO keeps the socket open for
    /// the recoverable ones, and nothing here should close it.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
