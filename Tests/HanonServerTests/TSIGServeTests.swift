// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import DNSZone
import HanonConfig
import NIOCore
import Testing

@testable import HanonServer

/// The server's handling of signed requests (AuthorityHandler+TSIG.swift),
/// called directly, and `[[key]]` tables turned into keys.
@Suite struct TSIGServeTests {

    static let zoneText = """
        $ORIGIN sign.test.
        $TTL 300
        @    SOA ns hostmaster 1 3600 600 86400 60
             NS  ns
        ns   A   192.0.2.53
        www  A   192.0.2.1

        """ + (1...4).map { "mid TXT \"\(String(repeating: "m", count: 80)) \($0)\"\n" }.joined()

    static func key(_ algorithm: TSIGAlgorithm = .hmacSHA256) -> TSIGKey {
        TSIGKey(name: DomainName("k.sign.test."), algorithm: algorithm, secret: Array(repeating: 0x42, count: 32))
    }

    static func handler(keys: [TSIGKey]) throws -> AuthorityHandler {
        let origin = DomainName("sign.test.")
        let zone = try Zone(ZoneFileParser.parse(text: Self.zoneText, origin: origin))
        let processor = QueryProcessor(zones: ZoneTable([zone]))
        return AuthorityHandler(
            processor: processor, cookies: ServerCookies(), rateLimiter: nil, queryLogger: nil,
            tsig: TSIGService(keys: keys))
    }

    static func context(_ transport: DNSTransportProtocol) throws -> DNSRequestContext {
        DNSRequestContext(
            client: try SocketAddress(ipAddress: "127.0.0.1", port: 5300),
            local: try SocketAddress(ipAddress: "127.0.0.1", port: 53), transport: transport)
    }

    static func query(_ name: String, _ type: RecordType, edns: Bool = true) throws -> ByteBuffer {
        DNSMessage.query(
            id: 0x4242, name: try DomainName(name), type: type, recursionDesired: false, edns: edns ? EDNS() : nil
        ).serialize()
    }

    @Test(arguments: [DNSTransportProtocol.udp, .tcp])
    func signedQueryIsAnsweredAndSigned(_ transport: DNSTransportProtocol) throws {
        let key = Self.key()
        let handler = try Self.handler(keys: [key])
        var request = try Self.query("www.sign.test.", .a)
        let client = TSIG.signRequest(&request, key: key, now: TSIG.currentTime())
        let response = try #require(handler.handle(request, context: try Self.context(transport)))
        #expect(TSIG.verifyResponse(response, context: client, now: TSIG.currentTime()) == .signed)
        let message = try DNSMessage(wire: response)
        #expect(message.rcode == .noError && message.header.authoritative)
        #expect(message.answers.map { $0.rdata.description } == ["192.0.2.1"])
        #expect(message.edns != nil, "the OPT record is kept, before the TSIG")
        #expect(message.additionals.last?.type == .tsig)
    }

    @Test func unsignedQueryGetsNoTSIG() throws {
        let handler = try Self.handler(keys: [Self.key()])
        let response = try #require(
            handler.handle(try Self.query("www.sign.test.", .a), context: try Self.context(.udp)))
        #expect(TSIG.scan(response) == .absent)
        #expect(try DNSMessage(wire: response).answers.count == 1)
    }

    @Test func badSignaturesGetTheRFCAnswers() throws {
        let key = Self.key()
        let handler = try Self.handler(keys: [key])
        var wrong = key
        wrong.secret[0] ^= 1
        var badSig = try Self.query("www.sign.test.", .a)
        _ = TSIG.signRequest(&badSig, key: wrong, now: TSIG.currentTime())
        let sigAnswer = try #require(handler.handle(badSig, context: try Self.context(.udp)))
        #expect(try DNSMessage(wire: sigAnswer).rcode == .notAuth)
        guard case .present(let sig) = TSIG.scan(sigAnswer) else {
            Issue.record("no TSIG in the BADSIG answer")
            return
        }
        #expect(sig.rdata.error == TSIG.badSig && sig.rdata.mac.isEmpty)

        var badTime = try Self.query("www.sign.test.", .a)
        let client = TSIG.signRequest(&badTime, key: key, now: TSIG.currentTime() - 3600)
        let timeAnswer = try #require(handler.handle(badTime, context: try Self.context(.tcp)))
        guard
            case .failed(let error, _) = TSIG.verifyResponse(timeAnswer, context: client, now: client.requestTimeSigned)
        else {
            Issue.record("BADTIME answer not as expected")
            return
        }
        #expect(error == TSIG.badTime)

        // With no keys at all, a signed request is BADKEY, never answered unsigned.
        let keyless = try Self.handler(keys: [])
        var request = try Self.query("www.sign.test.", .a)
        _ = TSIG.signRequest(&request, key: key, now: TSIG.currentTime())
        let keyAnswer = try #require(keyless.handle(request, context: try Self.context(.udp)))
        guard case .present(let noKey) = TSIG.scan(keyAnswer) else {
            Issue.record("no TSIG in the BADKEY answer")
            return
        }
        #expect(noKey.rdata.error == TSIG.badKey)
        #expect(try DNSMessage(wire: keyAnswer).answers.isEmpty)
    }

    /// Fits 512 octets unsigned, not with a TSIG: question, TC, NOERROR, signed (RFC 8945 §5.3).
    @Test func answerWithoutRoomForTheTSIGIsCutToTheQuestion() throws {
        let key = Self.key(.hmacSHA512)
        let handler = try Self.handler(keys: [key])
        let unsigned = try #require(
            handler.handle(try Self.query("mid.sign.test.", .txt, edns: false), context: try Self.context(.udp)))
        #expect(unsigned.readableBytes <= 512)
        #expect(try DNSMessage(wire: unsigned).answers.count == 4)

        var request = try Self.query("mid.sign.test.", .txt, edns: false)
        let client = TSIG.signRequest(&request, key: key, now: TSIG.currentTime())
        let response = try #require(handler.handle(request, context: try Self.context(.udp)))
        #expect(response.readableBytes <= 512)
        #expect(TSIG.verifyResponse(response, context: client, now: TSIG.currentTime()) == .signed)
        let message = try DNSMessage(wire: response)
        #expect(message.header.truncated && message.rcode == .noError)
        #expect(message.questions.map(\.name.description) == ["mid.sign.test."])
        #expect(message.answers.isEmpty && message.authorities.isEmpty && message.additionals.count == 1)

        // Over TCP the whole answer is signed.
        let tcp = try #require(handler.handle(request, context: try Self.context(.tcp)))
        #expect(try DNSMessage(wire: tcp).answers.count == 4)
    }

    @Test func keysFromTheConfig() throws {
        let config = try Config.parse(
            text: """
                [[key]]
                name = "xfr.example"
                secret = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="
                [[key]]
                name = "old.example."
                algorithm = "hmac-md5"
                secret = "AQIDBAUGBwgJCgsMDQ4PEA=="

                """, file: "hanon.toml")
        let settings = try ServerSettings(config: config)
        #expect(settings.keys.map(\.name.description) == ["xfr.example.", "old.example."])
        #expect(settings.keys.map(\.algorithm) == [.hmacSHA256, .hmacMD5])
        #expect(settings.keys.first?.secret == Array(1...32))
        #expect(settings.keys.last?.algorithm.name.description == "hmac-md5.sig-alg.reg.int.")
    }
}
