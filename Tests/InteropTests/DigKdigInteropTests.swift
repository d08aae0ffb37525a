// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import Foundation
import HanonServer
import Logging
import Testing

/// dig and kdig, run as subprocesses, against an in-process hanon (issue 3,
/// "How it is checked": UDP and TCP, `+dnssec`, `+nsid`, `+cookie`, a small
/// `+bufsize` that forces TC, and the retry over TCP).
@Suite(.serialized) struct DigKdigInteropTests {
    static let zone = """
        $ORIGIN dig.test.
        $TTL 3600
        @    SOA ns1 hostmaster 2026112901 7200 3600 1209600 300
        @    NS  ns1
        ns1  A   192.0.2.53
        www  A   192.0.2.1
        www  AAAA 2001:db8::1

        """ + (1...12).map { "big TXT \"\(String(repeating: "b", count: 80)) \($0)\"\n" }.joined()

    static let nsid = "hanon-test"

    /// A hanon serving `dig.test.` on 127.0.0.1 with NSID and a fixed cookie secret.
    final class Server: Sendable {
        let server: HanonServer
        let port: Int
        init() async throws {
            var authority = AuthorityOptions()
            authority.nsid = Array(DigKdigInteropTests.nsid.utf8)
            let settings = ServerSettings(
                listen: ["127.0.0.1:0"], threads: 1,
                zones: [
                    ZoneSource(
                        name: try DomainName("dig.test.", origin: .root), file: "dig.test.zone",
                        text: DigKdigInteropTests.zone)
                ],
                authority: authority, cookieSecret: Array(repeating: 7, count: 16))
            self.server = HanonServer(settings: settings, logger: Logger(label: "dig-interop"))
            try await self.server.start()
            let udp = try #require(self.server.listeners.first { $0.transport == .udp })
            guard let port = udp.address.port else { throw Peer.PeerMissing(program: "UDP listener port") }
            self.port = port
            let tcp = self.server.listeners.first { $0.transport == .tcp }
            #expect(tcp?.address.port == self.port, "UDP and TCP listen on the same port")
        }
        func stop() async { await self.server.shutdown() }
    }

    func dig(_ server: Server, _ words: [String]) async throws -> String {
        let dig = try Peer.require("dig")
        let result = try await runProcessOffThePool(
            dig, ["@127.0.0.1", "-p", String(server.port), "+tries=2", "+timeout=2", "+norecurse"] + words, timeout: 30)
        #expect(result.status == 0, "dig \(words): \(result.stdout)\(result.stderr)")
        return result.stdout
    }

    func kdig(_ server: Server, _ words: [String]) async throws -> String {
        let kdig = try Peer.require("kdig")
        let result = try await runProcessOffThePool(
            kdig, ["@127.0.0.1", "-p", String(server.port), "+retry=1", "+timeout=2", "+norecurse"] + words, timeout: 30
        )
        #expect(result.status == 0, "kdig \(words): \(result.stdout)\(result.stderr)")
        return result.stdout
    }

