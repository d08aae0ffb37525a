// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging
import NIOCore
import Testing

@testable import DNSResolver

@Suite("Iteration over a scripted network")
struct IterationTests {
    static func network(
        extra: [String: [String]] = [:], behaviour: [String: FakeNetwork.Behaviour] = [:],
        test: String = FakeZones.test,
        example: String = FakeZones.example
    ) throws -> FakeNetwork {
        var servers: [String: [String]] = [
            "10.0.0.1": [FakeZones.root], "10.0.1.1": [test], "10.0.3.1": [example], "10.0.2.1": [FakeZones.other],
        ]
        for (address, zones) in extra { servers[address, default: []] += zones }
        return try FakeNetwork(servers: servers, behaviour: behaviour)
    }

    @Test func followsReferralsFromTheRoot() async throws {
        let network = try Self.network()
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .noError)
        #expect(response.answers.map(\.description) == ["www.example.test. 300 IN A 192.0.2.1"])
        #expect(response.header.recursionAvailable && response.header.id == 4242)
        #expect(network.sent.map(\.server) == ["10.0.0.1", "10.0.1.1", "10.0.3.1"])
        // The second time: from cache, nothing sent.
        _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(network.sent.count == 3)
    }

    @Test func qnameMinimisationSendsOneMoreLabelPerZone() async throws {
        let network = try Self.network()
        let resolver = try FakeZones.resolver(network)
        _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        let sent = network.sent.map { "\($0.server) \($0.name) \($0.type)" }
        #expect(sent == ["10.0.0.1 test. A", "10.0.1.1 example.test. A", "10.0.3.1 www.example.test. A"])
    }

    @Test func withoutMinimisationTheWholeNameGoesToTheRoot() async throws {
        let network = try Self.network()
        let resolver = try FakeZones.resolver(network) { $0.qnameMinimisation = false }
        _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(network.sent(to: "10.0.0.1").map(\.name) == ["www.example.test."])
    }

    @Test func minimisationFallsBackToTheFullNameOnNXDOMAIN() async throws {
        // A broken server answering NXDOMAIN for the empty non-terminal b.example.test.
        let example = FakeZones.example + "\na.b.example.test. 300 IN A 192.0.2.7"
        let network = try Self.network(example: example)
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("a.b.example.test.", .a))
        #expect(response.answers.first?.description == "a.b.example.test. 300 IN A 192.0.2.7")
        // The empty non-terminal b.example.test. exists here, so one more label was asked, then the full name.
        #expect(network.sent(to: "10.0.3.1").map(\.name) == ["b.example.test.", "a.b.example.test."])
    }

    @Test func outOfBailiwickGlueIsIgnored() async throws {
        // test. delegates evil.test. to ns.other. and adds glue for it pointing at 10.6.6.6:
        // test.'s servers are not authoritative for other., so the glue is not used.
        let test =
            FakeZones.test + """

                evil.test. 3600 IN NS ns.other.
                ns.other. 3600 IN A 10.6.6.6
                """
        let network = try Self.network(
            extra: ["10.0.2.1": ["evil.test. 300 IN SOA ns.other. h. 1 1 1 1 60\nwww.evil.test. 300 IN A 192.0.2.66"]],
            test: test)
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("www.evil.test.", .a))
        #expect(network.sent(to: "10.6.6.6").isEmpty)
        #expect(response.answers.first?.description == "www.evil.test. 300 IN A 192.0.2.66")
    }

    @Test func cnameChainAcrossZones() async throws {
        let network = try Self.network()
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("away.example.test.", .a))
        #expect(response.rcode == .noError)
        #expect(
            response.answers.map(\.description) == [
                "away.example.test. 300 IN CNAME host.other.", "host.other. 3600 IN A 192.0.2.9",
            ])
        #expect(!network.sent(to: "10.0.2.1").isEmpty)
    }

    @Test func cnameInsideOneZoneNeedsNoSecondQuery() async throws {
        let network = try Self.network()
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("alias.example.test.", .a))
        #expect(response.answers.count == 2)
        #expect(network.sent(to: "10.0.3.1").count == 1)
    }

    @Test func nxdomainAndNodata() async throws {
        let network = try Self.network()
        let resolver = try FakeZones.resolver(network)
        let nx = await resolver.resolve(try FakeZones.query("nosuch.example.test.", .a))
        #expect(nx.rcode == .nxDomain && nx.answers.isEmpty && nx.authorities.first?.type == .soa)
        let nodata = await resolver.resolve(try FakeZones.query("www.example.test.", .txt))
        #expect(nodata.rcode == .noError && nodata.answers.isEmpty && nodata.authorities.first?.type == .soa)
    }

    @Test func nxnsLimitBoundsTheNameServerLookups() async throws {
        // victim.test. has 20 NS names without glue, each in other. where none exists.
        var test = FakeZones.test
        for i in 1...20 { test += "\nvictim.test. 3600 IN NS ns\(i).other." }
        let network = try Self.network(test: test)
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("www.victim.test.", .a))
        #expect(response.rcode == .servFail)
        let looked = Set(network.sent(to: "10.0.2.1").map(\.name).filter { $0.hasPrefix("ns") })
        #expect(looked.count <= IterationLimits().maxNSNamesPerDelegation)
        #expect(network.sent.count <= IterationLimits().maxUpstreamQueries)
    }

    @Test func nameServerWithoutGlueIsLookedUp() async throws {
        let test = FakeZones.test + "\nfar.test. 3600 IN NS ns.far.other."
        // ns.far.other. lives in other. (10.0.2.1), which also serves far.test.
        let other = try FakeNetwork(
            servers: [
                "10.0.0.1": [FakeZones.root], "10.0.1.1": [test], "10.0.3.1": [FakeZones.example],
                "10.0.2.1": [
                    FakeZones.other + "\nns.far.other. 3600 IN A 10.0.2.1",
                    "far.test. 300 IN SOA ns.far.other. h. 1 1 1 1 60\nwww.far.test. 300 IN A 192.0.2.44",
                ],
            ])
        let resolver = try FakeZones.resolver(other)
        let response = await resolver.resolve(try FakeZones.query("www.far.test.", .a))
        #expect(response.answers.first?.description == "www.far.test. 300 IN A 192.0.2.44")
        #expect(other.sent.contains { $0.name == "ns.far.other." && $0.type == .a })
    }

    @Test func lameServerIsMarkedAndAvoided() async throws {
        // example.test. has two servers; 10.0.3.2 answers REFUSED.
        let test = FakeZones.test + "\nexample.test. 3600 IN NS ns2.example.test.\nns2.example.test. 3600 IN A 10.0.3.2"
        let network = try FakeNetwork(
            servers: [
                "10.0.0.1": [FakeZones.root], "10.0.1.1": [test], "10.0.3.1": [FakeZones.example],
                "10.0.3.2": [FakeZones.example], "10.0.2.1": [FakeZones.other],
            ],
            behaviour: ["10.0.3.2": .refuseQueries])
        let resolver = try FakeZones.resolver(network)
        // The lame server looks fastest, so it is tried first.
        resolver.health.answered(try SocketAddress(ipAddress: "10.0.3.2", port: 53), rtt: .microseconds(10))
        for i in 0..<10 {
            let response = await resolver.resolve(try FakeZones.query("n\(i).example.test.", .a))
            #expect(response.rcode == .nxDomain)
        }
        #expect(network.sent(to: "10.0.3.2").count == 1)
        #expect(resolver.health.summary().contains("REFUSED"))
    }

    @Test func portUnreachableMovesOnAtOnce() async throws {
        // The only server of example.test. has nothing listening: SERVFAIL, without waiting.
        let network = try Self.network(behaviour: ["10.0.3.1": .portUnreachable])
        let resolver = try FakeZones.resolver(network) { $0.initialTimeout = .seconds(30) }
        let clock = ContinuousClock()
        let started = clock.now
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.rcode == .servFail)
        #expect(clock.now - started < .seconds(2))
        #expect(network.sent(to: "10.0.3.1").count == 1)
    }

    @Test func truncatedAnswerIsAskedAgainOverTCP() async throws {
        let network = try Self.network(behaviour: ["10.0.3.1": .truncateUDP])
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.answers.count == 1)
        #expect(network.sent(to: "10.0.3.1").map(\.tcp) == [false, true])
    }

    @Test func silentServerTimesOutThenTheOtherIsUsed() async throws {
        let test = FakeZones.test + "\nexample.test. 3600 IN NS ns2.example.test.\nns2.example.test. 3600 IN A 10.0.3.2"
        let network = try FakeNetwork(
            servers: [
                "10.0.0.1": [FakeZones.root], "10.0.1.1": [test], "10.0.3.1": [FakeZones.example],
                "10.0.3.2": [FakeZones.example], "10.0.2.1": [FakeZones.other],
            ],
            behaviour: ["10.0.3.2": .silent])
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.answers.count == 1)
    }

    @Test func unreachableIPv6IsLoggedOnceForManyQueries() async throws {
        // v6.test.'s only name server has IPv6 only, with no route to it.
        let test = FakeZones.test + "\nv6.test. 3600 IN NS ns.v6.test.\nns.v6.test. 3600 IN AAAA 2001:db8::53"
        let v6 = "v6.test. 300 IN SOA ns.v6.test. h. 1 1 1 1 60\nhost.v6.test. 300 IN A 192.0.2.6"
        let network = try Self.network(extra: ["2001:db8::53": [v6]], behaviour: ["2001:db8::53": .noRoute], test: test)
        let log = CapturedLog()
        let resolver = try FakeZones.resolver(network, logger: log.logger)
        for i in 0..<30 {
            let response = await resolver.resolve(try FakeZones.query("h\(i).v6.test.", .a))
            #expect(response.rcode == .servFail)
        }
        let lines = log.lines.withLock { $0 }
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("IPv6 looks unreachable") == true)
        // After the first failures the family is left alone: no more packets to it.
        #expect(network.sent(to: "2001:db8::53").count == resolver.health.familyFailureThreshold)
        #expect(resolver.health.isDown(.ipv6))
        // IPv4 is unaffected.
        #expect(await resolver.resolve(try FakeZones.query("www.example.test.", .a)).answers.count == 1)
    }

    @Test func lameServersLogNothingPerQuery() async throws {
        let network = try Self.network(behaviour: ["10.0.3.1": .refuseQueries])
        let log = CapturedLog()
        let resolver = try FakeZones.resolver(network, logger: log.logger)
        for i in 0..<20 {
            _ = await resolver.resolve(try FakeZones.query("x\(i).example.test.", .a))
        }
        #expect(log.lines.withLock { $0 }.isEmpty)
        #expect(resolver.health.summary().contains("example.test. 10.0.3.1:53 REFUSED"))
    }

    @Test func loopbackUpstreamsAreRefusedUnlessAllowed() async throws {
        let test = FakeZones.test + "\nlocal.test. 3600 IN NS ns.local.test.\nns.local.test. 3600 IN A 127.0.0.1"
        let network = try Self.network(test: test)
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("www.local.test.", .a))
        #expect(response.rcode == .servFail)
        #expect(network.sent(to: "127.0.0.1").isEmpty)
    }

    @Test func dnameIsFollowed() async throws {
        let example = FakeZones.example + "\nold.example.test. 300 IN DNAME other."
        let network = try Self.network(example: example)
        let resolver = try FakeZones.resolver(network) { $0.qnameMinimisation = false }
        let response = await resolver.resolve(try FakeZones.query("host.old.example.test.", .a))
        #expect(response.answers.contains { $0.type == .dname })
        #expect(response.answers.contains { $0.description == "host.old.example.test. 300 IN CNAME host.other." })
        #expect(response.answers.last?.description == "host.other. 3600 IN A 192.0.2.9")
    }
}

