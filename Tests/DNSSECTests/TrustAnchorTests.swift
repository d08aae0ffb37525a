// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// Trust anchor files (the lab's root.key and root.dnskey forms) and the
/// built-in root anchors.
@Suite struct TrustAnchorTests {
    @Test func dsFileAsTheLabWritesIt() throws {
        let anchors = try TrustAnchor.parse(
            text: ". 3600 IN DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
            name: "root.key")
        #expect(anchors.count == 1)
        #expect(anchors.first?.zone == .root)
        #expect(anchors.first?.ds.first?.keyTag == 12345)
        #expect(anchors.first?.ds.first?.digestType == .sha256)
    }

    @Test func dnskeyFileAndSeveralZones() throws {
        let text = """
            ; comments and blank lines are fine

            . 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==
            example.net. IN DS 55648 13 2 b4c8c1fe2e7477127b27115656ad6256f424625bf5c1e2770ce6d6e37df61d17
            """
        let anchors = try TrustAnchor.parse(text: text)
        #expect(anchors.count == 2)
        #expect(anchors[0].dnskeys.first?.keyTag == 55648)
        #expect(anchors[1].zone == name("example.net."))
    }

    @Test(arguments: [
        (". 3600 IN A 192.0.2.1\n", "anchors:1:"),  // not DS or DNSKEY
        (". 3600 IN DS 1 13 2 zz\n", "anchors:1:"),  // bad hex
        ("\n. 3600 IN TXT \"x\"\n", "anchors:2:"),  // the second line
        (". 3600 IN DNSKEY 0 3 13 AAAA\n", "anchors:1:"),  // not a zone key
        ("; nothing\n", "anchors: no DS or DNSKEY record"),
    ])
    func malformedFilesNameTheLine(_ text: String, _ prefix: String) {
        do {
            _ = try TrustAnchor.parse(text: text, name: "anchors")
            Issue.record("accepted: \(text)")
        } catch let error as TrustAnchorError {
            #expect(error.messages.first?.hasPrefix(prefix) == true, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// IANA's root-anchors.xml: KSK-2017 and KSK-2024, algorithm 8, SHA-256.
    @Test func builtInRootAnchors() {
        let ds = TrustAnchor.root.ds
        #expect(ds.map(\.keyTag) == [20326, 38696])
        #expect(ds.allSatisfy { $0.algorithm == .rsaSHA256 && $0.digestType == .sha256 && $0.digest.count == 32 })
        #expect(ds.first?.digest.prefix(4) == [0xE0, 0x6D, 0x44, 0xB8])
    }
}