    /// The lines of `text` that contain `needle`.
    func lines(_ text: String, containing needle: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.contains(needle) }
    }

    /// The answer records of dig output, as (owner, type, rdata) per line.
    func digAnswers(_ text: String) -> [String] {
        var inAnswer = false
        var out: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == ";; ANSWER SECTION:" {
                inAnswer = true
            } else if line.isEmpty {
                inAnswer = false
            } else if inAnswer {
                out.append(String(line))
            }
        }
        return out
    }

    @Test(.enabled(if: Peer.available("dig")))
    func digOverUDPAndTCP() async throws {
        let server = try await Server()
        let udp = try await dig(server, ["www.dig.test.", "A"])
        #expect(udp.contains("status: NOERROR"))
        #expect(udp.contains(";; flags: qr aa;"))
        #expect(udp.contains("(UDP)"))
        #expect(digAnswers(udp) == ["www.dig.test.\t\t3600\tIN\tA\t192.0.2.1"])
        let tcp = try await dig(server, ["www.dig.test.", "AAAA", "+tcp"])
        #expect(tcp.contains("(TCP)"))
        #expect(digAnswers(tcp) == ["www.dig.test.\t\t3600\tIN\tAAAA\t2001:db8::1"])
        let nx = try await dig(server, ["nope.dig.test.", "A", "+tcp"])
        #expect(nx.contains("status: NXDOMAIN"))
        await server.stop()
    }

    @Test(.enabled(if: Peer.available("dig")))
    func digDNSSECAndNSID() async throws {
        let server = try await Server()
        let dnssec = try await dig(server, ["www.dig.test.", "A", "+dnssec"])
        #expect(dnssec.contains("; EDNS: version: 0, flags: do; udp: 1232"), "\(dnssec)")
        #expect(digAnswers(dnssec).count == 1)
        let plain = try await dig(server, ["www.dig.test.", "A"])
        #expect(plain.contains("; EDNS: version: 0, flags:; udp: 1232"), "\(plain)")
        let nsid = try await dig(server, ["www.dig.test.", "A", "+nsid"])
        #expect(nsid.contains("; NSID: 68 61 6e 6f 6e 2d 74 65 73 74 (\"hanon-test\")"), "\(nsid)")
        #expect(!plain.contains("NSID"))
        await server.stop()
    }

    @Test(.enabled(if: Peer.available("dig")))
    func digCookies() async throws {
        let server = try await Server()
        let clientCookie = "0102030405060708"
        let first = try await dig(server, ["www.dig.test.", "A", "+cookie=\(clientCookie)"])
        let cookieLine = try #require(lines(first, containing: "; COOKIE: ").first, "\(first)")
        // Client cookie (8) + server cookie (16, RFC 9018): 48 hex digits, and dig checked our echo.
        let hex = try #require(cookieLine.split(separator: " ").dropFirst(2).first.map(String.init))
        #expect(hex.count == 48 && hex.hasPrefix(clientCookie), "\(cookieLine)")
        #expect(cookieLine.hasSuffix("(good)"), "\(cookieLine)")
        // A second query with the server cookie it was given: still good, same client part.
        let second = try await dig(server, ["www.dig.test.", "A", "+cookie=\(hex)"])
        let again = try #require(lines(second, containing: "; COOKIE: ").first, "\(second)")
        #expect(again.contains(clientCookie) && again.hasSuffix("(good)"), "\(again)")
        #expect(second.contains("status: NOERROR"))
        await server.stop()
    }

    @Test(.enabled(if: Peer.available("dig")))
    func digTruncationAndRetryOverTCP() async throws {
        let server = try await Server()
        // +ignore shows the truncated UDP reply itself.
        let truncated = try await dig(server, ["big.dig.test.", "TXT", "+bufsize=512", "+ignore"])
        #expect(truncated.contains(";; flags: qr aa tc;"), "\(truncated)")
        #expect(digAnswers(truncated).isEmpty, "whole RRsets only: \(truncated)")
        let noEDNS = try await dig(server, ["big.dig.test.", "TXT", "+noedns", "+ignore"])
        #expect(noEDNS.contains(";; flags: qr aa tc;"), "\(noEDNS)")
        // Without +ignore dig asks again over TCP and gets all 12 records.
        let retried = try await dig(server, ["big.dig.test.", "TXT", "+bufsize=512"])
        #expect(retried.contains(";; Truncated, retrying in TCP mode."), "\(retried)")
        #expect(retried.contains("(TCP)"))
        #expect(digAnswers(retried).count == 12)
        // A size that fits needs no retry.
        let fits = try await dig(server, ["big.dig.test.", "TXT", "+bufsize=1232"])
        #expect(!fits.contains("Truncated"))
        #expect(digAnswers(fits).count == 12)
        await server.stop()
    }

    @Test(.enabled(if: Peer.available("kdig")))
    func kdigOverUDPAndTCPWithDNSSECAndNSID() async throws {
        let server = try await Server()
        let udp = try await kdig(server, ["www.dig.test.", "A"])
        #expect(udp.contains("status: NOERROR"), "\(udp)")
        #expect(udp.contains(";; Flags: qr aa;"), "\(udp)")
        #expect(udp.contains("(UDP)"), "\(udp)")
        #expect(udp.contains("192.0.2.1"))
        let tcp = try await kdig(server, ["www.dig.test.", "AAAA", "+tcp"])
        #expect(tcp.contains("(TCP)"), "\(tcp)")
        #expect(tcp.contains("2001:db8::1"))
        let dnssec = try await kdig(server, ["www.dig.test.", "A", "+dnssec"])
        #expect(dnssec.contains(";; Version: 0; flags: do; UDP size: 1232 B"), "\(dnssec)")
        let nsid = try await kdig(server, ["www.dig.test.", "A", "+nsid"])
        #expect(nsid.contains("\"hanon-test\""), "\(nsid)")
        await server.stop()
    }

    @Test(.enabled(if: Peer.available("kdig")))
    func kdigCookiesAndTruncation() async throws {
        let server = try await Server()
        let clientCookie = "0102030405060708"
        let first = try await kdig(server, ["www.dig.test.", "A", "+cookie=\(clientCookie)"])
        let cookieLine = try #require(lines(first, containing: ";; COOKIE: ").first, "\(first)")
        let hex = try #require(cookieLine.split(separator: " ").dropFirst(2).first.map(String.init))
        #expect(hex.count == 48 && hex.hasPrefix(clientCookie), "\(cookieLine)")
        // kdig prints no verdict; the client half must come back, and the
        // second query, with the server cookie, is answered with one again.
        let second = try await kdig(server, ["www.dig.test.", "A", "+cookie=\(hex)"])
        let again = try #require(lines(second, containing: ";; COOKIE: ").first, "\(second)")
        #expect(again.split(separator: " ").last?.count == 48 && again.contains(clientCookie), "\(again)")
        #expect(second.contains("status: NOERROR") && second.contains("192.0.2.1"), "\(second)")

        let truncated = try await kdig(server, ["big.dig.test.", "TXT", "+bufsize=512", "+ignore"])
        #expect(truncated.contains(";; Flags: qr aa tc;"), "\(truncated)")
        let retried = try await kdig(server, ["big.dig.test.", "TXT", "+bufsize=512"])
        #expect(retried.contains("(TCP)"), "\(retried)")
        #expect(lines(retried, containing: "\tTXT\t").count == 12, "\(retried)")
        await server.stop()
    }
}
