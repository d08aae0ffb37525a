// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore
import Testing

@testable import DNSAuthority

/// The common-query reader (one view of the octets) against the general
/// one: the same request for every query it accepts, and nil (the general
/// reader decides) for malformed and unusual messages. Never traps.
@Suite struct RequestParserCommonTests {
    static let queries: [DNSMessage] = [
        DNSMessage.query(id: 1, name: "www.example.", type: .a, edns: nil),
        DNSMessage.query(id: 2, name: "WwW.ExAmple.", type: .aaaa, edns: EDNS()),
        DNSMessage.query(id: 3, name: "a.b.c.example.", type: .mx, edns: EDNS(udpPayloadSize: 512, dnssecOK: true)),
        DNSMessage.query(id: 4, name: ".", type: .ns, edns: EDNS(version: 1)),
        DNSMessage.query(
            id: 5, name: "example.", type: .soa,
            edns: EDNS(options: [EDNSOption(code: .nsid, data: []), EDNSOption(code: .cookie, data: Array(1...8))])),
        DNSMessage.query(id: 6, name: "x.example.", type: .txt, dnsClass: .ch, edns: nil),
    ]

    @Test func sameRequestAsTheGeneralReader() throws {
        for query in Self.queries {
            let wire = query.serialize()
            let common = try #require(ParsedRequest.parseCommon(wire), "\(query.questions)")
            #expect(ParsedRequest.parseGeneral(wire) == .query(common))
            #expect(ParsedRequest.parse(wire) == .query(common))
        }
    }

    /// Every truncation and every single-octet change of the queries: the
    /// common reader either agrees with the general one or leaves it to it.
    @Test func mutationsAgreeOrFallBack() throws {
        for query in Self.queries {
            let bytes = Array(query.serialize().readableBytesView)
            var variants: [[UInt8]] = []
            for cut in 0..<bytes.count { variants.append(Array(bytes[0..<cut])) }
            variants.append(bytes + [0])
            for i in 0..<bytes.count {
                for value: UInt8 in [0, 1, 0x3F, 0x40, 0xC0, 0xC0 | 12, 0xFF] where bytes[i] != value {
                    var changed = bytes
                    changed[i] = value
                    variants.append(changed)
                }
            }
            for variant in variants {
                let buffer = ByteBuffer(bytes: variant)
                guard let common = ParsedRequest.parseCommon(buffer) else { continue }
                #expect(ParsedRequest.parseGeneral(buffer) == .query(common), "\(variant)")
            }
        }
    }

    @Test func unusualShapesGoToTheGeneralReader() throws {
        var notQuery = DNSMessage.query(id: 1, name: "www.example.", type: .a, edns: nil)
        notQuery.header.opcode = .notify
        var response = DNSMessage.query(id: 1, name: "www.example.", type: .a, edns: nil)
        response.header.isResponse = true
        var twoQuestions = DNSMessage.query(id: 1, name: "www.example.", type: .a, edns: nil)
        twoQuestions.questions.append(twoQuestions.questions[0])
        var withAnswer = DNSMessage.query(id: 1, name: "www.example.", type: .a, edns: nil)
        withAnswer.answers = [try ResourceRecord(text: "www.example. 60 IN A 192.0.2.1")]
        for message in [notQuery, response, twoQuestions, withAnswer] {
            #expect(ParsedRequest.parseCommon(message.serialize()) == nil)
        }
        // A compressed question name (legal, unusual) is read by the general reader.
        let pointer = ByteBuffer(bytes: [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1])
        #expect(ParsedRequest.parseCommon(pointer) == nil)
    }
}
