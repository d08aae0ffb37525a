// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Testing

@testable import DNSAuthority

/// Incoming AXFR (RFC 5936 §2.2) and IXFR (RFC 1995 §4) answers, written as
/// the records of each message in presentation format.
@Suite struct TransferReaderTests {
    static var zone: DomainName { (try? DomainName(labels: [Array("example".utf8)])) ?? .root }

    static func soa(_ serial: UInt32) -> String {
        "example. 3600 IN SOA ns.example. admin.example. \(serial) 3600 900 604800 300"
    }

    static func message(_ lines: [String], question: Bool = true, rcode: RCode = .noError) throws -> DNSMessage {
        var header = Header(id: 7)
        header.isResponse = true
        header.authoritative = true
        var message = DNSMessage(header: header)
        message.rcode = rcode
        if question { message.questions = [Question(name: Self.zone, type: .axfr)] }
        message.answers = try lines.map { try ResourceRecord(text: $0) }
        return message
    }

    /// Feeds the messages; returns the result, or the error's description.
    static func run(_ messages: [[String]], ourSerial: UInt32? = nil) throws -> Result<TransferResult, TransferError> {
        var reader = TransferReader(zone: Self.zone, ourSerial: ourSerial)
        for (i, lines) in messages.enumerated() {
            do {
                let done = try reader.consume(try Self.message(lines, question: i == 0))
                if done {
                    if i != messages.count - 1 { return .failure(TransferError("complete too early")) }
                    return .success(try reader.result())
                }
            } catch let error as TransferError {
                return .failure(error)
            }
        }
        return .failure(TransferError("incomplete"))
    }

    @Test func axfrInOneMessage() throws {
        let result = try Self.run([
            [Self.soa(5), "example. 3600 IN NS ns.example.", "ns.example. 3600 IN A 192.0.2.1", Self.soa(5)]
        ])
        guard case .success(.full(let records)) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(records.map(\.type) == [.soa, .ns, .a])
        #expect(try result.get().serial == 5)
    }

    @Test func axfrOverSeveralMessages() throws {
        let result = try Self.run([
            [Self.soa(5), "example. 3600 IN NS ns.example."],
            ["ns.example. 3600 IN A 192.0.2.1"],
            ["www.example. 3600 IN A 192.0.2.2", Self.soa(5)],
        ])
        guard case .success(.full(let records)) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(records.count == 4)
    }

    @Test func ixfrUpToDateIsTheSingleSOA() throws {
        let result = try Self.run([[Self.soa(5)]], ourSerial: 5)
        #expect(result == .success(.upToDate(soa: try ResourceRecord(text: Self.soa(5)))))
        // A primary behind us (RFC 1982 older) is also "nothing to do".
        let older = try Self.run([[Self.soa(4)]], ourSerial: 5)
        #expect(try older.get().serial == 4)
    }

    @Test func ixfrIncrementalTwoDifferences() throws {
        let result = try Self.run(
            [
                [
                    Self.soa(7),
                    Self.soa(5), "a.example. 300 IN A 192.0.2.1",
                    Self.soa(6), "a.example. 300 IN A 192.0.2.2",
                ],
                [
                    Self.soa(6),
                    Self.soa(7), "b.example. 300 IN TXT \"new\"",
                    Self.soa(7),
                ],
            ], ourSerial: 5)
        guard case .success(.incremental(let diffs)) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(diffs.map(\.fromSerial) == [5, 6])
        #expect(diffs.map(\.toSerial) == [6, 7])
        #expect(diffs[0].deleted.map(\.description) == ["a.example. 300 IN A 192.0.2.1"])
        #expect(diffs[0].added.map(\.description) == ["a.example. 300 IN A 192.0.2.2"])
        #expect(diffs[1].deleted.isEmpty)
        #expect(diffs[1].added.count == 1)
    }

    @Test func ixfrAnsweredInAXFRForm() throws {
        let result = try Self.run(
            [[Self.soa(9), "example. 3600 IN NS ns.example.", "ns.example. 3600 IN A 192.0.2.1", Self.soa(9)]],
            ourSerial: 5)
        guard case .success(.full(let records)) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(records.count == 3)
    }

    /// Broken transfers, each refused with a reason (never a crash, never a
    /// partial result).
    @Test(
        arguments: [
            ("empty first message", [[]], nil),
            ("ns first", [["example. 3600 IN NS ns.example.", Self.soa(5)]], nil),
            ("record outside the zone", [[Self.soa(5), "www.other. 300 IN A 192.0.2.1", Self.soa(5)]], nil),
            ("SOA below the apex", [[Self.soa(5), "sub.example. 300 IN SOA a. b. 1 2 3 4 5", Self.soa(5)]], nil),
            ("closing SOA differs", [[Self.soa(5), "example. 3600 IN NS ns.example.", Self.soa(6)]], nil),
            (
                "records after the end",
                [[Self.soa(5), "example. 3600 IN NS ns.example.", Self.soa(5), "a.example. 1 IN A 192.0.2.9"]], nil
            ),
            (
                "message after the end",
                [[Self.soa(5), "example. 3600 IN NS ns.example.", Self.soa(5)], ["a.example. 1 IN A 192.0.2.9"]], nil
            ),
            ("ends early", [[Self.soa(5), "example. 3600 IN NS ns.example."]], nil),
            ("only SOAs", [[Self.soa(5), Self.soa(5)]], nil),
            ("IXFR from a serial we do not have", [[Self.soa(7), Self.soa(4), Self.soa(7), Self.soa(7)]], 5),
            (
                "IXFR gap between differences",
                [[Self.soa(8), Self.soa(5), Self.soa(6), Self.soa(7), Self.soa(8), Self.soa(8)]], 5
            ),
            ("IXFR difference going back", [[Self.soa(8), Self.soa(5), Self.soa(4), Self.soa(8)]], 5),
            ("IXFR not ending at the announced serial", [[Self.soa(8), Self.soa(5), Self.soa(6)]], 5),
        ] as [(String, [[String]], UInt32?)])
    func refused(_ name: String, _ messages: [[String]], _ ourSerial: UInt32?) throws {
        let result = try Self.run(messages, ourSerial: ourSerial)
        guard case .failure = result else {
            Issue.record("\(name): accepted as \(result)")
            return
        }
    }

    @Test func primaryRefusesWithRCode() throws {
        var reader = TransferReader(zone: Self.zone, ourSerial: nil)
        #expect(throws: TransferError.self) {
            _ = try reader.consume(try Self.message([], rcode: .notAuth))
        }
        var reader2 = TransferReader(zone: Self.zone, ourSerial: nil)
        let message = try Self.message([], rcode: .refused)
        do {
            _ = try reader2.consume(message)
            Issue.record("accepted")
        } catch {
            #expect(error.rcode == .refused)
        }
    }

    @Test func wrongQuestionIsRefused() throws {
        var reader = TransferReader(zone: try DomainName("other."), ourSerial: nil)
        #expect(throws: TransferError.self) {
            _ = try reader.consume(try Self.message([Self.soa(1)]))
        }
    }

    @Test func recordLimitStopsARunawayPrimary() throws {
        var reader = TransferReader(zone: Self.zone, ourSerial: nil, maxRecords: 3)
        let lines = [Self.soa(1)] + (1...5).map { "h\($0).example. 1 IN A 192.0.2.\($0)" }
        #expect(throws: TransferError.self) {
            _ = try reader.consume(try Self.message(lines))
        }
    }
}
