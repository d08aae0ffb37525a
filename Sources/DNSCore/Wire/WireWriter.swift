// SPDX-License-Identifier: Apache-2.0

import NIOCore

/// Writes DNS wire format into a `ByteBuffer`, with optional name compression.
///
/// Offsets in compression pointers are relative to ``messageStart``, the
/// buffer position where the message began.
public struct WireWriter {
    /// How names are written.
    public enum Mode: Sendable {
        /// Message form: names in RFC 1035 types may be compressed.
        case message
        /// No compression at all (RDATA stored on its own, TSIG/EDNS digests).
        case uncompressed
        /// RFC 4034 §6.2 canonical form: no compression, and the names of the
        /// types listed there lower-cased.
        case canonical
    }

    public var buffer: ByteBuffer
    public let messageStart: Int
    public var mode: Mode
    var compression = CompressionTable()

    public init(buffer: ByteBuffer = ByteBuffer(), mode: Mode = .message) {
        self.buffer = buffer
        self.messageStart = buffer.writerIndex
        self.mode = mode
    }

    public init(capacity: Int, mode: Mode = .message) {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(capacity)
        self.init(buffer: buffer, mode: mode)
    }

    /// Octets written since the message start.
    @inlinable public var count: Int { self.buffer.writerIndex - self.messageStart }

    /// The written octets as an array.
    public var bytes: [UInt8] {
        self.buffer.getBytes(at: self.messageStart, length: self.count) ?? []
    }

    public mutating func writeUInt8(_ value: UInt8) { self.buffer.writeInteger(value) }
    public mutating func writeUInt16(_ value: UInt16) { self.buffer.writeInteger(value) }
    public mutating func writeUInt32(_ value: UInt32) { self.buffer.writeInteger(value) }

    /// Writes the low 48 bits (RRSIG/TSIG time fields).
    public mutating func writeUInt48(_ value: UInt64) {
        self.buffer.writeInteger(UInt16(truncatingIfNeeded: value >> 32))
        self.buffer.writeInteger(UInt32(truncatingIfNeeded: value))
    }

    public mutating func writeBytes(_ bytes: some Sequence<UInt8>) { self.buffer.writeBytes(bytes) }

    /// Writes a <character-string>. Callers ensure it is at most 255 octets.
    public mutating func writeCharacterString(_ bytes: some Collection<UInt8>) {
        self.buffer.writeInteger(UInt8(truncatingIfNeeded: bytes.count))
        self.buffer.writeBytes(bytes)
    }

    /// Reserves a 16-bit length field and returns its position for ``patchUInt16(_:at:)``.
    public mutating func reserveUInt16() -> Int {
        let at = self.buffer.writerIndex
        self.buffer.writeInteger(UInt16(0))
        return at
    }

    /// Writes `value` at an absolute buffer index returned by ``reserveUInt16()``.
    public mutating func patchUInt16(_ value: UInt16, at index: Int) {
        self.buffer.setInteger(value, at: index)
    }

    /// Truncates back to `count` octets after the message start (rolls back a
    /// partly written record or RRset).
    public mutating func rollback(to count: Int) {
        self.buffer.moveWriterIndex(to: self.messageStart + count)
        self.compression.forget(atOrAfter: count)
    }

    /// Whether the next names may be compressed in ``Mode/message`` mode.
    /// ``RDATA/write(to:)`` sets it from the record type (RFC 3597 §4: only
    /// the RFC 1035 types); owner and question names are always compressible.
    public var namesCompressible = true
    /// Whether the next names are lower-cased in ``Mode/canonical`` mode;
    /// ``RDATA/write(to:)`` sets it from the record type (RFC 4034 §6.2, RFC 6840 §5.1).
    public var namesLowercasedInCanonicalForm = true

    /// Writes a name, compressed or lower-cased as ``mode`` and the current
    /// record type allow.
    public mutating func writeName(_ name: DomainName) {
        switch self.mode {
        case .uncompressed:
            self.buffer.writeBytes(name.wire)
        case .canonical:
            self.buffer.writeBytes(self.namesLowercasedInCanonicalForm ? name.lowercased().wire : name.wire)
        case .message:
            if self.namesCompressible {
                self.writeCompressed(name)
            } else {
                // Still remember where its labels are, so later names can point here.
                let start = self.count
                self.buffer.writeBytes(name.wire)
                self.compression.remember(name, at: start, writer: self)
            }
        }
    }

