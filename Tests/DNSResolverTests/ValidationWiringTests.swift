// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore
import Synchronization
import Testing

@testable import DNSResolver

/// A validator that says what it is told, and asks for the zone's DNSKEY as a real one would.
final class FakeValidator: ResponseValidating {
    let status: SecurityStatus
    let asked = Mutex<[Question]>([])

    init(status: SecurityStatus) { self.status = status }

    func validate(_ response: DNSMessage, question: Question, lookup: any ValidationLookup) async -> SecurityStatus {
        self.asked.withLock { $0.append(question) }
        _ = await lookup.lookup("example.test.", .dnskey)
        return self.status
    }
}

@Suite("The resolver and its validator")
struct ValidationWiringTests {
    static func resolver(_ status: SecurityStatus) throws -> (RecursiveResolver, FakeValidator) {
        let network = try FakeNetwork(servers: [
            "10.0.0.1": [FakeZones.root], "10.0.1.1": [FakeZones.test], "10.0.3.1": [FakeZones.example],
        ])
        let validator = FakeValidator(status: status)
        return (try FakeZones.resolver(network, validator: validator), validator)
    }

    @Test func secureAnswersGetADWhenAskedWithDO() async throws {
        let (resolver, validator) = try Self.resolver(.secure)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a, dnssecOK: true))
        #expect(response.header.authenticData)
        #expect(response.rcode == .noError && response.answers.count == 1)
        #expect(validator.asked.withLock { $0 } == [Question(name: "www.example.test.", type: .a)])
        // From cache, the status is kept: AD again, and the validator is not asked again.
        let again = await resolver.resolve(try FakeZones.query("www.example.test.", .a, dnssecOK: true))
        #expect(again.header.authenticData)
        #expect(validator.asked.withLock { $0.count } == 1)
        // The pre-encoded path too.
        let wire = try FakeZones.query("www.example.test.", .a, dnssecOK: true).serialize()
        let hit = try #require(resolver.answerFromCache(wire, maxUDPSize: 1232))
        #expect(try DNSMessage(wire: hit).header.authenticData)
        // Without DO or AD in the query: no AD (RFC 6840 §5.8).
        let plain = await resolver.resolve(try FakeZones.query("www.example.test.", .a))
        #expect(!plain.header.authenticData)
    }

    @Test func bogusIsServfailWithTheExtendedError() async throws {
        let (resolver, _) = try Self.resolver(.bogus(.signatureExpired, reason: "RRSIG expired"))
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a, dnssecOK: true))
        #expect(response.rcode == .servFail)
        #expect(response.answers.isEmpty)
        let ede = try #require(response.edns?.option(.extendedError))
        #expect(try EDNSOption.ExtendedError(ede).infoCode == .signatureExpired)
        // The cache-hit path leaves bogus entries to the full path.
        let wire = try FakeZones.query("www.example.test.", .a, dnssecOK: true).serialize()
        #expect(resolver.answerFromCache(wire, maxUDPSize: 1232) == nil)
    }

    @Test func checkingDisabledGetsTheBogusData() async throws {
        let (resolver, _) = try Self.resolver(.bogus(.dnssecBogus, reason: "bad signature"))
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a, dnssecOK: true, cd: true))
        #expect(response.rcode == .noError && response.answers.count == 1)
        #expect(!response.header.authenticData && response.header.checkingDisabled)
    }

    @Test func insecureAnswersHaveNoAD() async throws {
        let (resolver, _) = try Self.resolver(.insecure)
        let response = await resolver.resolve(try FakeZones.query("www.example.test.", .a, dnssecOK: true))
        #expect(response.rcode == .noError && !response.header.authenticData)
    }

    @Test func validatorLookupsAreCachedUnvalidatedThenValidatedForClients() async throws {
        let (resolver, validator) = try Self.resolver(.secure)
        _ = await resolver.resolve(try FakeZones.query("www.example.test.", .a, dnssecOK: true))
        // The validator fetched example.test. DNSKEY: cached with no status, so the
        // cache-hit path does not serve it…
        let question = Question(name: "example.test.", type: .dnskey)
        #expect(resolver.cache.answer(question)?.answer.status == nil)
        // …and a client asking gets it validated.
        let response = await resolver.resolve(try FakeZones.query("example.test.", .dnskey, dnssecOK: true))
        #expect(response.header.authenticData)
        #expect(validator.asked.withLock { $0 }.contains(question))
    }
}
