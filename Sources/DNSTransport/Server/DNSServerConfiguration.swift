// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// How a ``DNSServer`` listens. The defaults follow what NSD, Knot and BIND
/// ship with.
public struct DNSServerConfiguration: Sendable {
    /// Every address to serve on, UDP and TCP each. IPv6 sockets are
    /// IPv6-only (IPV6_V6ONLY), so `[::]:53` and `0.0.0.0:53` coexist.
    ///
    /// Port 0 asks the system for a free port. All listeners given port 0
    /// share the one port chosen for the first of them (UDP and TCP alike),
    /// so a client can retry a truncated answer over TCP on the same port.
    public var listenAddresses: [SocketAddress]
    /// Event loop threads; each serves UDP on its own socket (SO_REUSEPORT
    /// lets the kernel spread datagrams across them) and takes its share of
    /// TCP connections. Default: one per core.
    public var threads: Int
    /// Serve UDP (default true).
    public var udp: Bool = true
    /// Serve TCP (default true). RFC 7766 §5 requires TCP of every
    /// authoritative server.
    public var tcp: Bool = true
    /// How UDP is read and answered (default ``UDPEngine/recvmmsg`` on
    /// Linux). TCP is always served through NIO.
    public var udpEngine: UDPEngine = .recvmmsg
    /// Datagrams taken per `recvmmsg` call (default 64), by either engine.
    /// Measured here: 16–32 brings NIO within 3 % of NSD's per-core rate
    /// (SWIFT-NOTES); for the `recvmmsg` loop 64 beat 32 (fewer system calls
    /// and wake-ups, larger batches to prefetch: 4.34 against 4.68 µs of CPU
    /// a query, `bench/query-cpu.sh`) and 128 (4.61 µs).
    public var udpVectorReadCount: Int = 64
    /// Largest UDP request read whole (default 4096 octets). A longer
    /// datagram reaches the handler cut to this size (with either engine), which then fails to
    /// parse; DNS queries are far shorter (RFC 6891 §6.2.5).
    public var maxUDPRequestSize: Int = 4096
    /// SO_RCVBUF for each UDP socket (default 4 MiB; the kernel caps it at
    /// `net.core.rmem_max`), so bursts are not dropped while a thread is busy.
    public var udpReceiveBufferSize: Int = 4 << 20
    /// A TCP connection with no complete request for this long is closed
    /// (RFC 7766 §6.2.3; default 10 s, NSD's `tcp-timeout` default is 120 s,
    /// Knot's `tcp-idle-timeout` 10 s). Counted from the last complete
    /// request, so a client trickling bytes cannot hold it open.
    public var tcpIdleTimeout: Duration = .seconds(10)
    /// Open TCP connections allowed across all TCP listeners' threads, per
    /// listen address (default 256). A connection beyond it is closed at
    /// once, before anything is read (RFC 7766 §6.2.2 lets a server do so).
    public var maxTCPConnections: Int = 256
    /// Pending connections the kernel queues before accept (default 256).
    public var tcpBacklog: Int = 256
    /// How long ``DNSServer/shutdown()`` waits for TCP responses already
    /// written to reach their clients before closing the connections
    /// anyway (default 5 s).
    public var shutdownGracePeriod: Duration = .seconds(5)

    public init(listenAddresses: [SocketAddress], threads: Int = System.coreCount) {
        self.listenAddresses = listenAddresses
        self.threads = threads
    }

    /// Parses a listen address as written in configuration: `192.0.2.1:53`,
    /// `[2001:db8::1]:53`, `0.0.0.0`, `::` or `[::]` (then `defaultPort`).
    /// Host names are not accepted: a server binds addresses.
    public static func parseListenAddress(_ text: String, defaultPort: Int = 53) throws(DNSServerError) -> SocketAddress
    {
        var host = Substring(text)
        var port = defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw DNSServerError(.invalidConfiguration, detail: "missing ']' in listen address \(text)")
            }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let p = Int(rest.dropFirst()) else {
                    throw DNSServerError(.invalidConfiguration, detail: "bad port in listen address \(text)")
                }
                port = p
            }
        } else if host.filter({ $0 == ":" }).count == 1, let colon = host.firstIndex(of: ":") {
            guard let p = Int(host[host.index(after: colon)...]) else {
                throw DNSServerError(.invalidConfiguration, detail: "bad port in listen address \(text)")
            }
            port = p
            host = host[..<colon]
        }
        guard (0...65535).contains(port) else {
            throw DNSServerError(.invalidConfiguration, detail: "port out of range in listen address \(text)")
        }
        do {
            return try SocketAddress(ipAddress: String(host), port: port)
        } catch {
            throw DNSServerError(.invalidConfiguration, detail: "not an IP address: \(text)")
        }
    }
}

extension DNSServerConfiguration {
    /// The two ways the server serves UDP; both give the handler the same
    /// requests and context and drop the same datagrams.
    public enum UDPEngine: Sendable, Hashable, CustomStringConvertible {
        /// A thread per socket blocked in `recvmmsg(2)`, replies sent with
        /// one `sendmmsg(2)` per batch (``UDPBatchLoop``). Measured here it
        /// costs less CPU per datagram than NIO's channel (docs/benchmarks.md,
        /// "The listener alone"). Linux only; elsewhere it means ``nio``.
        case recvmmsg
        /// NIO's datagram channels on the event loop threads, as for TCP.
        case nio

        public var description: String {
            switch self {
            case .recvmmsg: "recvmmsg"
            case .nio: "nio"
            }
        }
    }
}

/// One bound socket group of a running ``DNSServer``.
public struct DNSListener: Sendable, Hashable, CustomStringConvertible {
    /// The bound address, with the actual port when port 0 was asked for.
    public var address: SocketAddress
    public var transport: DNSTransportProtocol

    public init(address: SocketAddress, transport: DNSTransportProtocol) {
        self.address = address
        self.transport = transport
    }

    /// `UDP 127.0.0.1:5300`, `TCP [::1]:5300`.
    public var description: String { "\(self.transport) \(Self.format(self.address))" }

    /// `127.0.0.1:53` or `[::1]:53`.
    public static func format(_ address: SocketAddress) -> String {
        let port = address.port.map { ":\($0)" } ?? ""
        switch address {
        case .v4: return "\(address.ipAddress ?? "?")\(port)"
        case .v6: return "[\(address.ipAddress ?? "?")]\(port)"
        case .unixDomainSocket: return "\(address)"
        }
    }
}
