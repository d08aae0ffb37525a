// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Foundation
import NIOCore
import Testing

/// Real dyndns2 clients — ddclient and inadyn (issue 7, "How it is checked")
/// — against `hanon serve`'s `[ddns.server]` over HTTPS with a test CA made
/// by openssl: each changes a record, hanon's DNS serves the new address and
/// the serial goes up; the same address again is `nochg` and leaves the
/// serial alone. Plus curl for the answers a client library hides.
@Suite(.serialized) struct DDNSServerInteropTests {
    static let zone = """
        $ORIGIN dyn.test.
        $TTL 300
        @     SOA ns1 hostmaster 1 3600 900 604800 300
        @     NS  ns1
        ns1   A   192.0.2.53
        home  A   192.0.2.1

        """

    /// A temporary directory with a CA, a server certificate for 127.0.0.1,
    /// the zone, and a config with the endpoint on HTTPS.
    struct Setup {
        let dir: URL
        let config: String
        let dnsPort: Int
        let httpsPort: Int
        let log: String
        var caFile: String { self.path("ca.crt") }

        init(openssl: String) throws {
            self.dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-ddns-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.dir, withIntermediateDirectories: true)
            try DDNSServerInteropTests.zone.write(
                toFile: self.dir.appendingPathComponent("dyn.test.zone").path, atomically: true, encoding: .utf8)
            self.dnsPort = Int.random(in: 20000...26000)
            self.httpsPort = Int.random(in: 26001...32000)
            self.config = self.dir.appendingPathComponent("hanon.toml").path
            self.log = self.dir.appendingPathComponent("hanon.log").path
            try "inadyn-secret\n".write(toFile: self.path("inadyn.password"), atomically: true, encoding: .utf8)
            try """
            data = "data"
            [dns]
            listen = ["127.0.0.1:\(self.dnsPort)"]
            threads = 1
            [[zone]]
            name = "dyn.test"
            file = "dyn.test.zone"
            zonefile-sync = "1s"
            [ddns.server]
            listen = ["127.0.0.1:\(self.httpsPort)"]
            certificate = "server.crt"
            key = "server.key"
            ttl = 60
            [[ddns.server.user]]
            name = "ddclient"
            password = "ddclient-secret"
            names = ["home.dyn.test"]
            [[ddns.server.user]]
            name = "inadyn"
            password-file = "inadyn.password"
            names = ["*.routers.dyn.test"]

            """.write(toFile: self.config, atomically: true, encoding: .utf8)
            try self.makeCertificates(openssl)
        }

        func path(_ name: String) -> String { self.dir.appendingPathComponent(name).path }

