// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSAuthority

private func hex(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(text.utf8)[...]
    while chars.count >= 2 {
        let pair = String(decoding: chars.prefix(2), as: UTF8.self)
        out.append(UInt8(pair, radix: 16) ?? 0xEE)
        chars = chars.dropFirst(2)
    }
    return out
}

private func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

private func cookieOption(_ text: String) -> EDNSOption { EDNSOption(code: .cookie, data: hex(text)) }

private func key(_ text: String) -> SipHash24.Key {
    SipHash24.Key(bytes: hex(text)) ?? SipHash24.Key(k0: 0, k1: 0)
}

// MARK: - SipHash-2-4

/// `vectors_sip64` of the reference implementation (github.com/veorq/SipHash, vectors.h): key
/// 00 01 … 0f, message i = the i octets 00 01 … i-1, output as the 8 octets it writes.
private let sip64Vectors = [
    "310e0edd47db6f72", "fd67dc93c539f874", "5a4fa9d909806c0d", "2d7efbd796666785",
    "b7877127e09427cf", "8da699cd64557618", "cee3fe586e46c9cb", "37d1018bf50002ab",
    "6224939a79f5f593", "b0e4a90bdf82009e", "f3b9dd94c5bb5d7a", "a7ad6b22462fb3f4",
    "fbe50e86bc8f1e75", "903d84c02756ea14", "eef27a8e90ca23f7", "e545be4961ca29a1",
    "db9bc2577fcc2a3f", "9447be2cf5e99a69", "9cd38d96f0b3c14b", "bd6179a71dc96dbb",
    "98eea21af25cd6be", "c7673b2eb0cbf2d0", "883ea3e395675393", "c8ce5ccd8c030ca8",
    "94af49f6c650adb8", "eab8858ade92e1bc", "f315bb5bb835d817", "adcf6b0763612e2f",
    "a5c91da7acaa4dde", "716595876650a2a6", "28ef495c53a387ad", "42c341d8fa92d832",
    "ce7cf2722f512771", "e37859f94623f3a7", "381205bb1ab0e012", "ae97a10fd434e015",
    "b4a31508beff4d31", "81396229f0907902", "4d0cf49ee5d4dcca", "5c73336a76d8bf9a",
    "d0a704536ba93e0e", "925958fcd6420cad", "a915c29bc8067318", "952b79f3bc0aa6d4",
    "f21df2e41d4535f9", "87577519048f53a9", "10a56cf5dfcd9adb", "eb75095ccd986cd0",
    "51a9cb9ecba312e6", "96afadfc2ce666c7", "72fe52975a4364ee", "5a1645b276d592a1",
    "b274cb8ebf87870a", "6f9bb4203de7b381", "eaecb2a30b22a87f", "9924a43cc1315724",
    "bd838d3aafbf8db7", "0b1a2a3265d51aea", "135079a3231ce660", "932b2846e4d70666",
    "e1915f5cb1eca46c", "f325965ca16d629f", "575ff28e60381be5", "724506eb4c328a95",
]

private let referenceKey = SipHash24.Key(bytes: Array(0..<16)) ?? SipHash24.Key(k0: 0, k1: 0)

@Test(arguments: 0..<64)
func sipHashReferenceVector(_ length: Int) {
    var hasher = SipHash24(key: referenceKey)
    hasher.combine(contentsOf: (0..<length).map { UInt8($0) })
    #expect(hexString(hasher.finalizeBytes()) == sip64Vectors[length])
}

@Test func sipHashReferenceVectorAsInteger() {
    // The reference's first vector read as a little-endian word, as majek's siphash test lists it.
    #expect(SipHash24.hash(key: referenceKey, []) == 0x726f_db47_dd0e_0e31)
    #expect(SipHash24.hash(key: referenceKey, (0..<63).map { UInt8($0) }) == 0x958a_324c_eb06_4572)
}

