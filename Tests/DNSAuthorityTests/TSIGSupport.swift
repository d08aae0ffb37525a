// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import NIOCore
import Testing

/// Keys, messages and rewriting helpers for the TSIG tests.
enum TSIGFixture {
    /// 2026-11-29, a fixed TSIG clock.
    static let now: UInt64 = 1_795_925_397

    static func key(_ algorithm: TSIGAlgorithm, name: String = "key.example.", minimumMACSize: Int? = nil) throws
        -> TSIGKey
    {
        let secret = (0..<algorithm.macSize).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        return TSIGKey(
            name: try DomainName(name), algorithm: algorithm, secret: secret, minimumMACSize: minimumMACSize)
    }

    static func query(id: UInt16 = 0x1234, name: String = "www.example.", edns: Bool = true) throws -> ByteBuffer {
        DNSMessage.query(id: id, name: try DomainName(name), type: .a, edns: edns ? EDNS() : nil).serialize()
    }

    /// A response to ``query(id:name:edns:)`` with one A record.
    static func response(id: UInt16 = 0x1234, address: String = "192.0.2.1") throws -> ByteBuffer {
        var message = DNSMessage.query(id: id, name: DomainName("www.example."), type: .a, edns: nil)
        message.header.isResponse = true
        message.header.authoritative = true
        message.answers = [try ResourceRecord(text: "www.example. 300 IN A \(address)")]
        return message.serialize()
    }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }

    /// The TSIG of a message (fails the test when there is none).
    static func tsig(of buffer: ByteBuffer) throws -> TSIGRecordLocation {
        guard case .present(let location) = TSIG.scan(buffer) else {
            Issue.record("no TSIG in the message")
            throw TSIGFailure(
                rcode: .formErr, error: .noError, keyName: nil, algorithm: nil, originalID: 0, reason: "no TSIG")
        }
        return location
    }

    /// The message decoded, its TSIG changed by `change`, encoded again (the
    /// octets before the TSIG stay the same for the simple messages used here).
    static func rewriteTSIG(_ buffer: ByteBuffer, _ change: (inout RDATA.TSIG) -> Void) throws -> ByteBuffer {
        var message = try DNSMessage(wire: buffer)
        guard let last = message.additionals.last, case .tsig(var rdata) = last.rdata else {
            Issue.record("no TSIG to rewrite")
            return buffer
        }
        change(&rdata)
        message.additionals[message.additionals.count - 1] = ResourceRecord(
            name: last.name, dnsClass: last.dnsClass, ttl: last.ttl, rdata: .tsig(rdata))
        let out = message.serialize()
        #expect(bytes(out).prefix(try tsig(of: buffer).start) == bytes(buffer).prefix(try tsig(of: buffer).start))
        return out
    }

    /// The failure of a verdict that must have failed.
    static func failure(_ verdict: TSIGRequestVerdict, sourceLocation: SourceLocation = #_sourceLocation)
        -> TSIGFailure?
    {
        guard case .failed(let failure) = verdict else {
            Issue.record("expected a failure, got \(verdict)", sourceLocation: sourceLocation)
            return nil
        }
        return failure
    }
}
