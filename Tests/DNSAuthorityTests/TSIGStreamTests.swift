// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import NIOCore
import Testing

/// Multi-message responses such as AXFR (RFC 8945 §5.3.1).
@Suite struct TSIGStreamTests {
    typealias F = TSIGFixture

    /// A client context and the server's context for the same signed request.
    static func contexts(_ algorithm: TSIGAlgorithm = .hmacSHA256) throws -> (client: TSIGContext, server: TSIGContext)
    {
        let key = try F.key(algorithm)
        var request = try F.query()
        let client = TSIG.signRequest(&request, key: key, now: F.now)
        guard case .valid(let server, _) = TSIG.verifyRequest(request, keyring: TSIGKeyring([key]), now: F.now) else {
            Issue.record("request refused")
            return (client, client)
        }
        return (client, server)
    }

    /// Message `n` of a transfer: a different address each.
    static func message(_ n: Int) throws -> ByteBuffer {
        try F.response(address: "192.0.2.\(n % 250 + 1)")
    }

    /// Signs (`true`) or skips (`false`) each message and returns them as sent.
    static func stream(_ plan: [Bool], server: TSIGContext) throws -> [ByteBuffer] {
        var signer = TSIGStreamSigner(context: server)
        var out: [ByteBuffer] = []
        for (n, sign) in plan.enumerated() {
            var message = try Self.message(n)
            if sign {
                signer.sign(&message, now: F.now)
            } else {
                signer.skip(&message, now: F.now)
            }
            out.append(message)
        }
        return out
    }

    static func check(_ messages: [ByteBuffer], client: TSIGContext) -> ([TSIGResponseCheck], Bool) {
        var verifier = TSIGStreamVerifier(context: client)
        var results: [TSIGResponseCheck] = []
        for message in messages {
            let result = verifier.verify(message, now: F.now + 1)
            results.append(result)
            if case .failed = result { break }
        }
        return (results, verifier.isComplete)
    }

    @Test(arguments: TSIGAlgorithm.all)
    func everyMessageSigned(_ algorithm: TSIGAlgorithm) throws {
        let (client, server) = try Self.contexts(algorithm)
        let messages = try Self.stream(Array(repeating: true, count: 6), server: server)
        let (results, complete) = Self.check(messages, client: client)
        #expect(results == Array(repeating: .signed, count: 6))
        #expect(complete)
    }

    @Test func unsignedMessagesBetweenSignedOnes() throws {
        let (client, server) = try Self.contexts()
        let plan = [true, false, false, true, false, true]
        let messages = try Self.stream(plan, server: server)
        #expect(messages.map { TSIG.scan($0) != .absent } == plan)
        let (results, complete) = Self.check(messages, client: client)
        #expect(results == plan.map { $0 ? .signed : .unsignedAccepted })
        #expect(complete)
        // Ending on an unsigned message is not a complete stream.
        let (_, open) = Self.check(Array(messages.prefix(5)), client: client)
        #expect(!open)
    }

    @Test func changedUnsignedMessageFailsAtTheNextSignature() throws {
        let (client, server) = try Self.contexts()
        var messages = try Self.stream([true, false, true], server: server)
        messages[1] = try Self.message(99)
        let (results, _) = Self.check(messages, client: client)
        #expect(results.count == 3)
        #expect(results.prefix(2) == [.signed, .unsignedAccepted])
        guard case .failed(let error, _) = results.last else {
            Issue.record("changed message accepted")
            return
        }
        #expect(error == TSIG.badSig)
    }

    @Test func reorderedSignedMessagesFail() throws {
        let (client, server) = try Self.contexts()
        let messages = try Self.stream([true, true, true], server: server)
        let (results, _) = Self.check([messages[0], messages[2], messages[1]], client: client)
        #expect(results.first == .signed)
        guard case .failed(let error, _) = results.last else {
            Issue.record("reordered stream accepted")
            return
        }
        #expect(error == TSIG.badSig)
    }

    @Test func firstMessageMustBeSigned() throws {
        let (client, _) = try Self.contexts()
        let (results, complete) = Self.check([try Self.message(0)], client: client)
        guard case .failed = results.first else {
            Issue.record("unsigned first message accepted")
            return
        }
        #expect(!complete)
    }

    @Test func atMost99UnsignedInARow() throws {
        let (client, server) = try Self.contexts()
        // The signer signs the 100th even when asked to skip it.
        let signed = try Self.stream([true] + Array(repeating: false, count: 100), server: server)
        #expect(TSIG.scan(signed[100]) != .absent)
        let (good, _) = Self.check(signed, client: client)
        #expect(good.last == .signed)
        // A sender that leaves 100 unsigned is refused at the 100th.
        var raw = try Self.stream([true], server: server)
        for n in 1...100 { raw.append(try Self.message(n)) }
        let (results, _) = Self.check(raw, client: client)
        #expect(results.count == 101)
        guard case .failed = results.last else {
            Issue.record("100 unsigned messages accepted")
            return
        }
    }

    @Test func streamWithAnotherKeyFails() throws {
        let (client, _) = try Self.contexts(.hmacSHA256)
        let (_, otherServer) = try Self.contexts(.hmacSHA384)
        let messages = try Self.stream([true], server: otherServer)
        let (results, _) = Self.check(messages, client: client)
        guard case .failed(let error, _) = results.first else {
            Issue.record("other key accepted")
            return
        }
        #expect(error == TSIG.badKey)
    }
}