@Test func sipHashFeedingInPiecesGivesTheSameHash() {
    let message = (0..<37).map { UInt8($0 &* 7) }
    var pieces = SipHash24(key: referenceKey)
    pieces.combine(contentsOf: message[0..<3])
    pieces.combine(message[3])
    pieces.combine(
        bigEndian: UInt32(message[4]) << 24 | UInt32(message[5]) << 16 | UInt32(message[6]) << 8 | UInt32(message[7]))
    pieces.combine(contentsOf: message[8...])
    #expect(pieces.finalize() == SipHash24.hash(key: referenceKey, message))
    // finalize does not consume the state: more input changes the result.
    let before = pieces.finalize()
    pieces.combine(0)
    #expect(pieces.finalize() != before)
}

@Test func sipHashKey() {
    #expect(SipHash24.Key(bytes: Array(0..<15)) == nil)
    #expect(SipHash24.Key(bytes: Array(0..<17)) == nil)
    #expect(referenceKey.k0 == 0x0706_0504_0302_0100)
    #expect(referenceKey.k1 == 0x0f0e_0d0c_0b0a_0908)
    #expect(referenceKey.bytes == Array(0..<16))
    #expect(SipHash24.Key.random() != SipHash24.Key.random())
}

// MARK: - ClientIP

@Test func clientIPForms() throws {
    let v4 = try #require(ClientIP("198.51.100.100"))
    #expect(v4.isIPv4)
    #expect(v4.bytes == [198, 51, 100, 100])
    #expect(ClientIP(bytes: [198, 51, 100, 100]) == v4)
    #expect(ClientIP("::ffff:198.51.100.100") == v4)  // RFC 4291 §2.5.5.2
    let v6 = try #require(ClientIP("2001:db8:220:1:59de:d0f4:8769:82b8"))
    #expect(!v6.isIPv4)
    #expect(v6.bytes == hex("20010db80220000159ded0f4876982b8"))
    #expect(v6.description == "2001:db8:220:1:59de:d0f4:8769:82b8")
    #expect(v4.description == "198.51.100.100")
    #expect(ClientIP(bytes: [1, 2, 3]) == nil)
    #expect(ClientIP(bytes: [UInt8](repeating: 0, count: 5)) == nil)
    #expect(ClientIP("not an address") == nil)
    #expect(v4.masked(prefixLength: 24) == ClientIP("198.51.100.0"))
    #expect(v4.masked(prefixLength: 0) == ClientIP("0.0.0.0"))
    #expect(v4.masked(prefixLength: 99) == v4)
    #expect(v6.masked(prefixLength: 56) == ClientIP("2001:db8:220::"))
    #expect(v6.masked(prefixLength: 72) == ClientIP("2001:db8:220:1:5900::"))
    #expect(v6.masked(prefixLength: 128) == v6)
    #expect(v6.masked(prefixLength: 0) == ClientIP("::"))
}

// MARK: - RFC 9018 Appendix A

private let secretA = key("e5e973e5a6b2a43f48e7dc849e37bfcf")
private let client1 = ClientIP("198.51.100.100") ?? ClientIP(ipv4: 0)
private let client2 = ClientIP("203.0.113.203") ?? ClientIP(ipv4: 0)
private let client6 = ClientIP("2001:db8:220:1:59de:d0f4:8769:82b8") ?? ClientIP(ipv4: 0)

/// A.1: a client that has no server cookie yet gets one.
@Test func rfc9018A1LearningANewServerCookie() {
    let cookies = ServerCookies(secret: secretA)
    let outcome = cookies.evaluate(
        requestCookie: cookieOption("2464c4abcf10c957"), clientIP: client1, now: 1_559_731_985)
    guard case .clientOnly(let response) = outcome else {
        Issue.record("expected clientOnly, got \(outcome)")
        return
    }
    #expect(hexString(response.option.data) == "2464c4abcf10c957010000005cf79f111f8130c3eee29480")
    #expect(outcome.rcode(requiringValidCookie: false) == nil)
    #expect(outcome.rcode(requiringValidCookie: true) == .badCookie)
    #expect(!outcome.hasValidServerCookie)
}

