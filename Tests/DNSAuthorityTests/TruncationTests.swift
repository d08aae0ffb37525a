// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import NIOCore
import Testing

/// Large RRsets and referrals against the UDP size limits (RFC 1035 §4.2.1,
/// RFC 6891 §6.2.5, RFC 9471 §3).
@Suite struct TruncationTests {
    static let zone: String = {
        var text = """
            $ORIGIN big.
            $TTL 300
            @ SOA ns1 hostmaster 1 7200 3600 1209600 300
            @ NS ns1
            ns1 A 192.0.2.1

            """
        // 12 TXT records of ~60 octets: ~850 octets, over 512 and under 1232.
        for i in 0..<12 { text += "medium TXT \"\(String(repeating: "m", count: 50))-\(i)\"\n" }
        // 40 TXT records of ~110 octets: ~4.5 kB, over 1232.
        for i in 0..<40 { text += "large TXT \"\(String(repeating: "l", count: 100))-\(i)\"\n" }
        // A delegation whose in-domain glue cannot fit 512 octets.
        for i in 1...10 {
            text += "deleg NS ns\(i).deleg\n"
            text += "ns\(i).deleg A 192.0.2.\(i)\n"
            text += "ns\(i).deleg AAAA 2001:db8::\(i)\n"
        }
        // The same servers, as sibling glue of another delegation: optional.
        for i in 1...10 { text += "sibling NS ns\(i).deleg\n" }
        return text
    }()

    static func processor(maxUDP: Int = 1232) throws -> QueryProcessor {
        QueryProcessor(
            zones: ZoneTable([try makeZone(Self.zone, origin: "big.")]),
            options: AuthorityOptions(maxUDPPayload: maxUDP))
    }

    func ask(
        _ name: DomainName, _ type: RecordType, edns: EDNS?, transport: Transport, maxUDP: Int = 1232
    ) throws -> (DNSMessage, Int) {
        let query = DNSMessage.query(id: 5, name: name, type: type, recursionDesired: false, edns: edns)
        let buffer = try #require(
            try Self.processor(maxUDP: maxUDP).respond(to: query.serialize(), transport: transport))
        return (try DNSMessage(wire: buffer), buffer.readableBytes)
    }

    @Test func mediumRRSetWithoutEDNSIsTruncated() throws {
        let (response, size) = try self.ask("medium.big.", .txt, edns: nil, transport: .udp)
        #expect(size <= 512)
        #expect(response.header.truncated)
        #expect(response.answers.isEmpty)  // never half an RRset
        #expect(response.questions.count == 1)
        #expect(response.header.authoritative)
    }

    @Test func mediumRRSetFitsWithEDNS() throws {
        let (response, size) = try self.ask("medium.big.", .txt, edns: EDNS(udpPayloadSize: 1232), transport: .udp)
        #expect(size > 512 && size <= 1232)
        #expect(!response.header.truncated)
        #expect(response.answers.count == 12)
    }

    @Test func clientSizeBelow512CountsAs512() throws {
        let (response, size) = try self.ask("medium.big.", .txt, edns: EDNS(udpPayloadSize: 100), transport: .udp)
        #expect(size <= 512)
        #expect(response.header.truncated)
        #expect(response.edns != nil)
    }

    @Test func ourMaximumBoundsALargerClientSize() throws {
        let (response, size) = try self.ask(
            "medium.big.", .txt, edns: EDNS(udpPayloadSize: 4096), transport: .udp, maxUDP: 600)
        #expect(size <= 600)
        #expect(response.header.truncated)
        #expect(response.answers.isEmpty)
        #expect(response.edns?.udpPayloadSize == 600)
    }

    @Test func largeRRSetTruncatedOverUDPWholeOverTCP() throws {
        let (udp, udpSize) = try self.ask("large.big.", .txt, edns: EDNS(udpPayloadSize: 4096), transport: .udp)
        #expect(udpSize <= 1232)
        #expect(udp.header.truncated)
        #expect(udp.answers.isEmpty)
        let (tcp, tcpSize) = try self.ask("large.big.", .txt, edns: EDNS(udpPayloadSize: 4096), transport: .tcp)
        #expect(tcpSize > 1232)
        #expect(!tcp.header.truncated)
        #expect(tcp.answers.count == 40)
        let (plainTCP, _) = try self.ask("large.big.", .txt, edns: nil, transport: .tcp)
        #expect(plainTCP.answers.count == 40)
    }

    @Test func requiredGlueThatDoesNotFitSetsTC() throws {
        let (response, size) = try self.ask("www.deleg.big.", .a, edns: nil, transport: .udp)
        #expect(size <= 512)
        #expect(!response.header.authoritative)
        #expect(response.authorities.count == 10)
        #expect(response.additionals.count < 20)
        #expect(response.header.truncated)
        // With room for all of it, no TC.
        let (full, _) = try self.ask("www.deleg.big.", .a, edns: EDNS(udpPayloadSize: 1232), transport: .udp)
        #expect(!full.header.truncated)
        #expect(full.additionals.count == 20)
    }

    @Test func optionalSiblingGlueIsDroppedSilently() throws {
        let (response, size) = try self.ask("www.sibling.big.", .a, edns: nil, transport: .udp)
        #expect(size <= 512)
        #expect(response.authorities.count == 10)
        #expect(response.additionals.count < 20)
        #expect(!response.header.truncated)
        // A records of every server first, then AAAA (as NSD): each server keeps an address.
        #expect(Set(response.additionals.filter { $0.type == .a }.map(\.name)).count == 10)
        // Addresses come as whole RRsets.
        let names = Set(response.additionals.map { "\($0.name) \($0.type)" })
        #expect(names.count * 1 == response.additionals.count)
    }
}
