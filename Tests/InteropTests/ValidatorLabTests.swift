// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import DNSSEC
import DNSTransport
import Foundation
import NIOCore
import Testing

/// The validator on real data: responses fetched from the fake internet
/// lab's NSD servers (zones signed by dnssec-signzone and ldns-signzone).
///
/// Opt-in: set `VALIDATOR_LAB_STATE` to the state directory of a running lab
/// (`flock /tmp/fake-internet.lock` around its `up.sh … down.sh`); otherwise
/// the test does nothing.
@Suite struct ValidatorLabTests {
    /// Asks each zone's own server (from the lab's hosts.tsv), DO and CD set,
    /// no recursion; DS is asked of the parent's server.
    struct LabLookup: ValidationLookup {
        var servers: [(zone: DomainName, address: String)]

        func server(for name: DomainName, _ type: RecordType) -> String? {
            let candidates = self.servers.filter {
                name.isSubdomain(of: $0.zone) && !(type == .ds && $0.zone == name && !name.isRoot)
            }
            return candidates.max { $0.zone.labelCount < $1.zone.labelCount }?.address
        }

        func lookup(_ name: DomainName, _ type: RecordType) async -> DNSMessage? {
            guard let address = self.server(for: name, type),
                let server = try? SocketAddress(ipAddress: address, port: 53)
            else { return nil }
            var query = DNSMessage.query(
                id: 0, name: name, type: type, recursionDesired: false, edns: EDNS(dnssecOK: true))
            query.header.checkingDisabled = true
            let options = DNSQueryOptions(timeout: .seconds(2), tries: 2)
            return try? await DNSClient().query(query, server: server, options: options).message
        }
    }

    @Test(arguments: [
        ("www.secure.test.", "A", "secure"),
        ("nosuch.secure.test.", "A", "secure"),
        ("www.secure.test.", "TXT", "secure"),
        ("foo.wild.secure.test.", "A", "secure"),
        ("www.rsa.test.", "A", "secure"),
        ("nosuch.rsa.test.", "A", "secure"),
        ("www.ed.test.", "A", "secure"),
        ("www.nsec3.test.", "A", "secure"),
        ("nosuch.nsec3.test.", "A", "secure"),
        ("www.nsec3.test.", "MX", "secure"),
        ("foo.wild.nsec3.test.", "A", "secure"),
        ("www.insecure.test.", "A", "insecure"),
        ("www.bogus-sig.test.", "A", "bogus"),
        ("www.expired.test.", "A", "bogus"),
        ("www.missing-ds-key.test.", "A", "bogus"),
    ])
    func labResponse(_ qname: String, _ qtype: String, _ expected: String) async throws {
        guard let state = ProcessInfo.processInfo.environment["VALIDATOR_LAB_STATE"] else { return }
        let hosts = try String(contentsOfFile: state + "/hosts.tsv", encoding: .utf8)
        var servers: [(DomainName, String)] = []
        for line in hosts.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t").map(String.init)
            guard fields.count >= 3 else { continue }
            for zone in fields[2].split(separator: " ") where zone != "-" {
                servers.append((try DomainName(String(zone), origin: .root), fields[1]))
            }
        }
        let anchors = try TrustAnchor.load(file: state + "/root.key")
        let lookup = LabLookup(servers: servers)
        let validator = DNSSECValidator(trustAnchors: anchors)
        let name = try DomainName(qname, origin: .root)
        let type = try #require(RecordType(qtype))
        let response = try #require(await lookup.lookup(name, type))
        let status = await validator.validate(response, question: Question(name: name, type: type), lookup: lookup)
        let got: String
        switch status {
        case .secure: got = "secure"
        case .insecure: got = "insecure"
        case .indeterminate: got = "indeterminate"
        case .bogus: got = "bogus"
        }
        #expect(got == expected, "\(qname) \(qtype): \(status)")
    }
}
