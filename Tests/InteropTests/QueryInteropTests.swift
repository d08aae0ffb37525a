// SPDX-License-Identifier: Apache-2.0

import DNSTransport
import Foundation
import Testing

/// `hanon query` against a real NSD, compared with `dig` asking the same
/// questions of the same server (issue 2: "prints what dig prints").
///
/// hanon runs through its library code (`DigArguments` → `DigSession`, the
/// same path as the `hanon query` command, minus the terminal), so that a
/// plain `swift test` checks it without building the executable first.
@Suite(.serialized) struct QueryInteropTests {
    /// The questions, as dig arguments (hanon takes the same).
    static let questions: [String] = [
        "www.example. A",
        "example. MX",
        "txt.example. TXT",  // escapes: \" \\ \009 \195\169 and ; inside quotes
        "nope.example. A",  // NXDOMAIN
        "www.example. MX",  // NODATA
        "www.sub.example. A",  // delegation: referral in AUTHORITY, glue in ADDITIONAL
        "big.example. TXT +bufsize=512",  // truncated over UDP, asked again over TCP
        "www.example. A +nsid",  // NSID from the configured `nsid:`
        "example. SOA +norecurse",
        "www.example. AAAA +tcp",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklm.example. A",  // long name: spaces instead of tabs
        "ns2.example. AAAA +dnssec",
        "example. NS +noedns",
        "example. ANY",  // dig asks ANY over TCP
        "+short example. MX",
        "txt.example. TXT +short",
    ]

    static let zone = """
        $ORIGIN example.
        $TTL 3600
        @ IN SOA ns1.example. hostmaster.example. 2026112901 7200 3600 1209600 300
        @ IN NS ns1.example.
        @ IN NS ns2.example.
        ns1 IN A 192.0.2.53
        ns2 IN AAAA 2001:db8::53
        www IN A 192.0.2.1
        www IN A 192.0.2.2
        www IN AAAA 2001:db8::1
        @ IN MX 10 mail.example.
        @ IN MX 20 mail2.example.
        mail IN A 192.0.2.25
        txt IN TXT "hello world" "semi;colon" "quote\\"inside" "back\\\\slash" "tab\\009byte" "\\195\\169"
        sub IN NS ns.sub.example.
        ns.sub IN A 192.0.2.99

        """
        + (1...12).map { "big IN TXT \"\(String(repeating: "a", count: 80)) \($0)\"\n" }.joined()

    /// What `hanon query WORDS` prints, and its exit status.
    static func hanonQuery(_ words: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let session = DigSession(words: words, arguments: try DigArguments(words))
        var stdout = ""
        var stderr = ""
        let status = await session.run(targets: [DigTarget(host: session.arguments.server ?? "127.0.0.1")]) {
            stream, text in
            switch stream {
            case .standardOutput: stdout += text
            case .standardError: stderr += text
            }
        }
        return (status, stdout, stderr)
    }

