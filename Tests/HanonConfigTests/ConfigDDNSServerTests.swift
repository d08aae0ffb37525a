// SPDX-License-Identifier: Apache-2.0

import HanonConfig
import Testing

/// `[ddns.server]` and `[[ddns.server.user]]`.
@Suite struct ConfigDDNSServerTests {
    @Test func fullTable() throws {
        let c = try Config.parse(
            text: """
                [ddns.server]
                listen = ["0.0.0.0:8443", "[::]:8443"]
                listen-http = ["127.0.0.1:8080", "[::1]:8080"]
                certificate = "tls/ddns.crt"
                key = "/etc/hanon/ddns.key"
                ttl = 60
                max-connections = 10
                idle-timeout = "5s"

                [[ddns.server.user]]
                name = "router"
                password = "s3cret"
                names = ["home.example.org", "*.dyn.example.org."]

                [[ddns.server.user]]
                name = "laptop"
                password-file = "laptop.pw"
                names = ["laptop.example.org"]
                """, file: "/etc/hanon/hanon.toml")
        let server = try #require(c.ddnsServer)
        #expect(server.listen.map(\.description) == ["0.0.0.0:8443", "[::]:8443"])
        #expect(server.listenHTTP.map(\.description) == ["127.0.0.1:8080", "[::1]:8080"])
        #expect(server.certificate == "/etc/hanon/tls/ddns.crt")
        #expect(server.key == "/etc/hanon/ddns.key")
        #expect(server.ttl == 60)
        #expect(server.maxConnections == 10)
        #expect(server.idleTimeout == .seconds(5))
        #expect(server.users.map(\.name) == ["router", "laptop"])
        #expect(server.users[0].password == .text("s3cret"))
        #expect(server.users[0].names == ["home.example.org.", "*.dyn.example.org."])
        #expect(server.users[1].password == .file("/etc/hanon/laptop.pw"))
        #expect(server.users[1].passwordLocation.line == 17)
    }

    @Test func absentMeansOff() throws {
        #expect(try Config.parse(text: "", file: "hanon.toml").ddnsServer == nil)
    }

    @Test func plainHTTPAloneNeedsNoCertificate() throws {
        let c = try Config.parse(text: "[ddns.server]\nlisten-http = [\"127.0.0.1:8080\"]", file: "hanon.toml")
        #expect(c.ddnsServer?.listen == [])
        #expect(c.ddnsServer?.users == [])
    }

    /// Each bad table and the message, with file:line:col.
    @Test(arguments: [
        (
            "[ddns.server]\nlisten-http = [\"192.0.2.1:8080\"]",
            "hanon.toml:2:16: ddns.server.listen-http: '192.0.2.1:8080' is not a loopback address"
        ),
        (
            "[ddns.server]\nlisten-http = [\"[::]:8080\"]",
            "hanon.toml:2:16: ddns.server.listen-http: '[::]:8080' is not a loopback address"
        ),
        ("[ddns.server]\nlisten-http = [\"0.0.0.0:8080\"]", "is not a loopback address"),
        (
            "[ddns.server]\nlisten = [\"127.0.0.1:8443\"]",
            "hanon.toml:1:7: ddns.server: listen (HTTPS) needs certificate and key"
        ),
        (
            "[ddns.server]\ncertificate = \"c\"\nkey = \"k\"\nlisten = []",
            "hanon.toml:1:7: ddns.server: no address to listen on"
        ),
        (
            "[ddns.server]\nlisten = [\"nowhere\"]\ncertificate = \"c\"\nkey = \"k\"",
            "hanon.toml:2:11: ddns.server.listen: 'nowhere' is not a valid address"
        ),
        (
            "[ddns.server]\nlisten = [\"127.0.0.1:1\", \"127.0.0.1:1\"]\ncertificate = \"c\"\nkey = \"k\"",
            "is listed twice"
        ),
        (
            "[ddns.server]\nttl = -1\nlisten-http = [\"127.0.0.1:1\"]",
            "hanon.toml:2:7: ddns.server.ttl: -1 is out of range"
        ),
        (
            "[ddns.server]\nidle-timeout = \"0s\"\nlisten-http = [\"127.0.0.1:1\"]",
            "ddns.server.idle-timeout: 0 seconds is out of range"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\nlisen = 1",
            "hanon.toml:3:1: unknown key 'ddns.server.lisen' (did you mean 'listen'?)"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\npassword = \"p\"\nnames = [\"a.example\"]",
            "hanon.toml:3:15: ddns.server.user.name is required"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\nname = \"a:b\"\npassword = \"p\"\nnames = [\"a.example\"]",
            "hanon.toml:4:8: ddns.server.user.name: 'a:b' contains ':'"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\nname = \"u\"\nnames = [\"a.example\"]",
            "hanon.toml:3:15: ddns.server.user: password or password-file is required"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\nname = \"u\"\npassword = \"p\"\npassword-file = \"f\"\nnames = [\"a.example\"]",
            "give password or password-file, not both"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\nname = \"u\"\npassword = \"p\"",
            "hanon.toml:3:15: ddns.server.user.names is required"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\nname = \"u\"\npassword = \"p\"\nnames = [\"bad name\"]",
            "hanon.toml:6:10: ddns.server.user.names: 'bad name' is not a valid name"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\nname = \"u\"\npassword = \"p\"\nnames = [\"*.\"]",
            "ddns.server.user.names: '*.' "
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\nname = \"u\"\npassword = \"p\"\nnames = [\"a.example\"]\n[[ddns.server.user]]\nname = \"u\"\npassword = \"q\"\nnames = [\"a.example\"]",
            "hanon.toml:8:8: ddns.server.user.name: user 'u' is already defined at line 3"
        ),
        (
            "[ddns.server]\nlisten-http = [\"127.0.0.1:1\"]\n[[ddns.server.user]]\nname = \"u\"\npassword = \"\"\nnames = [\"a.example\"]",
            "ddns.server.user.password: the string is empty"
        ),
        ("[ddns]\nserver = 1", "hanon.toml:2:10: ddns.server: found an integer"),
    ])
    func errors(text: String, message: String) {
        let errors = parseErrors(text)
        #expect(errors.contains { $0.contains(message) }, "\(errors)")
    }
}
