// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// NOTIFY (RFC 1996): the message a primary sends its secondaries when a
/// zone changed, and the answer hanon gives to one it receives.
public enum Notify {
    /// The NOTIFY for `zone` (RFC 1996 §3.7): opcode NOTIFY, AA set, the
    /// question `zone IN SOA`, and the new SOA in the answer section as a
    /// hint (§3.7: the secondary may skip the SOA query when it already has it).
    public static func message(origin: DomainName, soa: ResourceRecord, id: UInt16 = 0) -> DNSMessage {
        var header = Header(id: id)
        header.opcode = .notify
        header.authoritative = true
        return DNSMessage(header: header, questions: [Question(name: origin, type: .soa)], answers: [soa])
    }

    /// True when `reply` acknowledges `notify` (RFC 1996 §4.7): a response
    /// with the same ID, opcode NOTIFY and question. Its RCODE is for the
    /// caller (NOERROR: accepted).
    public static func isReply(_ reply: DNSMessage, to notify: DNSMessage) -> Bool {
        reply.header.isResponse && reply.header.id == notify.header.id && reply.header.opcode == .notify
            && reply.questions == notify.questions
    }

    /// The answer to a NOTIFY received, or nil when `request` is not one.
    ///
    /// hanon is only a primary for now, so a NOTIFY changes nothing. For a
    /// zone it serves it answers NOERROR with AA and the question echoed, as
    /// NSD answers a NOTIFY for a zone it is primary for (a peer that sends
    /// one is misconfigured but not hostile, and an error would make it retry
    /// for nothing); for any other zone NOTAUTH (RFC 1996 does not say; BIND
    /// and NSD answer NOTAUTH or REFUSED). A malformed NOTIFY is FORMERR.
    public static func answer(_ request: ByteBuffer, zones: ZoneTable) -> (reply: ByteBuffer, summary: String)? {
        guard let header = DNSMessage.header(of: request), header.opcode == .notify, !header.isResponse else {
            return nil
        }
        var response = Header(id: header.id)
        response.isResponse = true
        response.opcode = .notify
        guard let message = try? DNSMessage(wire: request), message.questions.count == 1,
            let question = message.questions.first
        else {
            var reply = DNSMessage(header: response)
            reply.rcode = .formErr
            return (reply.serialize(), "NOTIFY malformed: FORMERR")
        }
        var reply = DNSMessage(header: response, questions: [question])
        if question.dnsClass == .in, let zone = zones.zone(for: question.name), zone.origin == question.name {
            reply.header.authoritative = true
            return (reply.serialize(), "NOTIFY for \(question.name), a zone hanon is primary for: ignored")
        }
        reply.rcode = .notAuth
        return (reply.serialize(), "NOTIFY for \(question.name): not authoritative, NOTAUTH")
    }
}
