// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import DNSResolver
import DNSTransport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hanon query`: a dig-like client (issue 2 item 7). The work is done by
/// ``DigSession`` (DNSTransport); this command supplies the servers from
/// `@SERVER` or /etc/resolv.conf, the clock and the terminal.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask a DNS server a question, as dig does.",
        discussion: DigArguments.usage
    )

    @Argument(parsing: .captureForPassthrough, help: "dig-style arguments, in any order (see below).")
    var arguments: [String] = []

    /// The stub resolver configuration; `HANON_RESOLV_CONF` names another file.
    static var resolvConfPath: String {
        getenv("HANON_RESOLV_CONF").map { String(cString: $0) } ?? "/etc/resolv.conf"
    }

    func run() throws {
        nonisolated(unsafe) let command = self
        try runBlocking { try await command.runQuery() }
    }

    func runQuery() async throws {
        if self.arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
            print(DigArguments.usage)
            return
        }
        let args: DigArguments
        do {
            args = try DigArguments(self.arguments)
        } catch {
            standardError("hanon query: \(error)\n\(DigArguments.usage)\n")
            throw ExitCode(1)
        }
        let targets: [DigTarget]
        if let server = args.server {
            targets = [DigTarget(host: server)]
        } else {
            let path = Self.resolvConfPath
            let conf = Self.readFile(path).map { ResolvConf(parsing: $0) } ?? ResolvConf()
            targets = conf.digTargets(path: path, family: args.family)
        }
        if targets.isEmpty {
            standardError("hanon query: no server of the requested address family\n")
            throw ExitCode(1)
        }
        let session = DigSession(words: self.arguments, arguments: args)
        let status = await session.run(targets: targets, when: { Self.now() }) { stream, text in
            switch stream {
            case .standardOutput: print(text, terminator: "")
            case .standardError: standardError(text)
            }
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// The whole file as text, or nil when it cannot be read.
    static func readFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4096, file) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > 1 << 20 { break }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// dig's `;; WHEN:` form, e.g. `Sun Nov 29 04:14:24 UTC 2026`.
    static func now() -> String {
        var t = time(nil)
        var parts = tm()
        guard localtime_r(&t, &parts) != nil else { return "" }
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, "%a %b %d %H:%M:%S %Z %Y", &parts)
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Writes to standard error, unbuffered.
func standardError(_ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return -1 }
            return write(2, base + offset, raw.count - offset)
        }
        if n <= 0 { return }
        offset += n
    }
}