/// A.2: forty minutes later the cookie is valid, and older than half an hour, so it is renewed.
@Test func rfc9018A2RenewedServerCookie() {
    let cookies = ServerCookies(secret: secretA)
    let request = cookieOption("2464c4abcf10c957010000005cf79f111f8130c3eee29480")
    let outcome = cookies.evaluate(requestCookie: request, clientIP: client1, now: 1_559_734_385)
    guard case .valid(let response) = outcome else {
        Issue.record("expected valid, got \(outcome)")
        return
    }
    #expect(hexString(response.option.data) == "2464c4abcf10c957010000005cf7a871d4a564a1442aca77")
    #expect(outcome.rcode(requiringValidCookie: true) == nil)
    #expect(outcome.hasValidServerCookie)
}

/// A valid cookie younger than half an hour is sent back unchanged (RFC 9018 §4.3).
@Test func youngValidCookieIsEchoed() throws {
    let cookies = ServerCookies(secret: secretA)
    let request = cookieOption("2464c4abcf10c957010000005cf79f111f8130c3eee29480")
    let outcome = cookies.evaluate(requestCookie: request, clientIP: client1, now: 1_559_731_985 + 1799)
    #expect(outcome == .valid(response: try #require(try? EDNSOption.Cookie(request))))
    // From 1800 seconds on it is renewed, stamped with the time of the request.
    let later = cookies.evaluate(requestCookie: request, clientIP: client1, now: 1_559_731_985 + 1800)
    #expect(later.hasValidServerCookie)
    #expect(later.responseCookie?.server.map { Array($0[4..<8]) } == [0x5c, 0xf7, 0xa6, 0x19])
}

/// A.3: a cookie with non-zero Reserved octets is still verified with them; the reply carries a
/// fresh cookie with Reserved zero. The example's request is 6715 s old when it is answered,
/// beyond the hour of RFC 9018 §4.3, so there it counts as expired; within the hour it is valid.
@Test func rfc9018A3AnotherClientRenewed() throws {
    let cookies = ServerCookies(secret: secretA)
    let request = cookieOption("fc93fc62807ddb8601abcdef5cf78f71a314227b6679ebf5")
    let outcome = cookies.evaluate(requestCookie: request, clientIP: client2, now: 1_559_734_700)
    #expect(
        outcome
            == .invalid(
                response: try #require(
                    try? EDNSOption.Cookie(cookieOption("fc93fc62807ddb86010000005cf7a9acf73a7810aca2381e")))))
    #expect(outcome.rcode(requiringValidCookie: false) == nil)
    #expect(outcome.rcode(requiringValidCookie: true) == .badCookie)

    let inTime = cookies.evaluate(requestCookie: request, clientIP: client2, now: 1_559_727_985 + 600)
    #expect(inTime.hasValidServerCookie)
    // Renewed, not echoed, because its Reserved octets are not zero.
    #expect(inTime.responseCookie?.server.map { Array($0[0..<4]) } == [1, 0, 0, 0])
    #expect(
        inTime.responseCookie?.option.data
            == [0xfc, 0x93, 0xfc, 0x62, 0x80, 0x7d, 0xdb, 0x86]
            + cookies.makeServerCookie(
                client: hex("fc93fc62807ddb86"), clientIP: client2, timestamp: 1_559_727_985 + 600)
    )
    // The example's answer is makeServerCookie at the time of the answer.
    #expect(
        hexString(
            cookies.makeServerCookie(client: hex("fc93fc62807ddb86"), clientIP: client2, timestamp: 1_559_734_700))
            == "010000005cf7a9acf73a7810aca2381e"
    )
}

