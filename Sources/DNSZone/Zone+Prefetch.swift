// SPDX-License-Identifier: Apache-2.0

import CPrefetch
import DNSCore

/// Fetching a batch of queries' zone data into the cache before answering
/// them.
///
/// Answering a query follows a chain of dependent loads through the zone —
/// the name table's slot, the name's entry, its octets, the node, its
/// RRsets, their records — and on a zone larger than the cache each is a
/// miss the CPU waits for, one after the other. A `recvmmsg` batch holds
/// several queries: walking the chain one step at a time for all of them,
/// issuing prefetches, lets those misses overlap (memory-level parallelism)
/// before the answers are written. Prefetching is only a hint: a wrong
/// candidate (another name with the same 32-bit tag) costs a wasted load,
/// never a wrong answer, and nothing here dereferences what it prefetches.
extension Zone {
    /// Step 1: hashes the question name `wire` (uncompressed, as in the
    /// query) and prefetches its slot in the name table. Returns the hash.
    public func prefetchSlot(wire: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = wire.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        let hash = foldedHash(base, count: wire.count)
        self.index.slots.withUnsafeBufferPointer { slots in
            if let start = slots.baseAddress { hanon_prefetch(start + self.index.home(hash)) }
        }
        return hash
    }

    /// Step 2: the node the slot names for `hash` (by its tag alone; -1
    /// when none), with its table entry and its node prefetched.
    public func prefetchNode(hash: UInt64) -> Int32 {
        let tag = hashTag(hash)
        let id: Int32 = self.index.slots.withUnsafeBufferPointer { slots in
            var i = self.index.home(hash)
            for _ in 0..<8 {
                let slot = slots[i]
                if slot == 0 { return -1 }
                if hashTag(slot) == tag { return Int32(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1 }
                i = (i + 1) & self.index.mask
            }
            return -1
        }
        guard id >= 0, Int(id) < self.nodes.count else { return -1 }
        self.index.names.withUnsafeBufferPointer { names in
            if let start = names.baseAddress { hanon_prefetch(start + Int(id)) }
        }
        self.nodes.withUnsafeBufferPointer { nodes in
            if let start = nodes.baseAddress { hanon_prefetch(start + Int(id)) }
        }
        return id
    }

    /// Step 3: the octets of node `id`'s name and its RRset array (the
    /// objects step 2's lines point to; their addresses are read, not the objects).
    public func prefetchNodeData(_ id: Int32) {
        guard id >= 0, Int(id) < self.nodes.count else { return }
        self.index.names.withUnsafeBufferPointer { names in
            guard let start = names.baseAddress else { return }
            Self.prefetchArrayElements(UnsafeRawPointer(start + Int(id)))
        }
        self.nodes.withUnsafeBufferPointer { nodes in
            guard let start = nodes.baseAddress, let offset = MemoryLayout<ZoneNode>.offset(of: \ZoneNode.rrsets)
            else { return }
            Self.prefetchArrayElements(UnsafeRawPointer(start + Int(id)) + offset)
        }
    }

    /// Step 4: the records of node `id`'s RRset of `type` (the RRset array
    /// is in the cache after step 3).
    public func prefetchRecords(_ id: Int32, type: RecordType) {
        guard id >= 0, Int(id) < self.nodes.count else { return }
        self.nodes.withUnsafeBufferPointer { nodes in
            nodes[Int(id)].rrsets.withUnsafeBufferPointer { sets in
                guard let start = sets.baseAddress, let offset = MemoryLayout<RRSet>.offset(of: \RRSet.rdata) else {
                    return
                }
                for k in sets.indices where sets[k].type == type {
                    Self.prefetchArrayElements(UnsafeRawPointer(start + k) + offset)
                    return
                }
            }
        }
    }

    /// Prefetches the first elements of the array whose reference is stored
    /// at `field`: the reference is read as bits (no retain, no access to
    /// the array object), and the line after the array header is prefetched.
    @inline(__always)
    private static func prefetchArrayElements(_ field: UnsafeRawPointer) {
        let object = field.loadUnaligned(as: UInt.self)
        // Swift's array storage: a 32-octet header (isa, reference counts,
        // count, capacity) before the elements; the header's line too.
        guard let elements = UnsafeRawPointer(bitPattern: object &+ 32) else { return }
        hanon_prefetch(elements)
    }
}
