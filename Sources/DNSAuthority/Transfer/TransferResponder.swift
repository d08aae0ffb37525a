// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import NIOCore

/// Answers outgoing zone transfers: AXFR (RFC 5936) and IXFR (RFC 1995),
/// with access control per zone. Pure code: no sockets; the server turns a
/// ``Outcome/stream(_:summary:)`` into TCP messages.
///
/// Rules:
/// - only a QUERY with one question of type AXFR or IXFR is a transfer;
/// - the question must name the apex of a zone served, class IN: otherwise
///   NOTAUTH (as BIND answers);
/// - the client must be allowed by the zone's ``TransferACL``: otherwise the
///   query path answers REFUSED (with EDE 18 "Prohibited");
/// - AXFR over UDP is left to the query path (NOTIMP, RFC 5936 §4.2 allows
///   no UDP transfer);
/// - IXFR over UDP is answered with the current SOA alone, telling the
///   client to ask over TCP unless it is up to date (RFC 1995 §2);
/// - IXFR over TCP sends the changes since the client's serial when the
///   history holds them and they are smaller than the zone, the whole zone
///   otherwise (RFC 1995 §4), the SOA alone when the client is current.
public struct TransferResponder: Sendable {
    /// Who may transfer each zone; a zone not listed: nobody.
    public var access: [DomainName: TransferACL]
    /// The changes of each zone, oldest first, ending at the served serial.
    public var history: [DomainName: [ZoneDiff]]
    /// Message size of transfers over TCP.
    public var maxMessageSize: Int

    /// A responder with nothing allowed.
    public init(
        access: [DomainName: TransferACL] = [:], history: [DomainName: [ZoneDiff]] = [:],
        maxMessageSize: Int = TransferMessagePacker.defaultMessageSize
    ) {
        self.access = access
        self.history = history
        self.maxMessageSize = maxMessageSize
    }

    /// What to do with a request.
    public enum Outcome {
        /// Not a transfer (or AXFR over UDP): the query path answers it.
        case notTransfer
        /// A transfer not allowed: the query path answers REFUSED; the reason is for the log.
        case refused(String)
        /// One message (an error, or an IXFR answered with the SOA).
        case single(ByteBuffer, summary: String)
        /// The messages of a transfer, produced on demand.
        case stream(TransferMessagePacker, summary: String)
    }

    /// The outcome for `request` from `client` over `transport`; `keyName`
    /// is the TSIG key the request was signed with, once verified (nil: unsigned).
    public func respond(
        to buffer: ByteBuffer, zones: ZoneTable, client: ClientIP, keyName: DomainName?, transport: Transport
    ) -> Outcome {
        guard let type = TransferRequest.peekType(buffer) else { return .notTransfer }
        if type == .axfr && transport == .udp { return .notTransfer }
        let request: TransferRequest
        switch TransferRequest.parse(buffer) {
        case .failure(let problem):
            guard let header = DNSMessage.header(of: buffer) else { return .notTransfer }
            return .single(
                Self.errorMessage(header: header, question: nil, rcode: problem.rcode), summary: problem.reason)
        case .success(let parsed):
            request = parsed
        }
        let question = request.question
        let edns = request.edns.map { _ in EDNS(udpPayloadSize: 1232) }
        let name = "\(question.type) \(question.name) to \(client)"
        guard question.dnsClass == .in, let zone = zones.zone(for: question.name), zone.origin == question.name else {
            return .single(
                Self.errorMessage(header: request.header, question: question, rcode: .notAuth, edns: edns),
                summary: "\(name): not authoritative")
        }
        guard (self.access[zone.origin] ?? .none).allows(client: client, keyName: keyName) else {
            return .refused("\(name) refused: not in allow-transfer")
        }
        let size = transport == .tcp ? self.maxMessageSize : 512
        func packer(_ source: @escaping () -> ResourceRecord?) -> TransferMessagePacker {
            TransferMessagePacker(
                header: request.header, question: question, edns: edns, maxMessageSize: size, source: source)
        }
        let serial = zone.serialNumber
        guard request.isIncremental else {
            return .stream(packer(TransferRecords.full(zone)), summary: "\(name): full, serial \(serial)")
        }
        guard let clientSerial = request.clientSerial else { return .notTransfer }
        var plan = IncrementalTransferPlan.plan(
            current: serial, history: self.history[zone.origin] ?? [], clientSerial: SerialNumber(clientSerial))
        // Changes larger than the zone: the whole zone is cheaper (BIND's
        // max-ixfr-ratio, 100% by default).
        if case .incremental(let diffs) = plan,
            diffs.reduce(0, { $0 + 2 + $1.deleted.count + $1.added.count }) > zone.recordCount
        {
            plan = .full
        }
        if transport == .udp {
            var single = packer(TransferRecords.soaOnly(zone.soa))
            guard let message = single.nextMessage() else { return .notTransfer }
            return .single(message, summary: "\(name) over UDP: SOA \(serial) (client has \(clientSerial))")
        }
        switch plan {
        case .upToDate:
            return .stream(
                packer(TransferRecords.soaOnly(zone.soa)),
                summary: "\(name): up to date (client \(clientSerial), serial \(serial))")
        case .incremental(let diffs):
            return .stream(
                packer(TransferRecords.incremental(currentSOA: zone.soa, diffs: diffs)),
                summary: "\(name): incremental \(clientSerial) -> \(serial), \(diffs.count) changes")
        case .full:
            return .stream(
                packer(TransferRecords.full(zone)),
                summary: "\(name): full (no history from \(clientSerial)), serial \(serial)")
        }
    }

    /// A response with no records and `rcode`.
    static func errorMessage(header request: Header, question: Question?, rcode: RCode, edns: EDNS? = nil)
        -> ByteBuffer
    {
        var header = Header(id: request.id)
        header.isResponse = true
        header.opcode = request.opcode
        header.recursionDesired = request.recursionDesired
        var message = DNSMessage(header: header)
        if let question { message.questions = [question] }
        message.edns = edns
        message.rcode = rcode
        return message.serialize()
    }
}
