// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Transaction signatures (RFC 8945) on the wire form of messages.
///
/// Signing appends a TSIG record to an encoded message; verifying reads the
/// record from the end of a received one and digests the octets before it,
/// so nothing is decoded and encoded again. The MAC covers (RFC 8945 §4.3):
/// - a request: the message without the TSIG (ARCOUNT one less, the original
///   ID) and the TSIG variables;
/// - a response: the request's MAC first, then the same;
/// - a later message of a stream (AXFR, IXFR): the prior MAC, the messages
///   since it, and only the timers (``TSIGStreamVerifier``, ``TSIGStreamSigner``).
public enum TSIG {
    /// Seconds of clock difference accepted (RFC 8945 §10: "300 seconds").
    public static let defaultFudge: UInt16 = 300
    /// TSIG error BADSIG (RFC 8945 §3; the same number as BADVERS).
    public static let badSig = RCode(16)
    public static let badKey = RCode.badKey
    public static let badTime = RCode.badTime
    public static let badTrunc = RCode.badTrunc

    /// Seconds since 1970, the TSIG clock.
    public static func currentTime() -> UInt64 {
        UInt64(max(0, time(nil)))
    }

    // MARK: Requests

    /// Signs a request: appends a TSIG record whose MAC covers the message as
    /// it is and the TSIG variables (RFC 8945 §4.3.1). Returns what checking
    /// the response needs.
    public static func signRequest(
        _ message: inout ByteBuffer, key: TSIGKey, now: UInt64, fudge: UInt16 = TSIG.defaultFudge
    ) -> TSIGContext {
        let id = message.getInteger(at: message.readerIndex, as: UInt16.self) ?? 0
        var rdata = RDATA.TSIG(
            algorithm: key.algorithm.name, timeSigned: now, fudge: fudge, mac: [], originalID: id, error: .noError,
            otherData: [])
        var mac = TSIGMAC(algorithm: key.algorithm, secret: key.secret)
        Self.feedMessage(&mac, message, upTo: message.readableBytes, originalID: nil, removeTSIG: false)
        Self.feedVariables(&mac, keyName: key.name, rdata: rdata)
        rdata.mac = mac.finalize()
        Self.append(keyName: key.name, rdata: rdata, to: &message)
        return TSIGContext(key: key, requestMAC: rdata.mac, requestTimeSigned: now)
    }

    /// Checks a request's TSIG (RFC 8945 §5.2), in the RFC's order: place
    /// and form (FORMERR), key (BADKEY), MAC size and MAC (FORMERR, BADSIG),
    /// time (BADTIME), truncation policy (BADTRUNC).
    ///
    /// - Parameters:
    ///   - replay: when given, a time signed earlier than the last one
    ///     accepted with the same key is BADTIME (RFC 8945 §5.2.3), and the
    ///     time of a valid request is recorded.
    public static func verifyRequest(
        _ message: ByteBuffer, keyring: TSIGKeyring, now: UInt64, replay: TSIGReplayGuard? = nil
    ) -> TSIGRequestVerdict {
        let location: TSIGRecordLocation
        switch Self.scan(message) {
        case .absent: return .unsigned
        case .malformed(let reason): return .failed(TSIGFailure(formatError: reason))
        case .present(let found): location = found
        }
        let rdata = location.rdata
        var failure = TSIGFailure(
            rcode: .notAuth, error: Self.badKey, keyName: location.keyName, algorithm: rdata.algorithm,
            originalID: rdata.originalID, reason: "")
        // RFC 8945 §4.2: class ANY, TTL 0.
        guard location.dnsClass == .any, location.ttl == 0 else {
            return .failed(TSIGFailure(formatError: "TSIG class \(location.dnsClass) TTL \(location.ttl)"))
        }
        // RFC 8945 §5.2.1: unknown key or algorithm.
        guard let key = keyring.key(named: location.keyName, algorithm: rdata.algorithm) else {
            failure.reason = keyring.key(named: location.keyName) == nil ? "unknown key" : "wrong algorithm"
            return .failed(failure)
        }
        // RFC 8945 §5.2.2.1 rules 1 and 3: a MAC longer than the hash, or
        // shorter than the floor, is FORMERR.
        let size = rdata.mac.count
        guard size <= key.algorithm.macSize, size >= key.algorithm.minimumMACSize else {
            return .failed(TSIGFailure(formatError: "MAC of \(size) octets for \(key.algorithm)"))
        }
        var mac = TSIGMAC(algorithm: key.algorithm, secret: key.secret)
        Self.feedMessage(&mac, message, upTo: location.start, originalID: rdata.originalID, removeTSIG: true)
        Self.feedVariables(&mac, keyName: location.keyName, rdata: rdata)
        guard TSIGMAC.matches(computed: mac.finalize(), received: rdata.mac) else {
            failure.error = Self.badSig
            failure.reason = "MAC does not match"
            return .failed(failure)
        }
        // From here on the MAC is valid: errors are answered signed (§5.3.2).
        var context = TSIGContext(key: key, requestMAC: rdata.mac, requestTimeSigned: rdata.timeSigned)
        // RFC 8945 §5.2.3: time signed ± fudge must contain our time.
        let skew = now > rdata.timeSigned ? now - rdata.timeSigned : rdata.timeSigned - now
        if skew > UInt64(rdata.fudge) {
            context.error = Self.badTime
            failure.error = Self.badTime
            failure.reason = "time signed \(rdata.timeSigned) is \(skew) s from ours (fudge \(rdata.fudge))"
            failure.context = context
            return .failed(failure)
        }
        // RFC 8945 §5.2.4: truncation allowed by the RFC but not by local policy.
        if size < key.minimumMACSize {
            context.error = Self.badTrunc
            failure.error = Self.badTrunc
            failure.reason = "MAC truncated to \(size) octets, \(key.minimumMACSize) required"
            failure.context = context
            return .failed(failure)
        }
        if let replay, !replay.accept(key: key.name, timeSigned: rdata.timeSigned) {
            context.error = Self.badTime
            failure.error = Self.badTime
            failure.reason = "time signed \(rdata.timeSigned) is earlier than a previous request's"
            failure.context = context
            return .failed(failure)
        }
        return .valid(context, location)
    }

