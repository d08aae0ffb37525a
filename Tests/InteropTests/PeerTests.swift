import Foundation
import Testing

@Suite struct PeerTests {
    @Test func labIsReachable() {
        #expect(FileManager.default.fileExists(atPath: labRoot.appendingPathComponent("auth-bench/gen-zone.py").path))
    }
}
