// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// Sends the answer to one UDP request later, from any thread: a handler
/// that cannot answer at once (a recursive resolver missing its cache)
/// returns nil from ``DNSRequestHandler/handle(_:context:)`` and keeps this
/// to reply when the answer is ready (RFC 1035 §4.2.1: one datagram back to
/// the client's address and port, from the listener's socket).
///
/// Available through ``DNSRequestContext/udpResponder`` on UDP requests
/// read by NIO (``DNSServerConfiguration/UDPEngine/nio``); nil with the
/// `recvmmsg` loop and over TCP (use ``DNSDeferredResponse`` there).
public struct DNSUDPResponder: Sendable {
    let channel: any Channel
    let client: SocketAddress

    init(channel: any Channel, client: SocketAddress) {
        self.channel = channel
        self.client = client
    }

    /// Sends `reply` to the client; a reply over 65535 octets is dropped.
    public func send(_ reply: ByteBuffer) {
        guard reply.readableBytes <= Int(UInt16.max) else { return }
        self.channel.writeAndFlush(AddressedEnvelope(remoteAddress: self.client, data: reply), promise: nil)
    }
}
