// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSSEC
import Logging
import Testing

@testable import DNSResolver

/// RFC 8198: after one secure negative answer, other names its NSEC/NSEC3
/// records prove absent are answered from the cache, secure, with no
/// upstream query; never from insecure data or an Opt-Out span.
@Suite struct AggressiveNSECTests {
    /// nsec.test.: apex, a, m, ns — NSEC spans apex→a→m→ns→apex.
    static let world: Result<TestWorld, any Error> = Result {
        try TestWorld.build([
            ZoneSpec(origin: "."),
            ZoneSpec(origin: "test."),
            ZoneSpec(origin: "nsec.test.", body: "a A 192.0.2.1\nm A 192.0.2.2"),
            ZoneSpec(origin: "nsec3.test.", body: "www A 192.0.2.1", denial: .nsec3()),
            ZoneSpec(origin: "optout.test.", body: "www A 192.0.2.1", denial: .nsec3(optOut: true)),
            ZoneSpec(origin: "plain.test.", body: "a A 192.0.2.1\nm A 192.0.2.2", algorithm: nil),
        ])
    }

    static func resolver(aggressive: Bool = true) throws -> (RecursiveResolver, WorldTransport) {
        let world = try Self.world.get()
        let transport = WorldTransport(world)
        let validator = DNSSECValidator(configuration: .init(trustAnchors: [world.anchor], clock: { TestWorld.now }))
        var options = ResolverOptions()
        options.rootHints = try FakeZones.hints
        options.qnameMinimisation = false
        options.aggressiveNSEC = aggressive
        let resolver = RecursiveResolver(
            options: options, transport: transport, validator: validator, logger: Logger(label: "test"))
        return (resolver, transport)
    }

    static func ask(_ resolver: RecursiveResolver, _ name: String, _ type: RecordType = .a) async throws -> DNSMessage {
        await resolver.resolve(try FakeZones.query(name, type, dnssecOK: true))
    }

    @Test func nxdomainInTheSameNSECSpanIsAnsweredFromCache() async throws {
        let (resolver, transport) = try Self.resolver()
        let first = try await Self.ask(resolver, "b.nsec.test.")
        #expect(first.rcode == .nxDomain && first.header.authenticData)
        let upstream = transport.sent.count
        // c.nsec.test. lies between a and m, like b; the wildcard proof is the apex NSEC.
        let second = try await Self.ask(resolver, "c.nsec.test.")
        #expect(second.rcode == .nxDomain)
        #expect(second.header.authenticData)
        #expect(transport.sent.count == upstream)
        #expect(resolver.cache.denials.synthesizedCount == 1)
        // Authority as the zone gives it: the SOA, the covering NSEC, the wildcard's, with RRSIGs.
        let types = second.authorities.map(\.type)
        #expect(types.filter { $0 == .soa }.count == 1)
        let nsecOwners = Set(second.authorities.filter { $0.type == .nsec }.map(\.name.description))
        #expect(nsecOwners == ["a.nsec.test.", "nsec.test."])
        #expect(second.authorities.filter { $0.type == .rrsig }.count == 3)
        #expect(second.authorities.allSatisfy { $0.ttl <= 300 })
        // Without DO the proofs are left out, the SOA stays.
        let plain = await resolver.resolve(try FakeZones.query("d.nsec.test.", .a))
        #expect(plain.rcode == .nxDomain && plain.authorities.map(\.type) == [.soa])
        #expect(transport.sent.count == upstream)
    }

    @Test func nameOutsideTheSpansHeldGoesUpstream() async throws {
        let (resolver, transport) = try Self.resolver()
        _ = try await Self.ask(resolver, "b.nsec.test.")
        let upstream = transport.sent.count
        // n.nsec.test. sorts between m and ns: that NSEC was never seen.
        let response = try await Self.ask(resolver, "n.nsec.test.")
        #expect(response.rcode == .nxDomain && response.header.authenticData)
        #expect(transport.sent.count == upstream + 1)
        // …and now its span is known too.
        _ = try await Self.ask(resolver, "mm.nsec.test.")
        #expect(transport.sent.count == upstream + 1)
    }

    @Test func nodataFromTheBitmapOfAMatchingNSEC() async throws {
        let (resolver, transport) = try Self.resolver()
        _ = try await Self.ask(resolver, "b.nsec.test.")  // brings the NSEC at a.nsec.test. (A RRSIG NSEC)
        let upstream = transport.sent.count
        let response = try await Self.ask(resolver, "a.nsec.test.", .txt)
        #expect(response.rcode == .noError && response.answers.isEmpty)
        #expect(response.header.authenticData)
        #expect(response.authorities.filter { $0.type == .nsec }.map(\.name.description) == ["a.nsec.test."])
        #expect(transport.sent.count == upstream)
        // A type the bitmap lists is not denied: it is fetched.
        let a = try await Self.ask(resolver, "a.nsec.test.", .a)
        #expect(a.answers.filter { $0.type == .a }.count == 1)
        #expect(transport.sent.count == upstream + 1)
        // ANY is never answered NODATA from a bitmap.
        _ = try await Self.ask(resolver, "a.nsec.test.", .any)
        #expect(transport.sent.count > upstream + 1)
    }

