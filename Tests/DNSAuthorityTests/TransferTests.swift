// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import NIOCore
import Testing

/// Outgoing AXFR (RFC 5936) and IXFR (RFC 1995): packing, sequences,
/// fallbacks, access control, malformed requests.
@Suite struct TransferTests {
    static let origin = try! DomainName("example.")
    static let sig = "A 13 2 300 20300101000000 20200101000000 12345 example. dGVzdA=="

    /// A zone of `names` names with A and TXT each, signed apex and `www`, and a delegation with glue.
    static func zone(serial: UInt32 = 1, names: Int = 50, extra: String = "") throws -> Zone {
        var text = """
            $TTL 300
            @ SOA ns1 hostmaster \(serial) 7200 3600 1209600 300
            @ RRSIG SOA 13 1 300 20300101000000 20200101000000 12345 example. dGVzdA==
            @ NS ns1
            ns1 A 192.0.2.1
            www A 192.0.2.2
            www RRSIG \(sig)
            sub NS ns.sub
            ns.sub A 192.0.2.53

            """
        for k in 0..<names {
            text += "h\(k) A 192.0.2.\(k % 250 + 1)\nh\(k) TXT \"host number \(k) with some text to make it longer\"\n"
        }
        text += extra
        return try makeZone(text, origin: origin)
    }

    static func request(_ type: RecordType, name: DomainName = origin, dnsClass: DNSClass = .in, serial: UInt32? = nil)
        -> ByteBuffer
    {
        var message = DNSMessage.query(
            id: 777, name: name, type: type, dnsClass: dnsClass, recursionDesired: false, edns: nil)
        if let serial {
            message.authorities = [
                try! ResourceRecord(text: "\(name) 300 IN SOA ns1.example. hostmaster.example. \(serial) 1 1 1 1")
            ]
        }
        return message.serialize()
    }

    static let everyone = TransferACL(entries: [.network(ClientIP("0.0.0.0")!, prefixLength: 0)])
    static let client = ClientIP("192.0.2.99")!

    /// All messages of an outcome, decoded.
    static func messages(_ outcome: TransferResponder.Outcome) throws -> [(DNSMessage, Int)] {
        switch outcome {
        case .stream(var packer, _):
            var result: [(DNSMessage, Int)] = []
            while let buffer = packer.nextMessage() {
                result.append((try DNSMessage(wire: buffer), buffer.readableBytes))
            }
            return result
        case .single(let buffer, _):
            return [(try DNSMessage(wire: buffer), buffer.readableBytes)]
        case .notTransfer, .refused:
            return []
        }
    }

    static func responder(history: [ZoneDiff] = [], maxMessageSize: Int = 16384) -> TransferResponder {
        TransferResponder(
            access: [origin: everyone], history: history.isEmpty ? [:] : [origin: history],
            maxMessageSize: maxMessageSize)
    }

    @Test(arguments: [512, 4096, 16384, 65535])
    func axfrSendsEveryRecordOnceWithTheSOAFirstAndLast(limit: Int) throws {
        let zone = try Self.zone(names: 800)
        let outcome = Self.responder(maxMessageSize: limit).respond(
            to: Self.request(.axfr), zones: ZoneTable([zone]), client: Self.client, keyName: nil, transport: .tcp)
        let messages = try Self.messages(outcome)
        #expect(messages.count > 1)
        var records: [ResourceRecord] = []
        for (index, (message, size)) in messages.enumerated() {
            #expect(size <= limit)
            #expect(message.header.id == 777)
            #expect(message.header.isResponse && message.header.authoritative)
            #expect(message.rcode == .noError)
            #expect(message.questions.count == (index == 0 ? 1 : 0))
            records += message.answers
        }
        #expect(records.first == zone.soa)
        #expect(records.last == zone.soa)
        #expect(records.filter { $0.type == .soa }.count == 2)
        let body = Array(records.dropFirst().dropLast())
        let expected = zone.recordsExceptSOA()
        #expect(body.count == expected.count)
        #expect(Set(body) == Set(expected))
        #expect(body.contains { $0.type == .rrsig })
        #expect(body.contains { $0.name.description == "ns.sub.example." })  // glue
    }

