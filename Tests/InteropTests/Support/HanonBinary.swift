// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// The `hanon` executable built with the tests (`swift build --build-tests`
/// builds every product, so it sits next to the test bundle).
enum HanonBinary {
    static var path: String? {
        var candidates: [String] = []
        if let runner = ProcessInfo.processInfo.arguments.first {
            let dir = URL(fileURLWithPath: runner).deletingLastPathComponent()
            candidates.append(dir.appendingPathComponent("hanon").path)
            candidates.append(dir.deletingLastPathComponent().appendingPathComponent("hanon").path)
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/hanon").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        guard let path = self.path else {
            Issue.record("the hanon executable was not found next to the tests", sourceLocation: sourceLocation)
            throw Peer.PeerMissing(program: "hanon")
        }
        return path
    }
}

/// Starts `path` with `arguments` and no signal blocked (the test runner
/// blocks some, and children would inherit that), standard output and error
/// to `output`.
func spawnDaemon(_ path: String, _ arguments: [String], output: String) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var mask = sigset_t()
    sigemptyset(&mask)
    posix_spawnattr_setsigmask(&attributes, &mask)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid = pid_t()
    let rc = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
    return pid
}

/// Waits up to `timeout` for `pid` to exit; its exit status, or nil if still running.
func waitForExit(_ pid: pid_t, timeout: Duration) async -> Int32? {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid {
            // WIFEXITED / WEXITSTATUS by hand (macros are not imported).
            return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return nil
}
