import DNSCore
import Testing

@Suite struct DomainNameTests {
    @Test(arguments: [
        ("www.example.", "www.example."),
        ("WWW.Example.", "WWW.Example."),
        ("a\\.b.example.", "a\\.b.example."),
        ("a\\032b.example.", "a\\032b.example."),
        ("a\\ b.example.", "a\\032b.example."),
        ("\\065.example.", "A.example."),
        (".", "."),
    ])
    func presentationRoundTrip(input: String, expected: String) throws {
        let name = try DomainName(input)
        #expect(name.description == expected)
        #expect(try DomainName(expected) == name)
    }

    @Test func relativeNamesTakeTheOrigin() throws {
        let origin = try DomainName("example.org.")
        #expect(try DomainName("www", origin: origin).description == "www.example.org.")
        #expect(try DomainName("@", origin: origin) == origin)
    }

    @Test(arguments: [
        String(repeating: "a", count: 64) + ".",
        Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".") + ".",
        "a..b.",
        "a\\",
        "a\\25.",
        "a\\256.",
    ])
    func invalidNamesAreRefused(input: String) {
        #expect(throws: PresentationError.self) { try DomainName(input) }
    }

    @Test func comparisonFoldsCaseAndKeepsIt() throws {
        let a = try DomainName("WWW.Example.ORG.")
        let b = try DomainName("www.example.org.")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(!a.isIdentical(to: b))
        #expect(a.description == "WWW.Example.ORG.")
    }

    /// RFC 4034 §6.1 example order.
    @Test func canonicalOrder() throws {
        let ordered = [
            "example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.", "zABC.a.EXAMPLE.", "z.example.",
            "\\001.z.example.", "*.z.example.", "\\200.z.example.",
        ].map { try! DomainName($0) }
        #expect(ordered.shuffled().sorted() == ordered)
    }

    @Test func subdomains() throws {
        let zone = try DomainName("example.org.")
        #expect(try DomainName("a.b.EXAMPLE.org.").isSubdomain(of: zone))
        #expect(zone.isSubdomain(of: zone))
        #expect(!(try DomainName("badexample.org.").isSubdomain(of: zone)))
        #expect(zone.isSubdomain(of: .root))
    }
}