    @Test(.enabled(if: Peer.available("nsd", "dig")))
    func answersAsDigDoes() async throws {
        let dig = try Peer.require("dig")
        let nsd = try NSDInstance.start(zone: Self.zone)
        defer { nsd.stop() }
        for question in Self.questions {
            let words =
                ["@127.0.0.1", "-p", String(nsd.port)] + question.split(separator: " ").map(String.init)
                + ["+tries=2", "+timeout=2"]
            let expected = try runProcess(dig, words)
            let got = try await Self.hanonQuery(words)
            #expect(expected.status == 0, "dig \(question): \(expected.stdout)")
            #expect(got.status == 0, "hanon \(question): \(got.stdout)")
            let want = DigTranscript(expected.stdout)
            let have = DigTranscript(got.stdout)
            // The parser must have found something, or every comparison below is vacuous.
            #expect(!want.short.isEmpty || (!want.status.isEmpty && want.sections["QUESTION"] != nil), "\(question)")
            #expect(have.status == want.status, "\(question)")
            #expect(have.flags == want.flags, "\(question)")
            #expect(have.counts == want.counts, "\(question)")
            #expect(have.pseudosection == want.pseudosection, "\(question)")
            #expect(
                have.sections == want.sections, "\(question)\n--- dig\n\(expected.stdout)\n--- hanon\n\(got.stdout)")
            #expect(have.transport == want.transport, "\(question)")
            #expect(have.retriedOverTCP == want.retriedOverTCP, "\(question)")
            #expect(have.size == want.size, "\(question)")
            #expect(have.short == want.short, "\(question)")
            #expect(have.warnings == want.warnings, "\(question)")
        }
        // The cases that must have exercised what they are named for.
        let server = ["@127.0.0.1", "-p", String(nsd.port)]
        let big = DigTranscript(try await Self.hanonQuery(server + ["big.example.", "TXT", "+bufsize=512"]).stdout)
        #expect(big.retriedOverTCP && big.transport == "TCP" && big.sections["ANSWER"]?.count == 12)
        let nsid = DigTranscript(try await Self.hanonQuery(server + ["www.example.", "+nsid"]).stdout)
        #expect(nsid.pseudosection.contains("; NSID: 6e 73 31 2e 74 65 73 74 (\"ns1.test\")"))
        let nx = DigTranscript(try await Self.hanonQuery(server + ["nope.example."]).stdout)
        #expect(nx.status == "NXDOMAIN")
        // NSD does not recurse: dig warns, and so must hanon.
        #expect(nx.warnings == [";; WARNING: recursion requested but not available"])
    }

    /// With `answer-cookie: yes` NSD returns a server cookie; both clients send
    /// their own client cookie and must judge the reply the same way (good).
    @Test(.enabled(if: Peer.available("nsd", "dig")))
    func cookieJudgedAsDigDoes() async throws {
        let dig = try Peer.require("dig")
        let nsd = try NSDInstance.start(zone: Self.zone, extraServerConfig: "    answer-cookie: yes\n")
        defer { nsd.stop() }
        for question in ["www.example. A +cookie", "example. SOA +cookie=0102030405060708"] {
            let words =
                ["@127.0.0.1", "-p", String(nsd.port)] + question.split(separator: " ").map(String.init)
                + ["+tries=2", "+timeout=2"]
            let want = DigTranscript(try runProcess(dig, words).stdout)
            let have = DigTranscript(try await Self.hanonQuery(words).stdout)
            #expect(want.cookieJudgement == " (good)", "\(question)")
            #expect(have.cookieJudgement == want.cookieJudgement, "\(question)")
            #expect(have.pseudosection == want.pseudosection, "\(question)")
            #expect(have.sections == want.sections, "\(question)")
            #expect(have.size == want.size, "\(question)")
        }
    }

    @Test func noReplyIsStatusNine() async throws {
        // Nothing listens on the port: refused at once, exit 9.
        let (port, fd) = try Self.refusingUDPPort()
        defer { close(fd) }
        let start = Date()
        let refused = try await Self.hanonQuery(["@127.0.0.1", "-p", String(port), "www.example.", "+timeout=5"])
        #expect(refused.status == 9)
        #expect(refused.stdout.contains(";; communications error to 127.0.0.1#\(port): connection refused"))
        #expect(refused.stdout.hasSuffix(";; no servers could be reached\n"))
        #expect(Date().timeIntervalSince(start) < 4)
    }

    /// A UDP port on 127.0.0.1 that answers port unreachable, kept from other
    /// tests: the socket holding it is connected to 127.0.0.1:9, so datagrams
    /// from anyone else are refused by the kernel. Close the descriptor after use.
    static func refusingUDPPort() throws -> (port: Int, fd: Int32) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        var peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_addr.s_addr = inet_addr("127.0.0.1")
        peer.sin_port = UInt16(9).bigEndian
        let connected = withUnsafePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, connected == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        return (Int(UInt16(bigEndian: address.sin_port)), fd)
    }
}

/// dig's (and hanon's) text output taken apart for comparison.
struct DigTranscript {
    var status = ""
    var flags: Set<String> = []
    var counts = ""
    /// OPT pseudosection lines, without COOKIE (dig sends one by default).
    var pseudosection: [String] = []
    /// Each section's lines, sorted (records are compared as sets).
    var sections: [String: [String]] = [:]
    var transport = ""
    var retriedOverTCP = false
    var size = ""
    /// Lines outside any `;` comment: +short output.
    var short: [String] = []
    /// `;; WARNING: …` lines (recursion requested but not available).
    var warnings: [String] = []
    /// What follows the COOKIE hex: ` (good)`, ` (echoed)`, ` (bad)` or ``; nil without a COOKIE line.
    var cookieJudgement: String? = nil

