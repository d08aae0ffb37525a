// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The case-folded FNV-1a hash of a name's wire form: one pass, no `Hasher`
/// (DomainName's own hash feeds every octet to SipHash, which dominated
/// checking a million-name zone).
@inline(__always)
func foldedHash(_ name: DomainName) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    name.wire.withUnsafeBufferPointer { bytes in
        for byte in bytes {
            h = (h ^ UInt64(lowerASCII(byte))) &* 0x0000_0100_0000_01b3
        }
    }
    return h ^ (h >> 29)
}

/// A dictionary key for a name with its hash computed once (``foldedHash(_:)``,
/// RFC 4343 case folding). `DomainName`'s own `hash(into:)` feeds the hasher
/// one octet at a time, which dominates the cost of building and searching a
/// million-name index.
struct NameKey: Hashable, Sendable {
    let name: DomainName
    let hash: Int

    @inline(__always)
    init(_ name: DomainName) {
        self.name = name
        self.hash = Int(truncatingIfNeeded: foldedHash(name))
    }

    @inline(__always)
    func hash(into hasher: inout Hasher) { hasher.combine(self.hash) }

    @inline(__always)
    static func == (lhs: NameKey, rhs: NameKey) -> Bool { lhs.hash == rhs.hash && lhs.name == rhs.name }
}

/// The distinct owner names of a zone, numbered in order of first appearance.
///
/// An open-addressing table whose slots each pack a name's id with 32 bits of
/// its hash: a probe compares hashes without touching the names (one cache
/// miss per lookup instead of three on a million-name zone), no `Hasher`, one
/// probe sequence for find-or-insert, and about 24 bytes a name instead of a
/// Dictionary's 30 or more.
struct NameTable {
    private(set) var names: [DomainName] = []
    /// `hash32 << 32 | (id + 1)`; 0 is an empty slot.
    private var slots: [UInt64]
    private var mask: Int

    init(expectedCount: Int) {
        var size = 16
        while size < expectedCount * 2 { size <<= 1 }
        self.slots = [UInt64](repeating: 0, count: size)
        self.mask = size - 1
        self.names.reserveCapacity(expectedCount)
    }

    var count: Int { self.names.count }

    subscript(id: Int32) -> DomainName { self.names[Int(id)] }

    /// The id of `name`, if present.
    func find(_ name: DomainName) -> Int32? {
        name.wire.withUnsafeBufferPointer { self.find(wire: $0) }
    }

