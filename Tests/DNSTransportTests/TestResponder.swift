// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A tiny DNS responder on 127.0.0.1 (UDP and TCP on the same port 0-chosen
/// port) whose behaviour is a closure: given the query and how many queries
/// came over that transport so far (1-based), return the datagrams or TCP
/// payloads to send back, raw.
final class TestResponder: Sendable {
    typealias Behaviour = @Sendable (_ query: DNSMessage, _ count: Int) -> [ByteBuffer]

    let port: Int
    let address: SocketAddress
    private let udp: any Channel
    private let tcp: any Channel
    private let counts: NIOLockedValueBox<(udp: Int, tcp: Int)>

    var udpQueries: Int { self.counts.withLockedValue { $0.udp } }
    var tcpQueries: Int { self.counts.withLockedValue { $0.tcp } }

    /// When `byteByByte` is set, TCP replies are written one octet per flush.
    static func start(
        udp: @escaping Behaviour, tcp: @escaping Behaviour = { _, _ in [] }, byteByByte: Bool = false,
        host: String = "127.0.0.1"
    ) async throws -> TestResponder {
        let counts = NIOLockedValueBox((udp: 0, tcp: 0))
        for _ in 0..<20 {
            let udpChannel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            UDPResponderHandler(behaviour: udp, counts: counts))
                    }
                }
                .bind(host: host, port: 0).get()
            guard let port = udpChannel.localAddress?.port else { throw ResponderError.noPort }
            do {
                let tcpChannel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let sync = channel.pipeline.syncOperations
                            try sync.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                            try sync.addHandler(
                                TCPResponderHandler(behaviour: tcp, counts: counts, byteByByte: byteByByte))
                        }
                    }
                    .bind(host: host, port: port).get()
                return TestResponder(
                    port: port, address: try SocketAddress(ipAddress: host, port: port), udp: udpChannel,
                    tcp: tcpChannel, counts: counts)
            } catch {
                try? await udpChannel.close()
            }
        }
        throw ResponderError.noPort
    }

    private init(
        port: Int, address: SocketAddress, udp: any Channel, tcp: any Channel,
        counts: NIOLockedValueBox<(udp: Int, tcp: Int)>
    ) {
        self.port = port
        self.address = address
        self.udp = udp
        self.tcp = tcp
        self.counts = counts
    }

    func stop() async {
        try? await self.udp.close()
        try? await self.tcp.close()
    }

    enum ResponderError: Error { case noPort }
}

private final class UDPResponderHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    let behaviour: TestResponder.Behaviour
    let counts: NIOLockedValueBox<(udp: Int, tcp: Int)>

    init(behaviour: @escaping TestResponder.Behaviour, counts: NIOLockedValueBox<(udp: Int, tcp: Int)>) {
        self.behaviour = behaviour
        self.counts = counts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        guard let query = try? DNSMessage(wire: envelope.data) else { return }
        let count = self.counts.withLockedValue {
            $0.udp += 1; return $0.udp
        }
        for reply in self.behaviour(query, count) {
            context.write(
                Self.wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)),
                promise: nil)
        }
        context.flush()
    }
}

private final class TCPResponderHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let behaviour: TestResponder.Behaviour
    let counts: NIOLockedValueBox<(udp: Int, tcp: Int)>
    let byteByByte: Bool

    init(
        behaviour: @escaping TestResponder.Behaviour, counts: NIOLockedValueBox<(udp: Int, tcp: Int)>, byteByByte: Bool
    ) {
        self.behaviour = behaviour
        self.counts = counts
        self.byteByByte = byteByByte
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let query = try? DNSMessage(wire: Self.unwrapInboundIn(data)) else { return }
        let count = self.counts.withLockedValue {
            $0.tcp += 1; return $0.tcp
        }
        for reply in self.behaviour(query, count) {
            var framed = ByteBuffer()
            framed.writeInteger(UInt16(reply.readableBytes))
            framed.writeImmutableBuffer(reply)
            if self.byteByByte {
                while let byte = framed.readSlice(length: 1) {
                    context.writeAndFlush(Self.wrapOutboundOut(byte), promise: nil)
                }
            } else {
                context.writeAndFlush(Self.wrapOutboundOut(framed), promise: nil)
            }
        }
    }
}

/// Builds replies for tests.
enum Replies {
    /// A reply to `query` with `answers` in presentation format.
    static func answer(_ query: DNSMessage, _ answers: [String], truncated: Bool = false, id: UInt16? = nil)
        -> ByteBuffer
    {
        var reply = query
        reply.header.id = id ?? query.header.id
        reply.header.isResponse = true
        reply.header.truncated = truncated
        reply.answers = answers.compactMap { try? ResourceRecord(text: $0) }
        return reply.serialize()
    }

    /// A header with our ID and QR that claims a question it does not carry.
    static func undecodable(_ query: DNSMessage) -> ByteBuffer {
        let id = query.header.id
        return ByteBuffer(bytes: [UInt8(id >> 8), UInt8(id & 0xFF), 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    }

    static func bytes(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }
}
