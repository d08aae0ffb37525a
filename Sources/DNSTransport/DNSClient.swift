// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore
import NIOPosix

/// The transport a reply came over.
public enum DNSTransportProtocol: Sendable, Hashable, CustomStringConvertible {
    case udp, tcp
    public var description: String {
        switch self {
        case .udp: "UDP"
        case .tcp: "TCP"
        }
    }
}

/// How one query is sent.
public struct DNSQueryOptions: Sendable, Hashable {
    /// How long to wait for a reply to each try (dig `+timeout`, default 5 s).
    public var timeout: Duration = .seconds(5)
    /// How many times to send the query over UDP before giving up (dig
    /// `+tries`, default 3). Over TCP each try is a new connection.
    public var tries: Int = 3
    /// Use TCP only (dig `+tcp`).
    public var tcpOnly: Bool = false
    /// Ask again over TCP when the UDP reply has TC set (RFC 7766 §5,
    /// RFC 1035 §4.2.1). When false the truncated reply is returned.
    public var retryTruncatedOverTCP: Bool = true

    public init(
        timeout: Duration = .seconds(5), tries: Int = 3, tcpOnly: Bool = false, retryTruncatedOverTCP: Bool = true
    ) {
        self.timeout = timeout
        self.tries = tries
        self.tcpOnly = tcpOnly
        self.retryTruncatedOverTCP = retryTruncatedOverTCP
    }
}

/// A reply and how it came.
public struct DNSResponse: Sendable {
    public var message: DNSMessage
    /// The server that answered.
    public var server: SocketAddress
    /// From sending the (last) query to receiving this reply.
    public var roundTripTime: Duration
    public var transport: DNSTransportProtocol
    /// Octets of the reply as received (dig's `MSG SIZE rcvd`).
    public var size: Int
    /// The first reply came over UDP with TC and this one was asked again over TCP.
    public var retriedAfterTruncation: Bool
}

/// A stub DNS client: one query to one server (RFC 1035 §4.2, RFC 7766).
///
/// Over UDP the socket is connected to the server, so only its datagrams
/// arrive, and an ICMP port unreachable ends the query at once with
/// ``DNSTransportError/connectionRefused`` instead of a timeout. Each query
/// gets a random ID; datagrams whose ID, QR bit or question do not match are
/// ignored (RFC 5452 §9.1), as are ones that do not decode, so a spoofed or
/// broken datagram cannot end the wait.
public struct DNSClient: Sendable {
    /// The largest UDP payload a reply can have (the UDP length field).
    static let maxUDPReply = 65535

    let group: any EventLoopGroup
    private let makeID: @Sendable () -> UInt16

