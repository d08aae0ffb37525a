// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import Foundation
import NIOCore
import Testing

/// hanon's TSIG client side against BIND's named: signed queries and a
/// signed AXFR, for every algorithm, with the keys `hanon key generate` makes
/// (its BIND block goes into named.conf as printed); and named's signed
/// BADTIME answer read as BADTIME.
@Suite(.serialized) struct TSIGNamedInteropTests {
    /// named on 127.0.0.1 and a random high port, in the foreground, in a temp directory.
    final class Named {
        let port: Int
        let directory: URL
        private let pid: pid_t
        private var stopped = false

        init(zone: String, keys: [TSIGInteropTests.GeneratedKey]) async throws {
            let named = try Peer.require("named")
            self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-named-\(UUID())")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            try zone.write(
                to: self.directory.appendingPathComponent("tsig.test.zone"), atomically: true, encoding: .utf8)
            let allow = keys.map { "key \"\($0.name)\"; " }.joined()
            let configPath = self.directory.appendingPathComponent("named.conf").path
            let log = self.directory.appendingPathComponent("named.log").path
            // A random port may be taken by another test: try a few.
            var started: (Int, pid_t)? = nil
            for _ in 0..<4 where started == nil {
                let port = Int.random(in: 20000...32000)
                let config = """
                    options {
                        directory "\(self.directory.path)";
                        listen-on port \(port) { 127.0.0.1; };
                        listen-on-v6 { none; };
                        pid-file "\(self.directory.path)/named.pid";
                        recursion no;
                        dnssec-validation no;
                        allow-transfer { \(allow)};
                    };
                    controls { };
                    zone "tsig.test" { type primary; file "tsig.test.zone"; };

                    """ + keys.map { $0.bindBlock + "\n" }.joined()
                try config.write(toFile: configPath, atomically: true, encoding: .utf8)
                let pid = try spawnDaemon(named, ["-g", "-n", "1", "-c", configPath], output: log)
                if await Self.waitUntilServing(pid: pid, port: port) {
                    started = (port, pid)
                } else {
                    kill(pid, SIGKILL)
                    _ = waitpid(pid, nil, 0)
                }
            }
            guard let (port, pid) = started else {
                Issue.record("named did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
                try? FileManager.default.removeItem(at: self.directory)
                throw Peer.PeerMissing(program: "named")
            }
            self.port = port
            self.pid = pid
        }

        /// True once named answers `tsig.test. SOA` with NOERROR; false when it exits or after ~10 s.
        static func waitUntilServing(pid: pid_t, port: Int) async -> Bool {
            let probe = DNSMessage.query(id: 9, name: "tsig.test.", type: .soa, recursionDesired: false).wireBytes
            for _ in 0..<50 {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { return false }
                let ready = await offThePool {
                    RawDNSExchange.udp(probe, port: port, timeout: 1).map { $0.count > 12 && $0[3] & 0x0F == 0 }
                        ?? false
                }
                if ready { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

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

    @Test(.enabled(if: Peer.available("named")))
    func namedVerifiesOurRequestsAndWeVerifyItsAnswers() async throws {
        let keys = try TSIGAlgorithm.all.map {
            try TSIGInteropTests.generate($0, name: "named-\($0.mnemonic).key.test")
        }
        let zone = TSIGInteropTests.zone + (1...3000).map { "h\($0) A 192.0.2.\($0 % 250 + 1)\n" }.joined()
        let named = try await Named(zone: zone, keys: keys)
        defer { named.stop() }
        let port = named.port
        for generated in keys {
            let key = try #require(generated.key)
            var query = DNSMessage.query(id: 0x5151, name: "www.tsig.test.", type: .a, recursionDesired: false)
                .serialize()
            let context = TSIG.signRequest(&query, key: key, now: TSIG.currentTime())
            let wire = Array(query.readableBytesView)
            let reply = try #require(await offThePool { RawDNSExchange.udp(wire, port: port) }, "\(key)")
            #expect(TSIG.verifyResponse(ByteBuffer(bytes: reply), context: context, now: TSIG.currentTime()) == .signed)
            #expect(try DNSMessage(wire: reply).answers.map { $0.rdata.description } == ["192.0.2.1"], "\(key)")

            // An hour off: named answers BADTIME, signed; we verify its MAC and read BADTIME.
            var late = DNSMessage.query(id: 0x5252, name: "www.tsig.test.", type: .a, recursionDesired: false)
                .serialize()
            let lateContext = TSIG.signRequest(&late, key: key, now: TSIG.currentTime() - 3600)
            let lateWire = Array(late.readableBytesView)
            let badTime = try #require(await offThePool { RawDNSExchange.udp(lateWire, port: port) })
            #expect(try DNSMessage(wire: badTime).rcode == .notAuth)
            guard
                case .failed(let error, _) = TSIG.verifyResponse(
                    ByteBuffer(bytes: badTime), context: lateContext, now: TSIG.currentTime())
            else {
                Issue.record("named's BADTIME answer verified as a success")
                continue
            }
            #expect(error == TSIG.badTime, "\(key): a bad MAC would be BADSIG")

            // AXFR over TCP, every message checked.
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
            #expect(results.first == .signed, "\(key): \(results.prefix(3))")
            #expect(results.allSatisfy { $0 == .signed || $0 == .unsignedAccepted }, "\(key): \(results)")
            #expect(verifier.isComplete, "\(key)")
            let records = messages.compactMap { try? DNSMessage(wire: $0) }.map(\.answers.count).reduce(0, +)
            #expect(records == 3000 + 4 + 12 + 4 + 1, "\(key)")
        }
    }
}
