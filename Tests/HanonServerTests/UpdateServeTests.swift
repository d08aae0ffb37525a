// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import Foundation
import HanonServer
import Logging
import NIOCore
import Testing

/// Dynamic update in a running server: the answer, reload not losing an
/// update, the zone file written at shutdown.
@Suite struct UpdateServeTests {
    static func update(_ server: HanonServer, add line: String) async throws -> DNSMessage {
        let listener = try #require(server.listeners.first { $0.transport == .udp })
        var header = Header(id: 99)
        header.opcode = .update
        let message = DNSMessage(
            header: header, questions: [Question(name: "serve.test.", type: .soa)],
            authorities: [try ResourceRecord(text: line, origin: "serve.test.")])
        let response = try await DNSClient().query(
            message, server: listener.address, options: DNSQueryOptions(timeout: .seconds(2), tries: 1))
        return response.message
    }

    func settings(_ dir: ServeTests.TempDir, policy: UpdatePolicy?) throws -> (ServerSettings, String) {
        let file = try dir.write("z", ServeTests.zoneText)
        var source = ZoneSource(name: "serve.test.", file: file)
        source.update = policy.map { ZoneUpdateSettings(policy: $0, zonefileSync: .seconds(3600)) }
        var settings = ServerSettings(listen: ["127.0.0.1:0"], threads: 1, zones: [source])
        settings.dataDirectory = dir.url.path
        return (settings, file)
    }

    @Test func updateSurvivesReloadAndIsWrittenAtShutdown() async throws {
        let dir = try ServeTests.TempDir()
        let policy = UpdatePolicy(rules: [UpdateRule(identity: .address(AddressPrefix("127.0.0.1/32")!))])
        let (settings, file) = try settings(dir, policy: policy)
        let server = HanonServer(settings: settings, logger: Logger(label: "test"))
        try await server.start()
        let response = try await Self.update(server, add: "new 60 IN A 192.0.2.7")
        #expect(response.rcode == .noError)
        #expect(response.header.opcode == .update)
        #expect(ServeTests.addresses(try await ServeTests.ask(server, "new.serve.test.", .a)) == ["192.0.2.7"])
        // A reload with the zone file unchanged keeps the update.
        let report = server.reload()
        #expect(report.failed.isEmpty)
        #expect(ServeTests.addresses(try await ServeTests.ask(server, "new.serve.test.", .a)) == ["192.0.2.7"])
        #expect(FileManager.default.fileExists(atPath: dir.url.path + "/journal/serve.test.journal"))
        // Shutdown path: the zone file is written.
        let run = Task { try await server.run() }
        try await Task.sleep(for: .milliseconds(200))
        await server.shutdown()
        run.cancel()
        _ = try? await run.value
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("new.serve.test.\t60\tIN\tA\t192.0.2.7"), "\(text)")
    }

    @Test func malformedUpdatesAreFormErrAndChangeNothing() async throws {
        let dir = try ServeTests.TempDir()
        let policy = UpdatePolicy(rules: [UpdateRule(identity: .address(AddressPrefix("127.0.0.1/32")!))])
        let (settings, _) = try settings(dir, policy: policy)
        let server = HanonServer(settings: settings, logger: Logger(label: "test"))
        try await server.start()
        defer { Task { await server.shutdown() } }
        let listener = try #require(server.listeners.first { $0.transport == .udp })
        var header = Header(id: 5)
        header.opcode = .update
        let empty = RDATA.unknown(.any, RDATA.Opaque(bytes: []))
        let cases: [DNSMessage] = [
            // Two zones (RFC 2136 §3.1.1).
            DNSMessage(
                header: header,
                questions: [Question(name: "serve.test.", type: .soa), Question(name: "serve.test.", type: .soa)]),
            // Class NONE, type ANY in the update section (§3.4.1.3).
            DNSMessage(
                header: header, questions: [Question(name: "serve.test.", type: .soa)],
                authorities: [ResourceRecord(name: "www.serve.test.", dnsClass: .none, ttl: 0, rdata: empty)]),
            // A prerequisite with a TTL (§3.2.1).
            DNSMessage(
                header: header, questions: [Question(name: "serve.test.", type: .soa)],
                answers: [ResourceRecord(name: "www.serve.test.", dnsClass: .any, ttl: 9, rdata: empty)],
                authorities: [try ResourceRecord(text: "x 60 IN A 192.0.2.1", origin: "serve.test.")]),
        ]
        for message in cases {
            let response = try await DNSClient().query(
                message, server: listener.address, options: DNSQueryOptions(timeout: .seconds(2), tries: 1))
            #expect(response.message.rcode == .formErr)
        }
        #expect(ServeTests.addresses(try await ServeTests.ask(server, "x.serve.test.", .a)) == [])
        #expect(
            try await ServeTests.ask(server, "serve.test.", .soa).answers.first?.description.contains(" 1 3600 ")
                == true)
    }

    @Test func withoutPolicyUpdateIsRefused() async throws {
        let dir = try ServeTests.TempDir()
        let (settings, _) = try settings(dir, policy: nil)
        let server = HanonServer(settings: settings, logger: Logger(label: "test"))
        try await server.start()
        defer { Task { await server.shutdown() } }
        let response = try await Self.update(server, add: "new 60 IN A 192.0.2.7")
        #expect(response.rcode == .refused)
        var header = Header(id: 1)
        header.opcode = .update
        let listener = try #require(server.listeners.first { $0.transport == .udp })
        let other = DNSMessage(header: header, questions: [Question(name: "other.test.", type: .soa)])
        let notAuth = try await DNSClient().query(
            other, server: listener.address, options: DNSQueryOptions(timeout: .seconds(2), tries: 1))
        #expect(notAuth.message.rcode == .notAuth)
    }
}
