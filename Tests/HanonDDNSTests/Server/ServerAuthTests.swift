// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import HanonDDNS

/// HTTP Basic authentication (RFC 7617) and the names each user may change.
@Suite struct ServerAuthTests {
    @Test(
        arguments: [
            (basic("router", "s3cret"), "router"),
            (basic("laptop", "pässwörd"), "laptop"),
            ("basic " + base64(Array("router:s3cret".utf8)), "router"),  // scheme case-insensitive
            ("BASIC  " + base64(Array("router:s3cret".utf8)) + " ", "router"),
            (basic("router", "s3cre"), nil),  // wrong password
            (basic("router", "s3cret "), nil),
            (basic("router", ""), nil),
            (basic("Router", "s3cret"), nil),  // user names are exact
            (basic("nobody", "s3cret"), nil),
            (basic("laptop", "s3cret"), nil),  // another user's password
            ("Bearer abc", nil),
            ("Basic", nil),
            ("Basic ", nil),
            ("Basic !!!!", nil),
            ("Basic " + base64(Array("routers3cret".utf8)), nil),  // no colon
            ("Basic cm91dGVyOnMzY3JldA", nil),  // padding missing
            ("Basic " + base64([0xFF, 0x3A, 0xFE]), nil),  // not UTF-8
            ("Basic " + String(repeating: "A", count: 8000), nil),
        ] as [(String, String?)])
    func authenticates(header: String, user: String?) {
        #expect(testUsers().authenticate(header)?.name == user)
    }

    @Test func noHeaderIsNoUser() {
        #expect(testUsers().authenticate(nil) == nil)
    }

    @Test func passwordWithColon() {
        let users = DDNSUsers([DDNSUser(name: "u", password: "a:b", names: [])])
        #expect(users.authenticate(basic("u", "a:b"))?.name == "u")
        #expect(users.authenticate(basic("u", "a")) == nil)
    }

    @Test(arguments: [
        ("router", "home.example.org.", true),
        ("router", "HOME.example.org.", true),
        ("router", "x.dyn.example.org.", true),
        ("router", "a.b.dyn.example.org.", true),
        ("router", "dyn.example.org.", false),  // *.name is below name only
        ("router", "other.example.org.", false),
        ("router", "laptop.example.org.", false),
        ("laptop", "laptop.example.org.", true),
        ("laptop", "home.example.org.", false),
    ])
    func names(user: String, name: String, allowed: Bool) throws {
        let users = testUsers()
        let password = user == "router" ? "s3cret" : "pässwörd"
        let found = try #require(users.authenticate(basic(user, password)))
        #expect(found.mayUpdate(try DomainName(name, origin: .root)) == allowed)
    }

    @Test(arguments: [
        ([UInt8](), [UInt8](), true),
        (Array("abc".utf8), Array("abc".utf8), true),
        (Array("abc".utf8), Array("abd".utf8), false),
        (Array("abc".utf8), Array("ab".utf8), false),
        (Array("ab".utf8), Array("abc".utf8), false),
        (Array("abc".utf8), [UInt8](), false),
        ([0x00], [UInt8](), false),
    ])
    func constantTimeCompare(a: [UInt8], b: [UInt8], equal: Bool) {
        #expect(DDNSUsers.constantTimeEquals(a, b) == equal)
    }

    @Test(arguments: ["", "QQ==", "QUI=", "QUJD", "AAECAwQFBgc=", "////"])
    func base64RoundTrip(text: String) throws {
        let decoded = try #require(DDNSBase64.decode(Array(text.utf8)))
        #expect(base64(decoded) == text)
    }

    @Test(arguments: ["Q", "QQ=", "QQ=A", "Q===", "QU=D", "A-B_", "QQ==QQ=="])
    func base64Refused(text: String) {
        #expect(DDNSBase64.decode(Array(text.utf8)) == nil)
    }
}
