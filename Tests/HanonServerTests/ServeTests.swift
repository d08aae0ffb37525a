import DNSCore
import DNSTransport
import Foundation
import HanonConfig
import HanonServer
import Logging
import NIOCore
import Testing

/// `hanon serve` end to end on loopback: zones from files, reload, config, cookies, rate limiting.
@Suite struct ServeTests {
    static let zoneText = """
        $ORIGIN serve.test.
        $TTL 300
        @    SOA ns hostmaster 1 3600 600 86400 60
             NS  ns
        ns   A   192.0.2.53
        www  A   192.0.2.1

        """

    final class TempDir: Sendable {
        let url: URL
        init() throws {
            self.url = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-serve-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.url, withIntermediateDirectories: true)
        }
        func write(_ name: String, _ text: String) throws -> String {
            let path = self.url.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        deinit { try? FileManager.default.removeItem(at: self.url) }
    }

    static func settings(zoneFile: String) throws -> ServerSettings {
        ServerSettings(
            listen: ["127.0.0.1:0"], threads: 1,
            zones: [ZoneSource(name: try DomainName("serve.test."), file: zoneFile)])
    }

    static func ask(_ server: HanonServer, _ name: String, _ type: RecordType, edns: EDNS? = EDNS(), tcp: Bool = false)
        async throws -> DNSMessage
    {
        let listener = try #require(server.listeners.first { $0.transport == .udp })
        let query = DNSMessage.query(id: 0, name: try DomainName(name), type: type, recursionDesired: false, edns: edns)
        let response = try await DNSClient().query(
            query, server: listener.address, options: DNSQueryOptions(timeout: .seconds(2), tries: 2, tcpOnly: tcp))
        return response.message
    }

    static func addresses(_ message: DNSMessage) -> [String] {
        message.answers.map { $0.rdata.description }.sorted()
    }

    @Test func servesAZoneFileOverUDPAndTCP() async throws {
        let dir = try TempDir()
        let server = HanonServer(
            settings: try Self.settings(zoneFile: try dir.write("z", Self.zoneText)), logger: Logger(label: "test"))
        try await server.start()
        defer { Task { await server.shutdown() } }
        let udp = try await Self.ask(server, "WWW.serve.test.", .a)
        #expect(udp.rcode == .noError)
        #expect(udp.header.authoritative)
        #expect(Self.addresses(udp) == ["192.0.2.1"])
        #expect(udp.questions.first?.name.description == "WWW.serve.test.")
        let tcp = try await Self.ask(server, "nope.serve.test.", .a, tcp: true)
        #expect(tcp.rcode == .nxDomain)
        #expect(tcp.authorities.first?.type == .soa)
        let outside = try await Self.ask(server, "example.org.", .a)
        #expect(outside.rcode == .refused)
        await server.shutdown()
    }

    @Test func reloadPicksUpChangesAndKeepsTheOldZoneWhenTheNewOneIsBroken() async throws {
        let dir = try TempDir()
        let file = try dir.write("z", Self.zoneText)
        let server = HanonServer(settings: try Self.settings(zoneFile: file), logger: Logger(label: "test"))
        try await server.start()
        defer { Task { await server.shutdown() } }

        // Nothing changed: nothing reloaded.
        var report = server.reload()
        #expect(report.unchanged.map(\.description) == ["serve.test."])

        // A new address and serial: served after the reload.
        _ = try dir.write(
            "z",
            Self.zoneText.replacingOccurrences(of: "192.0.2.1", with: "192.0.2.2")
                .replacingOccurrences(of: " 1 3600", with: " 2 3600"))
        report = server.reload()
        #expect(report.reloaded.map(\.description) == ["serve.test."])
        #expect(Self.addresses(try await Self.ask(server, "www.serve.test.", .a)) == ["192.0.2.2"])

        // A broken file: the error names file:line:column, and serial 2 keeps serving.
        _ = try dir.write("z", Self.zoneText + "bad  A  192.0.2.300\n")
        report = server.reload()
        #expect(report.failed.map(\.description) == ["serve.test."])
        #expect(report.errors.contains { $0.contains("\(file):7:9: bad IPv4 address") }, "\(report.errors)")
        #expect(Self.addresses(try await Self.ask(server, "www.serve.test.", .a)) == ["192.0.2.2"])
        await server.shutdown()
    }

