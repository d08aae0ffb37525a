import DNSZone
import Foundation
import HanonServer
import Testing

@Suite struct ExampleZoneTests {
    @Test func embeddedExampleMatchesTheFileInTheRepository() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = try String(contentsOf: root.appendingPathComponent("examples/example.test.zone"), encoding: .utf8)
        #expect(file == ExampleZone.text)
    }
}
