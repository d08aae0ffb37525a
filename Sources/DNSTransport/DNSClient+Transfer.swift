// SPDX-License-Identifier: Apache-2.0

import NIOCore
import NIOPosix

/// Limits of one zone transfer over TCP.
public struct DNSTransferOptions: Sendable, Hashable {
    /// How long connecting may take.
    public var connectTimeout: Duration = .seconds(10)
    /// How long the server may stay silent between two messages (RFC 5936
    /// §4.1.1 leaves it to the client; BIND waits 5 minutes, we default to
    /// one, which a server streaming a zone never comes near).
    public var idleTimeout: Duration = .seconds(60)

    public init(connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60)) {
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
    }
}

extension DNSClient {
    /// Sends `request` (already in wire form, its ID set and, when a key is
    /// used, TSIG-signed) over a new TCP connection and passes each framed
    /// reply to `receive` in order until `receive` returns true (the transfer
    /// is complete) — AXFR (RFC 5936 §2.2) and IXFR (RFC 1995 §4) answers
    /// span several messages.
    ///
    /// The wire form goes in and out so that the caller can sign the request
    /// and verify every reply (RFC 8945 §5.3.1).
    ///
    /// - Throws: ``DNSTransportError`` when connecting fails, the server
    ///   closes before `receive` said the transfer is complete
    ///   (`connectionClosed`), or stays silent for `idleTimeout` (`timedOut`);
    ///   whatever `receive` throws, unchanged.
    public func transfer(
        _ request: ByteBuffer, server: SocketAddress, options: DNSTransferOptions = DNSTransferOptions(),
        receive: (ByteBuffer) throws -> Bool
    ) async throws {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: self.group.next())
                .connectTimeout(TimeAmount(options.connectTimeout))
                .connect(to: server) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(IdleStateHandler(readTimeout: TimeAmount(options.idleTimeout)))
                        try sync.addHandler(ReadTimeoutHandler())
                        try sync.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                        try sync.addHandler(MessageToByteHandler(DNSTCPFrameEncoder()))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw DNSTransportError(mapping: error)
        }
        var complete = false
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await outbound.write(request)
                for try await message in inbound {
                    if try receive(message) {
                        complete = true
                        return
                    }
                }
            }
        } catch let error as DNSTransportError {
            throw error
        } catch let error where Self.isTransportError(error) {
            throw DNSTransportError(mapping: error)
        }
        if !complete { throw DNSTransportError.connectionClosed }
    }

    private static func isTransportError(_ error: any Error) -> Bool {
        error is IOError || error is ChannelError || error is NIOConnectionError
    }
}

/// Turns the read-idle event into a `timedOut` error for the reader.
final class ReadTimeoutHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(DNSTransportError.timedOut)
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
