// SPDX-License-Identifier: Apache-2.0

import DNSTransport
import NIOCore
import NIOPosix

/// One DNS message over TCP (RFC 1035 §4.2.2: two-octet length prefix) and its first reply, for
/// requests that must be sent as signed (a TSIG-signed UPDATE), which ``DNSClient`` would
/// re-serialize.
enum TCPExchange {
    static func exchange(
        _ wire: ByteBuffer, server: SocketAddress, timeout: Duration, group: any EventLoopGroup
    ) async throws -> ByteBuffer {
        let loop = group.next()
        let promise = loop.makePromise(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(timeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(FirstFrameHandler(promise: promise))
                }
            }
            .connect(to: server).get()
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(DDNSError("no answer from \(server) within \(timeout)"))
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        var framed = ByteBuffer()
        framed.writeInteger(UInt16(truncatingIfNeeded: wire.readableBytes))
        framed.writeImmutableBuffer(wire)
        try await channel.writeAndFlush(framed)
        return try await promise.futureResult.get()
    }

    final class FirstFrameHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<ByteBuffer>

        init(promise: EventLoopPromise<ByteBuffer>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            promise.succeed(unwrapInboundIn(data))
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(DDNSError("the server closed the connection before answering"))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}
