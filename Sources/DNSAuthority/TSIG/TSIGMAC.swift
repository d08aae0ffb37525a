// SPDX-License-Identifier: Apache-2.0

import Crypto
import DNSCore
// swift-crypto's HMAC takes `DataProtocol`, which FoundationEssentials declares
// (the small core, not Foundation proper).
import FoundationEssentials
import NIOCore

/// An HMAC being computed over the parts of a TSIG digest (RFC 8945 §4.3),
/// fed piece by piece so that no copy of the message is made.
struct TSIGMAC {
    private enum State {
        case md5(HMAC<Insecure.MD5>)
        case sha1(HMAC<Insecure.SHA1>)
        case sha256(HMAC<SHA256>)
        case sha384(HMAC<SHA384>)
        case sha512(HMAC<SHA512>)
    }
    private var state: State

    init(algorithm: TSIGAlgorithm, secret: [UInt8]) {
        let key = SymmetricKey(data: secret)
        switch algorithm.kind {
        case .md5: self.state = .md5(HMAC(key: key))
        case .sha1: self.state = .sha1(HMAC(key: key))
        case .sha256: self.state = .sha256(HMAC(key: key))
        case .sha384: self.state = .sha384(HMAC(key: key))
        case .sha512: self.state = .sha512(HMAC(key: key))
        }
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch self.state {
        case .md5(var h):
            h.update(data: bytes)
            self.state = .md5(h)
        case .sha1(var h):
            h.update(data: bytes)
            self.state = .sha1(h)
        case .sha256(var h):
            h.update(data: bytes)
            self.state = .sha256(h)
        case .sha384(var h):
            h.update(data: bytes)
            self.state = .sha384(h)
        case .sha512(var h):
            h.update(data: bytes)
            self.state = .sha512(h)
        }
    }

    mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { self.update($0) }
    }

    /// Feeds `length` octets of `buffer` from `offset` (relative to its reader index).
    mutating func update(_ buffer: ByteBuffer, offset: Int, length: Int) {
        guard length > 0 else { return }
        buffer.withUnsafeReadableBytes { raw in
            let end = min(raw.count, offset + length)
            guard offset < end else { return }
            self.update(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
        }
    }

    /// The full MAC.
    func finalize() -> [UInt8] {
        switch self.state {
        case .md5(let h): Array(h.finalize())
        case .sha1(let h): Array(h.finalize())
        case .sha256(let h): Array(h.finalize())
        case .sha384(let h): Array(h.finalize())
        case .sha512(let h): Array(h.finalize())
        }
    }

    /// Compares the first `received.count` octets of `computed` with `received`
    /// in time independent of where they differ.
    static func matches(computed: [UInt8], received: [UInt8]) -> Bool {
        guard !received.isEmpty, received.count <= computed.count else { return false }
        var difference: UInt8 = 0
        for i in received.indices { difference |= computed[i] ^ received[i] }
        return difference == 0
    }
}