        /// A CA and a server certificate for IP 127.0.0.1 and localhost (P-256, two days).
        func makeCertificates(_ openssl: String) throws {
            let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
                .write(toFile: self.path("server.ext"), atomically: true, encoding: .utf8)
            let steps: [[String]] = [
                ["req", "-x509"] + ec + [
                    "-keyout", self.path("ca.key"), "-out", self.path("ca.crt"), "-days", "2", "-subj",
                    "/CN=hanon test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                ],
                ["req"] + ec + [
                    "-keyout", self.path("server.key"), "-out", self.path("server.csr"), "-subj", "/CN=127.0.0.1",
                ],
                [
                    "x509", "-req", "-in", self.path("server.csr"), "-CA", self.path("ca.crt"), "-CAkey",
                    self.path("ca.key"), "-CAcreateserial", "-out", self.path("server.crt"), "-days", "2",
                    "-extfile", self.path("server.ext"),
                ],
            ]
            for step in steps {
                let r = try runProcess(openssl, step, timeout: 60)
                guard r.status == 0 else { throw SetupError("openssl \(step.joined(separator: " ")): \(r.stderr)") }
            }
        }

        func start(_ hanon: String) throws -> pid_t {
            try spawnDaemon(hanon, ["serve", "--config", self.config], output: self.log)
        }

        var logText: String { (try? String(contentsOfFile: self.log, encoding: .utf8)) ?? "" }

        func ask(_ name: String, _ type: RecordType) async -> [String]? {
            guard let server = try? SocketAddress(ipAddress: "127.0.0.1", port: self.dnsPort),
                let qname = try? DomainName(name, origin: .root)
            else { return nil }
            let query = DNSMessage.query(id: 0, name: qname, type: type, recursionDesired: false)
            guard
                let r = try? await DNSClient().query(
                    query, server: server, options: DNSQueryOptions(timeout: .milliseconds(500), tries: 1))
            else { return nil }
            return r.message.answers.filter { $0.type == type }.map { $0.rdata.description }
        }

        /// The SOA serial hanon serves.
        func serial() async -> UInt32? {
            guard let soa = await self.ask("dyn.test.", .soa)?.first else { return nil }
            let fields = soa.split(separator: " ")
            return fields.count > 2 ? UInt32(fields[2]) : nil
        }

        /// Waits until DNS answers and the HTTPS port accepts (up to 10 s).
        func waitUntilServing() async -> Bool {
            for _ in 0..<100 {
                if await self.ask("dyn.test.", .soa) != nil, self.httpsAccepts() { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        func httpsAccepts() -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(self.httpsPort).bigEndian)
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
        }

        /// One ddclient run (foreground, once) setting home.dyn.test to `address`.
        /// HTTPS through IO::Socket::SSL (Debian package libio-socket-ssl-perl):
        /// Debian's ddclient 3.10 was built without a curl path, so `curl=yes` fails with "curl not found".
        func ddclient(_ ddclient: String, address: String, force: Bool = false) throws -> ProcessResult {
            let conf = self.path("ddclient.conf")
            try """
            daemon=0
            ssl=yes
            ssl_ca_file=\(self.caFile)
            use=ip, ip=\(address)
            protocol=dyndns2
            server=127.0.0.1:\(self.httpsPort)
            login=ddclient
            password='ddclient-secret'
            home.dyn.test

            """.write(toFile: conf, atomically: true, encoding: .utf8)
            chmod(conf, 0o600)
            var arguments = [
                "-foreground", "-daemon=0", "-file", conf, "-cache", self.path("ddclient.cache"), "-verbose",
                "-noquiet",
            ]
            if force { arguments.append("-force") }
            return try runProcess(ddclient, arguments, timeout: 60)
        }

        /// One inadyn run (foreground, once) setting gw.routers.dyn.test to `address`.
        func inadyn(_ inadyn: String, address: String, force: Bool = false) throws -> ProcessResult {
            let conf = self.path("inadyn.conf")
            try FileManager.default.createDirectory(
                atPath: self.path("inadyn-cache"), withIntermediateDirectories: true)
            try """
            period = 300
            ca-trust-file = \(self.caFile)
            custom hanon {
                ssl = true
                username = inadyn
                password = inadyn-secret
                checkip-command = "echo \(address)"
                ddns-server = 127.0.0.1:\(self.httpsPort)
                ddns-path = "/nic/update?hostname=%h&myip=%i"
                hostname = gw.routers.dyn.test
            }

            """.write(toFile: conf, atomically: true, encoding: .utf8)
            chmod(conf, 0o600)
            var arguments = [
                "--once", "--foreground", "--no-pidfile", "-f", conf, "--cache-dir", self.path("inadyn-cache"), "-l",
                "debug",
            ]
            if force { arguments.append("--force") }
            return try runProcess(inadyn, arguments, timeout: 60)
        }

        /// curl with the test CA: `(status, body)`.
        func curl(_ curl: String, _ target: String, user: String?) throws -> (String, String) {
            var arguments = [
                "-s", "--max-time", "10", "--cacert", self.caFile, "-o", "-", "-w", "\n%{http_code}",
                "https://127.0.0.1:\(self.httpsPort)\(target)",
            ]
            if let user { arguments += ["-u", user] }
            let r = try runProcess(curl, arguments, timeout: 30)
            var lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let status = lines.popLast() ?? ""
            return (status, lines.joined(separator: "\n"))
        }
    }

    struct SetupError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test func ddclientUpdatesHanonOverHTTPS() async throws {
        let hanon = try HanonBinary.require()
        let ddclient = try Peer.require("ddclient")
        let openssl = try Peer.require("openssl")
        let s = try Setup(openssl: openssl)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(await s.waitUntilServing(), "\(s.logText)")
        let before = try #require(await s.serial())

        let run = try s.ddclient(ddclient, address: "192.0.2.77")
        #expect(run.stdout.contains("good") || run.stderr.contains("good"), "\(run.stdout)\(run.stderr)")
        #expect(await s.ask("home.dyn.test.", .a) == ["192.0.2.77"], "\(run.stdout)\(run.stderr)\n\(s.logText)")
        let after = try #require(await s.serial())
        #expect(after == before + 1)

        // The same address again (forced past ddclient's cache): nochg, same serial.
        let again = try s.ddclient(ddclient, address: "192.0.2.77", force: true)
        #expect((again.stdout + again.stderr).contains("nochg"), "\(again.stdout)\(again.stderr)")
        #expect(await s.serial() == after)
        #expect(await s.ask("home.dyn.test.", .a) == ["192.0.2.77"])
    }

    @Test func inadynUpdatesHanonOverHTTPS() async throws {
        let hanon = try HanonBinary.require()
        let inadyn = try Peer.require("inadyn")
        let openssl = try Peer.require("openssl")
        let s = try Setup(openssl: openssl)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(await s.waitUntilServing(), "\(s.logText)")
        let before = try #require(await s.serial())
        #expect(await s.ask("gw.routers.dyn.test.", .a) == [])

        let run = try s.inadyn(inadyn, address: "192.0.2.88")
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)\n\(s.logText)")
        #expect((run.stdout + run.stderr).contains("good 192.0.2.88"), "\(run.stdout)\(run.stderr)")
        #expect(await s.ask("gw.routers.dyn.test.", .a) == ["192.0.2.88"], "\(run.stdout)\(run.stderr)\n\(s.logText)")
        let after = try #require(await s.serial())
        #expect(after == before + 1)

        let again = try s.inadyn(inadyn, address: "192.0.2.88", force: true)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect((again.stdout + again.stderr).contains("nochg 192.0.2.88"), "\(again.stdout)\(again.stderr)")
        #expect(await s.serial() == after, "\(s.logText)")

        // A new address is sent and served.
        let moved = try s.inadyn(inadyn, address: "192.0.2.89")
        #expect(moved.status == 0, "\(moved.stdout)\(moved.stderr)")
        #expect(await s.ask("gw.routers.dyn.test.", .a) == ["192.0.2.89"], "\(moved.stdout)\(moved.stderr)")
        #expect(await s.serial() == after + 1)
    }