    @Test func aZoneWithErrorsIsNotServedButTheOthersAre() async throws {
        let dir = try TempDir()
        let good = try dir.write("good", Self.zoneText)
        let bad = try dir.write("bad", "$ORIGIN broken.test.\n@ SOA ns hostmaster 1 2 3 4 5\n")  // no NS
        var settings = try Self.settings(zoneFile: good)
        settings.zones.append(ZoneSource(name: try DomainName("broken.test."), file: bad))
        let server = HanonServer(settings: settings, logger: Logger(label: "test"))
        #expect(server.servedZones.map(\.description) == ["serve.test."])
    }

    @Test func configFileDrivesTheServer() async throws {
        let dir = try TempDir()
        _ = try dir.write("serve.test.zone", Self.zoneText)
        let port = Int.random(in: 20000...32000)
        let configPath = try dir.write(
            "hanon.toml",
            """
            data = "."
            [dns]
            listen = ["127.0.0.1:\(port)"]
            threads = 1
            nsid = "test-ns"

            [[zone]]
            name = "serve.test"
            file = "serve.test.zone"

            """)
        let settings = try ServerSettings(config: try Config.load(path: configPath))
        #expect(settings.zones.first?.file == dir.url.appendingPathComponent("serve.test.zone").path)
        let server = HanonServer(settings: settings, logger: Logger(label: "test"))
        try await server.start()
        defer { Task { await server.shutdown() } }
        var edns = EDNS()
        edns.options.append(EDNSOption(code: .nsid, data: []))
        let response = try await Self.ask(server, "www.serve.test.", .a, edns: edns)
        #expect(response.edns?.option(.nsid)?.data == Array("test-ns".utf8))
        // The pid file lets `hanon reload` find the server.
        let pid = try PidFile(directory: dir.url.path).read()
        #expect(pid == getpid())
        await server.shutdown()
    }

    @Test func serverCookiesAreAnswered() async throws {
        let dir = try TempDir()
        let server = HanonServer(
            settings: try Self.settings(zoneFile: try dir.write("z", Self.zoneText)), logger: Logger(label: "test"))
        try await server.start()
        defer { Task { await server.shutdown() } }
        let clientCookie: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        var edns = EDNS()
        edns.options.append(EDNSOption(code: .cookie, data: clientCookie))
        let first = try await Self.ask(server, "www.serve.test.", .a, edns: edns)
        let cookie = try #require(first.edns?.option(.cookie))
        #expect(cookie.data.count == 24)
        #expect(Array(cookie.data.prefix(8)) == clientCookie)
        #expect(cookie.data[8] == 1)  // RFC 9018 version 1
        // A malformed cookie option is FORMERR (RFC 7873 §5.2.2).
        var bad = EDNS()
        bad.options.append(EDNSOption(code: .cookie, data: [1, 2, 3]))
        #expect(try await Self.ask(server, "www.serve.test.", .a, edns: bad).rcode == .formErr)
        await server.shutdown()
    }

    @Test func rateLimitingSlipsAndDropsOverUDPOnly() async throws {
        let dir = try TempDir()
        var settings = try Self.settings(zoneFile: try dir.write("z", Self.zoneText))
        settings.rateLimit = .init(responsesPerSecond: 1, slip: 1)
        let server = HanonServer(settings: settings, logger: Logger(label: "test"))
        try await server.start()
        defer { Task { await server.shutdown() } }
        let listener = try #require(server.listeners.first { $0.transport == .udp })
        // Over the limit with slip 1, every limited reply is an empty truncated one;
        // the client's TCP retry is not limited and gets the answer. Twenty at once:
        // at one response per second, most are limited however slow the machine.
        let query = DNSMessage.query(id: 0, name: try DomainName("www.serve.test."), type: .a, recursionDesired: false)
        let address = listener.address
        let results = try await withThrowingTaskGroup(of: (Bool, [String]).self) { group in
            for _ in 0..<20 {
                group.addTask {
                    let r = try await DNSClient().query(
                        query, server: address, options: DNSQueryOptions(timeout: .seconds(5), tries: 1))
                    return (r.retriedAfterTruncation, Self.addresses(r.message))
                }
            }
            var all: [(Bool, [String])] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.allSatisfy { $0.1 == ["192.0.2.1"] })
        let truncatedSeen = results.filter(\.0).count
        #expect(truncatedSeen >= 10)
        await server.shutdown()
    }
}
