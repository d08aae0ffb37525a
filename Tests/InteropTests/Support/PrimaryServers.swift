// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Foundation
import NIOCore
import Testing

/// A peer DNS server started by a test in its own temporary directory on
/// 127.0.0.1 and a random high port: Knot or BIND, as a primary hanon
/// transfers from. Stopped with SIGTERM (SIGKILL after 5 s).
final class PeerServer {
    let port: Int
    let directory: URL
    let pid: pid_t
    private var exited = false

    init(port: Int, directory: URL, pid: pid_t) {
        self.port = port
        self.directory = directory
        self.pid = pid
    }

    var address: SocketAddress {
        get throws { try SocketAddress(ipAddress: "127.0.0.1", port: self.port) }
    }

    static func makeDirectory(_ prefix: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Starts `program` with the arguments `configure` returns for a port,
    /// trying a few random ports, until `origin SOA` is answered.
    static func start(
        program: String, directory: URL, origin: String, log: String,
        configure: (Int) throws -> [String]
    ) async throws -> PeerServer {
        let path = try Peer.require(program)
        for _ in 0..<5 {
            let port = Int.random(in: 20000...32000)
            let arguments = try configure(port)
            let pid = try spawnDaemon(path, arguments, output: directory.appendingPathComponent(log).path)
            let server = PeerServer(port: port, directory: directory, pid: pid)
            if await server.waitUntilServing(origin) { return server }
            server.stop(removeDirectory: false)
        }
        let text = (try? String(contentsOf: directory.appendingPathComponent(log), encoding: .utf8)) ?? ""
        Issue.record("\(program) did not start: \(text.suffix(2000))")
        throw Peer.PeerMissing(program: program)
    }

    var isRunning: Bool {
        guard !self.exited else { return false }
        var status: Int32 = 0
        if waitpid(self.pid, &status, WNOHANG) == self.pid { self.exited = true }
        return !self.exited
    }

    private func waitUntilServing(_ origin: String) async -> Bool {
        for _ in 0..<150 {
            guard self.isRunning else { return false }
            if let serial = await self.serial(origin), serial > 0 { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// The SOA serial the server answers for `origin` (UDP), nil when it does not.
    func serial(_ origin: String) async -> UInt32? {
        guard let address = try? self.address, let name = try? DomainName(origin) else { return nil }
        let query = DNSMessage.query(id: 1, name: name, type: .soa, recursionDesired: false)
        let options = DNSQueryOptions(timeout: .milliseconds(300), tries: 1)
        guard let reply = try? await DNSClient().query(query, server: address, options: options),
            reply.message.rcode == .noError, reply.message.header.authoritative,
            case .soa(let soa)? = reply.message.answers.first?.rdata
        else { return nil }
        return soa.serial
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: self.directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

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

extension PeerServer {
    /// Knot as the primary of `origin` (zone text `zone`), transfers allowed
    /// to 127.0.0.1 (with `key` when given: name, algorithm, base64 secret),
    /// changes kept in its journal so it answers IXFR.
    static func knotPrimary(
        origin: String, zone: String, key: (String, String, String)? = nil, notifyPort: Int? = nil
    ) async throws -> PeerServer {
        let directory = try makeDirectory("hanon-knot")
        try zone.write(to: directory.appendingPathComponent("zone.db"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("db"), withIntermediateDirectories: true)
        return try await start(program: "knotd", directory: directory, origin: origin, log: "knot.log") { port in
            var keyConfig = ""
            var aclKey = ""
            if let (name, algorithm, secret) = key {
                keyConfig = "key:\n  - id: \(name)\n    algorithm: \(algorithm)\n    secret: \(secret)\n"
                aclKey = "    key: \(name)\n"
            }
            var remote = ""
            var notify = ""
            if let notifyPort {
                remote = "remote:\n  - id: secondary\n    address: 127.0.0.1@\(notifyPort)\n"
                if key != nil { remote += "    key: \(key?.0 ?? "")\n" }
                notify = "    notify: secondary\n"
            }
            let config = """
                server:
                    rundir: "\(directory.path)"
                    listen: 127.0.0.1@\(port)
                    udp-workers: 1
                    tcp-workers: 1
                    background-workers: 1
                database:
                    storage: "\(directory.path)/db"
                control:
                    listen: "\(directory.path)/knot.sock"
                log:
                  - target: stderr
                    any: info
                \(keyConfig)\(remote)acl:
                  - id: transfer
                    address: 127.0.0.0/8
                    action: transfer
                \(aclKey)zone:
                  - domain: \(origin)
                    file: "\(directory.path)/zone.db"
                    acl: transfer
                \(notify)
                    journal-content: changes
                    zonefile-sync: -1

                """
            let path = directory.appendingPathComponent("knot.conf")
            try config.write(to: path, atomically: true, encoding: .utf8)
            return ["-c", path.path]
        }
    }

    /// Applies `commands` (lines for `knotc zone-set/zone-unset`) to a Knot
    /// primary in one transaction: Knot bumps the serial and journals the change.
    func knotChange(origin: String, _ changes: [[String]]) async throws {
        let knotc = try Peer.require("knotc")
        let conf = self.directory.appendingPathComponent("knot.conf").path
        var result = try await runProcessOffThePool(knotc, ["-c", conf, "zone-begin", origin])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for change in changes {
            result = try await runProcessOffThePool(knotc, ["-c", conf] + change)
            #expect(result.status == 0, "\(change): \(result.stdout)\(result.stderr)")
        }
        result = try await runProcessOffThePool(knotc, ["-c", conf, "zone-commit", origin])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    /// BIND as the primary of `origin`, with dynamic updates from 127.0.0.1
    /// (so nsupdate can change it and BIND journals an IXFR history).
    /// BIND as the primary of `origin`: updates from 127.0.0.1 (or, with
    /// `updateByKeyOnly`, only those signed with `key`), transfers to
    /// 127.0.0.1 or to `key`.
    static func bindPrimary(
        origin: String, zone: String, key: (String, String, String)? = nil, updateByKeyOnly: Bool = false
    ) async throws -> PeerServer {
        let directory = try makeDirectory("hanon-bind")
        try zone.write(to: directory.appendingPathComponent("zone.db"), atomically: true, encoding: .utf8)
        return try await start(program: "named", directory: directory, origin: origin, log: "named.log") { port in
            var keyConfig = ""
            var transfer = "127.0.0.1;"
            var update = "127.0.0.1;"
            if let (name, algorithm, secret) = key {
                keyConfig = "key \"\(name)\" { algorithm \(algorithm); secret \"\(secret)\"; };\n"
                transfer = "key \"\(name)\";"
                if updateByKeyOnly { update = transfer }
            }
            let config = """
                \(keyConfig)options {
                    directory "\(directory.path)";
                    pid-file "\(directory.path)/named.pid";
                    session-keyfile "\(directory.path)/session.key";
                    managed-keys-directory "\(directory.path)";
                    listen-on port \(port) { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion no;
                    notify no;
                    dnssec-validation no;
                };
                controls { };
                zone "\(origin)" {
                    type primary;
                    file "\(directory.path)/zone.db";
                    allow-update { \(update) };
                    allow-transfer { \(transfer) };
                };

                """
            let path = directory.appendingPathComponent("named.conf")
            try config.write(to: path, atomically: true, encoding: .utf8)
            return ["-g", "-c", path.path, "-n", "1"]
        }
    }

    /// Sends `commands` (nsupdate lines, without `server` and `send`) to this server.
    func nsupdate(_ commands: [String]) async throws {
        let nsupdate = try Peer.require("nsupdate")
        let script = (["server 127.0.0.1 \(self.port)"] + commands + ["send", ""]).joined(separator: "\n")
        let file = self.directory.appendingPathComponent("update-\(UUID().uuidString).txt")
        try script.write(to: file, atomically: true, encoding: .utf8)
        let result = try await runProcessOffThePool(nsupdate, [file.path])
        #expect(result.status == 0, "nsupdate: \(result.stdout)\(result.stderr)")
    }
}