    private mutating func writeCompressed(_ name: DomainName) {
        let start = self.count
        if let (labelOffset, pointer) = self.compression.longestMatch(for: name, writer: self) {
            self.buffer.writeBytes(name.wire[0..<labelOffset])
            self.buffer.writeInteger(0xC000 | pointer)
        } else {
            self.buffer.writeBytes(name.wire)
        }
        self.compression.remember(name, at: start, writer: self)
    }

    /// Reads the octet at a message offset (for verifying compression matches).
    func byte(at messageOffset: Int) -> UInt8? {
        self.buffer.getInteger(at: self.messageStart + messageOffset, as: UInt8.self)
    }
}

/// Suffix → offset map for name compression.
///
/// Keys are hashes of the lower-cased suffix; a hit is verified against the
/// octets already in the message, so a hash collision or a stale entry after
/// a rollback can never produce a wrong pointer — at worst no compression.
struct CompressionTable {
    private var offsets: [Int: UInt16] = [:]

    /// Hash of each suffix of `name`, leftmost suffix first, with its label offset.
    private static func suffixHashes(_ name: DomainName) -> [(labelOffset: Int, hash: Int)] {
        let starts = name.labelOffsets
        var result = [(labelOffset: Int, hash: Int)](repeating: (0, 0), count: starts.count)
        var running: UInt64 = 0xcbf2_9ce4_8422_2325
        var k = starts.count - 1
        while k >= 0 {
            let start = starts[k]
            let length = Int(name.wire[start])
            running = (running ^ UInt64(length)) &* 0x100_0000_01b3
            for i in (start + 1)..<(start + 1 + length) {
                running = (running ^ UInt64(asciiLower(name.wire[i]))) &* 0x100_0000_01b3
            }
            result[k] = (start, Int(truncatingIfNeeded: running))
            k -= 1
        }
        return result
    }

    func longestMatch(for name: DomainName, writer: WireWriter) -> (Int, UInt16)? {
        guard !self.offsets.isEmpty, !name.isRoot else { return nil }
        for (labelOffset, hash) in Self.suffixHashes(name) {
            if let target = self.offsets[hash], Int(target) < writer.count,
                Self.matches(name, from: labelOffset, at: Int(target), writer: writer)
            {
                return (labelOffset, target)
            }
        }
        return nil
    }

    mutating func forget(atOrAfter count: Int) {
        self.offsets = self.offsets.filter { Int($0.value) < count }
    }

    mutating func remember(_ name: DomainName, at start: Int, writer: WireWriter) {
        for (labelOffset, hash) in Self.suffixHashes(name) {
            let at = start + labelOffset
            guard at < 0x4000 else { return }
            if self.offsets[hash] == nil {
                self.offsets[hash] = UInt16(at)
            }
        }
    }

    /// True when the name written at message offset `target` equals the
    /// suffix of `name` from `labelOffset` (case-insensitive).
    private static func matches(_ name: DomainName, from labelOffset: Int, at target: Int, writer: WireWriter) -> Bool {
        var i = labelOffset
        var position = target
        var hops = 0
        while true {
            guard let length = writer.byte(at: position) else { return false }
            if length & 0xC0 == 0xC0 {
                guard let low = writer.byte(at: position + 1) else { return false }
                let next = Int(length & 0x3F) << 8 | Int(low)
                hops += 1
                guard next < position, hops < WireLimits.maxCompressionPointers else { return false }
                position = next
                continue
            }
            guard length & 0xC0 == 0, length == name.wire[i] else { return false }
            if length == 0 { return true }
            for k in 1...Int(length) {
                guard let b = writer.byte(at: position + k), asciiLower(b) == asciiLower(name.wire[i + k]) else {
                    return false
                }
            }
            i += Int(length) + 1
            position += Int(length) + 1
        }
    }
}
