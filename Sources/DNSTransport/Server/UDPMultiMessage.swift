// SPDX-License-Identifier: Apache-2.0

#if os(Linux)
    import Glibc

    /// Linux's `recvmmsg(2)` and `sendmmsg(2)`: many datagrams per system call.
    ///
    /// Swift's Glibc module does not import them (they need `_GNU_SOURCE`),
    /// nor `struct mmsghdr`, so the functions are looked up once with
    /// `dlsym` and the headers are laid out by hand: a `msghdr` followed by
    /// the `unsigned int msg_len`, padded to the alignment of `msghdr`
    /// (64 octets on 64-bit Linux), exactly as `<sys/socket.h>` declares it.
    struct UDPMultiMessage: @unchecked Sendable {
        typealias ReceiveCall =
            @convention(c) (
                CInt, UnsafeMutableRawPointer?, CUnsignedInt, CInt, UnsafeMutableRawPointer?
            ) -> CInt
        typealias SendCall = @convention(c) (CInt, UnsafeMutableRawPointer?, CUnsignedInt, CInt) -> CInt

        let receive: ReceiveCall
        let send: SendCall

        /// The C library's functions, or nil when it has none (then the
        /// server uses NIO's datagram path).
        static let calls: UDPMultiMessage? = {
            guard let library = dlopen(nil, RTLD_LAZY),
                let receive = dlsym(library, "recvmmsg"),
                let send = dlsym(library, "sendmmsg")
            else { return nil }
            return UDPMultiMessage(
                receive: unsafeBitCast(receive, to: ReceiveCall.self), send: unsafeBitCast(send, to: SendCall.self))
        }()

        /// `sizeof(struct mmsghdr)`.
        static var headerStride: Int {
            let size = MemoryLayout<msghdr>.size + MemoryLayout<CUnsignedInt>.size
            let alignment = MemoryLayout<msghdr>.alignment
            return (size + alignment - 1) / alignment * alignment
        }
        /// `offsetof(struct mmsghdr, msg_len)`.
        static var lengthOffset: Int { MemoryLayout<msghdr>.size }

        /// `MSG_WAITFORONE`: block for the first datagram only, then take
        /// what is queued (Linux 2.6.34).
        static var waitForOne: CInt { 0x10000 }
    }
#endif
