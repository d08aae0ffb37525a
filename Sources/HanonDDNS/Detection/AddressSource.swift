// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Where hanon learns the address of one family (`[ddns.ipv4]`, `[ddns.ipv6]`).
public enum AddressSource: Hashable, Sendable, CustomStringConvertible {
    /// The addresses of a local interface (getifaddrs), by name: `eth0`.
    case interface(String)
    /// The first address in a web page fetched over verified HTTPS, after `skip` when given
    /// (ddclient's `web` and `web-skip`).
    case web(HTTPSURL, skip: String?)
    /// The answer to a DNS query sent to a given server, as `dig myip.opendns.com A
    /// @resolver1.opendns.com`: the address of an A or AAAA answer, or an address in a TXT answer.
    case dns(name: DomainName, type: RecordType, server: String, port: Int)
    /// The addresses printed by a command (program and arguments, run without a shell).
    case command([String])
    /// Each source in turn until one gives an address that may be published.
    indirect case firstOf([AddressSource])

    public var description: String {
        switch self {
        case .interface(let name): "interface \(name)"
        case .web(let url, let skip): "web \(url)" + (skip.map { " after '\($0)'" } ?? "")
        case .dns(let name, let type, let server, let port): "DNS \(name) \(type) @\(server)#\(port)"
        case .command(let argv): "command \(argv.joined(separator: " "))"
        case .firstOf(let list): list.map(\.description).joined(separator: ", then ")
        }
    }
}
