// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

/// Checks the TSIGs of the replies to one signed request: a single response,
/// or the messages of a zone transfer (RFC 8945 §5.3.1).
///
/// The first message must be signed; its MAC covers the request MAC, the
/// message and all TSIG variables. Later messages may be unsigned, but at
/// most 99 in a row (every 100th must be signed); a signed one's MAC covers
/// the prior MAC, every message since it, this message without its TSIG, and
/// only the timers. The last message must be signed: check ``isComplete``
/// when the stream ends.
public struct TSIGStreamVerifier {
    /// Unsigned messages allowed in a row (RFC 8945 §5.3.1: "at least every 100th").
    public static let maxUnsignedRun = 99

    public let context: TSIGContext
    private var first = true
    private var unsignedRun = 0
    private var running: TSIGMAC

    public init(context: TSIGContext) {
        self.context = context
        self.running = TSIGMAC(algorithm: context.key.algorithm, secret: context.key.secret)
        TSIG.feedPriorMAC(&self.running, context.requestMAC)
    }

    /// True when at least one message was checked and the last one was signed.
    public var isComplete: Bool { !self.first && self.unsignedRun == 0 }

    /// Checks the next message. After a failure the stream must be abandoned.
    public mutating func verify(_ message: ByteBuffer, now: UInt64) -> TSIGResponseCheck {
        let key = self.context.key
        let location: TSIGRecordLocation
        switch TSIG.scan(message) {
        case .malformed(let reason):
            return .failed(error: .formErr, reason: reason)
        case .absent:
            guard !self.first else { return .failed(error: TSIG.badSig, reason: "the response is not signed") }
            self.unsignedRun += 1
            guard self.unsignedRun <= Self.maxUnsignedRun else {
                return .failed(
                    error: TSIG.badSig, reason: "more than \(Self.maxUnsignedRun) unsigned messages in a row")
            }
            self.running.update(message, offset: 0, length: message.readableBytes)
            return .unsignedAccepted
        case .present(let found):
            location = found
        }
        let rdata = location.rdata
        guard location.keyName == key.name, rdata.algorithm == key.algorithm.name else {
            return .failed(error: TSIG.badKey, reason: "signed with \(location.keyName) \(rdata.algorithm), not \(key)")
        }
        // An unsigned error answer (BADKEY, BADSIG: RFC 8945 §5.3.2).
        if rdata.mac.isEmpty, rdata.error != .noError {
            return .failed(error: rdata.error, reason: "the server answered \(RDATA.TSIG.errorText(rdata.error))")
        }
        let size = rdata.mac.count
        guard size <= key.algorithm.macSize, size >= key.algorithm.minimumMACSize else {
            return .failed(error: .formErr, reason: "MAC of \(size) octets for \(key.algorithm)")
        }
        TSIG.feedMessage(&self.running, message, upTo: location.start, originalID: rdata.originalID, removeTSIG: true)
        if self.first {
            TSIG.feedVariables(&self.running, keyName: location.keyName, rdata: rdata)
        } else {
            self.running.update(TSIG.timers(rdata))
        }
        guard TSIGMAC.matches(computed: self.running.finalize(), received: rdata.mac) else {
            return .failed(error: TSIG.badSig, reason: "MAC does not match")
        }
        let skew = now > rdata.timeSigned ? now - rdata.timeSigned : rdata.timeSigned - now
        guard skew <= UInt64(rdata.fudge) else {
            return .failed(error: TSIG.badTime, reason: "time signed \(rdata.timeSigned) is \(skew) s from ours")
        }
        guard size >= key.minimumMACSize else {
            return .failed(error: TSIG.badTrunc, reason: "MAC truncated to \(size) octets")
        }
        guard rdata.error == .noError else {
            return .failed(error: rdata.error, reason: "the server answered \(RDATA.TSIG.errorText(rdata.error))")
        }
        self.first = false
        self.unsignedRun = 0
        self.running = TSIGMAC(algorithm: key.algorithm, secret: key.secret)
        TSIG.feedPriorMAC(&self.running, rdata.mac)
        return .signed
    }
}

/// Signs the messages of a multi-message response (AXFR, IXFR) to a
/// verified request, every one of them (RFC 8945 §5.3.1 allows every 100th;
/// BIND and NSD sign each): the first as a response, the later ones over the
/// prior MAC, the message and the timers.
public struct TSIGStreamSigner {
    public let context: TSIGContext
    private var priorMAC: [UInt8]?
    /// Messages sent unsigned since the last signed one (``skip(_:)``).
    private var unsignedSince: [ByteBuffer] = []

    public init(context: TSIGContext) {
        self.context = context
    }

    /// Sends `message` unsigned: it is digested with the next signed one
    /// (RFC 8945 §5.3.1). The first message cannot be skipped, nor more than
    /// 99 in a row; those are signed instead.
    public mutating func skip(_ message: inout ByteBuffer, now: UInt64, fudge: UInt16 = TSIG.defaultFudge) {
        guard self.priorMAC != nil, self.unsignedSince.count < TSIGStreamVerifier.maxUnsignedRun else {
            self.sign(&message, now: now, fudge: fudge)
            return
        }
        self.unsignedSince.append(message)
    }

    /// Appends the TSIG to the next message of the stream.
    public mutating func sign(_ message: inout ByteBuffer, now: UInt64, fudge: UInt16 = TSIG.defaultFudge) {
        guard let prior = self.priorMAC else {
            TSIG.signResponse(&message, context: self.context, now: now, fudge: fudge)
            if case .present(let location) = TSIG.scan(message) { self.priorMAC = location.rdata.mac }
            return
        }
        let key = self.context.key
        var rdata = TSIG.responseRDATA(for: message, context: self.context, now: now, fudge: fudge)
        var mac = TSIGMAC(algorithm: key.algorithm, secret: key.secret)
        TSIG.feedPriorMAC(&mac, prior)
        for earlier in self.unsignedSince { mac.update(earlier, offset: 0, length: earlier.readableBytes) }
        self.unsignedSince.removeAll()
        TSIG.feedMessage(&mac, message, upTo: message.readableBytes, originalID: nil, removeTSIG: false)
        mac.update(TSIG.timers(rdata))
        rdata.mac = mac.finalize()
        TSIG.append(keyName: key.name, rdata: rdata, to: &message)
        self.priorMAC = rdata.mac
    }
}

/// Rejects requests signed earlier than the last one accepted with the same
/// key (RFC 8945 §5.2.3: "cache the most recent Time Signed value ... and
/// reject ... an earlier Time Signed value"), as BIND does per key. Shared by
/// every listener thread.
public final class TSIGReplayGuard: Sendable {
    private let latest = TSIGLockedTimes()

    public init() {}

    /// Records `timeSigned` for `key` and returns true, or returns false when
    /// a later time was already accepted.
    public func accept(key: DomainName, timeSigned: UInt64) -> Bool {
        self.latest.accept(key: key.lowercased(), timeSigned: timeSigned)
    }
}
