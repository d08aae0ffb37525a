// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import DNSCore
import DNSResolver
import DNSTransport
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `hanon query`: a dig-like client (issue 2 item 7).
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask a DNS server a question, as dig does.",
        discussion: QueryArguments.usage
    )

    @Argument(parsing: .captureForPassthrough, help: "dig-style arguments, in any order (see below).")
    var arguments: [String] = []

    static let resolvConfPath = "/etc/resolv.conf"

    /// One server to try, with the text dig shows for it and why it was chosen.
    struct Target {
        var host: String
        var reason: String?
    }

    func run() async throws {
        if self.arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
            print(QueryArguments.usage)
            return
        }
        let args: QueryArguments
        do {
            args = try QueryArguments(self.arguments) { (0..<8).map { _ in UInt8.random(in: .min ... .max) } }
        } catch {
            standardError("hanon query: \(error)\n\(QueryArguments.usage)\n")
            throw ExitCode(1)
        }
        let targets = self.targets(args)
        if targets.isEmpty {
            standardError("hanon query: no server of the requested address family\n")
            throw ExitCode(1)
        }
        if !args.short {
            print("\n; <<>> hanon query <<>> " + self.arguments.joined(separator: " "))
            if args.server != nil { print("; (1 server found)") }
            print(";; global options: +cmd")
        }
        let options = DNSQueryOptions(
            timeout: .seconds(args.timeout), tries: args.tries, tcpOnly: args.tcp,
            retryTruncatedOverTCP: !args.ignoreTruncation)
        let client = DNSClient()
        for target in targets {
            let address: SocketAddress
            do {
                address = try Self.socketAddress(target.host, port: args.port)
            } catch {
                print(";; could not use server '\(target.host)': \(error)")
                continue
            }
            let response: DNSResponse
            do {
                response = try await client.query(args.query, server: address, options: options)
            } catch {
                print(";; communications error to \(target.host)#\(args.port): \(error)")
                continue
            }
            if let reason = target.reason { standardError("using \(target.host) (\(reason))\n") }
            self.printResponse(response, args: args, host: target.host)
            return
        }
        print(";; no servers could be reached")
        throw ExitCode(9)
    }

    private func printResponse(_ response: DNSResponse, args: QueryArguments, host: String) {
        if args.short {
            print(QueryOutput.short(response.message), terminator: "")
            return
        }
        var out = ""
        if response.retriedAfterTruncation { out += ";; Truncated, retrying in TCP mode.\n" }
        out += ";; Got answer:\n"
        out += QueryOutput.message(response.message, sent: QueryOutput.Sent(clientCookie: args.cookie))
        let rtt = response.roundTripTime.components
        let milliseconds = Int(rtt.seconds) * 1000 + Int(rtt.attoseconds / 1_000_000_000_000_000)
        out += QueryOutput.footer(
            milliseconds: milliseconds, serverAddress: response.server.ipAddress ?? host, port: args.port,
            serverName: host, transport: response.transport.description, when: Self.now(), size: response.size)
        print(out, terminator: "")
    }

    /// `@SERVER`, or the resolv.conf servers (with why each is used).
    private func targets(_ args: QueryArguments) -> [Target] {
        if let server = args.server { return [Target(host: server, reason: nil)] }
        let conf = Self.readFile(Self.resolvConfPath).map { ResolvConf(parsing: $0) } ?? ResolvConf()
        return conf.nameservers
            .filter { args.family == nil || ($0.isIPv6 ? 6 : 4) == args.family }
            .map { Target(host: $0.host, reason: $0.reason(path: Self.resolvConfPath)) }
    }

    /// A literal address directly; a scoped IPv6 address or a host name through getaddrinfo.
    static func socketAddress(_ host: String, port: Int) throws -> SocketAddress {
        if let address = try? SocketAddress(ipAddress: host, port: port) { return address }
        return try SocketAddress.makeAddressResolvingHost(host, port: port)
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
