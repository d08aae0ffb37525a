// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Foundation
import NIOCore
import Testing

/// An NSD serving several zones on 127.0.0.1 and a random high port, set up
/// as hanon answers: `minimal-responses: yes`, no NSID, identity and version
/// hidden, no rate limiting, EDNS size 1232. Started with a clean signal mask
/// (``spawnWithDefaultSignals(_:_:)``) so that SIGTERM stops it.
final class NSDZoneServer {
    let port: Int
    let directory: URL
    private let pid: pid_t
    private var exited = false

    private init(port: Int, directory: URL, pid: pid_t) {
        self.port = port
        self.directory = directory
        self.pid = pid
    }

    /// Starts NSD for `zones` (origin → zone file path); `probe` is a name it
    /// must answer (SOA, NOERROR) before it counts as serving. `zoneOptions`
    /// go into every `zone:` clause (`provide-xfr: …`), `extraConfig` at the
    /// end of the file (`key:` clauses).
    static func start(
        zones: [(origin: String, file: String)], zoneOptions: String = "", extraConfig: String = ""
    ) async throws -> NSDZoneServer {
        let nsd = try Peer.require("nsd")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-nsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var zoneConfig = ""
        for (index, zone) in zones.enumerated() {
            let local = "zone\(index).zone"
            try FileManager.default.copyItem(atPath: zone.file, toPath: directory.appendingPathComponent(local).path)
            zoneConfig += "zone:\n    name: \(zone.origin)\n    zonefile: \(local)\n" + zoneOptions
        }
        var lastLog = ""
        for _ in 0..<5 {
            let port = Int.random(in: 20000...32000)
            let config = """
                server:
                    ip-address: 127.0.0.1
                    port: \(port)
                    username: ""
                    chroot: ""
                    zonesdir: "\(directory.path)"
                    pidfile: "\(directory.path)/nsd.pid"
                    xfrdfile: "\(directory.path)/xfrd.state"
                    zonelistfile: "\(directory.path)/zone.list"
                    database: ""
                    logfile: "\(directory.path)/nsd.log"
                    server-count: 1
                    verbosity: 1
                    minimal-responses: yes
                    hide-identity: yes
                    hide-version: yes
                    ipv4-edns-size: 1232
                    rrl-ratelimit: 0
                    rrl-whitelist-ratelimit: 0
                remote-control:
                    control-enable: no

                """ + zoneConfig + extraConfig
            let configURL = directory.appendingPathComponent("nsd.conf")
            try config.write(to: configURL, atomically: true, encoding: .utf8)
            let pid = try spawnWithDefaultSignals(nsd, ["-c", configURL.path, "-d"])
            let instance = NSDZoneServer(port: port, directory: directory, pid: pid)
            if await instance.waitUntilServing(zones.map(\.origin)) { return instance }
            instance.stop(removeDirectory: false)
            lastLog = (try? String(contentsOf: directory.appendingPathComponent("nsd.log"), encoding: .utf8)) ?? ""
        }
        try? FileManager.default.removeItem(at: directory)
        Issue.record("NSD did not start: \(lastLog)")
        throw Peer.PeerMissing(program: "nsd")
    }

    private var isRunning: Bool {
        guard !self.exited else { return false }
        var status: Int32 = 0
        if waitpid(self.pid, &status, WNOHANG) == self.pid { self.exited = true }
        return !self.exited
    }

    /// Polls with SOA queries over UDP until NSD answers for every zone (up to ~20 s),
    /// sleeping without holding a thread of the shared concurrency pool.
    private func waitUntilServing(_ origins: [String]) async -> Bool {
        for _ in 0..<200 {
            guard self.isRunning else { return false }
            let port = self.port
            let ready = await offThePool { origins.allSatisfy { Self.answersSOA(port: port, origin: $0) } }
            if ready { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// One raw UDP query for `origin SOA`, independent of the code under test.
    private static func answersSOA(port: Int, origin: String) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var query: [UInt8] = [0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in origin.split(separator: ".") { query += [UInt8(label.utf8.count)] + Array(label.utf8) }
        query += [0, 0, 6, 0, 1]
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, query, query.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == query.count else { return false }
        var reply = [UInt8](repeating: 0, count: 1500)
        let n = recv(fd, &reply, reply.count, 0)
        return n >= 12 && reply[0] == 0x12 && reply[1] == 0x34 && reply[3] & 0x0F == 0 && reply[2] & 0x04 != 0
    }

    /// SIGHUP: NSD re-reads its zone files.
    func reload() {
        if self.isRunning { kill(self.pid, SIGHUP) }
    }

    /// SIGTERM, up to 5 s to exit, then SIGKILL.
    func stop(removeDirectory: Bool = true) {
        if self.isRunning {
            kill(self.pid, SIGTERM)
            for _ in 0..<50 where self.isRunning { Thread.sleep(forTimeInterval: 0.1) }
            if self.isRunning {
                kill(self.pid, SIGKILL)
                var status: Int32 = 0
                waitpid(self.pid, &status, 0)
                self.exited = true
            }
        }
        if removeDirectory { try? FileManager.default.removeItem(at: self.directory) }
    }
}

/// Runs blocking `work` (a socket wait, a subprocess) on a Dispatch thread, so
/// that the test does not hold one of the few threads of Swift's cooperative
/// pool, which the other suites running in parallel need.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(returning: work()) }
    }
}

/// ``runProcess(_:_:input:timeout:)`` without blocking the cooperative pool.
func runProcessOffThePool(_ path: String, _ arguments: [String], timeout: TimeInterval = 120) async throws
    -> ProcessResult
{
    try await offThePool { Result { try runProcess(path, arguments, timeout: timeout) } }.get()
}

/// How one question is sent to both servers.
enum QueryMode: String, Sendable, CaseIterable {
    /// UDP, EDNS with a 1232-octet payload.
    case udp
    /// UDP, EDNS with the smallest payload (512).
    case udp512
    /// UDP without EDNS (512 octets).
    case noEDNS
    /// TCP, EDNS 1232.
    case tcp
    /// UDP, EDNS 1232 with DO.
    case dnssecOK

