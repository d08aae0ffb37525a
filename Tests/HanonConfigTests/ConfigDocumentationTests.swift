// SPDX-License-Identifier: Apache-2.0
import Foundation
import HanonConfig
import Testing

/// docs/config.md is generated from the schema; this test fails when it drifts.
/// `UPDATE_DOCS=1 swift test --filter ConfigDocumentationTests` rewrites it.
@Suite struct ConfigDocumentationTests {
    static let docsPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/config.md").path

    @Test func docsFileMatchesTheSchema() throws {
        let generated = Config.documentation()
        if ProcessInfo.processInfo.environment["UPDATE_DOCS"] == "1" {
            try generated.write(toFile: Self.docsPath, atomically: true, encoding: .utf8)
        }
        let onDisk = try String(contentsOfFile: Self.docsPath, encoding: .utf8)
        #expect(
            onDisk == generated,
            "docs/config.md is out of date: run UPDATE_DOCS=1 swift test --filter ConfigDocumentationTests"
        )
    }

    @Test func everySupportedKeyIsDocumented() {
        let doc = Config.documentation()
        for spec in Config.schema where spec.supported {
            let shown: String
            switch spec.kind {
            case .value: shown = "| `\(spec.name)` |"
            case .table: shown = "## `[\(spec.path)]`"
            case .arrayOfTables: shown = "## `[[\(spec.path)]]`"
            }
            #expect(doc.contains(shown), "\(spec.path)")
        }
        for spec in Config.schema where !spec.supported {
            #expect(doc.contains("`\(spec.kind == .table ? "[\(spec.path)]" : spec.path)`"), "\(spec.path)")
        }
        #expect(doc.contains("```toml\n" + Config.example + "```"))
    }

    @Test func messagesInTheDocsAreTheRealOnes() {
        // The sample messages at the top of docs/config.md are what the parser prints.
        let text = "[dns]\nlisten = [\"127.0.0.1:53\"]\n\n\n\n\n\n\n\n\n\nlistn = 1\n\nmax-udp-size = 9000"
        let errors = parseErrors(text)
        #expect(
            errors == [
                "hanon.toml:12:1: unknown key 'dns.listn' (did you mean 'listen'?)",
                "hanon.toml:14:16: dns.max-udp-size: 9000 is out of range; expected an integer from 512 to 4096",
            ]
        )
        for e in errors { #expect(Config.documentation().contains(e)) }
    }
}
