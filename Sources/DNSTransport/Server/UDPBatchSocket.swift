// SPDX-License-Identifier: Apache-2.0

#if os(Linux)
    import Glibc
    import NIOCore
    import Synchronization

    /// One UDP socket of the ``UDPBatchLoop``, bound with the C library rather
    /// than NIO: SO_REUSEPORT when several threads serve one address, IPV6_V6ONLY
    /// for IPv6 (RFC 3493 §5.3), SO_RCVBUF, and SO_RCVTIMEO so that a thread
    /// blocked in `recvmmsg` looks at its stop flag at least twice a second even
    /// if the wake-up by `shutdown(2)` is missed.
    final class UDPBatchSocket: Sendable {
        let fd: CInt
        /// The bound address, with the actual port when port 0 was asked for.
        let local: SocketAddress
        /// Set by ``close()``; checked under the lock by ``send(_:to:)`` so a
        /// late deferred answer never writes to a descriptor number reused by
        /// another file.
        private let closed = Mutex<Bool>(false)

        /// How long a blocked receive waits before it checks the stop flag.
        static var receiveTimeout: timeval { timeval(tv_sec: 0, tv_usec: 500_000) }

        /// Creates and binds the socket; the error names the listener.
        init(
            binding address: SocketAddress, reusePort: Bool, receiveBufferSize: Int
        ) throws(DNSServerError) {
            let listener = DNSListener(address: address, transport: .udp).description
            let type = CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
            let fd = socket(address.protocol.rawValue, type, 0)
            guard fd >= 0 else { throw DNSServerError.binding(errno: errno, listener: listener) }
            func option(_ level: CInt, _ name: CInt, _ value: CInt) -> Bool {
                var value = value
                return setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<CInt>.size)) == 0
            }
            var timeout = Self.receiveTimeout
            var ok = true
            if reusePort { ok = ok && option(SOL_SOCKET, SO_REUSEPORT, CInt(1)) }
            if case .v6 = address { ok = ok && option(CInt(IPPROTO_IPV6), IPV6_V6ONLY, CInt(1)) }
            // Best effort: the kernel caps it at net.core.rmem_max, as for NIO.
            _ = option(SOL_SOCKET, SO_RCVBUF, CInt(clamping: receiveBufferSize))
            ok = ok && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size)) == 0
            let bound = ok && address.withSockAddr { pointer, length in bind(fd, pointer, socklen_t(length)) } == 0
            guard bound else {
                let code = errno
                _ = Glibc.close(fd)
                throw DNSServerError.binding(errno: code, listener: listener)
            }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            let peer = withUnsafeBytes(of: &storage) { bytes in
                bytes.baseAddress.flatMap { DNSPeerAddress($0, length: Int(length)) }
            }
            guard named == 0, let peer else {
                let code = errno
                _ = Glibc.close(fd)
                throw DNSServerError.binding(errno: code, listener: listener)
            }
            self.fd = fd
            self.local = peer.socketAddress
        }

        /// Wakes a thread blocked in `recvmmsg` on this socket: on Linux,
        /// `shutdown(2)` of a UDP socket makes pending and later receives return
        /// at once (it reports ENOTCONN, but wakes the waiters all the same).
        func wake() {
            self.closed.withLock { closed in
                guard !closed else { return }
                _ = shutdown(self.fd, CInt(SHUT_RDWR))
            }
        }

        /// Closes the descriptor (once); only after its thread has stopped.
        func close() {
            self.closed.withLock { closed in
                guard !closed else { return }
                closed = true
                _ = Glibc.close(self.fd)
            }
        }

        /// Sends one datagram to `peer` from any thread (a deferred answer,
        /// ``DNSUDPResponder``); dropped once the socket is closed. Errors
        /// (no route to a spoofed source, a full send buffer) drop the
        /// datagram, as the loop's own sends do.
        func send(_ reply: ByteBuffer, to peer: DNSPeerAddress) {
            let address = peer.socketAddress
            self.closed.withLock { closed in
                guard !closed else { return }
                _ = reply.withUnsafeReadableBytes { bytes in
                    address.withSockAddr { name, length in
                        sendto(self.fd, bytes.baseAddress, bytes.count, 0, name, socklen_t(length))
                    }
                }
            }
        }

        deinit { self.close() }
    }
#endif
