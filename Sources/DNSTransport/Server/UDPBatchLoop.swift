// SPDX-License-Identifier: Apache-2.0

#if os(Linux)
    import Glibc
    import NIOCore
    import NIOPosix
    import Synchronization

    /// The UDP hot path without NIO (``DNSServerConfiguration/UDPEngine/recvmmsg``):
    /// one thread per socket, blocked in `recvmmsg` until datagrams come,
    /// taking up to ``DNSServerConfiguration/udpVectorReadCount`` of them at
    /// once into buffers allocated when the thread starts, answering each
    /// through the handler and sending all replies with one `sendmmsg`
    /// (RFC 1035 §4.2.1: one datagram in, at most one out).
    ///
    /// Per datagram nothing is allocated here: the request is a slice of the
    /// thread's receive buffer, the client's address stays a
    /// ``DNSPeerAddress`` (no `SocketAddress`, no text), and replies are
    /// copied into the thread's send area. Datagrams shorter than a DNS header
    /// are dropped, longer than the buffer slot reach the handler cut to it
    /// (`MSG_TRUNC`), and replies over 65535 octets are dropped, as on the NIO
    /// path.
    struct UDPBatchLoop<Handler: DNSRequestHandler>: Sendable {
        let socket: UDPBatchSocket
        let handler: Handler
        /// Datagrams per `recvmmsg`.
        let batch: Int
        /// Octets per received datagram.
        let slot: Int
        let stopping: UDPBatchThreads.StopFlag

        /// Replies up to this size are batched; longer ones (rare: UDP
        /// answers are capped by the client's EDNS size) are sent at once.
        static var replySlot: Int { 4096 }

        func run() {
            guard let calls = UDPMultiMessage.calls else { return }
            let buffers = Buffers(batch: self.batch, replySlot: Self.replySlot)
            var receive = ByteBufferAllocator().buffer(capacity: self.batch * self.slot)
            receive.writeRepeatingByte(0, count: self.batch * self.slot)
            let answersLater = self.handler.answersLater
            // Headers the kernel wrote in the last receive (all, the first time).
            var written = self.batch
            let spare = DNSReplyBuffer()
            while !self.stopping.isSet {
                let count = receive.withUnsafeMutableReadableBytes { bytes -> CInt in
                    guard let base = bytes.baseAddress else { return -1 }
                    buffers.prepareReceive(into: base, slot: self.slot, written: written)
                    return calls.receive(
                        self.socket.fd, buffers.receiveHeaders, CUnsignedInt(self.batch), UDPMultiMessage.waitForOne,
                        nil)
                }
                if count < 0 {
                    switch errno {
                    case EBADF, ENOTSOCK, EFAULT, EINVAL: return
                    default: continue  // EINTR, EAGAIN (the receive timeout), transient errors
                    }
                }
                written = count > 0 ? Int(count) : 0
                if self.stopping.isSet { return }
                if count >= 2 { self.prefetch(Int(count), buffers: buffers, receive: receive) }
                var pending = 0
                for index in 0..<Int(count) {
                    guard let received = buffers.received(index, slot: self.slot),
                        received.length >= UDPListenerHandler<Handler>.minimumRequestSize,
                        let request = receive.getSlice(at: index * self.slot, length: received.length)
                    else { continue }
                    var context = DNSRequestContext(peer: received.peer, local: self.socket.local, transport: .udp)
                    if answersLater { context.udpResponder = DNSUDPResponder(socket: self.socket, peer: received.peer) }
                    context.replyBuffer = spare
                    guard let reply = self.handler.handle(request, context: context),
                        reply.readableBytes <= UDPListenerHandler<Handler>.maximumResponseSize
                    else { continue }
                    if reply.readableBytes <= Self.replySlot {
                        buffers.queueReply(reply, slot: pending, to: index)
                        pending += 1
                    } else {
                        buffers.sendAlone(reply, to: index, fd: self.socket.fd)
                    }
                    spare.keep(reply)
                }
                buffers.sendQueued(pending, fd: self.socket.fd, calls: calls)
            }
        }
    }

    extension UDPBatchLoop {
        /// Shows the batch to the handler (``DNSRequestHandler/prefetch(_:)``).
        private func prefetch(_ count: Int, buffers: Buffers, receive: ByteBuffer) {
            receive.withUnsafeReadableBytes { bytes in
                guard let base = bytes.baseAddress else { return }
                withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { lengths in
                    for index in 0..<count { lengths[index] = min(buffers.length(index), self.slot) }
                    self.handler.prefetch(
                        DNSDatagramBatch(base: base, slot: self.slot, lengths: UnsafeBufferPointer(lengths)))
                }
            }
        }
    }

    /// One thread's preallocated `mmsghdr`s, `iovec`s, client addresses and
    /// reply area, freed when the thread ends.
    private final class Buffers {
        let batch: Int
        let replySlot: Int
        let stride = UDPMultiMessage.headerStride
        let receiveHeaders: UnsafeMutableRawPointer
        let sendHeaders: UnsafeMutableRawPointer
        let receiveVectors: UnsafeMutablePointer<iovec>
        let sendVectors: UnsafeMutablePointer<iovec>
        let names: UnsafeMutablePointer<sockaddr_storage>
        let replies: UnsafeMutableRawPointer

        init(batch: Int, replySlot: Int) {
            self.batch = batch
            self.replySlot = replySlot
            let alignment = MemoryLayout<msghdr>.alignment
            self.receiveHeaders = .allocate(byteCount: batch * self.stride, alignment: alignment)
            self.receiveHeaders.initializeMemory(as: UInt8.self, repeating: 0, count: batch * self.stride)
            self.sendHeaders = .allocate(byteCount: batch * self.stride, alignment: alignment)
            self.sendHeaders.initializeMemory(as: UInt8.self, repeating: 0, count: batch * self.stride)
            self.receiveVectors = .allocate(capacity: batch)
            self.receiveVectors.initialize(repeating: iovec(), count: batch)
            self.sendVectors = .allocate(capacity: batch)
            self.sendVectors.initialize(repeating: iovec(), count: batch)
            self.names = .allocate(capacity: batch)
            self.names.initialize(repeating: sockaddr_storage(), count: batch)
            self.replies = .allocate(byteCount: batch * replySlot, alignment: 16)
        }

        deinit {
            self.receiveHeaders.deallocate()
            self.sendHeaders.deallocate()
            self.receiveVectors.deallocate()
            self.sendVectors.deallocate()
            self.names.deallocate()
            self.replies.deallocate()
        }

        private func header(_ base: UnsafeMutableRawPointer, _ index: Int) -> UnsafeMutablePointer<msghdr> {
            (base + index * self.stride).assumingMemoryBound(to: msghdr.self)
        }

        /// The receive area the headers point into (it moves only when a
        /// handler kept a request, so that the area was copied on write).
        private var preparedBase: UnsafeMutableRawPointer? = nil

        /// Points header `i` at slot `i` of `base` and at name `i`. Runs
        /// before each receive: the kernel overwrote the name lengths and
        /// flags of the first `written` headers, which are reset; the rest is
        /// set again only when the area moved (not per datagram: at a
        /// datagram per call, setting every header cost ~600 instructions).
        func prepareReceive(into base: UnsafeMutableRawPointer, slot: Int, written: Int) {
            if base == self.preparedBase {
                for index in 0..<min(written, self.batch) {
                    let header = self.header(self.receiveHeaders, index)
                    header.pointee.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                    header.pointee.msg_flags = 0
                }
                return
            }
            self.preparedBase = base
            for index in 0..<self.batch {
                self.receiveVectors[index] = iovec(iov_base: base + index * slot, iov_len: slot)
                let header = self.header(self.receiveHeaders, index)
                header.pointee.msg_name = UnsafeMutableRawPointer(self.names + index)
                header.pointee.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
                header.pointee.msg_iov = self.receiveVectors + index
                header.pointee.msg_iovlen = 1
                header.pointee.msg_control = nil
                header.pointee.msg_controllen = 0
                header.pointee.msg_flags = 0
            }
        }

        /// The length the kernel gave datagram `index` of the last receive.
        func length(_ index: Int) -> Int {
            Int(
                (self.receiveHeaders + index * self.stride)
                    .load(fromByteOffset: UDPMultiMessage.lengthOffset, as: CUnsignedInt.self))
        }

        /// Datagram `index` of the last receive: its length within the slot
        /// (the kernel cuts a longer one and sets MSG_TRUNC) and its sender.
        func received(_ index: Int, slot: Int) -> (length: Int, peer: DNSPeerAddress)? {
            let header = self.header(self.receiveHeaders, index)
            let length = (self.receiveHeaders + index * self.stride)
                .load(fromByteOffset: UDPMultiMessage.lengthOffset, as: CUnsignedInt.self)
            guard
                let peer = DNSPeerAddress(
                    UnsafeRawPointer(self.names + index), length: Int(header.pointee.msg_namelen))
            else { return nil }
            return (min(Int(length), slot), peer)
        }

        /// Copies `reply` into reply slot `slot`, addressed to the sender of
        /// datagram `index`.
        func queueReply(_ reply: ByteBuffer, slot: Int, to index: Int) {
            let target = self.replies + slot * self.replySlot
            let length = reply.withUnsafeReadableBytes { bytes -> Int in
                if let source = bytes.baseAddress { target.copyMemory(from: source, byteCount: bytes.count) }
                return bytes.count
            }
            self.sendVectors[slot] = iovec(iov_base: target, iov_len: length)
            let header = self.header(self.sendHeaders, slot)
            header.pointee.msg_name = UnsafeMutableRawPointer(self.names + index)
            header.pointee.msg_namelen = self.header(self.receiveHeaders, index).pointee.msg_namelen
            header.pointee.msg_iov = self.sendVectors + slot
            header.pointee.msg_iovlen = 1
            header.pointee.msg_control = nil
            header.pointee.msg_controllen = 0
            header.pointee.msg_flags = 0
        }

        /// Sends the first `count` queued replies, in as few `sendmmsg`
        /// calls as errors allow: a reply the kernel refuses (say, no route
        /// to a spoofed source) is skipped, not retried.
        func sendQueued(_ count: Int, fd: CInt, calls: UDPMultiMessage) {
            var start = 0
            while start < count {
                let sent = calls.send(
                    fd, self.sendHeaders + start * self.stride, CUnsignedInt(count - start), 0)
                if sent > 0 {
                    start += Int(sent)
                } else if sent < 0 && errno == EINTR {
                    continue
                } else {
                    start += 1
                }
            }
        }

        /// Sends a reply too long for a reply slot with its own `sendto`.
        func sendAlone(_ reply: ByteBuffer, to index: Int, fd: CInt) {
            let nameLength = self.header(self.receiveHeaders, index).pointee.msg_namelen
            let name = UnsafeRawPointer(self.names + index).assumingMemoryBound(to: sockaddr.self)
            _ = reply.withUnsafeReadableBytes { bytes in
                sendto(fd, bytes.baseAddress, bytes.count, 0, name, nameLength)
            }
        }
    }

    /// The threads of the UDP loops, one per socket, and how they stop.
    final class UDPBatchThreads: Sendable {
        /// Set once at shutdown; each loop checks it after every receive.
        final class StopFlag: Sendable {
            private let value = Atomic<Bool>(false)
            var isSet: Bool { self.value.load(ordering: .relaxed) }
            func set() { self.value.store(true, ordering: .relaxed) }
        }

        let sockets: [UDPBatchSocket]
        private let pool: NIOThreadPool
        private let stopping = StopFlag()

        /// Starts one thread per socket, each serving it with `handler`.
        init<Handler: DNSRequestHandler>(
            sockets: [UDPBatchSocket], handler: Handler, configuration: DNSServerConfiguration
        ) {
            self.sockets = sockets
            self.pool = NIOThreadPool(numberOfThreads: max(sockets.count, 1))
            self.pool.start()
            for socket in sockets {
                let loop = UDPBatchLoop(
                    socket: socket, handler: handler, batch: configuration.udpVectorReadCount,
                    slot: configuration.maxUDPRequestSize, stopping: self.stopping)
                self.pool.submit { state in
                    guard state == .active else { return }
                    loop.run()
                }
            }
        }

        /// Stops every loop, waits for its thread to end, then closes the sockets.
        func stop() async {
            self.stopping.set()
            for socket in self.sockets { socket.wake() }
            try? await self.pool.shutdownGracefully()
            for socket in self.sockets { socket.close() }
        }
    }
#endif
