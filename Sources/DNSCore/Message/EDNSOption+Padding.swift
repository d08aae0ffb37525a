// SPDX-License-Identifier: Apache-2.0

import NIOCore

extension EDNSOption {
    /// The Padding option (RFC 7830 §3): octets that should be zero, sent to
    /// hide the message length on encrypted transports.
    public struct Padding: Sendable, Hashable {
        public var length: Int

        public init(length: Int) { self.length = max(0, min(length, 65535)) }

        /// Decodes a Padding option. RFC 7830 §3: senders use zeros, but
        /// receivers must accept any content, so only the length is kept.
        public init(_ option: EDNSOption) throws(DNSWireError) {
            guard option.code == .padding else { throw DNSWireError.badValue.at(0, "not a Padding option") }
            self.length = option.data.count
        }

        public var option: EDNSOption { EDNSOption(code: .padding, data: [UInt8](repeating: 0, count: self.length)) }

        /// RFC 8467 §4.1 recommended block sizes: queries to 128 octets, responses to 468.
        public static let queryBlockSize = 128
        public static let responseBlockSize = 468

        /// The padding that makes a message of `messageLength` octets (with its
        /// OPT record but without this option) a multiple of `blockSize`,
        /// counting the option's own 4 octets (RFC 8467 §4.1 block-length
        /// padding). Never pads past `maxSize`; nil when even an empty option
        /// would not fit.
        public static func toBlock(
            messageLength: Int, blockSize: Int, maxSize: Int = 65535
        ) -> Padding? {
            let withHeader = messageLength + 4
            guard withHeader <= maxSize else { return nil }
            let block = max(1, blockSize)
            let pad = (block - withHeader % block) % block
            return Padding(length: min(pad, maxSize - withHeader))
        }
    }
}

extension EDNS {
    /// The Padding option, nil when absent.
    public var padding: EDNSOption.Padding? {
        self.option(.padding).map { EDNSOption.Padding(length: $0.data.count) }
    }
}

extension DNSMessage {
    /// Replaces any Padding option so that the encoded message is a multiple
    /// of `blockSize` octets (RFC 8467 §4.1), without exceeding `maxSize`.
    /// Does nothing without EDNS.
    public mutating func pad(toBlockSize blockSize: Int, maxSize: Int = 65535) {
        guard self.edns != nil else { return }
        self.edns?.removeOptions(.padding)
        let length = self.serialize(maxSize: maxSize).readableBytes
        if let padding = EDNSOption.Padding.toBlock(messageLength: length, blockSize: blockSize, maxSize: maxSize) {
            self.edns?.options.append(padding.option)
        }
    }
}
