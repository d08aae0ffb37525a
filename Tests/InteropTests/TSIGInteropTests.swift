// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import Foundation
import NIOCore
import Testing

/// TSIG (RFC 8945) against real implementations, both ways: dig and kdig
/// sign queries to `hanon serve` and verify its signed answers; hanon's
/// signing queries NSD and verifies NSD's signed answers, a single one and a
/// multi-message AXFR; the BIND key block of `hanon key generate` passes
/// `named-checkconf`.
@Suite(.serialized) struct TSIGInteropTests {
    static let zone = """
        $ORIGIN tsig.test.
        $TTL 3600
        @    SOA ns1 hostmaster 2026112901 7200 3600 1209600 300
        @    NS  ns1
        ns1  A   192.0.2.53
        www  A   192.0.2.1

        """ + (1...12).map { "big TXT \"\(String(repeating: "b", count: 80)) \($0)\"\n" }.joined()
        + (1...4).map { "mid TXT \"\(String(repeating: "m", count: 80)) \($0)\"\n" }.joined()

    /// One key per algorithm, made by `hanon key generate`.
    struct GeneratedKey {
        var algorithm: TSIGAlgorithm
        var name: String
        var secret: String
        /// The whole output: the hanon table and the BIND block.
        var output: String

        var key: TSIGKey? {
            guard let bytes = Base64.decode(Array(self.secret.utf8)), let name = try? DomainName(self.name) else {
                return nil
            }
            return TSIGKey(name: name, algorithm: self.algorithm, secret: bytes)
        }
        /// `dig -y` / `kdig -y` form.
        var dashY: String { "\(self.algorithm.mnemonic):\(self.name):\(self.secret)" }
        var hanonTable: String { self.output.components(separatedBy: "\n\n").first ?? "" }
        var bindBlock: String {
            self.output.split(separator: "\n", omittingEmptySubsequences: false)
                .drop { !$0.hasPrefix("key ") }.prefix { !$0.isEmpty }.joined(separator: "\n")
        }
    }

    static func generate(_ algorithm: TSIGAlgorithm, name: String) throws -> GeneratedKey {
        let hanon = try HanonBinary.require()
        let result = try runProcess(hanon, ["key", "generate", name, "--algorithm", algorithm.mnemonic])
        #expect(result.status == 0, "\(result.stderr)")
        let secretLine = result.stdout.split(separator: "\n").first { $0.hasPrefix("secret = ") } ?? ""
        let secret = secretLine.split(separator: "\"").dropFirst().first.map(String.init) ?? ""
        #expect(Base64.decode(Array(secret.utf8))?.count == algorithm.macSize, "\(result.stdout)")
        return GeneratedKey(algorithm: algorithm, name: name, secret: secret, output: result.stdout)
    }

    /// `hanon serve` with a config holding the generated keys.
    final class Server {
        let port: Int
        let directory: URL
        let log: String
        let keys: [GeneratedKey]
        private let pid: pid_t
        private var stopped = false

        init() async throws {
            let hanon = try HanonBinary.require()
            self.keys = try TSIGAlgorithm.all.map {
                try TSIGInteropTests.generate($0, name: "\($0.mnemonic).key.test.")
            }
            self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-tsig-\(UUID())")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            try TSIGInteropTests.zone.write(
                to: self.directory.appendingPathComponent("tsig.test.zone"), atomically: true, encoding: .utf8)
            self.log = self.directory.appendingPathComponent("hanon.log").path
            let configPath = self.directory.appendingPathComponent("hanon.toml").path
            let keyTables = self.keys.map { $0.hanonTable.replacingOccurrences(of: "# hanon.toml\n", with: "") + "\n" }
            // A random port may be taken by another test: try a few.
            var started: (Int, pid_t)? = nil
            for _ in 0..<5 where started == nil {
                let port = Int.random(in: 20000...32000)
                let config = """
                    data = "."
                    [dns]
                    listen = ["127.0.0.1:\(port)"]
                    threads = 1
                    [[zone]]
                    name = "tsig.test"
                    file = "tsig.test.zone"

                    """ + keyTables.joined()
                try config.write(toFile: configPath, atomically: true, encoding: .utf8)
                let pid = try spawnDaemon(hanon, ["serve", "--config", configPath], output: self.log)
                if await Self.waitUntilServing(pid: pid, port: port) {
                    started = (port, pid)
                } else {
                    kill(pid, SIGKILL)
                    _ = waitpid(pid, nil, 0)
                }
            }
            guard let (port, pid) = started else {
                let log = (try? String(contentsOfFile: self.log, encoding: .utf8)) ?? ""
                Issue.record("hanon serve did not answer: \(log)")
                try? FileManager.default.removeItem(at: self.directory)
                throw Peer.PeerMissing(program: "hanon serve")
            }
            self.port = port
            self.pid = pid
        }

