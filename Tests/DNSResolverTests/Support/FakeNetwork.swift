// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging
import NIOCore
import Synchronization

@testable import DNSResolver

/// A scripted network of authoritative servers, no sockets: each address
/// serves some zones (records in presentation format) and answers as an
/// authority would (referrals with the glue it holds, CNAMEs, NODATA and
/// NXDOMAIN with the SOA), or misbehaves as told.
final class FakeNetwork: UpstreamTransport {
    enum Behaviour: Sendable {
        case serve
        case refuseQueries  // REFUSED
        case portUnreachable  // ICMP port unreachable
        case noRoute  // ENETUNREACH
        case silent  // timeout
        case truncateUDP  // TC over UDP, the answer over TCP
        case refuseShortNames(minimumLabels: Int)  // REFUSED for names with fewer labels
    }

    struct Sent: Sendable, Hashable {
        var server: String
        var name: String
        var type: RecordType
        var tcp: Bool
    }

    private let zones: [String: [DomainName: [ResourceRecord]]]
    private let behaviour: [String: Behaviour]
    private let log = Mutex<[Sent]>([])

    /// `servers`: address → zone texts (records, one per line, absolute names).
    init(servers: [String: [String]], behaviour: [String: Behaviour] = [:]) throws {
        var zones: [String: [DomainName: [ResourceRecord]]] = [:]
        for (address, texts) in servers {
            var byZone: [DomainName: [ResourceRecord]] = [:]
            for text in texts {
                let records = try text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }.map {
                    try ResourceRecord(text: String($0))
                }
                guard let soa = records.first(where: { $0.type == .soa }) else { continue }
                byZone[soa.name] = records
            }
            zones[address] = byZone
        }
        self.zones = zones
        self.behaviour = behaviour
    }

    var sent: [Sent] { self.log.withLock { $0 } }
    func sent(to server: String) -> [Sent] { self.sent.filter { $0.server == server } }

    func send(_ query: DNSMessage, to server: SocketAddress, overTCP: Bool, timeout: Duration) async -> UpstreamResult {
        let address = server.ipAddress ?? "?"
        guard let question = query.questions.first else { return .failed }
        self.log.withLock {
            $0.append(Sent(server: address, name: question.name.description, type: question.type, tcp: overTCP))
        }
        switch self.behaviour[address] ?? .serve {
        case .refuseQueries:
            var reply = self.reply(to: query)
            reply.rcode = .refused
            return .reply(reply, roundTrip: .milliseconds(1))
        case .portUnreachable: return .refused
        case .noRoute: return .unreachable
        case .silent: return .timedOut
        case .refuseShortNames(let minimum) where question.name.labelCount < minimum:
            var reply = self.reply(to: query)
            reply.rcode = .refused
            return .reply(reply, roundTrip: .milliseconds(1))
        case .truncateUDP where !overTCP:
            var reply = self.reply(to: query)
            reply.header.truncated = true
            return .reply(reply, roundTrip: .milliseconds(1))
        default: break
        }
        guard let hosted = self.zones[address] else { return .refused }
        // The deepest zone this server has that holds the name.
        guard
            let (apex, records) = hosted.filter({ question.name.isSubdomain(of: $0.key) }).max(by: {
                $0.key.labelCount < $1.key.labelCount
            })
        else {
            var reply = self.reply(to: query)
            reply.rcode = .refused
            return .reply(reply, roundTrip: .milliseconds(1))
        }
        return .reply(
            Self.answer(question, apex: apex, records: records, query: self.reply(to: query)),
            roundTrip: .milliseconds(2))
    }

    private func reply(to query: DNSMessage) -> DNSMessage {
        var header = Header(id: query.header.id)
        header.isResponse = true
        return DNSMessage(header: header, questions: query.questions)
    }

    static func answer(_ q: Question, apex: DomainName, records: [ResourceRecord], query: DNSMessage) -> DNSMessage {
        var reply = query
        // A zone cut between the apex and the name: a referral.
        var cut = q.name
        var cuts: [DomainName] = []
        while cut != apex {
            cuts.append(cut)
            guard let parent = cut.parent else { break }
            cut = parent
        }
        for candidate in cuts.reversed() {
            let ns = records.filter { $0.name == candidate && $0.type == .ns }
            if !ns.isEmpty && !(candidate == q.name && q.type == .ds) {
                reply.authorities = ns
                for record in ns {
                    guard case .ns(let host) = record.rdata else { continue }
                    reply.additionals += records.filter { $0.name == host && ($0.type == .a || $0.type == .aaaa) }
                }
                return reply
            }
        }
        reply.header.authoritative = true
        let here = records.filter { $0.name == q.name }
        let data = here.filter { $0.type == q.type }
        if !data.isEmpty {
            reply.answers = data
            return reply
        }
        if let cname = here.first(where: { $0.type == .cname }) {
            reply.answers = [cname]
            if case .cname(let target) = cname.rdata, target.isSubdomain(of: apex) {
                reply.answers += records.filter { $0.name == target && $0.type == q.type }
            }
            return reply
        }
        if let dname = records.first(where: {
            $0.type == .dname && q.name.isSubdomain(of: $0.name) && q.name != $0.name
        }), case .dname(let target) = dname.rdata,
            let synthesized = RecursiveResolver.substitute(q.name, from: dname.name, to: target)
        {
            reply.answers = [dname, ResourceRecord(name: q.name, ttl: dname.ttl, rdata: .cname(synthesized))]
            return reply
        }
        let soa = records.filter { $0.type == .soa }
        reply.authorities = soa
        let exists = records.contains { $0.name == q.name || $0.name.isSubdomain(of: q.name) }
        if !exists { reply.rcode = .nxDomain }
        return reply
    }
}