    @Test func nxdomainFromNSEC3() async throws {
        let (resolver, transport) = try Self.resolver()
        let first = try await Self.ask(resolver, "q0.nsec3.test.")
        #expect(first.rcode == .nxDomain && first.header.authenticData)
        let upstream = transport.sent.count
        // A name whose hash falls in a span of the NSEC3 records just received.
        let spans = first.authorities.compactMap { record -> ([UInt8], [UInt8])? in
            guard case .nsec3(let n) = record.rdata, let own = Base32Hex.decode(record.name.firstLabel) else {
                return nil
            }
            return (own, n.nextHashedOwnerName)
        }
        let candidate = (1..<200).map { "q\($0).nsec3.test." }.first { name in
            let hash = DNSSEC.nsec3Hash(TestWorld.name(name), salt: [], iterations: 0)
            return spans.contains { DNSSEC.nsec3Covers(ownerHash: $0.0, nextHash: $0.1, hash: hash) }
        }
        let name = try #require(candidate)
        let second = try await Self.ask(resolver, name)
        #expect(second.rcode == .nxDomain && second.header.authenticData)
        #expect(transport.sent.count == upstream)
        #expect(second.authorities.contains { $0.type == .nsec3 })
        #expect(second.authorities.contains { $0.type == .soa })
    }

    @Test func nodataFromNSEC3() async throws {
        let (resolver, transport) = try Self.resolver()
        let first = try await Self.ask(resolver, "www.nsec3.test.", .txt)
        #expect(first.rcode == .noError && first.answers.isEmpty && first.header.authenticData)
        let upstream = transport.sent.count
        let second = try await Self.ask(resolver, "www.nsec3.test.", .mx)
        #expect(second.rcode == .noError && second.answers.isEmpty && second.header.authenticData)
        #expect(transport.sent.count == upstream)
    }

    @Test func insecureDataIsNeverUsed() async throws {
        let (resolver, transport) = try Self.resolver()
        let first = try await Self.ask(resolver, "b.plain.test.")
        #expect(first.rcode == .nxDomain && !first.header.authenticData)
        let upstream = transport.sent.count
        let second = try await Self.ask(resolver, "c.plain.test.")
        #expect(second.rcode == .nxDomain && !second.header.authenticData)
        #expect(transport.sent.count > upstream)
        #expect(resolver.cache.denials.synthesizedCount == 0)
    }

    @Test func optOutSpansAreNotUsed() async throws {
        let (resolver, transport) = try Self.resolver()
        // An NXDOMAIN over an Opt-Out span is insecure (an unsigned delegation may be there).
        let first = try await Self.ask(resolver, "q0.optout.test.")
        #expect(first.rcode == .nxDomain && !first.header.authenticData)
        let upstream = transport.sent.count
        _ = try await Self.ask(resolver, "q1.optout.test.")
        #expect(transport.sent.count > upstream)
        // Even if such records were held as secure, the cache refuses to synthesize from them.
        let world = try Self.world.get()
        let (response, question) = world.net.query("q0.optout.test.", .a)
        let denial = try #require(SecureDenial(response, question: question))
        let cache = NegativeProofCache()
        cache.store(denial)
        #expect(cache.counts.records > 0)
        for i in 0..<20 {
            #expect(cache.synthesize(Question(name: TestWorld.name("q\(i).optout.test."), type: .a)) == nil)
        }
    }

    @Test func disabledByConfiguration() async throws {
        let (resolver, transport) = try Self.resolver(aggressive: false)
        _ = try await Self.ask(resolver, "b.nsec.test.")
        let upstream = transport.sent.count
        let second = try await Self.ask(resolver, "c.nsec.test.")
        #expect(second.rcode == .nxDomain && second.header.authenticData)
        #expect(transport.sent.count == upstream + 1)
        #expect(resolver.cache.denials.counts.records == 0)
    }

    @Test func recordsExpireWithTheSOAMinimum() throws {
        let world = try Self.world.get()
        let (response, question) = world.net.query("b.nsec.test.", .a)
        let denial = try #require(SecureDenial(response, question: question))
        let cache = NegativeProofCache()
        let now = ContinuousClock.now
        cache.store(denial, at: now)
        let c = Question(name: TestWorld.name("c.nsec.test."), type: .a)
        let early = try #require(cache.synthesize(c, at: now + .seconds(100)))
        #expect(early.rcode == .nxDomain)
        #expect(early.authorities.allSatisfy { $0.ttl <= 200 })
        // SOA MINIMUM and TTLs are 300 (RFC 9077: the lesser of the NSEC TTL and the SOA MINIMUM).
        #expect(cache.synthesize(c, at: now + .seconds(301)) == nil)
    }

    /// Responses whose denial does not line up with what the validator checked are not kept.
    @Test(arguments: [
        "two SOAs", "SOA not at the signer", "no SOA", "no NSEC", "unsigned NSEC",
    ])
    func oddDenialsAreNotKept(_ change: String) throws {
        let world = try Self.world.get()
        var (response, question) = world.net.query("b.nsec.test.", .a)
        let soa = response.authorities.filter { $0.type == .soa }
        func without(_ type: RecordType, signaturesOnly: Bool = false) -> [ResourceRecord] {
            response.authorities.filter { record in
                if case .rrsig(let sig) = record.rdata { return sig.typeCovered != type }
                return signaturesOnly || record.type != type
            }
        }
        switch change {
        case "two SOAs":
            response.authorities += [try ResourceRecord(text: "test. 300 IN SOA ns.test. h. 1 1 1 1 300")]
        case "SOA not at the signer":
            response.authorities = without(.soa)
            response.authorities.append(try ResourceRecord(text: "x.nsec.test. 300 IN SOA ns.test. h. 1 1 1 1 300"))
        case "no SOA":
            response.authorities = without(.soa)
        case "no NSEC":
            response.authorities = soa
        default:
            response.authorities = without(.nsec, signaturesOnly: true)
        }
        #expect(!soa.isEmpty)
        #expect(SecureDenial(response, question: question) == nil)
    }
}