    @Test func everyMessageGoesThroughTheFinisherWithRoomReserved() throws {
        let zone = try Self.zone(names: 300)
        guard
            case .stream(var packer, _) = Self.responder(maxMessageSize: 2048).respond(
                to: Self.request(.axfr), zones: ZoneTable([zone]), client: Self.client, keyName: nil, transport: .tcp)
        else {
            Issue.record("expected a stream")
            return
        }
        packer.reservedOctets = 100
        var indexes: [Int] = []
        packer.finishMessage = { buffer, index in
            indexes.append(index)
            var signed = buffer
            signed.writeRepeatingByte(0, count: 100)  // stands in for a TSIG record
            return signed
        }
        var sizes: [Int] = []
        while let message = packer.nextMessage() { sizes.append(message.readableBytes) }
        #expect(indexes == Array(0..<sizes.count))
        #expect(sizes.count > 2 && sizes.allSatisfy { $0 <= 2048 })
    }

    @Test func axfrNamesAreCompressed() throws {
        let zone = try Self.zone(names: 100)
        let messages = try Self.messages(
            Self.responder().respond(
                to: Self.request(.axfr), zones: ZoneTable([zone]), client: Self.client, keyName: nil, transport: .tcp))
        let total = messages.reduce(0) { $0 + $1.1 }
        let uncompressed = zone.recordsExceptSOA().reduce(0) { $0 + $1.name.wireLength + 10 + $1.rdata.wireBytes.count }
        #expect(total < uncompressed)
    }

    @Test func axfrOverUDPIsLeftToTheQueryPath() throws {
        let zone = try Self.zone()
        let outcome = Self.responder().respond(
            to: Self.request(.axfr), zones: ZoneTable([zone]), client: Self.client, keyName: nil, transport: .udp)
        guard case .notTransfer = outcome else {
            Issue.record("AXFR over UDP must not be served: \(outcome)")
            return
        }
        // …which answers NOTIMP.
        let processor = QueryProcessor(zones: ZoneTable([zone]))
        let reply = try #require(processor.respond(to: Self.request(.axfr), transport: .udp))
        #expect(try DNSMessage(wire: reply).rcode == .notImp)
    }

    @Test func aClientNotInTheACLIsRefused() throws {
        let zone = try Self.zone()
        var responder = Self.responder()
        responder.access[Self.origin] = TransferACL(entries: [TransferACL.entry(parsing: "198.51.100.0/24")!])
        for transport in [Transport.tcp, .udp] {
            let outcome = responder.respond(
                to: Self.request(.ixfr, serial: 0), zones: ZoneTable([zone]), client: Self.client, keyName: nil,
                transport: transport)
            guard case .refused = outcome else {
                Issue.record("expected refused over \(transport): \(outcome)")
                continue
            }
        }
        let allowed = responder.respond(
            to: Self.request(.axfr), zones: ZoneTable([zone]), client: ClientIP("198.51.100.7")!, keyName: nil,
            transport: .tcp)
        #expect(try Self.messages(allowed).count == 1)
        // Default: nobody.
        let none = TransferResponder().respond(
            to: Self.request(.axfr), zones: ZoneTable([zone]), client: ClientIP("127.0.0.1")!, keyName: nil,
            transport: .tcp)
        guard case .refused = none else {
            Issue.record("expected refused by default: \(none)")
            return
        }
    }