    init(_ text: String) {
        var section: String? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.isEmpty {
                section = nil
            } else if line.hasPrefix(";; ->>HEADER<<-"), let range = line.range(of: "status: ") {
                self.status = String(line[range.upperBound...].prefix { $0 != "," })
            } else if line.hasPrefix(";; flags:") {
                let parts = line.dropFirst(";; flags:".count).split(separator: ";", maxSplits: 1)
                self.flags = Set((parts.first ?? "").split(separator: " ").map(String.init))
                self.counts = parts.count > 1 ? String(parts[1]) : ""
            } else if line == ";; OPT PSEUDOSECTION:" {
                section = "OPT"
            } else if line.hasPrefix(";; "), line.hasSuffix(" SECTION:") {
                section = String(line.dropFirst(3).dropLast(" SECTION:".count))
            } else if line.hasPrefix(";; SERVER: ") {
                self.transport = String(line.split(separator: " ").last ?? "").trimmingCharacters(in: ["(", ")"])
            } else if line == ";; Truncated, retrying in TCP mode." {
                self.retriedOverTCP = true
            } else if line.hasPrefix(";; MSG SIZE  rcvd: ") {
                self.size = String(line.dropFirst(";; MSG SIZE  rcvd: ".count))
            } else if line.hasPrefix(";; WARNING:") {
                self.warnings.append(line)
            } else if section == "OPT" {
                if line.hasPrefix("; COOKIE: ") {
                    let rest = line.dropFirst("; COOKIE: ".count)
                    self.cookieJudgement = String(rest.drop { $0 != " " })
                } else {
                    self.pseudosection.append(line)
                }
            } else if let section {
                self.sections[section, default: []].append(line)
            } else if !line.hasPrefix(";") {
                self.short.append(line)
            }
        }
        for key in self.sections.keys { self.sections[key]?.sort() }
        self.short.sort()
    }
}

/// An NSD serving one zone on 127.0.0.1 and a random high port, from a
/// temporary directory holding its config, zone, pid and state files.
///
/// NSD is spawned with posix_spawn and a clean signal mask: the test runner's
/// threads block SIGTERM, and a child started by Foundation's `Process`
/// inherits that mask, so it would never stop.
final class NSDInstance {
    let port: Int
    let directory: URL
    private let pid: pid_t
    private var exited = false

    private init(port: Int, directory: URL, pid: pid_t) {
        self.port = port
        self.directory = directory
        self.pid = pid
    }

    static func start(zone: String, nsid: String = "ns1.test", extraServerConfig: String = "") throws -> NSDInstance {
        let nsd = try Peer.require("nsd")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-nsd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try zone.write(to: directory.appendingPathComponent("example.zone"), atomically: true, encoding: .utf8)
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
                    rrl-ratelimit: 0
                    rrl-whitelist-ratelimit: 0
                    nsid: "ascii_\(nsid)"
                \(extraServerConfig)remote-control:
                    control-enable: no
                zone:
                    name: example.
                    zonefile: example.zone

                """
            let configURL = directory.appendingPathComponent("nsd.conf")
            try config.write(to: configURL, atomically: true, encoding: .utf8)
            let pid = try spawnWithDefaultSignals(nsd, ["-c", configURL.path, "-d"])
            let instance = NSDInstance(port: port, directory: directory, pid: pid)
            if instance.waitUntilServing() { return instance }
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

    /// Polls with an SOA query over UDP until NSD answers (up to ~10 s).
    private func waitUntilServing() -> Bool {
        for _ in 0..<100 {
            guard self.isRunning else { return false }
            if Self.answersSOA(port: self.port) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// One raw UDP query for `example. SOA`, so that readiness does not depend on the code under test.
    private static func answersSOA(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let query: [UInt8] = [0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 7] + Array("example".utf8) + [0, 0, 6, 0, 1]
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, query, query.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == query.count else { return false }
        var reply = [UInt8](repeating: 0, count: 512)
        let n = recv(fd, &reply, reply.count, 0)
        return n >= 12 && reply[0] == 0x12 && reply[1] == 0x34 && reply[3] & 0x0F == 0
    }

    /// SIGTERM, up to 5 s to exit (NSD stops its children), then SIGKILL.
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

/// Starts `path` with `arguments`, output to /dev/null, with no signal
/// blocked and SIGTERM/SIGINT/SIGHUP/SIGPIPE at their defaults.
func spawnWithDefaultSignals(_ path: String, _ arguments: [String]) throws -> pid_t {
    try spawnDaemon(path, arguments, output: "/dev/null")
}