    /// The id of the name whose wire form is `wire` (checked by the caller:
    /// labels ending in the root), if present. No `DomainName` is built:
    /// suffixes and wildcard names are looked up in place.
    func find(wire w: UnsafeBufferPointer<UInt8>) -> Int32? {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in w { h = (h ^ UInt64(lowerASCII(byte))) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 29
        let tag = h << 32
        let length = w.count
        return self.slots.withUnsafeBufferPointer { slots -> Int32? in
            var i = Int(truncatingIfNeeded: h) & self.mask
            while true {
                let slot = slots[i]
                if slot == 0 { return nil }
                if slot & 0xFFFF_FFFF_0000_0000 == tag {
                    let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                    let equal = self.names[id].wire.withUnsafeBufferPointer { c -> Bool in
                        guard c.count == length, let a = c.baseAddress, let b = w.baseAddress else { return false }
                        // Eight octets at a time while they are equal as they are.
                        var k = 0
                        while k + 8 <= length {
                            if UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self)
                                != UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self)
                            {
                                for j in k..<(k + 8) where lowerASCII(a[j]) != lowerASCII(b[j]) { return false }
                            }
                            k += 8
                        }
                        while k < length {
                            if a[k] != b[k] && lowerASCII(a[k]) != lowerASCII(b[k]) { return false }
                            k += 1
                        }
                        return true
                    }
                    if equal { return Int32(id) }
                }
                i = (i + 1) & self.mask
            }
        }
    }

    /// The id of `name`'s parent (the name without its first label), if
    /// present, found without building the parent name (no allocation).
    func findParent(of name: DomainName) -> Int32? {
        name.wire.withUnsafeBufferPointer { w -> Int32? in
            guard w.count > 1, w[0] != 0 else { return nil }
            let skip = Int(w[0]) + 1
            guard skip < w.count else { return nil }
            // foldedHash of the suffix, computed in place.
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for k in skip..<w.count { h = (h ^ UInt64(lowerASCII(w[k]))) &* 0x0000_0100_0000_01b3 }
            h ^= h >> 29
            let tag = h << 32
            let length = w.count - skip
            return self.slots.withUnsafeBufferPointer { slots -> Int32? in
                var i = Int(truncatingIfNeeded: h) & self.mask
                while true {
                    let slot = slots[i]
                    if slot == 0 { return nil }
                    if slot & 0xFFFF_FFFF_0000_0000 == tag {
                        let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                        let equal = self.names[id].wire.withUnsafeBufferPointer { c -> Bool in
                            guard c.count == length else { return false }
                            for k in 0..<length where c[k] != w[skip + k] && lowerASCII(c[k]) != lowerASCII(w[skip + k])
                            {
                                return false
                            }
                            return true
                        }
                        if equal { return Int32(id) }
                    }
                    i = (i + 1) & self.mask
                }
            }
        }
    }

    /// The id of `name`, adding it when new.
    mutating func insert(_ name: DomainName) -> (id: Int32, inserted: Bool) {
        if self.names.count * 2 >= self.slots.count { self.grow() }
        let h = foldedHash(name)
        let tag = h << 32
        var i = Int(truncatingIfNeeded: h) & self.mask
        while true {
            let slot = self.slots[i]
            if slot == 0 { break }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if self.names[id] == name { return (Int32(id), false) }
            }
            i = (i + 1) & self.mask
        }
        let id = self.names.count
        self.slots[i] = tag | UInt64(id + 1)
        self.names.append(name)
        return (Int32(id), true)
    }

    /// The slot holding `id`, found by probing from `name`'s hash.
    private func slot(of id: Int32, name: DomainName) -> Int? {
        var i = Int(truncatingIfNeeded: foldedHash(name)) & self.mask
        while true {
            let slot = self.slots[i]
            if slot == 0 { return nil }
            if Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1 == Int(id) { return i }
            i = (i + 1) & self.mask
        }
    }

    /// Removes the name with id `id`; the name with the last id takes `id`
    /// (ids stay dense, as the node array they index: the caller moves its
    /// last node into `id` the same way). Linear-probing deletion by backward
    /// shift (Knuth's algorithm R): no tombstones, so lookups stay as fast.
    mutating func remove(id: Int32) {
        let last = Int32(self.names.count - 1)
        guard id >= 0, id <= last, var hole = self.slot(of: id, name: self.names[Int(id)]) else { return }
        self.slots[hole] = 0
        var j = hole
        while true {
            j = (j + 1) & self.mask
            let slot = self.slots[j]
            if slot == 0 { break }
            let home = Int(truncatingIfNeeded: slot >> 32) & self.mask
            // The entry at j stays when its home lies cyclically in (hole, j].
            let stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j)
            if stays { continue }
            self.slots[hole] = slot
            self.slots[j] = 0
            hole = j
        }
        if id != last, let moved = self.slot(of: last, name: self.names[Int(last)]) {
            self.slots[moved] = (self.slots[moved] & 0xFFFF_FFFF_0000_0000) | UInt64(id + 1)
            self.names[Int(id)] = self.names[Int(last)]
        }
        self.names.removeLast()
    }

    private mutating func grow() {
        let size = self.slots.count * 2
        self.slots = [UInt64](repeating: 0, count: size)
        self.mask = size - 1
        for (id, name) in self.names.enumerated() {
            let h = foldedHash(name)
            var i = Int(truncatingIfNeeded: h) & self.mask
            while self.slots[i] != 0 { i = (i + 1) & self.mask }
            self.slots[i] = (h << 32) | UInt64(id + 1)
        }
    }
}
