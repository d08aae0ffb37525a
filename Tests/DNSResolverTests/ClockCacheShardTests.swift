// SPDX-License-Identifier: Apache-2.0

import Testing

@testable import DNSResolver

/// The cache in shards: every key found again, the bound kept over all
/// shards, small caches in one shard (whole-cache CLOCK order).
@Suite struct ClockCacheShardTests {
    struct Item: CacheCosting {
        var cost: Int { 1024 }
        var tag: Int
    }

    @Test func aLargeCacheIsShardedAndFindsEveryKey() {
        let cache = ClockCache<Int, Item>(capacity: 64 << 20)
        #expect(cache.shardCount == 16)
        for key in 0..<10_000 { cache.set(key, Item(tag: key)) }
        #expect(cache.count == 10_000)
        #expect((0..<10_000).allSatisfy { cache.get($0)?.tag == $0 })
        cache.remove(42)
        #expect(cache.get(42) == nil)
        #expect(cache.count == 9_999)
    }

    @Test func theBoundHoldsOverAllShards() {
        let cache = ClockCache<Int, Item>(capacity: 2 << 20)  // 2 MiB: 16 shards of 128 KiB
        for key in 0..<20_000 { cache.set(key, Item(tag: key)) }
        #expect(cache.totalCost <= 2 << 20)
        #expect(cache.count > (2 << 20) / 1024 / 2)  // every shard holds its share
        #expect(cache.evictions == 20_000 - cache.count)
    }

    @Test func aSmallCacheKeepsOneShard() {
        #expect(ClockCache<Int, Item>(capacity: 100 << 10).shardCount == 1)
        #expect(ClockCache<Int, Item>(capacity: 0).shardCount == 1)
    }

    /// Hits from many threads at once (the listener threads) all find their entries.
    @Test func concurrentHitsAllFindTheirEntries() async {
        let cache = ClockCache<Int, Item>(capacity: 64 << 20)
        for key in 0..<1_000 { cache.set(key, Item(tag: key)) }
        let found = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var hits = 0
                    for round in 0..<2_000 where cache.get((round * 7 + worker) % 1_000) != nil { hits += 1 }
                    return hits
                }
            }
            return await group.reduce(0, +)
        }
        #expect(found == 16_000)
    }
}
