// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// A request whose TSIG is not acceptable, and how to answer it (RFC 8945 §5.2, §5.3.2).
public struct TSIGFailure: Error, Sendable, Hashable {
    /// The response code: FORMERR for a misplaced or malformed TSIG, NOTAUTH otherwise.
    public var rcode: RCode
    /// The TSIG error: BADKEY, BADSIG, BADTIME or BADTRUNC (NOERROR with FORMERR).
    public var error: RCode
    /// The key the request named (nil with FORMERR).
    public var keyName: DomainName?
    public var algorithm: DomainName?
    public var originalID: UInt16
    /// For people: why (logged, never sent).
    public var reason: String
    /// Set when the request's MAC was valid (BADTIME, BADTRUNC): the error
    /// answer is then signed (RFC 8945 §5.3.2).
    public var context: TSIGContext?

    public init(
        rcode: RCode, error: RCode, keyName: DomainName?, algorithm: DomainName?, originalID: UInt16, reason: String,
        context: TSIGContext? = nil
    ) {
        self.rcode = rcode
        self.error = error
        self.keyName = keyName
        self.algorithm = algorithm
        self.originalID = originalID
        self.reason = reason
        self.context = context
    }

    init(formatError reason: String) {
        self.init(rcode: .formErr, error: .noError, keyName: nil, algorithm: nil, originalID: 0, reason: reason)
    }

    /// `BADSIG`, `BADKEY`, `BADTIME`, `BADTRUNC` or `FORMERR`.
    public var errorName: String {
        self.rcode == .formErr ? "FORMERR" : RDATA.TSIG.errorText(self.error)
    }

    /// The error answer (RFC 8945 §5.3.2): the request's ID, opcode, RD and
    /// question, QR set, and
    /// - FORMERR: no TSIG;
    /// - BADKEY, BADSIG: RCODE NOTAUTH and an unsigned TSIG (MAC size 0)
    ///   carrying the error;
    /// - BADTIME, BADTRUNC: RCODE NOTAUTH, signed with the request's key;
    ///   BADTIME carries our time in the other data.
    /// Nil when the request is itself a response (never answered).
    public func response(to request: ByteBuffer, now: UInt64) -> ByteBuffer? {
        if self.rcode == .formErr {
            return DNSMessage.formatErrorResponse(to: request)?.serialize()
        }
        guard let query = DNSMessage.header(of: request), !query.isResponse else { return nil }
        var header = Header(id: query.id)
        header.isResponse = true
        header.opcode = query.opcode
        header.recursionDesired = query.recursionDesired
        header.rcodeLow = UInt8(truncatingIfNeeded: self.rcode.rawValue)
        var message = DNSMessage(header: header)
        var reader = WireReader(message: request)
        reader.offset = 12
        if request.getInteger(at: request.readerIndex + 4, as: UInt16.self) == 1,
            let question = try? Question(wire: &reader)
        {
            message.questions = [question]
        }
        var buffer = message.serialize()
        if let context = self.context {
            TSIG.signResponse(&buffer, context: context, now: now)
        } else {
            let rdata = RDATA.TSIG(
                algorithm: self.algorithm ?? TSIGAlgorithm.hmacSHA256.name, timeSigned: now, fudge: TSIG.defaultFudge,
                mac: [], originalID: self.originalID, error: self.error, otherData: [])
            TSIG.append(keyName: self.keyName ?? .root, rdata: rdata, to: &buffer)
        }
        return buffer
    }
}