    // MARK: Responses

    /// Signs a response to a verified request (RFC 8945 §4.3.2): the MAC
    /// covers the request's MAC, the response and the TSIG variables. With
    /// `context.error` BADTIME, the time signed is the request's and the
    /// other data our time (RFC 8945 §5.2.3), so the client can verify it.
    public static func signResponse(
        _ response: inout ByteBuffer, context: TSIGContext, now: UInt64, fudge: UInt16 = TSIG.defaultFudge
    ) {
        var rdata = Self.responseRDATA(for: response, context: context, now: now, fudge: fudge)
        var mac = TSIGMAC(algorithm: context.key.algorithm, secret: context.key.secret)
        Self.feedPriorMAC(&mac, context.requestMAC)
        Self.feedMessage(&mac, response, upTo: response.readableBytes, originalID: nil, removeTSIG: false)
        Self.feedVariables(&mac, keyName: context.key.name, rdata: rdata)
        rdata.mac = mac.finalize()
        Self.append(keyName: context.key.name, rdata: rdata, to: &response)
    }

    /// The TSIG fields of a response, the MAC not yet computed.
    static func responseRDATA(for response: ByteBuffer, context: TSIGContext, now: UInt64, fudge: UInt16)
        -> RDATA.TSIG
    {
        let id = response.getInteger(at: response.readerIndex, as: UInt16.self) ?? 0
        var rdata = RDATA.TSIG(
            algorithm: context.key.algorithm.name, timeSigned: now, fudge: fudge, mac: [], originalID: id,
            error: context.error, otherData: [])
        if context.error == Self.badTime {
            rdata.timeSigned = context.requestTimeSigned
            rdata.otherData = Self.uint48(now)
        }
        return rdata
    }

    /// Octets a signed response of `context`'s key adds to a message.
    public static func signatureLength(for context: TSIGContext) -> Int {
        let key = context.key
        // owner, type/class/TTL/length (10), algorithm, time and fudge (8),
        // MAC size (2), MAC, original ID, error, other length (6), other data (6 with BADTIME).
        return key.name.wireLength + 10 + key.algorithm.name.wireLength + 8 + 2 + key.algorithm.macSize + 6 + 6
    }

    /// Checks the TSIG of a single response to a request signed with
    /// `context` (RFC 8945 §5.3). A response with a TSIG error (BADKEY,
    /// BADSIG unsigned; BADTIME, BADTRUNC signed) fails with that error.
    public static func verifyResponse(_ response: ByteBuffer, context: TSIGContext, now: UInt64) -> TSIGResponseCheck {
        var verifier = TSIGStreamVerifier(context: context)
        return verifier.verify(response, now: now)
    }
}

/// What verifying a request found.
public enum TSIGRequestVerdict: Sendable {
    /// No TSIG: an ordinary request.
    case unsigned
    /// A valid TSIG. Answer, then sign the answer with the context. The
    /// location says where the TSIG starts (the request without it is the
    /// octets before, with ARCOUNT one less).
    case valid(TSIGContext, TSIGRecordLocation)
    /// Answer with ``TSIGFailure/response(to:now:)`` and log ``TSIGFailure/reason``.
    case failed(TSIGFailure)
}

/// A verified request's key and MAC: what signing the response needs, and
/// the key name for later policy (UPDATE, transfer ACLs).
public struct TSIGContext: Sendable, Hashable {
    public var key: TSIGKey
    /// The key the request was signed with.
    public var keyName: DomainName { self.key.name }
    /// The request's MAC as sent (truncated if it was): the first part of
    /// the response's digest (RFC 8945 §4.3.2).
    public var requestMAC: [UInt8]
    /// The request's time signed (BADTIME responses repeat it).
    public var requestTimeSigned: UInt64
    /// The error the signed response carries: NOERROR, or BADTIME/BADTRUNC.
    public var error: RCode

    public init(key: TSIGKey, requestMAC: [UInt8], requestTimeSigned: UInt64, error: RCode = .noError) {
        self.key = key
        self.requestMAC = requestMAC
        self.requestTimeSigned = requestTimeSigned
        self.error = error
    }
}

/// What checking a response (or one message of a stream) found.
public enum TSIGResponseCheck: Sendable, Hashable {
    /// Signed and valid.
    case signed
    /// Not signed; acceptable only in the middle of a stream (RFC 8945 §5.3.1).
    case unsignedAccepted
    /// Not acceptable: `error` is the TSIG error (FORMERR for a misplaced or
    /// malformed TSIG; BADKEY, BADSIG, BADTIME or BADTRUNC), either found
    /// here or reported by the peer in its TSIG.
    case failed(error: RCode, reason: String)
}