/// A.4: an IPv6 client with a cookie made before the secret was rolled over.
@Test func rfc9018A4IPv6RolledOverSecret() {
    let old = key("dd3bdf9344b678b185a6f5cb60fca715")
    let new = key("445536bcd2513298075a5d379663c962")
    let request = cookieOption("22681ab97d52c298010000005cf7c57926556bd0934c72f8")
    let expected = "22681ab97d52c298010000005cf7c609a6bb79d16625507a"
    let now: UInt32 = 1_559_741_961

    let rolling = ServerCookies(secret: old, requireValidCookie: true).rolledOver(to: new)
    #expect(rolling.secret == new && rolling.previousSecret == old && rolling.requireValidCookie)
    let outcome = rolling.evaluate(requestCookie: request, clientIP: client6, now: now)
    #expect(outcome.hasValidServerCookie)
    #expect(outcome.responseCookie.map { hexString($0.option.data) } == expected)

    // Without the previous secret the cookie is not ours, but the reply cookie is the same.
    let newOnly = ServerCookies(secret: new).evaluate(requestCookie: request, clientIP: client6, now: now)
    guard case .invalid(let response) = newOnly else {
        Issue.record("expected invalid, got \(newOnly)")
        return
    }
    #expect(hexString(response.option.data) == expected)

    // With only the old secret it is valid and young (144 s), so it is echoed.
    let oldOnly = ServerCookies(secret: old).evaluate(requestCookie: request, clientIP: client6, now: now)
    #expect(
        oldOnly.responseCookie.map { hexString($0.option.data) } == "22681ab97d52c298010000005cf7c57926556bd0934c72f8")
}

// MARK: - Validation rules

private func issued(
    at timestamp: UInt32, by cookies: ServerCookies, client: [UInt8] = hex("0102030405060708"), ip: ClientIP = client1
) -> EDNSOption {
    EDNSOption(
        code: .cookie, data: client + cookies.makeServerCookie(client: client, clientIP: ip, timestamp: timestamp))
}

@Test func timestampWindow() {
    let cookies = ServerCookies(secret: secretA)
    let t: UInt32 = 1_700_000_000
    let option = issued(at: t, by: cookies)
    #expect(cookies.evaluate(requestCookie: option, clientIP: client1, now: t).hasValidServerCookie)
    #expect(cookies.evaluate(requestCookie: option, clientIP: client1, now: t + 3600).hasValidServerCookie)
    #expect(!cookies.evaluate(requestCookie: option, clientIP: client1, now: t + 3601).hasValidServerCookie)
    // Five minutes of clock skew into the future are accepted, not more.
    #expect(cookies.evaluate(requestCookie: option, clientIP: client1, now: t - 300).hasValidServerCookie)
    #expect(!cookies.evaluate(requestCookie: option, clientIP: client1, now: t - 301).hasValidServerCookie)
    // An expired cookie is answered with a fresh one, stamped now.
    let expired = cookies.evaluate(requestCookie: option, clientIP: client1, now: t + 4000)
    guard case .invalid(let response) = expired else {
        Issue.record("expected invalid, got \(expired)")
        return
    }
    #expect(
        response.server
            == cookies.makeServerCookie(client: hex("0102030405060708"), clientIP: client1, timestamp: t + 4000))
}

@Test func timestampComparedInSerialArithmetic() {
    // RFC 1982: a cookie stamped just before the 32-bit counter wraps is still 272 s old after it.
    let cookies = ServerCookies(secret: secretA)
    let option = issued(at: 0xFFFF_FF00, by: cookies)
    #expect(cookies.evaluate(requestCookie: option, clientIP: client1, now: 0x10).hasValidServerCookie)
    #expect(!cookies.evaluate(requestCookie: option, clientIP: client1, now: 0x10 + 3600).hasValidServerCookie)
}

