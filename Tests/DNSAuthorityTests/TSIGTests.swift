// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import NIOCore
import Testing

/// Signing and verifying requests and responses on the wire (RFC 8945 §4.3, §5.2, §5.3).
@Suite struct TSIGTests {
    typealias F = TSIGFixture

    @Test(arguments: TSIGAlgorithm.all)
    func requestAndResponseRoundTrip(_ algorithm: TSIGAlgorithm) throws {
        let key = try F.key(algorithm)
        let plain = try F.query()
        var request = plain
        let client = TSIG.signRequest(&request, key: key, now: F.now)
        let sent = try F.tsig(of: request)
        #expect(sent.start == plain.readableBytes)
        #expect(sent.keyName == key.name)
        #expect(sent.dnsClass == .any && sent.ttl == 0)
        #expect(sent.rdata.algorithm == algorithm.name)
        #expect(sent.rdata.mac.count == algorithm.macSize)
        #expect(sent.rdata.originalID == 0x1234)
        #expect(sent.rdata.fudge == 300)
        #expect(sent.rdata.timeSigned == F.now)
        #expect(F.bytes(request)[11] == 2, "ARCOUNT: OPT and TSIG")

        let verdict = TSIG.verifyRequest(request, keyring: TSIGKeyring([key]), now: F.now + 10)
        guard case .valid(let server, let location) = verdict else {
            Issue.record("\(algorithm): \(verdict)")
            return
        }
        #expect(server.keyName == key.name)
        #expect(server.requestMAC == client.requestMAC)
        #expect(location.start == plain.readableBytes)

        var response = try F.response()
        TSIG.signResponse(&response, context: server, now: F.now + 10)
        #expect(TSIG.verifyResponse(response, context: client, now: F.now + 20) == .signed)
        let decoded = try DNSMessage(wire: response)
        #expect(decoded.additionals.last?.type == .tsig)
        #expect(decoded.answers.count == 1)

        // The response MAC covers the request MAC: a response to another request does not verify.
        var other = try F.query(id: 0x1234, name: "other.example.")
        let otherClient = TSIG.signRequest(&other, key: key, now: F.now)
        #expect(otherClient.requestMAC != client.requestMAC)
        guard case .failed(let error, _) = TSIG.verifyResponse(response, context: otherClient, now: F.now) else {
            Issue.record("a response to another request verified")
            return
        }
        #expect(error == TSIG.badSig)
    }

    @Test func keyNameAndAlgorithmCompareWithoutCase() throws {
        let key = try F.key(.hmacSHA256, name: "Key.Example.")
        var request = try F.query()
        _ = TSIG.signRequest(&request, key: key, now: F.now)
        let lower = try F.key(.hmacSHA256, name: "key.example.")
        guard case .valid = TSIG.verifyRequest(request, keyring: TSIGKeyring([lower]), now: F.now) else {
            Issue.record("the key name's case changed the MAC (RFC 8945 §4.3.3: canonical form)")
            return
        }
    }

    @Test(arguments: [13, 14, 20, 26])
    func tamperedRequestIsBADSIG(_ offset: Int) throws {
        let key = try F.key(.hmacSHA256)
        var request = try F.query()
        _ = TSIG.signRequest(&request, key: key, now: F.now)
        var bytes = F.bytes(request)
        bytes[offset] ^= 0x01
        let tampered = ByteBuffer(bytes: bytes)
        guard let failure = F.failure(TSIG.verifyRequest(tampered, keyring: TSIGKeyring([key]), now: F.now)) else {
            return
        }
        #expect(failure.rcode == .notAuth)
        #expect(failure.error == TSIG.badSig)
        #expect(failure.errorName == "BADSIG")
        #expect(failure.context == nil)
        // RFC 8945 §5.3.2: unsigned, MAC size 0, the error in the TSIG.
        let answer = try #require(failure.response(to: tampered, now: F.now))
        let message = try DNSMessage(wire: answer)
        #expect(message.header.isResponse && message.header.id == 0x1234)
        #expect(message.rcode == .notAuth)
        #expect(message.answers.isEmpty)
        let tsig = try F.tsig(of: answer)
        #expect(tsig.keyName == key.name)
        #expect(tsig.rdata.mac.isEmpty)
        #expect(tsig.rdata.error == TSIG.badSig)
        #expect(tsig.rdata.originalID == 0x1234)
    }

    @Test func wrongSecretIsBADSIG() throws {
        let key = try F.key(.hmacSHA512)
        var request = try F.query()
        let client = TSIG.signRequest(&request, key: key, now: F.now)
        var other = key
        other.secret[0] ^= 0xFF
        let failure = F.failure(TSIG.verifyRequest(request, keyring: TSIGKeyring([other]), now: F.now))
        #expect(failure?.error == TSIG.badSig)
        // The client sees the unsigned BADSIG answer as an error, not as a signed reply.
        let answer = try #require(failure?.response(to: request, now: F.now))
        guard case .failed(let error, _) = TSIG.verifyResponse(answer, context: client, now: F.now) else {
            Issue.record("BADSIG answer accepted")
            return
        }
        #expect(error == TSIG.badSig)
    }

