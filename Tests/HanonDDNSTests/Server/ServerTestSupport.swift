// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Logging
import Synchronization
import Testing

@testable import HanonDDNS

/// A zone writer that records what it is asked and answers from a table of
/// current addresses: a name in `served` whose addresses equal the new ones
/// is `.unchanged`, another served name `.changed`, the rest `.notServed`.
final class RecordingWriter: DDNSZoneWriter {
    struct Call: Equatable, Sendable {
        var name: String
        var v4: [String]
        var v6: [String]
        var ttl: UInt32?
    }

    let state: Mutex<(calls: [Call], addresses: [DomainName: [String]])>
    let served: [DomainName]
    let failing: Bool

    init(served: [String] = ["example.org."], failing: Bool = false) {
        self.served = served.compactMap { try? DomainName($0, origin: .root) }
        self.failing = failing
        self.state = Mutex(([], [:]))
    }

    var calls: [Call] { self.state.withLock { $0.calls } }

    func setAddresses(_ name: DomainName, v4: [IPv4Address], v6: [IPv6Address], ttl: UInt32?) async throws
        -> DDNSChange
    {
        let shown = v4.map(\.description) + v6.map(\.description)
        return try self.state.withLock { state in
            state.calls.append(
                Call(name: name.description, v4: v4.map(\.description), v6: v6.map(\.description), ttl: ttl))
            if self.failing { throw TestFailure() }
            guard self.served.contains(where: { name.isSubdomain(of: $0) }) else { return .notServed }
            if state.addresses[name] == shown { return .unchanged }
            state.addresses[name] = shown
            return .changed
        }
    }

    struct TestFailure: Error {}
}

func basic(_ user: String, _ password: String) -> String {
    "Basic " + base64(Array("\(user):\(password)".utf8))
}

/// Base64 (RFC 4648) for the tests' Authorization headers.
func base64(_ bytes: [UInt8]) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var i = 0
    while i < bytes.count {
        let b0 = UInt32(bytes[i])
        let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
        let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
        let n = b0 << 16 | b1 << 8 | b2
        out.append(table[Int(n >> 18 & 63)])
        out.append(table[Int(n >> 12 & 63)])
        out.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : UInt8(ascii: "="))
        out.append(i + 2 < bytes.count ? table[Int(n & 63)] : UInt8(ascii: "="))
        i += 3
    }
    return String(decoding: out, as: UTF8.self)
}

/// Users of the tests: `router` may change home.example.org and the names
/// below dyn.example.org; `laptop` only laptop.example.org.
func testUsers() -> DDNSUsers {
    DDNSUsers([
        DDNSUser(
            name: "router", password: "s3cret",
            names: [DDNSNamePattern("home.example.org"), DDNSNamePattern("*.dyn.example.org")].compactMap { $0 }),
        DDNSUser(
            name: "laptop", password: "pässwörd", names: [DDNSNamePattern("laptop.example.org")].compactMap { $0 }),
    ])
}

func testHandler(_ writer: RecordingWriter = RecordingWriter()) -> DynDNS2Handler {
    DynDNS2Handler(users: testUsers(), writer: writer, ttl: 60, logger: Logger(label: "test"))
}

let clientV4 = DDNSClientAddress("198.51.100.7")!
