// SPDX-License-Identifier: Apache-2.0

/// The set of record types at a name, as NSEC (RFC 4034 §4.1.2), NSEC3
/// (RFC 5155 §3.2.1) and CSYNC (RFC 7477 §2.1.1.2) carry it.
///
/// On the wire the 65536 types are split into 256 windows of 256; each window
/// that has a type present is written as
///
///     WINDOW(8)  LENGTH(8)  BITMAP(LENGTH octets, 1..32)
///
/// in increasing window order; bit 0 of the first octet is type 0 of the window.
/// "Blocks with no types present MUST NOT be included. Trailing zero octets
/// in the bitmap MUST be omitted." Decoding enforces exactly that: windows
/// strictly increasing, lengths 1 to 32, no trailing zero octet, nothing left
/// over. Encoding is minimal by construction, so decode ∘ encode is the identity.
///
/// In presentation form it is a list of type mnemonics (`A MX RRSIG TYPE1234`),
/// in any order and with repeats on input, printed in increasing type order.
public struct TypeBitmap: Sendable, Hashable {
    /// The types present, sorted by value, without repeats.
    public private(set) var types: [RecordType]

    /// The empty set.
    public init() { self.types = [] }

    /// A set of the given types (sorted, repeats removed).
    public init(_ types: some Sequence<RecordType>) {
        var sorted = Array(types)
        sorted.sort()
        var unique: [RecordType] = []
        unique.reserveCapacity(sorted.count)
        for t in sorted where unique.last != t { unique.append(t) }
        self.types = unique
    }

    public var isEmpty: Bool { self.types.isEmpty }

    /// Whether `type` is in the set.
    public func contains(_ type: RecordType) -> Bool {
        var low = 0
        var high = self.types.count
        while low < high {
            let mid = (low + high) / 2
            if self.types[mid] < type {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low < self.types.count && self.types[low] == type
    }

    /// Adds `type` to the set.
    public mutating func insert(_ type: RecordType) {
        guard !self.contains(type) else { return }
        let index = self.types.firstIndex(where: { $0 > type }) ?? self.types.endIndex
        self.types.insert(type, at: index)
    }

    /// Reads window blocks up to the end of the reader's bound (the RDATA end).
    ///
    /// - Parameter allowEmpty: whether no window at all is valid. NSEC always
    ///   lists at least NSEC and RRSIG (RFC 4034 §4.1.2), and BIND refuses an
    ///   empty one; NSEC3 for an empty non-terminal and CSYNC may be empty.
    public init(wire reader: inout WireReader, allowEmpty: Bool) throws(DNSWireError) {
        var types: [RecordType] = []
        var lastWindow = -1
        while !reader.isAtEnd {
            let start = reader.offset
            let window = Int(try reader.readUInt8())
            let length = Int(try reader.readUInt8())
            guard window > lastWindow else {
                throw DNSWireError.badValue.at(start, "type bitmap window \(window) after window \(lastWindow)")
            }
            guard (1...32).contains(length) else {
                throw DNSWireError.badValue.at(start + 1, "type bitmap window length \(length) (1 to 32)")
            }
            let octets = try reader.readBytes(length)
            guard let last = octets.last, last != 0 else {
                throw DNSWireError.badValue.at(start, "type bitmap window \(window) ends in a zero octet")
            }
            for (i, octet) in octets.enumerated() where octet != 0 {
                for bit in 0..<8 where octet & (0x80 >> UInt8(bit)) != 0 {
                    types.append(RecordType(UInt16(window << 8 | i << 3 | bit)))
                }
            }
            lastWindow = window
        }
        guard allowEmpty || !types.isEmpty else {
            throw DNSWireError.badValue.at(reader.offset, "empty type bitmap")
        }
        self.types = types  // Already sorted and unique by construction.
    }

    /// Writes the minimal window blocks.
    public func write(to writer: inout WireWriter) {
        var index = 0
        while index < self.types.count {
            let window = self.types[index].rawValue >> 8
            var octets = [UInt8](repeating: 0, count: 32)
            var used = 0
            while index < self.types.count, self.types[index].rawValue >> 8 == window {
                let low = Int(self.types[index].rawValue & 0xFF)
                octets[low >> 3] |= 0x80 >> UInt8(low & 7)
                used = (low >> 3) + 1
                index += 1
            }
            writer.writeUInt8(UInt8(window))
            writer.writeUInt8(UInt8(used))
            writer.writeBytes(octets[0..<used])
        }
    }

    /// Reads every remaining token as a type mnemonic (`A`, `mx`, `TYPE1234`).
    public init(presentation scanner: inout RDATAScanner, allowEmpty: Bool) throws(PresentationError) {
        var types: [RecordType] = []
        while let token = scanner.peek() {
            _ = try scanner.next("type")
            guard let type = RecordType(mnemonic: scanner.text(token)) else {
                throw scanner.error("unknown type '\(scanner.string(token))' in type bitmap", at: token)
            }
            types.append(type)
        }
        guard allowEmpty || !types.isEmpty else { throw scanner.error("missing types in type bitmap") }
        self.init(types)
    }

    /// Appends ` A MX …`: a space before each type, nothing when empty.
    public func writePresentation(to out: inout String) {
        for type in self.types {
            out += " "
            out += type.description
        }
    }
}
