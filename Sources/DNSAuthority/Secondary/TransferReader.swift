// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// What an incoming zone transfer brought.
public enum TransferResult: Sendable, Equatable {
    /// The primary's serial is not newer than ours (RFC 1995 §4: the reply
    /// to an IXFR is the single SOA).
    case upToDate(soa: ResourceRecord)
    /// The whole zone (AXFR, or an IXFR answered in AXFR form), SOA first.
    case full(records: [ResourceRecord])
    /// The changes since our serial, oldest first (RFC 1995 §4).
    case incremental([ZoneDiff])

    /// The serial the zone has after this transfer.
    public var serial: UInt32 {
        switch self {
        case .upToDate(let soa): return TransferReader.serial(of: soa) ?? 0
        case .full(let records): return records.first.flatMap(TransferReader.serial(of:)) ?? 0
        case .incremental(let diffs): return diffs.last?.toSerial ?? 0
        }
    }
}

/// Why an incoming transfer was refused.
public struct TransferError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    /// The RCODE the primary answered with, when that was the problem.
    public var rcode: RCode?

    public init(_ description: String, rcode: RCode? = nil) {
        self.description = description
        self.rcode = rcode
    }
}

/// Reads the messages of an AXFR (RFC 5936 §2.2) or IXFR (RFC 1995 §4)
/// answer as they arrive and decides when the transfer is complete and what
/// it contains.
///
/// ```swift
/// var reader = TransferReader(zone: origin, ourSerial: 2024010101)   // IXFR; nil for AXFR
/// while !(try reader.consume(message)) { … next message … }
/// let result = try reader.result()
/// ```
///
/// Everything is checked before anything is used: the RCODE, the question
/// (when present), that every record is of the zone's class and inside the
/// zone, that an incremental sequence is well formed (each difference starts
/// at the serial the previous one ended at and the last ends at the serial
/// announced first). A transfer that ends early is never complete.
public struct TransferReader: Sendable {
    /// The zone being transferred.
    public let zone: DomainName
    /// The serial we asked an IXFR from; nil for AXFR.
    public let ourSerial: UInt32?
    /// The zone's class.
    public let dnsClass: DNSClass
    /// Largest number of records accepted, so a runaway primary cannot
    /// exhaust memory.
    public let maxRecords: Int

    private enum State {
        case start
        /// After the first SOA, not yet knowing AXFR from IXFR form.
        case afterFirstSOA
        case full
        /// In an IXFR difference: reading deletions (after its old SOA) or
        /// additions (after its new SOA).
        case deleting
        case adding
        case done
    }

    private var state = State.start
    private var messages = 0
    private var count = 0
    private var firstSOA: ResourceRecord?
    private var records: [ResourceRecord] = []
    private var diffs: [ZoneDiff] = []
    private var current: ZoneDiff?
    private var finalResult: TransferResult?

    public init(zone: DomainName, ourSerial: UInt32?, dnsClass: DNSClass = .in, maxRecords: Int = 50_000_000) {
        self.zone = zone
        self.ourSerial = ourSerial
        self.dnsClass = dnsClass
        self.maxRecords = maxRecords
    }

    /// True once the last message has been read.
    public var isComplete: Bool { self.finalResult != nil }

    /// Takes the next message; returns true when the transfer is complete.
    /// A message after completion is an error.
    public mutating func consume(_ message: DNSMessage) throws(TransferError) -> Bool {
        guard self.finalResult == nil else { throw TransferError("a message after the end of the transfer") }
        guard message.header.isResponse else { throw TransferError("a message that is not a response") }
        guard message.rcode == .noError else {
            throw TransferError("the primary answered \(message.rcode)", rcode: message.rcode)
        }
        // RFC 5936 §2.2.1: the question is in the first message and may be
        // repeated in later ones; when present it must be ours.
        if let question = message.questions.first {
            guard message.questions.count == 1, question.name == self.zone else {
                throw TransferError("the reply is for \(question.name), not \(self.zone)")
            }
        } else if self.messages == 0 {
            // Some servers omit it in later messages; the first must carry it
            // (RFC 5936 §2.2.1 "MUST" for the first message).
            throw TransferError("the first message has no question")
        }
        self.messages += 1
        if self.messages == 1, message.answers.isEmpty {
            throw TransferError("the first message has no records (RFC 5936 §2.2: it starts with the SOA)")
        }
        for record in message.answers {
            try self.take(record)
        }
        // RFC 1995 §4: an IXFR reply that is the single SOA, no newer than ours
        // (or over UDP, any single SOA), ends the exchange.
        if self.finalResult == nil, self.state == .afterFirstSOA, let soa = self.firstSOA, let ours = self.ourSerial,
            let theirs = Self.serial(of: soa), !Self.isNewer(theirs, than: ours)
        {
            self.state = .done
            self.finalResult = .upToDate(soa: soa)
        }
        return self.finalResult != nil
    }

