// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// Finds real peer programs (dig, named-checkzone, nsd, knotd …) for interop tests.
///
/// Locally a missing program skips the test that needs it; with `CI=true`
/// in the environment a missing program is a failure, because CI installs
/// every peer (see `.ci/run`).
enum Peer {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The absolute path of `program`, searching PATH and the sbin directories.
    static func find(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        for dir in dirs {
            let candidate = dir + "/" + program
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// True when every program is present. Use as
    /// `@Test(.enabled(if: Peer.available("dig")))`: in CI this is always true,
    /// so that the test runs and fails on the missing program instead of skipping.
    static func available(_ programs: String...) -> Bool {
        isCI || programs.allSatisfy { find($0) != nil }
    }

    /// The path of `program`, or a recorded failure naming it.
    static func require(_ program: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        guard let found = find(program) else {
            Issue.record("peer program '\(program)' is not installed (see .ci/run)", sourceLocation: sourceLocation)
            throw PeerMissing(program: program)
        }
        return found
    }

    struct PeerMissing: Error { var program: String }
}

/// Runs a program to completion and returns its exit status and output.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

@discardableResult
func runProcess(_ path: String, _ arguments: [String], input: String? = nil, timeout: TimeInterval = 120) throws
    -> ProcessResult
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inPipe = Pipe()
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try? inPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a full pipe cannot block the child.
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    if group.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
    }
    process.waitUntilExit()
    group.wait()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// The package root (for fixtures and ../shared).
let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// `../shared/lab`, next to the repository.
let labRoot: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/lab")