        /// True once `pid` answers a query on `port`; false when it exits or after ~20 s.
        static func waitUntilServing(pid: pid_t, port: Int) async -> Bool {
            for _ in 0..<100 {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { return false }
                let query = Self.plainQuery()
                let answered = await offThePool {
                    RawDNSExchange.udp(query, port: port, timeout: 1).flatMap { try? DNSMessage(wire: $0) }
                }
                if answered?.answers.map({ $0.rdata.description }) == ["192.0.2.1"] { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        static func plainQuery() -> [UInt8] {
            DNSMessage.query(id: 1, name: "www.tsig.test.", type: .a, recursionDesired: false).wireBytes
        }

        var logText: String { (try? String(contentsOfFile: self.log, encoding: .utf8)) ?? "" }

        func stop() {
            guard !self.stopped else { return }
            self.stopped = true
            kill(self.pid, SIGTERM)
            var status: Int32 = 0
            for _ in 0..<100 where waitpid(self.pid, &status, WNOHANG) == 0 { usleep(50_000) }
            kill(self.pid, SIGKILL)
            _ = waitpid(self.pid, &status, WNOHANG)
            try? FileManager.default.removeItem(at: self.directory)
        }

        deinit { self.stop() }
    }

    static func run(_ program: String, _ arguments: [String]) async throws -> ProcessResult {
        let path = try Peer.require(program)
        return try await runProcessOffThePool(path, arguments, timeout: 30)
    }

    static func dig(_ server: Server, _ words: [String]) async throws -> ProcessResult {
        try await Self.run(
            "dig", ["@127.0.0.1", "-p", String(server.port), "+tries=2", "+timeout=2", "+norecurse"] + words)
    }

    static func kdig(_ server: Server, _ words: [String]) async throws -> ProcessResult {
        try await Self.run(
            "kdig", ["@127.0.0.1", "-p", String(server.port), "+retry=1", "+timeout=2", "+norecurse"] + words)
    }

    /// The TSIG line of dig or kdig output.
    static func tsigLine(_ output: String) -> String {
        let lines = output.split(separator: "\n").map(String.init)
        guard let header = lines.firstIndex(of: ";; TSIG PSEUDOSECTION:"), header + 1 < lines.count else { return "" }
        return lines[header + 1]
    }

    @Test(.enabled(if: Peer.available("dig", "kdig")))
    func digAndKdigSignedQueriesForEveryAlgorithm() async throws {
        let server = try await Server()
        defer { server.stop() }
        for key in server.keys {
            for transport in ["+notcp", "+tcp"] {
                let dig = try await Self.dig(server, ["-y", key.dashY, "www.tsig.test.", "A", transport])
                let all = dig.stdout + dig.stderr
                #expect(dig.status == 0, "\(key.algorithm) \(transport): \(all)")
                #expect(all.contains("status: NOERROR"), "\(key.algorithm) \(transport): \(all)")
                #expect(all.contains("www.tsig.test.\t\t3600\tIN\tA\t192.0.2.1"), "\(all)")
                let line = Self.tsigLine(dig.stdout)
                #expect(line.hasPrefix(key.name), "\(key.algorithm): \(all)")
                #expect(line.contains("TSIG\t\(key.algorithm.name.description) "), "\(line)")
                #expect(line.contains(" NOERROR "), "\(line)")
                #expect(!all.contains("tsig verify failure") && !all.contains("Couldn't verify"), "\(all)")
                #expect(!all.contains("could not be validated"), "\(all)")

                let kdig = try await Self.kdig(server, ["-y", key.dashY, "www.tsig.test.", "A", transport])
                let kall = kdig.stdout + kdig.stderr
                #expect(kdig.status == 0, "kdig \(key.algorithm) \(transport): \(kall)")
                #expect(kall.contains("status: NOERROR"), "kdig \(key.algorithm): \(kall)")
                #expect(Self.tsigLine(kdig.stdout).contains(" NOERROR"), "kdig \(key.algorithm): \(kall)")
                #expect(!kall.contains("failed to verify"), "kdig \(key.algorithm): \(kall)")
            }
        }
    }

    @Test(.enabled(if: Peer.available("dig", "kdig")))
    func wrongSecretIsBADSIGAndUnknownKeyBADKEY() async throws {
        let server = try await Server()
        defer { server.stop() }
        let key = server.keys[0]
        var wrong = try #require(Base64.decode(Array(key.secret.utf8)))
        wrong[0] ^= 0xFF
        let wrongY = "\(key.algorithm.mnemonic):\(key.name):\(Base64.encode(wrong))"
        let dig = try await Self.dig(server, ["-y", wrongY, "www.tsig.test.", "A"])
        let all = dig.stdout + dig.stderr
        #expect(all.contains("status: NOTAUTH"), "\(all)")
        #expect(Self.tsigLine(dig.stdout).contains(" BADSIG "), "\(all)")
        #expect(all.contains("Couldn't verify signature") || all.contains("could not be validated"), "\(all)")
        #expect(!all.contains("ANSWER SECTION"))

        let kdig = try await Self.kdig(server, ["-y", wrongY, "www.tsig.test.", "A"])
        #expect(kdig.stdout.contains("BADSIG"), "\(kdig.stdout)\(kdig.stderr)")

        let unknownY = "hmac-sha256:nobody.key.test.:\(key.secret)"
        let badKey = try await Self.dig(server, ["-y", unknownY, "www.tsig.test.", "A", "+tcp"])
        #expect(Self.tsigLine(badKey.stdout).contains(" BADKEY "), "\(badKey.stdout)\(badKey.stderr)")
        #expect(badKey.stdout.contains("status: NOTAUTH"))

        // One log line each: client, key, error.
        var logged = false
        for _ in 0..<50 where !logged {
            let text = server.logText
            logged =
                text.contains("TSIG BADSIG from 127.0.0.1:") && text.contains("key \(key.name)")
                && text.contains("TSIG BADKEY from 127.0.0.1:") && text.contains("key nobody.key.test.")
            if !logged { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(logged, "\(server.logText)")
    }

    /// A signed answer too large for UDP is sent truncated and signed; one
    /// that fits only without the TSIG becomes the question, TC and the TSIG
    /// (RFC 8945 §5.3). dig verifies both and, without +ignore, retries over TCP.
    @Test(.enabled(if: Peer.available("dig")))
    func largeSignedAnswerIsTruncatedWithRoomForTheTSIG() async throws {
        let server = try await Server()
        defer { server.stop() }
        let key = server.keys[2]  // hmac-sha512: the longest TSIG
        for (name, count, additional) in [("big", 12, 2), ("mid", 4, 1)] {
            let truncated = try await Self.dig(
                server, ["-y", key.dashY, "\(name).tsig.test.", "TXT", "+ignore", "+bufsize=512"])
            let all = truncated.stdout + truncated.stderr
            #expect(all.contains("flags: qr aa tc;"), "\(name): \(all)")
            #expect(all.contains("ANSWER: 0, AUTHORITY: 0, ADDITIONAL: \(additional)"), "\(name): \(all)")
            #expect(Self.tsigLine(truncated.stdout).contains(" NOERROR "), "\(name): \(all)")
            #expect(!all.contains("Couldn't verify") && !all.contains("could not be validated"), "\(all)")
            let retried = try await Self.dig(server, ["-y", key.dashY, "\(name).tsig.test.", "TXT", "+bufsize=512"])
            #expect(retried.stdout.contains("ANSWER: \(count),"), "\(name): \(retried.stdout)")
            #expect(retried.stdout.contains("(TCP)"), "\(name): \(retried.stdout)")
            #expect(Self.tsigLine(retried.stdout).contains(" NOERROR "), "\(name): \(retried.stdout)")
        }
        // Unsigned, the middle answer fits in 512 octets: the TSIG made the difference.
        let unsigned = try await Self.dig(server, ["mid.tsig.test.", "TXT", "+ignore", "+bufsize=512"])
        #expect(unsigned.stdout.contains("ANSWER: 4,"), "\(unsigned.stdout)")
    }

    /// hanon's signing against NSD: NSD must accept the request (a signed
    /// NOERROR answer) and hanon must verify NSD's MAC — for one answer and
    /// for every message of an AXFR.
    @Test(.enabled(if: Peer.available("nsd")))
    func nsdVerifiesOurRequestsAndWeVerifyItsAnswers() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-tsig-nsd-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Enough records for an AXFR of several messages.
        let zone = Self.zone + (1...3000).map { "h\($0) A 192.0.2.\($0 % 250 + 1)\n" }.joined()
        let zoneFile = directory.appendingPathComponent("tsig.test.zone").path
        try zone.write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let keys = try [TSIGAlgorithm.hmacSHA256, .hmacSHA512, .hmacSHA1, .hmacMD5].map {
            try Self.generate($0, name: "nsd-\($0.mnemonic).key.test.")
        }
        let keyConfig = keys.map {
            "key:\n    name: \"\($0.name)\"\n    algorithm: \($0.algorithm.mnemonic)\n    secret: \"\($0.secret)\"\n"
        }.joined()
        let provide = keys.map { "    provide-xfr: 127.0.0.1 \($0.name)\n" }.joined()
        let nsd = try await NSDZoneServer.start(
            zones: [("tsig.test.", zoneFile)], zoneOptions: provide, extraConfig: keyConfig)
        defer { nsd.stop() }
        let port = nsd.port

        for generated in keys {
            let key = try #require(generated.key)
            var query = DNSMessage.query(id: 0x5151, name: "www.tsig.test.", type: .a, recursionDesired: false)
                .serialize()
            let context = TSIG.signRequest(&query, key: key, now: TSIG.currentTime())
            let wire = Array(query.readableBytesView)
            let reply = try #require(await offThePool { RawDNSExchange.udp(wire, port: port) }, "\(key)")
            let answer = ByteBuffer(bytes: reply)
            #expect(TSIG.verifyResponse(answer, context: context, now: TSIG.currentTime()) == .signed, "\(key)")
            let message = try DNSMessage(wire: reply)
            #expect(message.rcode == .noError)
            #expect(message.answers.map { $0.rdata.description } == ["192.0.2.1"])

            // A changed request: NSD answers BADSIG, which we read as such.
            var changed = Array(query.readableBytesView)
            changed[14] ^= 0x20  // a letter's case in the question: the MAC no longer matches
            let bad = changed
            let refused = try #require(await offThePool { RawDNSExchange.udp(bad, port: port) })
            guard
                case .failed(let error, _) = TSIG.verifyResponse(
                    ByteBuffer(bytes: refused), context: context, now: TSIG.currentTime())
            else {
                Issue.record("NSD's answer to a changed request verified")
                continue
            }
            #expect(error == TSIG.badSig, "\(key)")

            // AXFR: every message checked as a stream.
            var axfr = DNSMessage.query(id: 0x7A7A, name: "tsig.test.", type: .axfr, recursionDesired: false, edns: nil)
                .serialize()
            let axfrContext = TSIG.signRequest(&axfr, key: key, now: TSIG.currentTime())
            let axfrWire = Array(axfr.readableBytesView)
            let messages = await offThePool {
                var soaSeen = 0
                return RawDNSExchange.tcp(axfrWire, port: port) { message in
                    soaSeen += (try? DNSMessage(wire: message))?.answers.filter { $0.type == .soa }.count ?? 0
                    return soaSeen >= 2
                }
            }
            #expect(messages.count > 1, "\(key): an AXFR of several messages")
            var verifier = TSIGStreamVerifier(context: axfrContext)
            var results: [TSIGResponseCheck] = []
            for message in messages {
                results.append(verifier.verify(ByteBuffer(bytes: message), now: TSIG.currentTime()))
            }
            #expect(results.allSatisfy { $0 == .signed || $0 == .unsignedAccepted }, "\(key): \(results)")
            #expect(results.first == .signed)
            #expect(verifier.isComplete, "\(key): the last message is signed")
            let records = messages.compactMap { try? DNSMessage(wire: $0) }.map(\.answers.count).reduce(0, +)
            #expect(records == 3000 + 4 + 12 + 4 + 1, "\(key): every record, the SOA twice")
        }
    }

    /// The BIND block of `hanon key generate` is valid named.conf.
    @Test(.enabled(if: Peer.available("named-checkconf")))
    func generatedBINDBlockPassesNamedCheckconf() async throws {
        let checkconf = try Peer.require("named-checkconf")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-tsig-bind-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for algorithm in TSIGAlgorithm.all {
            let generated = try Self.generate(algorithm, name: "transfer-\(algorithm.mnemonic).example.org")
            #expect(generated.bindBlock.hasPrefix("key \"transfer-\(algorithm.mnemonic).example.org.\" {"))
            #expect(generated.bindBlock.contains("algorithm \(algorithm.mnemonic);"))
            let file = directory.appendingPathComponent("\(algorithm.mnemonic).conf").path
            try (generated.bindBlock + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let result = try await runProcessOffThePool(checkconf, [file])
            #expect(result.status == 0, "\(algorithm): \(result.stdout)\(result.stderr)\n\(generated.bindBlock)")
        }
        // A bad algorithm is refused with the choices.
        let hanon = try HanonBinary.require()
        let bad = try runProcess(hanon, ["key", "generate", "x.example", "--algorithm", "hmac-sha224"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown algorithm 'hmac-sha224'"), "\(bad.stderr)")
    }
}