    /// The outcome, once ``consume(_:)`` returned true.
    public func result() throws(TransferError) -> TransferResult {
        guard let result = self.finalResult else { throw TransferError("the transfer is not complete") }
        return result
    }

    private mutating func take(_ record: ResourceRecord) throws(TransferError) {
        guard self.state != .done else { throw TransferError("records after the closing SOA") }
        self.count += 1
        guard self.count <= self.maxRecords else {
            throw TransferError("more than \(self.maxRecords) records")
        }
        guard record.dnsClass == self.dnsClass else {
            throw TransferError("\(record.name) \(record.type) has class \(record.dnsClass)")
        }
        guard record.name.isSubdomain(of: self.zone) else {
            throw TransferError("\(record.name) \(record.type) is outside the zone \(self.zone)")
        }
        let isSOA = record.type == .soa
        if isSOA, record.name != self.zone {
            throw TransferError("an SOA at \(record.name), not at the apex")
        }
        switch self.state {
        case .start:
            guard isSOA, let serial = Self.serial(of: record) else {
                throw TransferError("the transfer does not start with the zone's SOA")
            }
            _ = serial
            self.firstSOA = record
            self.state = .afterFirstSOA
        case .afterFirstSOA:
            if isSOA, self.ourSerial != nil {
                // RFC 1995 §4: a second SOA straight after the first is the old
                // SOA of the first difference — the incremental form.
                guard let serial = Self.serial(of: record), serial == self.ourSerial else {
                    if Self.serial(of: record) == self.firstSOA.flatMap(Self.serial(of:)) {
                        // SOA, SOA with the same serial: an empty AXFR form.
                        throw TransferError("a zone with nothing but its SOA")
                    }
                    throw TransferError(
                        "the incremental reply starts at serial \(Self.serial(of: record) ?? 0), we have \(self.ourSerial ?? 0)"
                    )
                }
                self.current = ZoneDiff(oldSOA: record, newSOA: record, deleted: [], added: [])
                self.state = .deleting
            } else if isSOA {
                throw TransferError("a zone with nothing but its SOA")
            } else {
                if let soa = self.firstSOA { self.records.append(soa) }
                self.records.append(record)
                self.state = .full
            }
        case .full:
            if isSOA {
                guard record.rdata == self.firstSOA?.rdata else {
                    throw TransferError("the closing SOA differs from the opening one")
                }
                self.state = .done
                self.finalResult = .full(records: self.records)
                self.records = []
            } else {
                self.records.append(record)
            }
        case .deleting:
            if isSOA {
                // The new SOA of this difference: it must move forward.
                guard let diff = self.current, let from = Self.serial(of: diff.oldSOA),
                    let to = Self.serial(of: record), Self.isNewer(to, than: from)
                else { throw TransferError("a difference whose new serial is not newer than its old one") }
                self.current?.newSOA = record
                self.state = .adding
            } else {
                self.current?.deleted.append(record)
            }
        case .adding:
            if isSOA {
                guard let diff = self.current else { throw TransferError("an SOA out of place") }
                self.diffs.append(diff)
                self.current = nil
                let serial = Self.serial(of: record)
                if record.rdata == self.firstSOA?.rdata, diff.toSerial == serial {
                    self.state = .done
                    self.finalResult = .incremental(self.diffs)
                    self.diffs = []
                } else {
                    guard serial == diff.toSerial else {
                        throw TransferError(
                            "a difference starts at serial \(serial ?? 0) where the previous ended at \(diff.toSerial)")
                    }
                    self.current = ZoneDiff(oldSOA: record, newSOA: record, deleted: [], added: [])
                    self.state = .deleting
                }
            } else {
                self.current?.added.append(record)
            }
        case .done:
            throw TransferError("records after the closing SOA")
        }
    }

    public static func serial(of record: ResourceRecord) -> UInt32? {
        if case .soa(let soa) = record.rdata { return soa.serial }
        return nil
    }

    /// RFC 1982 §3.2: `a` is newer than `b`.
    public static func isNewer(_ a: UInt32, than b: UInt32) -> Bool {
        a != b && (a &- b) < 0x8000_0000
    }
}
