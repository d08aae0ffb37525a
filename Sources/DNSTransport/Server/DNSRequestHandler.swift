// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// Answers one DNS request for a ``DNSServer``.
///
/// Called synchronously on the event loop thread that read the request, for
/// every UDP datagram and every TCP message (RFC 1035 §4.2), so it must not
/// block: no I/O, no locks held for long, no actor hop. Many threads call it at
/// once (one per event loop), hence `Sendable`; keep shared state in immutable
/// snapshots (a zone set swapped atomically) or in per-thread structures.
///
/// The listener has already dropped UDP datagrams shorter than a DNS header
/// (12 octets, RFC 1035 §4.1.1) and closed TCP connections that sent such a
/// message; everything else, malformed or not, reaches the handler.
public protocol DNSRequestHandler: Sendable {
    /// Returns the response to send, or nil to send nothing (drop).
    ///
    /// - Parameters:
    ///   - request: the message as received, without the TCP length prefix.
    ///   - context: who asked, over what, and on which local address.
    /// - Returns: the response; over TCP it is framed by the listener. A
    ///   response longer than 65535 octets cannot be sent (RFC 1035 §4.2.2):
    ///   the listener drops it (and over TCP closes the connection), so the
    ///   handler must truncate (UDP, TC bit) or limit it first.
    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer?

    /// Over TCP only, called before ``handle(_:context:)``: a stream of
    /// responses for a request answered with several messages (a zone
    /// transfer, RFC 5936 §2.2) or answered later (``DNSDeferredResponse``);
    /// nil to answer with ``handle(_:context:)`` as usual.
    ///
    /// Called for every TCP request, so decide cheaply (from the opcode and
    /// the question type). The default returns nil.
    func stream(_ request: ByteBuffer, context: DNSRequestContext) -> (any DNSResponseStream)?

    /// True when the handler may answer UDP requests later through
    /// ``DNSRequestContext/udpResponder`` (a resolver); false (the default)
    /// spares the listener from making a responder per datagram.
    var answersLater: Bool { get }

    /// Called by the `recvmmsg` loop with each batch of two or more
    /// datagrams, before ``handle(_:context:)`` is called for each of them:
    /// a chance to start fetching into the cache what answering them will
    /// read, so that the batch's cache misses overlap. The default does nothing.
    func prefetch(_ batch: DNSDatagramBatch)
}

extension DNSRequestHandler {
    /// No request is streamed.
    public func stream(_ request: ByteBuffer, context: DNSRequestContext) -> (any DNSResponseStream)? { nil }

    /// Every answer is returned by ``handle(_:context:)``.
    public var answersLater: Bool { false }

    /// Nothing is prefetched.
    public func prefetch(_ batch: DNSDatagramBatch) {}
}

/// The datagrams of one `recvmmsg`, as received (``DNSRequestHandler/prefetch(_:)``);
/// valid only during that call.
public struct DNSDatagramBatch {
    let base: UnsafeRawPointer
    let slot: Int
    let lengths: UnsafeBufferPointer<Int>

    /// How many datagrams.
    public var count: Int { self.lengths.count }

    /// The octets of datagram `index` (cut to the receive slot).
    public subscript(index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: self.base + index * self.slot, count: self.lengths[index])
    }
}

/// Where a request came from and how (passed to ``DNSRequestHandler``).
///
/// Built per request without allocation: the UDP loop keeps the client's
/// address as the kernel gave it, and ``client`` (a `SocketAddress`, which
/// NIO boxes) is made only when asked for; ``clientIP``, what cookies and
/// rate limiting need, is computed directly.
public struct DNSRequestContext: Sendable {
    private enum Peer: Sendable {
        case address(SocketAddress)
        case raw(DNSPeerAddress)
    }

    private var peer: Peer
    /// The address the listener is bound to (after port 0 was resolved).
    ///
    /// For a wildcard listener (`0.0.0.0`, `::`) this is the wildcard, not
    /// the destination address of the datagram.
    public var local: SocketAddress
    /// UDP or TCP.
    public var transport: DNSTransportProtocol
    /// How to answer this UDP request later (see ``DNSUDPResponder``) when
    /// the handler ``DNSRequestHandler/answersLater``, nil otherwise.
    public internal(set) var udpResponder: DNSUDPResponder? = nil
    /// A buffer the handler may write its reply into instead of allocating
    /// one (``DNSReplyBuffer/take()``); nil when the listener keeps none.
    public internal(set) var replyBuffer: DNSReplyBuffer? = nil

    public init(client: SocketAddress, local: SocketAddress, transport: DNSTransportProtocol) {
        self.peer = .address(client)
        self.local = local
        self.transport = transport
    }

    init(peer: DNSPeerAddress, local: SocketAddress, transport: DNSTransportProtocol) {
        self.peer = .raw(peer)
        self.local = local
        self.transport = transport
    }

    /// The client's address and port.
    public var client: SocketAddress {
        get {
            switch self.peer {
            case .address(let address): address
            case .raw(let raw): raw.socketAddress
            }
        }
        set { self.peer = .address(newValue) }
    }

    /// The client's IP address as 128 bits, for response rate limiting
    /// (keyed on a client prefix, as BIND and Knot do) and server cookies
    /// (RFC 7873 §4.2, RFC 9018 §4.4 hash the client IP).
    public var clientIP: DNSClientIP {
        switch self.peer {
        case .address(let address): DNSClientIP(address)
        case .raw(let raw): raw.ip
        }
    }
}

/// The UDP loop's last reply buffer, handed to the handler for the next
/// reply: one buffer per loop thread instead of one (two allocations) per
/// datagram. The loop puts the reply back once it has copied it out.
///
/// Used by one thread at a time: the loop thread, and the handler it calls
/// (hence unchecked `Sendable`; a handler must not keep it past `handle`).
public final class DNSReplyBuffer: @unchecked Sendable {
    private var buffer: ByteBuffer? = nil

    init() {}

    /// The buffer, emptied, or nil: the caller then allocates one. Taking
    /// it leaves none behind, so the caller's copy is unique (no copy on write).
    public func take() -> ByteBuffer? {
        guard var buffer = self.buffer else { return nil }
        self.buffer = nil
        buffer.clear()
        return buffer
    }

    /// Keeps `buffer` for the next reply (a reply the loop has sent or
    /// copied out). A buffer larger than a UDP reply needs is not kept.
    func keep(_ buffer: ByteBuffer) {
        if buffer.capacity <= 8192 { self.buffer = buffer }
    }
}
