// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// Packs the records of a zone transfer into response messages, one message
/// per call, pulling records from a source only as fast as messages are
/// asked for (a transfer of a large zone never sits whole in memory).
///
/// RFC 5936 §2.2: each message carries as many records as fit (here up to
/// ``maxMessageSize``, 16 KiB by default as BIND and Knot use), the question
/// only in the first message (§2.2.1), names compressed per message, AA set,
/// RCODE NOERROR. A record never straddles two messages; a record larger
/// than the limit goes alone in a message of up to 65535 octets.
public struct TransferMessagePacker {
    /// The default message size: 16 KiB, as BIND's and Knot's AXFR output.
    public static let defaultMessageSize = 16384

    /// The largest DNS message over TCP (RFC 1035 §4.2.2).
    static let maxTCPMessage = 65535

    private let header: Header
    private let question: Question
    private let edns: EDNS?
    private let dnsClass: DNSClass
    private var source: () -> ResourceRecord?
    private var pending: ResourceRecord?
    private var finished = false

    /// Octets a message may take (header, question, records, OPT, and the
    /// room reserved by ``reservedOctets``).
    public var maxMessageSize: Int
    /// Octets kept free at the end of each message, e.g. for a TSIG record
    /// added after packing (RFC 8945 §5.3.1).
    public var reservedOctets = 0
    /// Applied to each finished message with its index (0 first), e.g. to
    /// add a TSIG record (RFC 8945 §5.3.1: every message of a transfer is
    /// signed, each MAC covering the previous one); keep room for what it
    /// adds with ``reservedOctets``.
    public var finishMessage: ((ByteBuffer, Int) -> ByteBuffer)?
    /// Messages produced so far.
    public private(set) var messageCount = 0
    /// Records packed so far.
    public private(set) var recordCount = 0

    /// A packer answering `request` with the records `source` returns (nil
    /// after the last).
    ///
    /// - Parameters:
    ///   - header: the request header (ID, opcode, RD are echoed).
    ///   - question: the request's question, echoed in the first message.
    ///   - edns: our OPT record for every message, when the request had one (RFC 6891 §7).
    public init(
        header: Header, question: Question, edns: EDNS? = nil, maxMessageSize: Int = Self.defaultMessageSize,
        source: @escaping () -> ResourceRecord?
    ) {
        var response = Header(id: header.id)
        response.isResponse = true
        response.opcode = header.opcode
        response.authoritative = true
        response.recursionDesired = header.recursionDesired
        self.header = response
        self.question = question
        self.edns = edns
        self.dnsClass = question.dnsClass
        self.maxMessageSize = max(512, min(maxMessageSize, Self.maxTCPMessage))
        self.source = source
    }

    /// The next message, nil when every record has been sent.
    public mutating func nextMessage() -> ByteBuffer? {
        guard !self.finished || self.pending != nil else { return nil }
        var writer = WireWriter(capacity: self.maxMessageSize, mode: .message)
        writer.writeUInt16(self.header.id)
        writer.writeUInt16(self.header.flags)
        writer.writeUInt16(self.messageCount == 0 ? 1 : 0)
        writer.writeUInt16(0)  // ANCOUNT, patched below
        writer.writeUInt16(0)
        writer.writeUInt16(self.edns == nil ? 0 : 1)
        if self.messageCount == 0 { self.question.write(to: &writer) }
        let tail = (self.edns?.wireLength ?? 0) + self.reservedOctets
        let limit = self.maxMessageSize - tail
        var count = 0
        while true {
            guard let record = self.pending ?? self.source() else {
                self.finished = true
                break
            }
            self.pending = nil
            let mark = writer.count
            record.write(to: &writer)
            if writer.count > limit {
                if count > 0 {
                    // It goes first in the next message.
                    writer.rollback(to: mark)
                    self.pending = record
                    break
                }
                if writer.count + tail > Self.maxTCPMessage {
                    // Cannot be sent at all (an owner plus RDATA near 65535 octets).
                    writer.rollback(to: mark)
                    continue
                }
                count += 1
                break
            }
            count += 1
        }
        if count == 0 && self.messageCount > 0 { return nil }
        if let edns = self.edns { Self.writeOPT(edns, to: &writer) }
        writer.buffer.setInteger(UInt16(count), at: writer.messageStart + 6)
        self.messageCount += 1
        self.recordCount += count
        guard let finish = self.finishMessage else { return writer.buffer }
        return finish(writer.buffer, self.messageCount - 1)
    }

    /// The OPT pseudo-record (RFC 6891 §6.1.2), RCODE NOERROR.
    static func writeOPT(_ edns: EDNS, to writer: inout WireWriter) {
        writer.writeUInt8(0)
        writer.writeUInt16(RecordType.opt.rawValue)
        writer.writeUInt16(edns.udpPayloadSize)
        writer.writeUInt8(0)
        writer.writeUInt8(edns.version)
        writer.writeUInt16(edns.flags)
        let lengthAt = writer.reserveUInt16()
        let start = writer.buffer.writerIndex
        for option in edns.options {
            writer.writeUInt16(option.code.rawValue)
            writer.writeUInt16(UInt16(truncatingIfNeeded: option.data.count))
            writer.writeBytes(option.data)
        }
        writer.patchUInt16(UInt16(truncatingIfNeeded: writer.buffer.writerIndex - start), at: lengthAt)
    }
}
