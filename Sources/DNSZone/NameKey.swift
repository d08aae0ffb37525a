// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// The case-folded hash of a name's wire form (``foldedHash(_:count:)``).
@inline(__always)
func foldedHash(_ name: DomainName) -> UInt64 {
    name.wire.withUnsafeBufferPointer { foldedHash($0.baseAddress, count: $0.count) }
}

/// The hash of `count` octets at `bytes` with ASCII letters folded to lower
/// case (RFC 4343), eight octets at a time: each word is folded without
/// branches (``foldedWord(_:)``) and mixed in with one multiplication.
/// No `Hasher` (DomainName's own hash feeds SipHash one octet at a time,
/// which dominated checking a million-name zone), and a quarter of the
/// instructions of an octet-at-a-time FNV-1a, which took an eighth of the
/// answer path's instructions (a query hashes its name two to three times).
@inline(__always)
func foldedHash(_ bytes: UnsafePointer<UInt8>?, count: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
    guard let bytes, count > 0 else { return h ^ (h >> 29) }
    let raw = UnsafeRawPointer(bytes)
    var k = 0
    while k + 8 <= count {
        h = (h ^ foldedWord(raw.loadUnaligned(fromByteOffset: k, as: UInt64.self))) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        k += 8
    }
    if k < count {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while k < count {
            tail |= UInt64(bytes[k]) << shift
            shift += 8
            k += 1
        }
        h = (h ^ foldedWord(tail)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
    }
    return h ^ (h >> 29)
}

/// Eight octets with every `A`–`Z` turned into `a`–`z` and nothing else
/// changed: per octet, the high bit of `x + (0x80 - 0x41)` says `x ≥ 0x41`
/// and that of `x + (0x80 - 0x5B)` says `x ≥ 0x5B` (no carry crosses an
/// octet, as `x` is below 0x80); an upper-case letter gets 0x20 added.
@inline(__always)
func foldedWord(_ word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let low7 = word & (0x7F &* ones)
    let atLeastA = low7 &+ ((0x80 - 0x41) &* ones)
    let pastZ = low7 &+ ((0x80 - 0x5B) &* ones)
    let upper = atLeastA & ~pastZ & ~word & (0x80 &* ones)
    return word | (upper >> 2)
}

/// The high 32 bits of a name's hash, kept in its table slot; the slot a
/// name's probe starts at is taken from the same bits (``NameTable``'s
/// `home`), so a slot's home can be found from the slot alone (deletion).
@inline(__always)
func hashTag(_ h: UInt64) -> UInt64 { h & 0xFFFF_FFFF_0000_0000 }

/// `a` and `b` (`count` octets each) are the same name, letters folded.
/// Folding every octet is safe: label lengths are at most 63 (RFC 1035
/// §2.3.4), below the letters' codes, so only letters change.
@inline(__always)
func sameFoldedName(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
    var k = 0
    // Eight octets at a time while they are equal as they are.
    while k + 8 <= count {
        let x = UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self)
        let y = UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self)
        if x != y && foldedWord(x) != foldedWord(y) { return false }
        k += 8
    }
    while k < count {
        if a[k] != b[k] && lowerASCII(a[k]) != lowerASCII(b[k]) { return false }
        k += 1
    }
    return true
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
    /// `hashTag(hash) | (id + 1)`; 0 is an empty slot.
    private(set) var slots: [UInt64]
    private(set) var mask: Int

    init(expectedCount: Int) {
        var size = 16
        while size < expectedCount * 2 { size <<= 1 }
        self.slots = [UInt64](repeating: 0, count: size)
        self.mask = size - 1
        self.names.reserveCapacity(expectedCount)
    }

    var count: Int { self.names.count }

    /// The slot where the probe for a hash (or a slot's tag) starts.
    @inline(__always)
    func home(_ hashOrSlot: UInt64) -> Int { Int(truncatingIfNeeded: hashOrSlot >> 32) & self.mask }

    subscript(id: Int32) -> DomainName { self.names[Int(id)] }

    /// The id of `name`, if present.
    func find(_ name: DomainName) -> Int32? {
        name.wire.withUnsafeBufferPointer { self.find(wire: $0) }
    }

    /// The id of the name whose wire form is `wire` (checked by the caller:
    /// labels ending in the root), if present. No `DomainName` is built:
    /// suffixes and wildcard names are looked up in place.
    func find(wire w: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let b = w.baseAddress else { return nil }
        return self.find(b, count: w.count, hash: foldedHash(b, count: w.count))
    }

    /// The id of the name of `count` octets at `b`, whose ``foldedHash(_:count:)`` is `h`.
    @inline(__always)
    private func find(_ b: UnsafePointer<UInt8>, count length: Int, hash h: UInt64) -> Int32? {
        let tag = hashTag(h)
        return self.slots.withUnsafeBufferPointer { slots -> Int32? in
            var i = home(h)
            while true {
                let slot = slots[i]
                if slot == 0 { return nil }
                if hashTag(slot) == tag {
                    let id = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                    let equal = self.names[id].wire.withUnsafeBufferPointer { c -> Bool in
                        guard c.count == length, let a = c.baseAddress else { return false }
                        return sameFoldedName(a, b, count: length)
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
            guard w.count > 1, w[0] != 0, let base = w.baseAddress else { return nil }
            let skip = Int(w[0]) + 1
            guard skip < w.count else { return nil }
            let suffix = base + skip
            let length = w.count - skip
            return self.find(suffix, count: length, hash: foldedHash(suffix, count: length))
        }
    }

    /// The id of `name`, adding it when new.
    mutating func insert(_ name: DomainName) -> (id: Int32, inserted: Bool) {
        if self.names.count * 2 >= self.slots.count { self.grow() }
        let h = foldedHash(name)
        let tag = hashTag(h)
        var i = home(h)
        while true {
            let slot = self.slots[i]
            if slot == 0 { break }
            if hashTag(slot) == tag {
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
        var i = home(foldedHash(name))
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
            let home = self.home(slot)
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
            var i = home(h)
            while self.slots[i] != 0 { i = (i + 1) & self.mask }
            self.slots[i] = hashTag(h) | UInt64(id + 1)
        }
    }
}
