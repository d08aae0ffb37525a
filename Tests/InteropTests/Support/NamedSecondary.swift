// SPDX-License-Identifier: Apache-2.0

import Foundation

/// SIGTERM, up to 5 s to exit, then SIGKILL: how every test stops a daemon it started.
func stopDaemon(_ pid: pid_t) {
    kill(pid, SIGTERM)
    if waitForExitSync(pid, seconds: 5) == nil {
        kill(pid, SIGKILL)
        _ = waitpid(pid, nil, 0)
    }
}

/// BIND `named` as a secondary of `zone` on 127.0.0.1:`port`, transferring
/// from 127.0.0.1:`primaryPort` (with a TSIG key when given: name,
/// algorithm, base64 secret), accepting NOTIFY from 127.0.0.1. Runs with
/// `-d 3`, so its log says whether each transfer was incremental.
final class NamedSecondary {
    let directory: String
    let pid: pid_t

    init(
        named: String, directory: String, zone: String, port: Int, primaryPort: Int,
        key: (String, String, String)? = nil
    )
        throws
    {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let keyClause = key.map { "key \"\($0.0)\" { algorithm \($0.1); secret \"\($0.2)\"; };\n" } ?? ""
        let keyRef = key.map { " key \"\($0.0)\"" } ?? ""
        try """
        \(keyClause)options {
            directory "\(directory)";
            listen-on port \(port) { 127.0.0.1; };
            listen-on-v6 { none; };
            pid-file "\(directory)/named.pid";
            recursion no;
            notify no;
            dnssec-validation no;
            allow-notify { 127.0.0.1; };
        };
        controls { };
        zone "\(zone)" {
            type secondary;
            primaries port \(primaryPort) { 127.0.0.1\(keyRef); };
            file "\(directory)/\(zone).db";
        };

        """.write(toFile: directory + "/named.conf", atomically: true, encoding: .utf8)
        self.pid = try spawnDaemon(
            named, ["-g", "-d", "3", "-c", directory + "/named.conf"], output: directory + "/named.log")
    }

    var log: String { (try? String(contentsOfFile: self.directory + "/named.log", encoding: .utf8)) ?? "" }

    func stop() { stopDaemon(self.pid) }
}
