// SPDX-License-Identifier: Apache-2.0

import Synchronization

/// A value a ``ClockCache`` can hold: how many octets it counts for.
public protocol CacheCosting: Sendable {
    var cost: Int { get }
}

/// A map bounded by total cost (octets), evicting by CLOCK (second chance,
/// an approximation of LRU that needs no list reordering on a hit): every
/// hit sets a reference bit, and the hand sweeping for room clears set bits
/// and evicts the first entry whose bit is already clear.
///
/// Thread-safe, in shards: a key's hash picks one of ``shardCount`` shards,
/// each with its own lock, a share of the capacity and its own hand, so
/// cache hits on several listener threads do not queue on one lock (with one
/// lock, a second resolver thread added no cache-hit throughput). Each call
/// holds its shard's lock for a dictionary lookup (and, on insertion, for the
/// evictions it causes).
public final class ClockCache<Key: Hashable & Sendable, Value: CacheCosting>: Sendable {
    private let shards: [ClockShard<Key, Value>]
    /// The bound on the summed costs (each shard holds its share).
    public let capacity: Int

    /// A cache of `capacity` octets in `shards` shards (at least one; fewer
    /// when the shares would be under 64 KiB, so small caches evict as one).
    public init(capacity: Int, shards: Int = 16) {
        self.capacity = max(capacity, 0)
        let count = max(1, min(shards, self.capacity / (64 << 10)))
        self.shards = (0..<count).map { _ in ClockShard(capacity: max(capacity, 0) / count) }
    }

    /// Shards in use.
    public var shardCount: Int { self.shards.count }

    @inline(__always)
    private func shard(_ key: Key) -> ClockShard<Key, Value> {
        if self.shards.count == 1 { return self.shards[0] }
        let h = UInt(bitPattern: key.hashValue)
        return self.shards[Int((h ^ (h >> 29)) % UInt(self.shards.count))]
    }

    /// The value for `key`, marked recently used.
    public func get(_ key: Key) -> Value? { self.shard(key).get(key) }

    /// Stores `value`, replacing any value for `key`, evicting others of its
    /// shard until the shard's cost fits. A value costing more than a shard
    /// holds is not kept.
    public func set(_ key: Key, _ value: Value) { self.shard(key).set(key, value) }

    /// Forgets `key`.
    public func remove(_ key: Key) { self.shard(key).remove(key) }

    /// Entries held now.
    public var count: Int { self.shards.reduce(0) { $0 + $1.count } }
    /// Summed cost of the entries held now.
    public var totalCost: Int { self.shards.reduce(0) { $0 + $1.totalCost } }
    /// Entries evicted for room since the start.
    public var evictions: Int { self.shards.reduce(0) { $0 + $1.evictions } }
}

/// One lock's worth of a ``ClockCache``: a map bounded by total cost,
/// evicting by CLOCK.
final class ClockShard<Key: Hashable & Sendable, Value: CacheCosting>: Sendable {
    private struct Slot {
        var key: Key
        var value: Value
        var referenced: Bool
    }

    private struct State {
        var index: [Key: Int] = [:]
        var slots: [Slot?] = []
        var free: [Int] = []
        var hand = 0
        var cost = 0
        var evictions = 0
    }

    private let state = Mutex(State())
    /// The bound on the summed costs.
    let capacity: Int

    init(capacity: Int) { self.capacity = max(capacity, 0) }

    /// The value for `key`, marked recently used.
    func get(_ key: Key) -> Value? {
        self.state.withLock { state in
            guard let i = state.index[key], let slot = state.slots[i] else { return nil }
            if !slot.referenced { state.slots[i]?.referenced = true }
            return slot.value
        }
    }

    /// Stores `value`, replacing any value for `key`, evicting others until
    /// the total cost fits. A value costing more than the capacity is not kept.
    func set(_ key: Key, _ value: Value) {
        let cost = value.cost
        self.state.withLock { state in
            if let i = state.index[key], let old = state.slots[i] {
                state.cost -= old.value.cost
                state.slots[i] = nil
                state.index[key] = nil
                state.free.append(i)
            }
            guard cost <= self.capacity else { return }
            while state.cost + cost > self.capacity, !state.index.isEmpty {
                Self.evictOne(&state)
            }
            let slot = Slot(key: key, value: value, referenced: false)
            if let i = state.free.popLast() {
                state.slots[i] = slot
                state.index[key] = i
            } else {
                state.slots.append(slot)
                state.index[key] = state.slots.count - 1
            }
            state.cost += cost
        }
    }

    /// Forgets `key`.
    func remove(_ key: Key) {
        self.state.withLock { state in
            guard let i = state.index.removeValue(forKey: key), let old = state.slots[i] else { return }
            state.cost -= old.value.cost
            state.slots[i] = nil
            state.free.append(i)
        }
    }

    private static func evictOne(_ state: inout State) {
        let count = state.slots.count
        guard count > 0 else { return }
        // Two sweeps at most: the first clears every bit.
        for _ in 0..<(2 * count + 1) {
            let i = state.hand
            state.hand = (state.hand + 1) % count
            guard let slot = state.slots[i] else { continue }
            if slot.referenced {
                state.slots[i]?.referenced = false
                continue
            }
            state.cost -= slot.value.cost
            state.index[slot.key] = nil
            state.slots[i] = nil
            state.free.append(i)
            state.evictions += 1
            return
        }
    }

    /// Entries held now.
    var count: Int { self.state.withLock { $0.index.count } }
    /// Summed cost of the entries held now.
    var totalCost: Int { self.state.withLock { $0.cost } }
    /// Entries evicted for room since the start.
    var evictions: Int { self.state.withLock { $0.evictions } }
}
