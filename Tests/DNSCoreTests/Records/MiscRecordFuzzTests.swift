// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

/// Random and mutated wire input for the types in ``MiscRecordTests``: never a
/// crash, and whatever decodes re-encodes to the same octets and survives a
/// trip through presentation.
@Suite struct MiscRecordFuzzTests {
    /// SplitMix64, so failures are reproducible.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            self.state &+= 0x9E37_79B9_7F4A_7C15
            var z = self.state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let types: [RecordType] = [.hinfo, .rp, .srv, .naptr, .caa, .sshfp, .tlsa, .smimea, .openpgpkey, .uri, .loc]

    static func check(_ type: RecordType, _ wire: [UInt8]) throws {
        let rdata: RDATA
        do {
            rdata = try RDATA(type: type, wire: wire)
        } catch {
            return  // refusing is fine; crashing is not
        }
        #expect(rdata.wireBytes == wire, "\(type) \(Hex.encode(wire))")
        if case .caa(let caa) = rdata, !RDATA.CAA.isValidTag(caa.tag) {
            return  // long wire tags are not accepted back in presentation
        }
        let text = rdata.description
        let reparsed = try RDATA(type: type, text: text)
        #expect(reparsed == rdata, "\(type) \(text)")
    }

    @Test(arguments: types)
    func randomOctets(type: RecordType) throws {
        var rng = Generator(state: UInt64(type.rawValue))
        for _ in 0..<3000 {
            let count = Int.random(in: 0...48, using: &rng)
            var wire = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Bias towards plausible shapes: small length octets, version 0 LOC.
            if !wire.isEmpty, Bool.random(using: &rng) { wire[0] = UInt8.random(in: 0...3, using: &rng) }
            if wire.count > 1, Bool.random(using: &rng) { wire[1] = UInt8.random(in: 0...20, using: &rng) }
            try Self.check(type, wire)
        }
    }

    @Test(arguments: MiscRecordTests.golden)
    func mutatedGolden(type: RecordType, text: String, hex: String) throws {
        let golden = try #require(Hex.decode(Array(hex.utf8)))
        var rng = Generator(state: UInt64(golden.count) &* 31 &+ UInt64(type.rawValue))
        for _ in 0..<2000 {
            var wire = golden
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: wire[Int.random(in: 0..<wire.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                case 1: wire.removeLast(min(wire.count - 1, Int.random(in: 1...4, using: &rng)))
                default: wire.append(UInt8.random(in: 0...255, using: &rng))
                }
            }
            try Self.check(type, wire)
        }
    }

    static let vocabulary = [
        "0", "1", "9", "59", "59.999", "60", "90", "180", "255", "256", "65535", "65536", "-1", "+5", "1.5", ".5",
        "0.001", "N", "S", "E", "W", "n", "-24m", "42849672.95m", "90000000m", "m", "10m", "0.00m", "\"x\"", "\"\"",
        "abc", "issue", "AB", "ABC", "AQ==", "AQ=", "\\#", "x.example.", ".", "\\065", "\\", "a\\\"b",
    ]

    @Test(arguments: types)
    func randomTokens(type: RecordType) throws {
        var rng = Generator(state: 7 &* UInt64(type.rawValue))
        for _ in 0..<3000 {
            let count = Int.random(in: 0...10, using: &rng)
            let text = (0..<count).map { _ in Self.vocabulary.randomElement(using: &rng) ?? "" }.joined(separator: " ")
            let rdata: RDATA
            do {
                rdata = try RDATA(type: type, text: text, origin: "example.")
            } catch {
                continue
            }
            #expect(try RDATA(type: type, text: rdata.description) == rdata, "\(type) \(text)")
        }
    }
}