    /// The answers as they go over the wire (curl, test CA): auth, names,
    /// both address families, nochg; and the zone file written back.
    @Test func answersOverHTTPS() async throws {
        let hanon = try HanonBinary.require()
        let curl = try Peer.require("curl")
        let openssl = try Peer.require("openssl")
        let s = try Setup(openssl: openssl)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(await s.waitUntilServing(), "\(s.logText)")
        let before = try #require(await s.serial())
        let ddc = "ddclient:ddclient-secret"

        #expect(
            try s.curl(curl, "/nic/update?hostname=home.dyn.test&myip=192.0.2.1", user: ddc) == (
                "200", "nochg 192.0.2.1\n"
            ))
        #expect(await s.serial() == before)
        #expect(
            try s.curl(curl, "/nic/update?hostname=home.dyn.test&myip=192.0.2.5,2001:db8::5", user: ddc)
                == ("200", "good 192.0.2.5,2001:db8::5\n"))
        #expect(await s.ask("home.dyn.test.", .a) == ["192.0.2.5"])
        #expect(await s.ask("home.dyn.test.", .aaaa) == ["2001:db8::5"])
        #expect(await s.serial() == before + 1)
        #expect(
            try s.curl(curl, "/nic/update?hostname=home.dyn.test&myip=192.0.2.6", user: "ddclient:wrong") == (
                "401", "badauth\n"
            ))
        #expect(
            try s.curl(curl, "/nic/update?hostname=home.dyn.test&myip=192.0.2.6", user: nil) == ("401", "badauth\n"))
        #expect(try s.curl(curl, "/nic/update?hostname=ns1.dyn.test&myip=192.0.2.6", user: ddc) == ("200", "nohost\n"))
        #expect(
            try s.curl(curl, "/nic/update?hostname=x.routers.dyn.test&myip=192.0.2.6", user: ddc) == ("200", "nohost\n")
        )
        #expect(try s.curl(curl, "/nic/update?hostname=home&myip=192.0.2.6", user: ddc) == ("200", "notfqdn\n"))
        #expect(try s.curl(curl, "/nic/update?hostname=home.dyn.test&myip=%zz", user: ddc).0 == "400")
        // Plain HTTP to the HTTPS port is a failed handshake, and the server carries on.
        let plain = try runProcess(
            curl,
            ["-s", "--max-time", "5", "-u", ddc, "http://127.0.0.1:\(s.httpsPort)/nic/update?hostname=home.dyn.test"],
            timeout: 30)
        #expect(!plain.stdout.contains("good"))
        // No myip: the connection's address.
        #expect(try s.curl(curl, "/nic/update?hostname=home.dyn.test", user: ddc) == ("200", "good 127.0.0.1\n"))
        #expect(await s.ask("home.dyn.test.", .a) == ["127.0.0.1"])
        #expect(await s.ask("home.dyn.test.", .aaaa) == ["2001:db8::5"])
        #expect(await s.serial() == before + 2)
        #expect(await s.ask("ns1.dyn.test.", .a) == ["192.0.2.53"])

        // The zone file follows (zonefile-sync = 1s).
        var written = false
        for _ in 0..<100 where !written {
            try await Task.sleep(for: .milliseconds(100))
            written = ((try? String(contentsOfFile: s.path("dyn.test.zone"), encoding: .utf8)) ?? "").contains(
                "127.0.0.1")
        }
        #expect(written, "\(s.logText)")
    }

    /// SIGHUP (`hanon reload`) re-reads the users: a changed password file
    /// and a new user apply to the next request, without a restart.
    @Test func reloadReplacesUsers() async throws {
        let hanon = try HanonBinary.require()
        let curl = try Peer.require("curl")
        let openssl = try Peer.require("openssl")
        let s = try Setup(openssl: openssl)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let pid = try s.start(hanon)
        defer { kill(pid, SIGKILL); _ = waitpid(pid, nil, 0) }
        #expect(await s.waitUntilServing(), "\(s.logText)")
        let target = "/nic/update?hostname=a.routers.dyn.test&myip=192.0.2.10"
        #expect(try s.curl(curl, target, user: "inadyn:inadyn-secret") == ("200", "good 192.0.2.10\n"))

        try "changed\n".write(toFile: s.path("inadyn.password"), atomically: true, encoding: .utf8)
        let config = try String(contentsOfFile: s.config, encoding: .utf8)
        try (config + "[[ddns.server.user]]\nname = \"new\"\npassword = \"pw\"\nnames = [\"new.dyn.test\"]\n")
            .write(toFile: s.config, atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        var reloaded = false
        for _ in 0..<50 where !reloaded {
            try await Task.sleep(for: .milliseconds(100))
            reloaded = s.logText.contains("ddns.server: 3 users")
        }
        #expect(reloaded, "\(s.logText)")
        #expect(try s.curl(curl, target, user: "inadyn:inadyn-secret") == ("401", "badauth\n"))
        #expect(try s.curl(curl, target, user: "inadyn:changed") == ("200", "nochg 192.0.2.10\n"))
        #expect(
            try s.curl(curl, "/nic/update?hostname=new.dyn.test&myip=192.0.2.11", user: "new:pw")
                == ("200", "good 192.0.2.11\n"))
        #expect(await s.ask("new.dyn.test.", .a) == ["192.0.2.11"])
    }
}