    @Test(arguments: [
        // (request, expected RCODE)
        ("class CH", RCode.notAuth),
        ("not the apex", .notAuth),
        ("a zone not served", .notAuth),
        ("IXFR without SOA", .formErr),
        ("IXFR with an answer", .formErr),
        ("truncated", .formErr),
    ])
    func malformedTransferRequestsGetAnError(label: String, rcode: RCode) throws {
        let zone = try Self.zone()
        var buffer: ByteBuffer
        switch label {
        case "class CH": buffer = Self.request(.axfr, dnsClass: .ch)
        case "not the apex": buffer = Self.request(.axfr, name: try DomainName("www.example."))
        case "a zone not served": buffer = Self.request(.axfr, name: try DomainName("example.net."))
        case "IXFR without SOA": buffer = Self.request(.ixfr)
        case "IXFR with an answer":
            var message = DNSMessage.query(id: 777, name: Self.origin, type: .ixfr, edns: nil)
            message.answers = [zone.soa]
            message.authorities = [zone.soa]
            buffer = message.serialize()
        default:
            buffer = Self.request(.axfr)
            buffer.moveWriterIndex(to: buffer.writerIndex - 2)
        }
        let outcome = Self.responder().respond(
            to: buffer, zones: ZoneTable([zone]), client: Self.client, keyName: nil, transport: .tcp)
        let messages = try Self.messages(outcome)
        #expect(messages.count == 1, "\(label)")
        #expect(messages.first?.0.rcode == rcode, "\(label)")
        #expect(messages.first?.0.answers.isEmpty == true)
    }

    /// Every one-octet change and every truncation of an IXFR request: no
    /// trap, and an answer is either left to the query path, one error
    /// message, or a well-formed transfer.
    @Test func mutatedRequestsNeverTrap() throws {
        let zone = try Self.zone(names: 3)
        let (_, diffs) = try Self.history()
        let responder = Self.responder(history: diffs)
        let original = Array(Self.request(.ixfr, serial: 1).readableBytesView)
        var variants: [[UInt8]] = (0..<original.count).map { Array(original[..<$0]) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var bytes = original
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            variants.append(bytes)
        }
        for bytes in variants {
            for transport in [Transport.tcp, .udp] {
                let outcome = responder.respond(
                    to: ByteBuffer(bytes: bytes), zones: ZoneTable([zone]), client: Self.client, keyName: nil,
                    transport: transport)
                for (message, size) in try Self.messages(outcome) {
                    #expect(message.header.isResponse && size <= 65535)
                }
            }
        }
    }

    @Test func aRequestWithoutOneQuestionIsNotATransfer() throws {
        var message = DNSMessage.query(id: 1, name: Self.origin, type: .axfr, edns: nil)
        message.questions = []
        #expect(TransferRequest.peekType(message.serialize()) == nil)
        message.questions = [Question(name: Self.origin, type: .axfr), Question(name: Self.origin, type: .axfr)]
        #expect(TransferRequest.peekType(message.serialize()) == nil)
        #expect(TransferRequest.peekType(Self.request(.a)) == nil)
        #expect(TransferRequest.peekType(ByteBuffer(bytes: [0, 1, 0])) == nil)
        #expect(TransferRequest.peekType(Self.request(.ixfr, serial: 1)) == .ixfr)
        var notify = DNSMessage.query(id: 1, name: Self.origin, type: .axfr, edns: nil)
        notify.header.opcode = .notify
        #expect(TransferRequest.peekType(notify.serialize()) == nil)
    }

    // MARK: IXFR

    /// Zones at serials 1, 2, 3 and the diffs between them.
    static func history() throws -> (zones: [Zone], diffs: [ZoneDiff]) {
        let z1 = try Self.zone(serial: 1, names: 5)
        let z2 = try Self.zone(serial: 2, names: 5, extra: "new A 192.0.2.77\n")
        let z3 = try Self.zone(serial: 3, names: 5, extra: "new A 192.0.2.78\n")
        return ([z1, z2, z3], [z2.difference(from: z1), z3.difference(from: z2)])
    }

