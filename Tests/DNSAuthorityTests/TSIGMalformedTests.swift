// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import NIOCore
import Testing

/// Misplaced and malformed TSIG records (RFC 8945 §5.1): FORMERR, never a crash.
@Suite struct TSIGMalformedTests {
    typealias F = TSIGFixture

    static func tsigRecord(_ key: TSIGKey) throws -> ResourceRecord {
        var request = try F.query(edns: false)
        _ = TSIG.signRequest(&request, key: key, now: F.now)
        return try #require(try DNSMessage(wire: request).additionals.last)
    }

    static func expectFormErr(_ wire: ByteBuffer, _ what: String, keyring: TSIGKeyring) {
        #expect(TSIG.mightBeSigned(wire), "\(what): the fast check must see the TSIG")
        guard case .failed(let failure) = TSIG.verifyRequest(wire, keyring: keyring, now: F.now) else {
            Issue.record("\(what): not refused")
            return
        }
        #expect(failure.rcode == .formErr, "\(what): \(failure.reason)")
        if let answer = failure.response(to: wire, now: F.now) {
            #expect((try? DNSMessage(wire: answer))?.rcode == .formErr)
        } else {
            Issue.record("\(what): no FORMERR answer")
        }
    }

    @Test func misplacedTSIGIsFORMERR() throws {
        let key = try F.key(.hmacSHA256)
        let keyring = TSIGKeyring([key])
        let tsig = try Self.tsigRecord(key)
        let extra = try ResourceRecord(text: "x.example. 300 IN A 192.0.2.9")
        var base = DNSMessage.query(id: 7, name: DomainName("www.example."), type: .a, edns: nil)

        var notLast = base
        notLast.additionals = [tsig, extra]
        Self.expectFormErr(notLast.serialize(), "TSIG before another record", keyring: keyring)

        var two = base
        two.additionals = [tsig, tsig]
        Self.expectFormErr(two.serialize(), "two TSIGs", keyring: keyring)

        var inAnswer = base
        inAnswer.answers = [tsig]
        Self.expectFormErr(inAnswer.serialize(), "TSIG in the answer section", keyring: keyring)

        var inAuthority = base
        inAuthority.authorities = [tsig]
        Self.expectFormErr(inAuthority.serialize(), "TSIG in the authority section", keyring: keyring)

        var wrongClass = tsig
        wrongClass.dnsClass = .in
        base.additionals = [wrongClass]
        Self.expectFormErr(base.serialize(), "TSIG of class IN", keyring: keyring)
    }

    @Test func everyCutOfTheTSIGIsFORMERR() throws {
        let key = try F.key(.hmacSHA256)
        var request = try F.query()
        _ = TSIG.signRequest(&request, key: key, now: F.now)
        let start = try F.tsig(of: request).start
        let bytes = F.bytes(request)
        for length in start..<bytes.count {
            let cut = ByteBuffer(bytes: bytes.prefix(length))
            guard case .failed(let failure) = TSIG.verifyRequest(cut, keyring: TSIGKeyring([key]), now: F.now) else {
                Issue.record("cut at \(length): not refused")
                continue
            }
            #expect(failure.rcode == .formErr, "cut at \(length)")
        }
        // Octets after the TSIG.
        let trailing = ByteBuffer(bytes: bytes + [0])
        guard case .failed(let failure) = TSIG.verifyRequest(trailing, keyring: TSIGKeyring([key]), now: F.now) else {
            Issue.record("trailing octet accepted")
            return
        }
        #expect(failure.rcode == .formErr)
    }

    @Test func rdlengthThatDisagreesIsFORMERR() throws {
        let key = try F.key(.hmacSHA1)
        var request = try F.query(edns: false)
        _ = TSIG.signRequest(&request, key: key, now: F.now)
        let start = try F.tsig(of: request).start
        var bytes = F.bytes(request)
        // owner (key.example. = 13 octets), type, class, TTL, then RDLENGTH.
        let rdlengthAt = start + 13 + 8
        for delta in [-1, 1, 200] {
            var changed = bytes
            let length = Int(changed[rdlengthAt]) << 8 | Int(changed[rdlengthAt + 1])
            let new = max(0, length + delta)
            changed[rdlengthAt] = UInt8(new >> 8)
            changed[rdlengthAt + 1] = UInt8(new & 0xFF)
            Self.expectFormErr(ByteBuffer(bytes: changed), "RDLENGTH \(delta)", keyring: TSIGKeyring([key]))
        }
        // A MAC size larger than the RDATA.
        let macSizeAt = start + 13 + 10 + 11 + 8
        bytes[macSizeAt] = 0xFF
        Self.expectFormErr(ByteBuffer(bytes: bytes), "MAC size past the end", keyring: TSIGKeyring([key]))
    }

    /// Every single-octet change of a signed request: no crash, and no change
    /// before the TSIG (the part the MAC covers as is) still verifies — except
    /// the ID, which the MAC covers as the original ID (RFC 8945 §4.3.1: a
    /// forwarder may change the ID).
    @Test func mutationsNeverCrashNorVerify() throws {
        let key = try F.key(.hmacSHA256)
        var request = try F.query()
        _ = TSIG.signRequest(&request, key: key, now: F.now)
        let start = try F.tsig(of: request).start
        let bytes = F.bytes(request)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices {
            for _ in 0..<8 {
                var changed = bytes
                changed[index] ^= UInt8.random(in: 1...255, using: &generator)
                let buffer = ByteBuffer(bytes: changed)
                _ = TSIG.mightBeSigned(buffer)
                let verdict = TSIG.verifyRequest(buffer, keyring: TSIGKeyring([key]), now: F.now)
                if case .failed(let failure) = verdict { _ = failure.response(to: buffer, now: F.now) }
                if (2..<start).contains(index), case .valid = verdict {
                    Issue.record("a change at \(index) still verified: \(bytes[index]) -> \(changed[index])")
                }
            }
        }
        for length in 0..<bytes.count {
            _ = TSIG.mightBeSigned(ByteBuffer(bytes: bytes.prefix(length)))
            _ = TSIG.scan(ByteBuffer(bytes: bytes.prefix(length)))
        }
        for _ in 0..<2000 {
            let random = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            _ = TSIG.mightBeSigned(ByteBuffer(bytes: random))
            _ = TSIG.verifyRequest(ByteBuffer(bytes: random), keyring: TSIGKeyring([key]), now: F.now)
        }
    }

    @Test func fastCheck() throws {
        #expect(!TSIG.mightBeSigned(try F.query()))
        #expect(!TSIG.mightBeSigned(try F.query(edns: false)))
        #expect(!TSIG.mightBeSigned(ByteBuffer(bytes: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])))
        var signed = try F.query()
        _ = TSIG.signRequest(&signed, key: try F.key(.hmacMD5), now: F.now)
        #expect(TSIG.mightBeSigned(signed))
        #expect(TSIG.scan(try F.query()) == .absent)
    }
}
