// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// Splits a DNS-over-TCP byte stream into messages (RFC 7766 §8, RFC 1035 §4.2.2).
///
/// Each message is preceded by a two-octet length in network byte order.
/// The decoder emits each message body (without the length) as one
/// `ByteBuffer`, whatever way the stream was cut into reads. A zero length is
/// passed on as an empty buffer, so that the handler after it decides what to
/// do with it (a server answers FORMERR or closes).
///
/// Used by the client (``DNSClient``) and, later, the TCP server.
public struct DNSTCPFrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = ByteBuffer

    /// The length field is 16 bits, so no frame is longer than this.
    public static let maxFrameLength = Int(UInt16.max)

    public init() {}

    /// Takes one frame off the front of `buffer`, or returns nil (and leaves
    /// `buffer` untouched) when the frame is not complete yet.
    public static func nextFrame(from buffer: inout ByteBuffer) -> ByteBuffer? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self),
            buffer.readableBytes >= 2 + Int(length)
        else { return nil }
        buffer.moveReaderIndex(forwardBy: 2)
        return buffer.readSlice(length: Int(length))
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = Self.nextFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A partial frame left at EOF is dropped: the peer closed mid-message.
        try self.decode(context: context, buffer: &buffer)
    }
}

/// Writes a DNS message with its two-octet length prefix (RFC 7766 §8).
public struct DNSTCPFrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = ByteBuffer

    public init() {}

    /// Appends `message` to `out` with its length in front. Messages longer
    /// than 65535 octets cannot be framed and are refused.
    public static func frame(_ message: ByteBuffer, into out: inout ByteBuffer) throws(DNSTransportError) {
        guard message.readableBytes <= DNSTCPFrameDecoder.maxFrameLength else {
            throw DNSTransportError(.messageTooLong, "\(message.readableBytes) octets")
        }
        out.writeInteger(UInt16(message.readableBytes))
        out.writeImmutableBuffer(message)
    }

    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        try Self.frame(data, into: &out)
    }
}
