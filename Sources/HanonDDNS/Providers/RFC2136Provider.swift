// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSTransport
import NIOCore
import NIOPosix

/// A dynamic update (RFC 2136) signed with TSIG (RFC 8945), sent over TCP to the zone's primary
/// (BIND, Knot, hanon…): for each family, delete the name's RRset and add the new address
/// (RFC 2136 §2.5.2, §2.5.1), in one message so the change is atomic (RFC 2136 §3.4.2).
public struct RFC2136Provider: DDNSProvider {
    public let server: SocketAddress
    public let zone: DomainName
    public let key: TSIGKey?
    public let ttl: UInt32
    public let timeout: Duration
    let group: any EventLoopGroup

    public init(
        server: SocketAddress, zone: DomainName, key: TSIGKey?, ttl: UInt32 = 300, timeout: Duration = .seconds(10),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.server = server
        self.zone = zone
        self.key = key
        self.ttl = ttl
        self.timeout = timeout
        self.group = eventLoopGroup
    }

    public var label: String { "rfc2136 \(server)" + (key.map { " key \($0.name)" } ?? "") }

    public func update(name: String, addresses: RecordAddresses) async -> ProviderOutcome {
        guard let owner = try? DomainName(name.hasSuffix(".") ? name : name + ".") else {
            return .permanentError("'\(name)' is not a domain name")
        }
        guard owner.isSubdomain(of: zone) else { return .permanentError("\(name) is not in zone \(zone)") }
        var message = Self.message(zone: zone, owner: owner, addresses: addresses, ttl: ttl)
        message.header.id = UInt16.random(in: .min ... .max)
        var wire = message.serialize()
        var context: TSIGContext?
        if let key { context = TSIG.signRequest(&wire, key: key, now: TSIG.currentTime()) }
        let reply: ByteBuffer
        do {
            reply = try await TCPExchange.exchange(wire, server: server, timeout: timeout, group: group)
        } catch {
            return .temporaryError("\(server): \(error)")
        }
        guard let response = try? DNSMessage(wire: reply), response.header.id == message.header.id,
            response.header.isResponse
        else { return .temporaryError("\(server) sent a malformed response") }
        if let context {
            if case .failed(let error, let reason) = TSIG.verifyResponse(
                reply, context: context, now: TSIG.currentTime())
            {
                // BADTIME is a clock problem that may pass; a bad key or signature is not.
                return error == TSIG.badTime
                    ? .temporaryError("TSIG \(error): \(reason)") : .permanentError("TSIG \(error): \(reason)")
            }
        }
        let text = addresses.all.map(\.description).joined(separator: ", ")
        switch response.rcode {
        case .noError: return .updated("\(name) \(text)")
        case .servFail: return .temporaryError("SERVFAIL from \(server)")
        case TSIG.badTime: return .temporaryError("BADTIME from \(server): check the clocks")
        default: return .permanentError("\(response.rcode) from \(server)")
        }
    }

    /// The UPDATE message (RFC 2136 §2): zone section = the zone's SOA, no prerequisites, and
    /// per family a delete-RRset (class ANY, TTL 0, empty RDATA) and an add.
    public static func message(zone: DomainName, owner: DomainName, addresses: RecordAddresses, ttl: UInt32)
        -> DNSMessage
    {
        var header = Header(id: 0)
        header.opcode = .update
        var updates: [ResourceRecord] = []
        if let v4 = addresses.v4, let a = try? IPv4Address(bytes: v4.bytes) {
            updates.append(
                ResourceRecord(name: owner, dnsClass: .any, ttl: 0, rdata: .unknown(.a, RDATA.Opaque(bytes: []))))
            updates.append(ResourceRecord(name: owner, ttl: ttl, rdata: .a(RDATA.A(a))))
        }
        if let v6 = addresses.v6, let a = try? IPv6Address(bytes: v6.bytes) {
            updates.append(
                ResourceRecord(name: owner, dnsClass: .any, ttl: 0, rdata: .unknown(.aaaa, RDATA.Opaque(bytes: []))))
            updates.append(ResourceRecord(name: owner, ttl: ttl, rdata: .aaaa(RDATA.AAAA(a))))
        }
        return DNSMessage(
            header: header, questions: [Question(name: zone, type: .soa, dnsClass: .in)], authorities: updates,
            edns: nil)
    }
}