@Suite("Forward zones")
struct ForwardZoneTests {
    @Test func forwardedZoneGoesToItsServersWithRD() async throws {
        let corp = "corp. 300 IN SOA ns.corp. h. 1 1 1 1 60\nwww.corp. 300 IN A 192.0.2.80"
        let network = try FakeNetwork(servers: ["10.0.0.1": [FakeZones.root], "10.9.9.9": [corp]])
        let forwarder = try SocketAddress(ipAddress: "10.9.9.9", port: 53)
        let resolver = try FakeZones.resolver(network) { $0.forwardZones = ["corp.": [forwarder]] }
        let response = await resolver.resolve(try FakeZones.query("www.corp.", .a))
        #expect(response.answers.first?.description == "www.corp. 300 IN A 192.0.2.80")
        #expect(network.sent.map(\.server) == ["10.9.9.9"])
        #expect(network.sent.first?.name == "www.corp.")
    }
}

@Suite("QNAME minimisation fallbacks")
struct MinimisationFallbackTests {
    /// A server that refuses the shortened name is asked the full name
    /// before it is marked lame (RFC 9156 §2.3).
    @Test func refusalOfAShortenedNameFallsBackToTheFullName() async throws {
        let network = try FakeNetwork(
            servers: [
                "10.0.0.1": [FakeZones.root], "10.0.1.1": [FakeZones.test], "10.0.3.1": [FakeZones.example],
            ],
            behaviour: ["10.0.1.1": .refuseShortNames(minimumLabels: 3)])
        let resolver = try FakeZones.resolver(network)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(response.answers.count == 1)
        #expect(network.sent(to: "10.0.1.1").map(\.name) == ["example.test.", "www.example.test."])
    }
}
