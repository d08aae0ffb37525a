// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// hanon's resolver against the fake internet (../shared/lab/fake-internet):
/// the lab is brought up in a temporary state directory under
/// `flock /tmp/fake-internet.lock` (one lab per machine), `hanon serve`
/// runs with a `[resolver]` pointed at its root hints and trust anchor, and
/// every one of the 57 cases of `check.py` must pass — validated answers
/// with AD, the bogus zones SERVFAIL, lame2.test answered at once (Unbound
/// waits ~30 s there). `down.sh` runs whatever happens (a shell trap).
@Suite("Resolver against the fake internet", .serialized)
struct FakeInternetResolverTests {
    static var lab: URL { labRoot.appendingPathComponent("fake-internet") }

    static var canRun: Bool {
        FileManager.default.fileExists(atPath: lab.appendingPathComponent("up.sh").path) && getuid() == 0
            && (Peer.isCI || Peer.available("nsd", "ldns-signzone", "dnssec-signzone", "python3", "flock"))
    }

    @Test(.enabled(if: canRun), .timeLimit(.minutes(5)))
    func everyCasePasses() throws {
        let hanon = try HanonBinary.require()
        for program in ["nsd", "ldns-signzone", "dnssec-signzone", "python3", "flock", "ss"] {
            _ = try Peer.require(program)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let state = dir.appendingPathComponent("state").path
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("data"), withIntermediateDirectories: true)
        let port = Int.random(in: 20000..<32000)
        let config = dir.appendingPathComponent("hanon.toml").path
        try """
        data = "\(dir.path)/data"
        [dns]
        listen = ["127.0.0.1:\(port + 1)"]
        [log]
        level = "notice"
        [resolver]
        listen = ["127.0.0.1:\(port)"]
        root-hints = "\(state)/root.hints"
        trust-anchor = "\(state)/root.key"
        allow-loopback-upstreams = true
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("results.tsv").path
        let log = dir.appendingPathComponent("hanon.log").path
        let script = """
            set -u
            export LAB_STATE='\(state)'
            LAB='\(Self.lab.path)'
            trap '[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; "$LAB/down.sh" >/dev/null 2>&1' EXIT
            "$LAB/up.sh" >'\(dir.path)/up.log' 2>&1 || { echo "up.sh failed"; cat '\(dir.path)/up.log'; exit 3; }
            '\(hanon)' serve --config '\(config)' >'\(log)' 2>&1 &
            PID=$!
            i=0
            while ! ss -lnu | grep -q '127.0.0.1:\(port) '; do
                i=$((i+1)); [ $i -gt 100 ] && { echo "hanon did not start"; cat '\(log)'; exit 4; }
                sleep 0.1
            done
            python3 "$LAB/check.py" \(port) --tsv '\(results)' --quiet
            exit 0
            """
        let run = try runProcess("/usr/bin/flock", ["/tmp/fake-internet.lock", "sh", "-c", script], timeout: 280)
        #expect(run.status == 0, "lab run failed: \(run.stdout)\(run.stderr)")
        guard let tsv = try? String(contentsOfFile: results, encoding: .utf8) else {
            Issue.record("check.py wrote no results: \(run.stdout)\(run.stderr)")
            return
        }
        var unexpected: [String] = []
        var passed = 0
        for line in tsv.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 6 else { continue }
            let name = "\(fields[0]) \(fields[1])"
            if fields[2] == "PASS" {
                passed += 1
            } else {
                unexpected.append("\(name): got \(fields[3]): \(fields[5])")
            }
        }
        #expect(unexpected.isEmpty, "cases failing:\n\(unexpected.joined(separator: "\n"))")
        #expect(passed == 57, "\(run.stdout)")
        print("fake internet: \(passed) of 57 passed")
        print(run.stdout.split(separator: "\n").filter { $0.hasPrefix("time:") }.joined(separator: "\n"))
    }
}