    /// - Parameters:
    ///   - eventLoopGroup: where sockets run; the shared singleton by default.
    ///   - makeID: the source of query IDs; random by default (RFC 5452 §4.3).
    public init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        makeID: @escaping @Sendable () -> UInt16 = { UInt16.random(in: .min ... .max) }
    ) {
        self.group = eventLoopGroup
        self.makeID = makeID
    }

    /// Sends `query` (its ID replaced by a fresh one) to `server` and returns
    /// the first matching reply.
    public func query(
        _ query: DNSMessage, server: SocketAddress, options: DNSQueryOptions = DNSQueryOptions()
    ) async throws(DNSTransportError) -> DNSResponse {
        var query = query
        query.header.id = self.makeID()
        let matcher = ReplyMatcher(id: query.header.id, question: query.questions.first)
        let wire = query.serialize()
        if !options.tcpOnly {
            let udp = try await self.exchangeUDP(wire, matcher: matcher, server: server, options: options)
            if !(udp.message.header.truncated && options.retryTruncatedOverTCP) { return udp }
            var tcp = try await self.exchangeTCP(wire, matcher: matcher, server: server, options: options)
            tcp.retriedAfterTruncation = true
            return tcp
        }
        return try await self.exchangeTCP(wire, matcher: matcher, server: server, options: options)
    }

    private func exchangeUDP(
        _ wire: ByteBuffer, matcher: ReplyMatcher, server: SocketAddress, options: DNSQueryOptions
    ) async throws(DNSTransportError) -> DNSResponse {
        let loop = self.group.next()
        let promise = loop.makePromise(of: Reply.self)
        let timeout = TimeAmount(options.timeout)
        let tries = max(1, options.tries)
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: loop)
                // NIO reads datagrams into 2048-octet buffers by default; an EDNS
                // reply may be up to 65535 octets (RFC 6891 §6.2.3).
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.maxUDPReply))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            UDPExchangeHandler(
                                query: wire, server: server, matcher: matcher, timeout: timeout, tries: tries,
                                promise: promise))
                    }
                }
                .connect(to: server).get()
        } catch {
            promise.fail(error)
            throw DNSTransportError(mapping: error)
        }
        defer { channel.close(promise: nil) }
        do {
            let reply = try await promise.futureResult.get()
            return DNSResponse(
                message: reply.message, server: server, roundTripTime: reply.roundTrip, transport: .udp,
                size: reply.size, retriedAfterTruncation: false)
        } catch {
            throw DNSTransportError(mapping: error)
        }
    }

    private func exchangeTCP(
        _ wire: ByteBuffer, matcher: ReplyMatcher, server: SocketAddress, options: DNSQueryOptions
    ) async throws(DNSTransportError) -> DNSResponse {
        var lastError = DNSTransportError.timedOut
        for _ in 0..<max(1, options.tries) {
            do {
                return try await self.exchangeTCPOnce(wire, matcher: matcher, server: server, options: options)
            } catch  where error.code == .timedOut {
                lastError = error
            }
        }
        throw lastError
    }

    private func exchangeTCPOnce(
        _ wire: ByteBuffer, matcher: ReplyMatcher, server: SocketAddress, options: DNSQueryOptions
    ) async throws(DNSTransportError) -> DNSResponse {
        let loop = self.group.next()
        let promise = loop.makePromise(of: Reply.self)
        let timeout = TimeAmount(options.timeout)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(ByteToMessageHandler(DNSTCPFrameDecoder()))
                        try sync.addHandler(MessageToByteHandler(DNSTCPFrameEncoder()))
                        try sync.addHandler(
                            TCPExchangeHandler(query: wire, matcher: matcher, timeout: timeout, promise: promise))
                    }
                }
                .connect(to: server).get()
        } catch {
            promise.fail(error)
            throw DNSTransportError(mapping: error)
        }
        defer { channel.close(promise: nil) }
        do {
            let reply = try await promise.futureResult.get()
            return DNSResponse(
                message: reply.message, server: server, roundTripTime: reply.roundTrip, transport: .tcp,
                size: reply.size, retriedAfterTruncation: false)
        } catch {
            throw DNSTransportError(mapping: error)
        }
    }
}

/// A decoded reply with its size and timing.
struct Reply: Sendable {
    var message: DNSMessage
    var size: Int
    var roundTrip: Duration
}

/// Decides whether a received message answers our query (RFC 5452 §9.1):
/// same ID, QR set, same question. A reply with no question is accepted
/// only with an error RCODE (servers answering FORMERR or NOTIMP may drop it).
struct ReplyMatcher: Sendable {
    var id: UInt16
    var question: Question?

    /// Cheap check on the header alone, before decoding.
    func headerMatches(_ buffer: ByteBuffer) -> Bool {
        guard let header = DNSMessage.header(of: buffer) else { return false }
        return header.id == self.id && header.isResponse
    }

    func matches(_ message: DNSMessage) -> Bool {
        guard message.header.id == self.id, message.header.isResponse else { return false }
        guard let question = self.question else { return true }
        if message.questions.isEmpty { return message.rcode != .noError }
        return message.questions.count == 1 && message.questions[0] == question
    }
}