    @Test func ixfrSendsTheChangesSinceTheClientsSerial() throws {
        let (zones, diffs) = try Self.history()
        let current = zones[2]
        let outcome = Self.responder(history: diffs).respond(
            to: Self.request(.ixfr, serial: 1), zones: ZoneTable([current]), client: Self.client, keyName: nil,
            transport: .tcp)
        let records = try Self.messages(outcome).flatMap(\.0.answers)
        var expected = [current.soa]
        for diff in diffs { expected += [diff.oldSOA] + diff.deleted + [diff.newSOA] + diff.added }
        expected.append(current.soa)
        #expect(records == expected)
        #expect(records[1].description.contains(" 1 7200"))
        // From serial 2: only the last change.
        let fromTwo = try Self.messages(
            Self.responder(history: diffs).respond(
                to: Self.request(.ixfr, serial: 2), zones: ZoneTable([current]), client: Self.client, keyName: nil,
                transport: .tcp)
        ).flatMap(\.0.answers)
        #expect(
            fromTwo == [current.soa, diffs[1].oldSOA] + diffs[1].deleted + [diffs[1].newSOA] + diffs[1].added + [
                current.soa
            ])
    }

    @Test func changesLargerThanTheZoneAreSentAsTheWholeZone() throws {
        let small = try makeZone("$TTL 300\n@ SOA ns1 h 1 1 1 1 1\n@ NS ns1\nns1 A 192.0.2.1\n", origin: Self.origin)
        var text = "$TTL 300\n@ SOA ns1 h 2 1 1 1 1\n@ NS ns1\nns1 A 192.0.2.2\n"
        for k in 0..<3 { text += "n\(k) A 192.0.2.\(k + 10)\n" }
        let big = try makeZone(text, origin: Self.origin)
        let diff = big.difference(from: small)  // 1 deleted + 4 added + 2 SOAs > 6 records
        let records = try Self.messages(
            Self.responder(history: [diff]).respond(
                to: Self.request(.ixfr, serial: 1), zones: ZoneTable([big]), client: Self.client, keyName: nil,
                transport: .tcp)
        ).flatMap(\.0.answers)
        #expect(records == [big.soa] + big.recordsExceptSOA() + [big.soa])
    }

    @Test(arguments: [3, 4, 100])
    func ixfrFromACurrentOrNewerSerialGetsTheSOAAlone(serial: UInt32) throws {
        let (zones, diffs) = try Self.history()
        let messages = try Self.messages(
            Self.responder(history: diffs).respond(
                to: Self.request(.ixfr, serial: serial), zones: ZoneTable([zones[2]]), client: Self.client,
                keyName: nil, transport: .tcp))
        #expect(messages.count == 1)
        #expect(messages[0].0.answers == [zones[2].soa])
    }

    /// 0 and 2^32 − 10 are older than 3 (RFC 1982) but not in the history.
    @Test(arguments: [0, UInt32.max - 10])
    func ixfrBeyondTheHistoryFallsBackToTheWholeZone(serial: UInt32) throws {
        let (zones, diffs) = try Self.history()
        let current = zones[2]
        let records = try Self.messages(
            Self.responder(history: diffs).respond(
                to: Self.request(.ixfr, serial: serial), zones: ZoneTable([current]), client: Self.client,
                keyName: nil, transport: .tcp)
        ).flatMap(\.0.answers)
        #expect(records == [current.soa] + current.recordsExceptSOA() + [current.soa])
    }

    @Test func ixfrOverUDPGetsTheCurrentSOAAlone() throws {
        let (zones, diffs) = try Self.history()
        let outcome = Self.responder(history: diffs).respond(
            to: Self.request(.ixfr, serial: 1), zones: ZoneTable([zones[2]]), client: Self.client, keyName: nil,
            transport: .udp)
        guard case .single(let buffer, _) = outcome else {
            Issue.record("expected one message: \(outcome)")
            return
        }
        let message = try DNSMessage(wire: buffer)
        #expect(message.answers == [zones[2].soa])
        #expect(message.header.authoritative)
    }

    @Test func theIncrementalPlanNeedsAnUnbrokenChain() throws {
        let (_, diffs) = try Self.history()
        let s = SerialNumber.init
        #expect(IncrementalTransferPlan.plan(current: s(3), history: diffs, clientSerial: s(1)) == .incremental(diffs))
        #expect(
            IncrementalTransferPlan.plan(current: s(3), history: diffs, clientSerial: s(2)) == .incremental([diffs[1]]))
        #expect(IncrementalTransferPlan.plan(current: s(3), history: [diffs[0]], clientSerial: s(1)) == .full)
        #expect(IncrementalTransferPlan.plan(current: s(3), history: [diffs[1]], clientSerial: s(1)) == .full)
        #expect(IncrementalTransferPlan.plan(current: s(3), history: [], clientSerial: s(2)) == .full)
        #expect(IncrementalTransferPlan.plan(current: s(3), history: diffs, clientSerial: s(3)) == .upToDate)
        // Serial arithmetic: 2^32 - 1 is older than 3.
        #expect(IncrementalTransferPlan.plan(current: s(3), history: diffs, clientSerial: s(UInt32.max)) == .full)
    }

    // MARK: ACL

    @Test(arguments: [
        ("192.0.2.0/24", "192.0.2.200", true),
        ("192.0.2.0/24", "192.0.3.1", false),
        ("192.0.2.7", "192.0.2.7", true),
        ("192.0.2.7", "192.0.2.8", false),
        ("::1/128", "::1", true),
        ("::1/128", "127.0.0.1", false),
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("0.0.0.0/0", "203.0.113.9", true),
        ("0.0.0.0/0", "2001:db8::1", false),
    ])
    func networksMatchTheirAddresses(entry: String, client: String, allowed: Bool) throws {
        let acl = TransferACL(entries: [try #require(TransferACL.entry(parsing: entry))])
        #expect(acl.allows(client: try #require(ClientIP(client)), keyName: nil) == allowed)
    }

    @Test func keysMatchSignedRequestsFromAnywhere() throws {
        let acl = TransferACL(entries: [try #require(TransferACL.entry(parsing: "key:transfer"))])
        let anywhere = try #require(ClientIP("203.0.113.1"))
        #expect(acl.allows(client: anywhere, keyName: try DomainName("Transfer.")))
        #expect(!acl.allows(client: anywhere, keyName: try DomainName("other.")))
        #expect(!acl.allows(client: anywhere, keyName: nil))
        #expect(!TransferACL.none.allows(client: anywhere, keyName: try DomainName("transfer.")))
    }

    @Test(arguments: ["", "key:", "192.0.2.0/33", "::/129", "192.0.2.0/", "192.0.2.0/-1", "example.org", "1.2.3/8"])
    func badEntriesAreRejected(text: String) {
        #expect(TransferACL.entry(parsing: text) == nil)
    }

    // MARK: NOTIFY

    @Test func notifyMessageAndIncomingNotify() throws {
        let zone = try Self.zone()
        let message = Notify.message(origin: Self.origin, soa: zone.soa, id: 99)
        #expect(message.header.opcode == .notify)
        #expect(message.header.authoritative)
        #expect(message.questions == [Question(name: Self.origin, type: .soa)])
        #expect(message.answers == [zone.soa])
        let (reply, _) = try #require(Notify.answer(message.serialize(), zones: ZoneTable([zone])))
        let decoded = try DNSMessage(wire: reply)
        #expect(decoded.rcode == .noError && decoded.header.authoritative && decoded.header.isResponse)
        #expect(Notify.isReply(decoded, to: message))
        let other = Notify.message(origin: try DomainName("example.net."), soa: zone.soa, id: 98)
        let (otherReply, _) = try #require(Notify.answer(other.serialize(), zones: ZoneTable([zone])))
        #expect(try DNSMessage(wire: otherReply).rcode == .notAuth)
        var bad = message.serialize()
        bad.moveWriterIndex(to: bad.writerIndex - 3)
        let (badReply, _) = try #require(Notify.answer(bad, zones: ZoneTable([zone])))
        #expect(try DNSMessage(wire: badReply).rcode == .formErr)
        #expect(Notify.answer(Self.request(.soa), zones: ZoneTable([zone])) == nil)
    }
}