    @Test func unknownKeyOrAlgorithmIsBADKEY() throws {
        let key = try F.key(.hmacSHA256)
        var request = try F.query()
        let client = TSIG.signRequest(&request, key: key, now: F.now)
        for keyring in [
            TSIGKeyring(), TSIGKeyring([try F.key(.hmacSHA256, name: "other.example.")]),
            TSIGKeyring([try F.key(.hmacSHA384)]),
        ] {
            guard let failure = F.failure(TSIG.verifyRequest(request, keyring: keyring, now: F.now)) else { continue }
            #expect(failure.rcode == .notAuth)
            #expect(failure.error == TSIG.badKey)
            #expect(failure.keyName == key.name)
            let answer = try #require(failure.response(to: request, now: F.now))
            let tsig = try F.tsig(of: answer)
            #expect(tsig.rdata.error == TSIG.badKey && tsig.rdata.mac.isEmpty)
            #expect(tsig.rdata.algorithm == TSIGAlgorithm.hmacSHA256.name)
            guard case .failed(let error, _) = TSIG.verifyResponse(answer, context: client, now: F.now) else {
                Issue.record("BADKEY answer accepted")
                continue
            }
            #expect(error == TSIG.badKey)
        }
    }

    @Test(arguments: [(300, true), (-300, true), (301, false), (-301, false), (100_000, false)])
    func timeWindow(_ skew: Int, _ accepted: Bool) throws {
        let key = try F.key(.hmacSHA256)
        var request = try F.query()
        let client = TSIG.signRequest(&request, key: key, now: F.now)
        let serverNow = UInt64(Int(F.now) + skew)
        let verdict = TSIG.verifyRequest(request, keyring: TSIGKeyring([key]), now: serverNow)
        if accepted {
            guard case .valid = verdict else {
                Issue.record("skew \(skew): \(verdict)")
                return
            }
            return
        }
        guard let failure = F.failure(verdict) else { return }
        #expect(failure.rcode == .notAuth && failure.error == TSIG.badTime)
        #expect(failure.context != nil, "the MAC was valid: BADTIME is signed")
        let answer = try #require(failure.response(to: request, now: serverNow))
        let tsig = try F.tsig(of: answer)
        #expect(tsig.rdata.error == TSIG.badTime)
        #expect(tsig.rdata.mac.count == 32)
        // RFC 8945 §5.2.3: our time in the other data; the request's time signed.
        #expect(tsig.rdata.otherData == (0..<6).map { UInt8(truncatingIfNeeded: serverNow >> (40 - 8 * UInt64($0))) })
        #expect(tsig.rdata.timeSigned == F.now)
        // The client verifies the MAC and then sees BADTIME reported.
        guard case .failed(let error, let reason) = TSIG.verifyResponse(answer, context: client, now: F.now) else {
            Issue.record("BADTIME answer accepted")
            return
        }
        #expect(error == TSIG.badTime)
        #expect(reason.contains("BADTIME"), "\(reason)")
    }

    /// RFC 8945 §5.2.2.1: MAC size rules, and §5.2.4 local policy (BADTRUNC).
    @Test(arguments: [
        (TSIGAlgorithm.hmacSHA256, 32, "valid"), (.hmacSHA256, 16, "valid"), (.hmacSHA256, 15, "FORMERR"),
        (.hmacSHA256, 0, "FORMERR"), (.hmacSHA256, 33, "FORMERR"), (.hmacMD5, 10, "valid"), (.hmacMD5, 9, "FORMERR"),
        (.hmacSHA1, 10, "valid"), (.hmacSHA512, 32, "valid"), (.hmacSHA512, 31, "FORMERR"),
    ])
    func truncatedMAC(_ algorithm: TSIGAlgorithm, _ size: Int, _ expected: String) throws {
        let key = try F.key(algorithm)
        var request = try F.query()
        _ = TSIG.signRequest(&request, key: key, now: F.now)
        let truncated = try F.rewriteTSIG(request) { rdata in
            rdata.mac = size <= rdata.mac.count ? Array(rdata.mac.prefix(size)) : rdata.mac + [0]
        }
        let verdict = TSIG.verifyRequest(truncated, keyring: TSIGKeyring([key]), now: F.now)
        switch verdict {
        case .valid(let context, _):
            #expect(expected == "valid")
            #expect(context.requestMAC.count == size, "the truncated MAC is what the response digests")
        case .failed(let failure):
            #expect(failure.errorName == expected, "\(failure.reason)")
            if failure.rcode == .formErr {
                let answer = try #require(failure.response(to: truncated, now: F.now))
                #expect(try DNSMessage(wire: answer).rcode == .formErr)
                #expect(TSIG.scan(answer) == .absent)
            }
        case .unsigned:
            Issue.record("TSIG not found")
        }
    }

