// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// Sends the answer to one UDP request later, from any thread: a handler
/// that cannot answer at once (a recursive resolver missing its cache)
/// returns nil from ``DNSRequestHandler/handle(_:context:)`` and keeps this
/// to reply when the answer is ready (RFC 1035 §4.2.1: one datagram back to
/// the client's address and port, from the listener's socket).
///
/// Available through ``DNSRequestContext/udpResponder`` on UDP requests to a
/// handler whose ``DNSRequestHandler/answersLater`` is true, with either UDP
/// engine; nil over TCP (use ``DNSDeferredResponse`` there).
public struct DNSUDPResponder: Sendable {
    private enum Target: Sendable {
        case channel(any Channel, SocketAddress)
        #if os(Linux)
            case socket(UDPBatchSocket, DNSPeerAddress)
        #endif
    }

    private let target: Target

    init(channel: any Channel, client: SocketAddress) {
        self.target = .channel(channel, client)
    }

    #if os(Linux)
        init(socket: UDPBatchSocket, peer: DNSPeerAddress) {
            self.target = .socket(socket, peer)
        }
    #endif

    /// Sends `reply` to the client; a reply over 65535 octets is dropped,
    /// and so is a reply after the listener has stopped.
    public func send(_ reply: ByteBuffer) {
        guard reply.readableBytes <= Int(UInt16.max) else { return }
        switch self.target {
        case .channel(let channel, let client):
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: client, data: reply), promise: nil)
        #if os(Linux)
            case .socket(let socket, let peer):
                socket.send(reply, to: peer)
        #endif
        }
    }
}
