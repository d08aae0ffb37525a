// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// Canonical name order (RFC 4034 §6.1) without allocating: labels compared
/// right to left as octet strings with ASCII letters folded to lower case, a
/// name sorting before the names below it.
///
/// Returns -1, 0 or 1. Same result as `DomainName.canonicalCompare`, which
/// allocates label tables; this one keeps them on the stack, because sorting
/// a large zone calls it tens of millions of times.
func canonicalNameCompare(_ a: DomainName, _ b: DomainName) -> Int {
    a.wire.withUnsafeBufferPointer { x in
        b.wire.withUnsafeBufferPointer { y in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { offsets in
                wireCompare(x, y, offsets)
            }
        }
    }
}

/// Writes the offset of each label's length octet into `offsets[base...]`; returns the count.
@inline(__always)
private func labelOffsets(
    _ wire: UnsafeBufferPointer<UInt8>,
    into offsets: UnsafeMutableBufferPointer<UInt8>,
    base: Int
)
    -> Int
{
    var count = 0
    var i = 0
    while i < wire.count && wire[i] != 0 && count < 128 {
        offsets[base + count] = UInt8(truncatingIfNeeded: i)
        count += 1
        i += Int(wire[i]) + 1
    }
    return count
}

@inline(__always)
func lowerASCII(_ byte: UInt8) -> UInt8 {
    (byte &- 0x41) < 26 ? byte | 0x20 : byte
}

/// Lexicographic comparison of octet strings: -1, 0 or 1.
func compareOctets(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let n = min(a.count, b.count)
    var i = 0
    while i < n {
        if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        i += 1
    }
    return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
}

/// Positions `0..<names.count` in canonical name order (RFC 4034 §6.1).
///
/// The names are first copied into one flat buffer, so the comparisons of
/// the sort touch plain memory: no reference counting per comparison, which
/// made sorting a million names several times slower.
public func canonicalOrder(of names: [DomainName]) -> [Int] {
    var flat: [UInt8] = []
    var starts: [Int] = []
    starts.reserveCapacity(names.count)
    for name in names {
        starts.append(flat.count)
        flat.append(contentsOf: name.wire)
    }
    var order = Array(names.indices)
    flat.withUnsafeBufferPointer { buffer in
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { offsets in
            order.sort { x, y in
                flatCompare(buffer, starts[x], starts[y], offsets) < 0
            }
        }
    }
    return order
}

/// ``canonicalNameCompare(_:_:)`` on two names stored at `a` and `b` in `buffer`.
@inline(__always)
private func flatCompare(
    _ buffer: UnsafeBufferPointer<UInt8>,
    _ a: Int,
    _ b: Int,
    _ offsets: UnsafeMutableBufferPointer<UInt8>
) -> Int {
    wireCompare(UnsafeBufferPointer(rebasing: buffer[a...]), UnsafeBufferPointer(rebasing: buffer[b...]), offsets)
}

/// RFC 4034 §6.1 order of two uncompressed wire names, labels compared from
/// the right with ASCII case folded; `offsets` (256 octets) is scratch space
/// for the label offsets of `x` (first half) and `y` (second half).
@inline(__always)
private func wireCompare(
    _ x: UnsafeBufferPointer<UInt8>,
    _ y: UnsafeBufferPointer<UInt8>,
    _ offsets: UnsafeMutableBufferPointer<UInt8>
) -> Int {
    let nx = labelOffsets(x, into: offsets, base: 0)
    let ny = labelOffsets(y, into: offsets, base: 128)
    var i = nx - 1
    var j = ny - 1
    while i >= 0 && j >= 0 {
        let ox = Int(offsets[i])
        let oy = Int(offsets[128 + j])
        let lx = Int(x[ox])
        let ly = Int(y[oy])
        var k = 0
        while k < lx && k < ly {
            let cx = lowerASCII(x[ox + 1 + k])
            let cy = lowerASCII(y[oy + 1 + k])
            if cx != cy { return cx < cy ? -1 : 1 }
            k += 1
        }
        if lx != ly { return lx < ly ? -1 : 1 }
        i -= 1
        j -= 1
    }
    if i < 0 && j < 0 { return 0 }
    return i < 0 ? -1 : 1
}