    @Test func truncationBelowLocalPolicyIsBADTRUNC() throws {
        let strict = try F.key(.hmacSHA256, minimumMACSize: 32)
        var request = try F.query()
        let client = TSIG.signRequest(&request, key: strict, now: F.now)
        let truncated = try F.rewriteTSIG(request) { $0.mac = Array($0.mac.prefix(20)) }
        guard let failure = F.failure(TSIG.verifyRequest(truncated, keyring: TSIGKeyring([strict]), now: F.now)) else {
            return
        }
        #expect(failure.rcode == .notAuth && failure.error == TSIG.badTrunc)
        let answer = try #require(failure.response(to: truncated, now: F.now))
        let tsig = try F.tsig(of: answer)
        #expect(tsig.rdata.error == TSIG.badTrunc && tsig.rdata.mac.count == 32, "signed (RFC 8945 §5.3.2)")
        // Signed over the truncated request MAC, as the client sent it.
        var context = client
        context.requestMAC = Array(client.requestMAC.prefix(20))
        guard case .failed(let error, _) = TSIG.verifyResponse(answer, context: context, now: F.now) else {
            Issue.record("BADTRUNC accepted")
            return
        }
        #expect(error == TSIG.badTrunc)
    }

    @Test func earlierTimeThanLastAcceptedIsBADTIME() throws {
        let key = try F.key(.hmacSHA256)
        let keyring = TSIGKeyring([key])
        let guardian = TSIGReplayGuard()
        func signed(at time: UInt64) throws -> ByteBuffer {
            var request = try F.query()
            _ = TSIG.signRequest(&request, key: key, now: time)
            return request
        }
        let first = try signed(at: F.now)
        guard case .valid = TSIG.verifyRequest(first, keyring: keyring, now: F.now, replay: guardian) else {
            Issue.record("first request refused")
            return
        }
        // The same second again is fine (many requests per second).
        guard case .valid = TSIG.verifyRequest(first, keyring: keyring, now: F.now + 1, replay: guardian) else {
            Issue.record("same time signed refused")
            return
        }
        let older = try signed(at: F.now - 5)
        let failure = F.failure(TSIG.verifyRequest(older, keyring: keyring, now: F.now, replay: guardian))
        #expect(failure?.error == TSIG.badTime)
        #expect(failure?.context != nil)
        // Without the guard the same request is valid (inside the fudge).
        guard case .valid = TSIG.verifyRequest(older, keyring: keyring, now: F.now) else {
            Issue.record("older request refused without a guard")
            return
        }
        // A bad MAC does not move the guard forward.
        let forged = try F.rewriteTSIG(try signed(at: F.now + 100)) { $0.mac[0] ^= 1 }
        _ = TSIG.verifyRequest(forged, keyring: keyring, now: F.now + 100, replay: guardian)
        guard case .valid = TSIG.verifyRequest(first, keyring: keyring, now: F.now, replay: guardian) else {
            Issue.record("a forged request moved the replay guard")
            return
        }
    }

    @Test func signedResponsesAreNeverAnswered() throws {
        let key = try F.key(.hmacSHA256)
        var response = try F.response()
        _ = TSIG.signRequest(&response, key: key, now: F.now)
        let failure = F.failure(TSIG.verifyRequest(response, keyring: TSIGKeyring(), now: F.now))
        #expect(failure?.response(to: response, now: F.now) == nil)
    }

    @Test func algorithmNamesAndSizes() throws {
        #expect(
            TSIGAlgorithm.all.map(\.name.description) == [
                "hmac-sha256.", "hmac-sha384.", "hmac-sha512.", "hmac-sha1.", "hmac-md5.sig-alg.reg.int.",
            ])
        #expect(TSIGAlgorithm.all.map(\.macSize) == [32, 48, 64, 20, 16])
        #expect(TSIGAlgorithm.all.map(\.minimumMACSize) == [16, 24, 32, 10, 10])
        #expect(TSIGAlgorithm(name: try DomainName("HMAC-MD5.SIG-ALG.REG.INT.")) == .hmacMD5)
        #expect(TSIGAlgorithm(name: try DomainName("hmac-sha224.")) == nil)
        #expect(TSIGAlgorithm(mnemonic: "HMAC-SHA384") == .hmacSHA384)
        #expect(TSIGAlgorithm(mnemonic: "hmac-md5.sig-alg.reg.int.") == .hmacMD5)
        #expect(TSIGAlgorithm(mnemonic: "hmac-sha224") == nil)
    }
}
