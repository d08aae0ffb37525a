// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import NIOCore

/// Who receives a NOTIFY for a zone: returns nil when hanon is not a
/// secondary of that zone, false when the sender is not one of its
/// primaries, true when the zone will be checked now.
typealias NotifyReceiver = @Sendable (_ zone: DomainName, _ from: SocketAddress) -> Bool?

extension AuthorityHandler {
    /// The opcode of a request, from its header alone.
    static func opcode(of request: ByteBuffer) -> Opcode? {
        guard let flags = request.getInteger(at: request.readerIndex + 2, as: UInt8.self) else { return nil }
        return Opcode((flags >> 3) & 0x0F)
    }

    /// A NOTIFY (RFC 1996 §3.7) for a secondary zone: the refresh starts at
    /// once and the answer is the question echoed with NOERROR and AA
    /// (§4.7); one from a host that is not a primary of the zone is REFUSED
    /// (§3.10: a secondary only listens to its primaries). nil for anything
    /// else (another zone, a malformed request): the transfer code answers.
    func answerNotify(_ request: ByteBuffer, context: DNSRequestContext, receiver: NotifyReceiver) -> ByteBuffer? {
        guard let message = try? DNSMessage(wire: request), !message.header.isResponse else { return nil }
        var header = Header(id: message.header.id)
        header.isResponse = true
        header.opcode = .notify
        var reply = DNSMessage(header: header, questions: message.questions)
        guard message.questions.count == 1, let question = message.questions.first, question.type == .soa else {
            return nil
        }
        switch receiver(question.name, context.client) {
        case nil:
            return nil
        case false?:
            reply.rcode = .refused
        case true?:
            reply.header.authoritative = true
        }
        return reply.serialize(maxSize: 512)
    }
}