    var edns: EDNS? {
        switch self {
        case .udp, .tcp: EDNS(udpPayloadSize: 1232)
        case .udp512: EDNS(udpPayloadSize: 512)
        case .noEDNS: nil
        case .dnssecOK: EDNS(udpPayloadSize: 1232, dnssecOK: true)
        }
    }

    var options: DNSQueryOptions {
        DNSQueryOptions(timeout: .seconds(3), tries: 3, tcpOnly: self == .tcp, retryTruncatedOverTCP: false)
    }
}

/// One question in one mode: what is compared.
struct DifferentialCase: Sendable, Hashable, CustomStringConvertible {
    var name: String
    var type: RecordType
    var mode: QueryMode

    /// `name TYPE mode`, the key of the allow-list.
    var description: String { "\(self.name) \(self.type) \(self.mode.rawValue)" }
}

/// The parts of a response the differential test compares: rcode, AA, TC,
/// and each section as a set of records (owner lower-cased; an RRset is equal
/// when all its records, with their TTLs, are).
struct ComparableResponse: Sendable, Equatable {
    var rcode: String
    var authoritative: Bool
    var truncated: Bool
    var answer: Set<String>
    var authority: Set<String>
    var additional: Set<String>
    /// The record types in the answer section (for rules about ANY).
    var answerTypes: Set<String>
    var ednsPresent: Bool
    var dnssecOK: Bool
    /// The responder's advertised EDNS UDP payload size (RFC 6891 §6.2.5).
    var udpPayloadSize: Int?

    init(_ message: DNSMessage) {
        self.rcode = "\(message.rcode)"
        self.authoritative = message.header.authoritative
        self.truncated = message.header.truncated
        self.answer = Set(message.answers.map(Self.line))
        self.authority = Set(message.authorities.map(Self.line))
        self.additional = Set(message.additionals.map(Self.line))
        self.answerTypes = Set(message.answers.map { "\($0.type)" })
        self.ednsPresent = message.edns != nil
        self.dnssecOK = message.edns?.dnssecOK ?? false
        self.udpPayloadSize = message.edns.map { Int($0.udpPayloadSize) }
    }

    /// `owner TTL CLASS TYPE rdata`, owner lower-cased and the RDATA in its
    /// RFC 4034 §6.2 canonical form (names in NS, CNAME, MX, DNAME, SRV …
    /// lower-cased): names compare case-insensitively (RFC 4343 §3), and a
    /// server may take a name's case from the question through compression
    /// (NSD and hanon both do).
    static func line(_ record: ResourceRecord) -> String {
        let rdata = (try? RDATA(type: record.type, wire: record.rdata.canonicalWireBytes)) ?? record.rdata
        return "\(record.name.lowercased()) \(record.ttl) \(record.dnsClass) \(record.type) \(rdata)"
    }

    var summary: String {
        var text = "\(self.rcode)\(self.authoritative ? " aa" : "")\(self.truncated ? " tc" : "")"
        text += self.ednsPresent ? " edns\(self.dnssecOK ? "+do" : "") udp=\(self.udpPayloadSize ?? 0)" : ""
        for (title, section) in [("AN", self.answer), ("NS", self.authority), ("AR", self.additional)] {
            for line in section.sorted() { text += "\n    \(title) \(line)" }
        }
        return text
    }
}

/// Sends `cases` to both servers, `batch` at a time concurrently, and returns
/// the pairs of responses (nil where a server did not answer).
func askBoth(
    _ cases: [DifferentialCase], nsd: SocketAddress, hanon: SocketAddress, batch: Int = 64
) async throws -> [(DifferentialCase, ComparableResponse?, ComparableResponse?)] {
    let client = DNSClient()
    var results: [(DifferentialCase, ComparableResponse?, ComparableResponse?)] = []
    results.reserveCapacity(cases.count)
    var start = 0
    while start < cases.count {
        let slice = Array(cases[start..<min(start + batch, cases.count)])
        start += slice.count
        let answered = try await withThrowingTaskGroup(
            of: (Int, ComparableResponse?, ComparableResponse?).self
        ) { group in
            for (index, item) in slice.enumerated() {
                group.addTask {
                    let query = DNSMessage.query(
                        id: 0, name: try DomainName(item.name), type: item.type, recursionDesired: false,
                        edns: item.mode.edns)
                    async let a = try? client.query(query, server: nsd, options: item.mode.options)
                    async let b = try? client.query(query, server: hanon, options: item.mode.options)
                    let (x, y) = await (a, b)
                    return (index, x.map { ComparableResponse($0.message) }, y.map { ComparableResponse($0.message) })
                }
            }
            var out: [(Int, ComparableResponse?, ComparableResponse?)] = []
            for try await item in group { out.append(item) }
            return out.sorted { $0.0 < $1.0 }
        }
        for (index, a, b) in answered { results.append((slice[index], a, b)) }
    }
    return results
}
