import DNSCore
import DNSTransport
import Foundation
import NIOCore
import Testing

/// The `hanon` command as a user runs it: exit codes, output, signals.
@Suite(.serialized) struct CommandLineTests {
    static let zone = """
        $ORIGIN cli.test.
        $TTL 300
        @    SOA ns hostmaster 1 3600 600 86400 60
             NS  ns
        ns   A   192.0.2.53
        www  A   192.0.2.1

        """

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func zoneCheckSummarisesAValidZone() throws {
        let hanon = try HanonBinary.require()
        let example = packageRoot.appendingPathComponent("examples/example.test.zone").path
        let result = try runProcess(hanon, ["zone", "check", example])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("example.test.: 19 records, 10 names"))
    }

    @Test func zoneCheckNamesEveryErrorAndFails() throws {
        let hanon = try HanonBinary.require()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.zone").path
        try (Self.zone + "bad A 192.0.2.300\nworse MX ten mail\n").write(
            toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(hanon, ["zone", "check", file])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("\(file):7:7: ") == true)
        #expect(lines.last?.hasPrefix("\(file):8:10: ") == true)
    }

    @Test func zoneFormatPrintsACanonicalZoneThatChecksAgain() throws {
        let hanon = try HanonBinary.require()
        let example = packageRoot.appendingPathComponent("examples/example.test.zone").path
        let formatted = try runProcess(hanon, ["zone", "format", example])
        #expect(formatted.status == 0)
        #expect(formatted.stdout.split(separator: "\n").count == 19)
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("formatted.zone").path
        try formatted.stdout.write(toFile: file, atomically: true, encoding: .utf8)
        let again = try runProcess(hanon, ["zone", "format", file, "--origin", "example.test."])
        #expect(again.status == 0)
        #expect(again.stdout == formatted.stdout)
    }

    @Test func checkConfigReportsFileLineAndKey() throws {
        let hanon = try HanonBinary.require()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("hanon.toml").path
        try "[dns]\nlisten = [\"127.0.0.1:5353\"]\nlistn = 1\n".write(toFile: config, atomically: true, encoding: .utf8)
        let result = try runProcess(hanon, ["check-config", config])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(config):3:1: unknown key 'dns.listn'"))
    }

    /// serve → answer → change the zone → `hanon reload` → new answer →
    /// break the zone → reload → old answer, error with file:line → SIGTERM → clean exit.
    @Test func serveReloadAndStopWithSignals() async throws {
        let hanon = try HanonBinary.require()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let zoneFile = dir.appendingPathComponent("cli.test.zone").path
        try Self.zone.write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let port = Int.random(in: 20000...32000)
        let config = dir.appendingPathComponent("hanon.toml").path
        try """
        data = "."
        [dns]
        listen = ["127.0.0.1:\(port)"]
        threads = 1
        [[zone]]
        name = "cli.test"
        file = "cli.test.zone"

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("hanon.log").path
        let pid = try spawnDaemon(hanon, ["serve", "--config", config], output: log)
        var exited = false
        defer { if !exited { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) } }

        let server = try SocketAddress(ipAddress: "127.0.0.1", port: port)
        func ask() async -> [String]? {
            let query = DNSMessage.query(id: 0, name: "www.cli.test.", type: .a, recursionDesired: false)
            guard
                let r = try? await DNSClient().query(
                    query, server: server, options: DNSQueryOptions(timeout: .milliseconds(500), tries: 1))
            else { return nil }
            return r.message.answers.map { $0.rdata.description }
        }
        func waitFor(_ expected: [String]) async -> Bool {
            for _ in 0..<100 {
                if await ask() == expected { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
        #expect(await waitFor(["192.0.2.1"]), "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")

        try Self.zone.replacingOccurrences(of: "192.0.2.1", with: "192.0.2.2")
            .replacingOccurrences(of: " 1 3600", with: " 2 3600")
            .write(toFile: zoneFile, atomically: true, encoding: .utf8)
        let reload = try runProcess(hanon, ["reload", "--config", config])
        #expect(reload.status == 0, "\(reload.stderr)")
        #expect(await waitFor(["192.0.2.2"]))

        try (Self.zone + "bad A 192.0.2.300\n").write(toFile: zoneFile, atomically: true, encoding: .utf8)
        #expect(kill(pid, SIGHUP) == 0)
        var logged = false
        for _ in 0..<100 where !logged {
            try await Task.sleep(for: .milliseconds(100))
            logged = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains(
                "\(zoneFile):7:7: bad IPv4 address")
        }
        #expect(logged)
        #expect(await ask() == ["192.0.2.2"])

        #expect(kill(pid, SIGTERM) == 0)
        let status = await waitForExit(pid, timeout: .seconds(15))
        exited = status != nil
        #expect(status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("hanon.pid").path))
    }

    /// Binding needs root (port 53); nothing after that does (issue 3 item 7).
    @Test(.enabled(if: getuid() == 0)) func serveDropsRootAfterBinding() async throws {
        let hanon = try HanonBinary.require()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.zone.write(toFile: dir.appendingPathComponent("cli.test.zone").path, atomically: true, encoding: .utf8)
        let port = Int.random(in: 20000...32000)
        let config = dir.appendingPathComponent("hanon.toml").path
        try """
        user = "nobody"
        [dns]
        listen = ["127.0.0.1:\(port)"]
        threads = 1
        [[zone]]
        name = "cli.test"
        file = "\(dir.appendingPathComponent("cli.test.zone").path)"

        """.write(toFile: config, atomically: true, encoding: .utf8)
        let log = dir.appendingPathComponent("hanon.log").path
        let pid = try spawnDaemon(hanon, ["serve", "--config", config], output: log)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
        var uids: [String] = []
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(100))
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            uids =
                status.split(separator: "\n").first { $0.hasPrefix("Uid:") }?
                .split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().map(String.init) ?? []
            if uids.first == "\(nobody)" { break }
        }
        // Real, effective, saved and filesystem user IDs all switched.
        #expect(
            uids == Array(repeating: "\(nobody)", count: 4),
            "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        let query = DNSMessage.query(id: 0, name: "www.cli.test.", type: .a, recursionDesired: false)
        let reply = try await DNSClient().query(
            query, server: try SocketAddress(ipAddress: "127.0.0.1", port: port),
            options: DNSQueryOptions(timeout: .seconds(2), tries: 3))
        #expect(reply.message.answers.map { $0.rdata.description } == ["192.0.2.1"])
    }
}
