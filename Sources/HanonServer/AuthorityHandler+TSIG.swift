// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import NIOCore

extension AuthorityHandler {
    /// Answers a request that carries a TSIG record (RFC 8945 §5.2, §5.3).
    ///
    /// A valid signature: the request without its TSIG (ARCOUNT one less) is
    /// answered as any other, and the answer is signed with the same key. If
    /// the signed answer would not fit a UDP reply, the answer becomes the
    /// question alone with TC set and NOERROR, signed (RFC 8945 §5.3), and
    /// the client asks again over TCP. A bad one: the RFC's error answer
    /// (FORMERR; BADKEY and BADSIG unsigned; BADTIME and BADTRUNC signed) and
    /// one log line with the client, key and error.
    ///
    /// Later handlers that need the key (UPDATE policy, transfer ACLs) take
    /// it from the verdict's ``TSIGContext/keyName`` here.
    func handleSigned(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        let now = TSIG.currentTime()
        switch TSIG.verifyRequest(request, keyring: self.tsig.keyring, now: now, replay: self.tsig.replay) {
        case .unsigned:
            // mightBeSigned saw a TSIG type, so scan cannot miss it; answer
            // FORMERR rather than loop.
            return DNSMessage.formatErrorResponse(to: request)?.serialize()
        case .failed(let failure):
            if let logger = self.tsig.logger {
                let key = failure.keyName.map { "key \($0)" } ?? "no key"
                logger.warning(
                    "TSIG \(failure.errorName) from \(DNSListener.format(context.client)) \(context.transport) \(key): \(failure.reason)"
                )
            }
            return failure.response(to: request, now: now)
        case .valid(let tsig, let location):
            guard let unsigned = Self.removingTSIG(request, at: location) else { return nil }
            let response: ByteBuffer?
            if let updater = self.updater, Self.opcode(of: unsigned) == .update {
                // RFC 2136 with RFC 8945: the verified key is what the update policy checks.
                response = updater.handle(
                    unsigned, client: Self.clientIP(context.clientIP), keyName: tsig.keyName, handler: self)
            } else {
                response = self.handle(unsigned, context: context)
            }
            guard var response else { return nil }
            if context.transport == .udp {
                var edns: EDNS? = nil
                switch ParsedRequest.parse(unsigned) {
                case .query(let query): edns = query.edns
                case .error(_, _, _, let requestEDNS): edns = requestEDNS
                case .drop: break
                }
                let limit = self.processor.sizeLimit(for: edns, transport: .udp)
                if response.readableBytes + TSIG.signatureLength(for: tsig) > limit {
                    response = Self.questionOnly(response)
                }
            }
            TSIG.signResponse(&response, context: tsig, now: now)
            return response
        }
    }

    /// The request as it was before it was signed: the octets before the
    /// TSIG record, ARCOUNT one less (RFC 8945 §4.3.1).
    static func removingTSIG(_ request: ByteBuffer, at location: TSIGRecordLocation) -> ByteBuffer? {
        guard var unsigned = request.getSlice(at: request.readerIndex, length: location.start),
            let ar = unsigned.getInteger(at: unsigned.readerIndex + 10, as: UInt16.self), ar > 0
        else { return nil }
        unsigned.setInteger(ar - 1, at: unsigned.readerIndex + 10)
        return unsigned
    }

    /// The response cut to its header and question, TC set, RCODE NOERROR
    /// (RFC 8945 §5.3: room for the TSIG).
    static func questionOnly(_ response: ByteBuffer) -> ByteBuffer {
        var reader = WireReader(message: response)
        reader.offset = 12
        let qd = response.getInteger(at: response.readerIndex + 4, as: UInt16.self) ?? 0
        var questionEnd = 12
        if qd == 1, (try? Question(wire: &reader)) != nil { questionEnd = reader.offset }
        var cut = ByteBuffer()
        cut.writeImmutableBuffer(response.getSlice(at: response.readerIndex, length: questionEnd) ?? ByteBuffer())
        guard cut.readableBytes >= 12, let flags = cut.getInteger(at: 2, as: UInt16.self) else { return cut }
        cut.setInteger((flags | 0x0200) & ~0x000F, at: 2)
        cut.setInteger(UInt16(questionEnd > 12 ? 1 : 0), at: 4)
        for at in [6, 8, 10] { cut.setInteger(UInt16(0), at: at) }
        return cut
    }
}