@Test func cookieBoundToClientCookieAddressAndSecret() {
    let cookies = ServerCookies(secret: secretA)
    let t: UInt32 = 1_700_000_000
    let option = issued(at: t, by: cookies)
    #expect(cookies.evaluate(requestCookie: option, clientIP: client1, now: t + 1).hasValidServerCookie)
    // Another source address.
    #expect(cookies.evaluate(requestCookie: option, clientIP: client2, now: t + 1) != .none)
    #expect(!cookies.evaluate(requestCookie: option, clientIP: client2, now: t + 1).hasValidServerCookie)
    // Another client cookie with the same server cookie.
    var otherClient = option.data
    otherClient[0] ^= 1
    #expect(
        !cookies.evaluate(requestCookie: EDNSOption(code: .cookie, data: otherClient), clientIP: client1, now: t + 1)
            .hasValidServerCookie)
    // Every bit of the version, timestamp and hash matters.
    for index in [8, 12, 15, 16, 23] {
        var altered = option.data
        altered[index] ^= 0x10
        let outcome = cookies.evaluate(
            requestCookie: EDNSOption(code: .cookie, data: altered), clientIP: client1, now: t + 1)
        #expect(!outcome.hasValidServerCookie, "octet \(index)")
        #expect(outcome.responseCookie?.client == hex("0102030405060708"))
    }
    // Another server's secret.
    #expect(
        !ServerCookies(secret: referenceKey).evaluate(requestCookie: option, clientIP: client1, now: t + 1)
            .hasValidServerCookie)
    // A random secret differs from run to run.
    #expect(!ServerCookies().evaluate(requestCookie: option, clientIP: client1, now: t + 1).hasValidServerCookie)
}

@Test(arguments: [8, 9, 24, 31, 32])
func serverCookieOfAnotherLengthIsInvalid(_ length: Int) throws {
    // 8 to 32 octets is a well-formed server cookie (RFC 7873 §4.2), but only 16 is ours.
    let cookies = ServerCookies(secret: secretA)
    let data = hex("0102030405060708") + [UInt8](repeating: 1, count: length)
    let outcome = cookies.evaluate(requestCookie: EDNSOption(code: .cookie, data: data), clientIP: client1, now: 100)
    #expect(
        outcome
            == .invalid(
                response: try #require(
                    try? EDNSOption.Cookie(
                        client: hex("0102030405060708"),
                        server: cookies.makeServerCookie(
                            client: hex("0102030405060708"), clientIP: client1, timestamp: 100)))))
}

@Test(arguments: [0, 1, 7, 9, 15, 41, 64])
func malformedCookieOptionIsFormErr(_ length: Int) {
    // RFC 7873 §5.2.2: a COOKIE option of another length is FORMERR, with no cookie in the reply.
    let cookies = ServerCookies(secret: secretA)
    let outcome = cookies.evaluate(
        requestCookie: EDNSOption(code: .cookie, data: [UInt8](repeating: 7, count: length)), clientIP: client1,
        now: 100)
    #expect(outcome == .malformed)
    #expect(outcome.rcode(requiringValidCookie: false) == .formErr)
    #expect(outcome.rcode(requiringValidCookie: true) == .formErr)
    #expect(outcome.responseCookie == nil)
}

@Test func noCookieOption() {
    let outcome = ServerCookies(secret: secretA).evaluate(requestCookie: nil, clientIP: client1, now: 100)
    #expect(outcome == .none)
    #expect(outcome.rcode(requiringValidCookie: true) == nil)
    #expect(outcome.responseCookie == nil)
    #expect(!outcome.hasValidServerCookie)
}

@Test func cookieOfIPv4MappedClientIsTheIPv4Cookie() {
    let cookies = ServerCookies(secret: secretA)
    let mapped = ClientIP("::ffff:198.51.100.100") ?? ClientIP(ipv4: 0)
    let outcome = cookies.evaluate(
        requestCookie: cookieOption("2464c4abcf10c957"), clientIP: mapped, now: 1_559_731_985)
    #expect(
        outcome.responseCookie.map { hexString($0.option.data) } == "2464c4abcf10c957010000005cf79f111f8130c3eee29480")
}

@Test func currentTimeIsUnixTime() {
    // After 2025-01-01 and before the counter wraps in 2106.
    #expect(ServerCookies.currentTime() > 1_735_689_600)
}