/// Collects log lines (swift-log) for tests that count them.
final class CapturedLog: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "test") { _ in Handler(sink: self) }
    }

    struct Handler: LogHandler {
        let sink: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { self.metadata[key] }
            set { self.metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            self.sink.lines.withLock { $0.append("\(event.level) \(event.message)") }
        }
    }
}

/// The root, test. and example. zones most tests use.
enum FakeZones {
    static let root = """
        . 86400 IN SOA a.root. h. 1 1 1 1 300
        . 86400 IN NS a.root.
        a.root. 86400 IN A 10.0.0.1
        test. 86400 IN NS ns.test.
        ns.test. 86400 IN A 10.0.1.1
        other. 86400 IN NS ns.other.
        ns.other. 86400 IN A 10.0.2.1
        """
    static let test = """
        test. 3600 IN SOA ns.test. h. 1 1 1 1 300
        test. 3600 IN NS ns.test.
        ns.test. 3600 IN A 10.0.1.1
        example.test. 3600 IN NS ns.example.test.
        ns.example.test. 3600 IN A 10.0.3.1
        """
    static let example = """
        example.test. 300 IN SOA ns.example.test. h. 1 1 1 1 60
        example.test. 300 IN NS ns.example.test.
        ns.example.test. 300 IN A 10.0.3.1
        www.example.test. 300 IN A 192.0.2.1
        alias.example.test. 300 IN CNAME www.example.test.
        away.example.test. 300 IN CNAME host.other.
        """
    static let other = """
        other. 3600 IN SOA ns.other. h. 1 1 1 1 120
        other. 3600 IN NS ns.other.
        ns.other. 3600 IN A 10.0.2.1
        host.other. 3600 IN A 192.0.2.9
        """

    static var hints: RootHints {
        get throws {
            try RootHints(parsing: ". 3600000 NS a.root.\na.root. 3600000 A 10.0.0.1\n")
        }
    }

    static func resolver(
        _ network: FakeNetwork, logger: Logger = Logger(label: "test"), validator: (any ResponseValidating)? = nil,
        configure: (inout ResolverOptions) -> Void = { _ in }
    ) throws -> RecursiveResolver {
        var options = ResolverOptions()
        options.rootHints = try Self.hints
        options.initialTimeout = .milliseconds(50)
        configure(&options)
        return RecursiveResolver(options: options, transport: network, validator: validator, logger: logger)
    }

    static func query(_ name: String, _ type: RecordType, dnssecOK: Bool = false, cd: Bool = false) throws -> DNSMessage
    {
        var query = DNSMessage.query(
            id: 4242, name: try DomainName(name, origin: .root), type: type, edns: EDNS(dnssecOK: dnssecOK))
        query.header.checkingDisabled = cd
        return query
    }
}
