// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSTransport
import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds this host's address of one family from an ``AddressSource``, and refuses addresses
/// that must not be published (RFC 6890 special-purpose ranges) unless told to allow them.
public struct AddressDetector: Sendable {
    public let https: HTTPSClient
    public let dns: DNSClient
    /// Allow private and reserved addresses (`ddns.allow-private`), for records of a private network.
    public let allowPrivate: Bool
    public let commandTimeout: Duration

    public init(
        https: HTTPSClient, dns: DNSClient = DNSClient(), allowPrivate: Bool, commandTimeout: Duration = .seconds(30)
    ) {
        self.https = https
        self.dns = dns
        self.allowPrivate = allowPrivate
        self.commandTimeout = commandTimeout
    }

    /// The address to publish, or an error saying why there is none.
    public func detect(_ source: AddressSource, family: IPAddress.Family) async throws(DDNSError) -> IPAddress {
        if case .firstOf(let list) = source {
            var problems: [String] = []
            for each in list {
                do {
                    return try await detect(each, family: family)
                } catch {
                    problems.append(error.message)
                }
            }
            throw DDNSError(problems.isEmpty ? "no address source" : problems.joined(separator: "; "))
        }
        let found = try await candidates(source, family: family)
        return try Self.choose(found, family: family, source: source, allowPrivate: allowPrivate)
    }

    /// The first candidate that may be published: any when private addresses are allowed,
    /// otherwise the first public one.
    public static func choose(
        _ found: [IPAddress], family: IPAddress.Family, source: AddressSource, allowPrivate: Bool
    ) throws(DDNSError) -> IPAddress {
        guard let first = found.first else { throw DDNSError("no \(family.rawValue) address found by \(source)") }
        if allowPrivate { return first }
        if let address = found.first(where: \.isPublic) { return address }
        throw DDNSError(
            "\(source) gave \(first), which is \(first.specialPurpose ?? "reserved") and not published; set ddns.allow-private = true to publish it"
        )
    }

    /// Every address of `family` the source gives, in its order. A web page gives only its
    /// first address (after the skip marker), as ddclient reads it.
    public func candidates(_ source: AddressSource, family: IPAddress.Family) async throws(DDNSError) -> [IPAddress] {
        switch source {
        case .interface(let name):
            return try Self.interfaceAddresses(name, family: family)
        case .web(let url, let skip):
            let response: HTTPSResponse
            do {
                response = try await https.send(.GET, url)
            } catch let failure as TLSVerificationFailure {
                throw DDNSError(failure.description)
            } catch {
                throw DDNSError("\(error)")
            }
            guard response.status == 200 else { throw DDNSError("\(url) answered HTTP \(response.status)") }
            if let skip, !response.text.contains(skip) {
                throw DDNSError("\(url): the page does not contain '\(skip)'")
            }
            return AddressScanner.firstAddress(in: response.text, family: family, after: skip).map { [$0] } ?? []
        case .dns(let name, let type, let server, let port):
            return try await dnsAddresses(name: name, type: type, server: server, port: port, family: family)
        case .command(let argv):
            return AddressScanner.addresses(in: try await run(argv), family: family)
        case .firstOf(let list):
            var all: [IPAddress] = []
            for each in list { all += (try? await candidates(each, family: family)) ?? [] }
            return all
        }
    }

    /// The addresses of interface `name` (getifaddrs), IPv6 link-local ones last.
    public static func interfaceAddresses(_ name: String, family: IPAddress.Family) throws(DDNSError) -> [IPAddress] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else {
            throw DDNSError("getifaddrs failed: \(String(cString: strerror(errno)))")
        }
        defer { freeifaddrs(list) }
        var found: [IPAddress] = []
        var seenInterface = false
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard String(cString: entry.pointee.ifa_name) == name else { continue }
            seenInterface = true
            guard let sa = entry.pointee.ifa_addr else { continue }
            switch Int32(sa.pointee.sa_family) {
            case AF_INET where family == .v4:
                let bytes = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { p in
                    withUnsafeBytes(of: p.pointee.sin_addr) { Array($0) }
                }
                if let a = IPAddress(bytes: bytes) { found.append(a) }
            case AF_INET6 where family == .v6:
                let bytes = sa.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in
                    withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) }
                }
                if let a = IPAddress(bytes: bytes) { found.append(a) }
            default:
                continue
            }
        }
        guard seenInterface else { throw DDNSError("no interface named \(name)") }
        return found.filter(\.isPublic) + found.filter { !$0.isPublic }
    }

    func dnsAddresses(
        name: DomainName, type: RecordType, server: String, port: Int, family: IPAddress.Family
    ) async throws(DDNSError) -> [IPAddress] {
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(server, port: port)
        } catch {
            throw DDNSError("cannot resolve DNS server \(server): \(error)")
        }
        let response: DNSResponse
        do {
            response = try await dns.query(
                DNSMessage.query(id: 0, name: name, type: type, recursionDesired: false), server: address)
        } catch {
            throw DDNSError("DNS query \(name) \(type) @\(server) failed: \(error)")
        }
        guard response.message.rcode == .noError else {
            throw DDNSError("DNS query \(name) \(type) @\(server) answered \(response.message.rcode)")
        }
        var found: [IPAddress] = []
        for record in response.message.answers {
            switch record.rdata {
            case .a(let a): if let ip = IPAddress(bytes: a.address.bytes) { found.append(ip) }
            case .aaaa(let a): if let ip = IPAddress(bytes: a.address.bytes) { found.append(ip) }
            case .txt(let t):
                for s in t.strings {
                    found += AddressScanner.addresses(in: String(decoding: s, as: UTF8.self), family: family)
                }
            default: continue
            }
        }
        return found.filter { $0.family == family }
    }

    /// Runs a command without a shell and returns its standard output; fails on a non-zero exit
    /// or after ``commandTimeout``.
    func run(_ argv: [String]) async throws(DDNSError) -> String {
        guard let program = argv.first else { throw DDNSError("empty command") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = Array(argv.dropFirst())
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw DDNSError("cannot run \(program): \(error)")
        }
        let limit = commandTimeout
        let killer = Task {
            try await Task.sleep(for: limit)
            if process.isRunning { process.terminate() }
        }
        // Read to EOF off the cooperative pool: the pipe read blocks.
        let data: Data = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let d = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: d)
            }
        }
        killer.cancel()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw DDNSError("\(program) failed (status \(process.terminationStatus))")
        }
        return String(decoding: data.prefix(1 << 20), as: UTF8.self)
    }
}
