// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Synchronization

/// Settings of response rate limiting, named and defaulted as in BIND's `rate-limit` clause.
///
/// Out-of-range values are clamped by ``ResponseRateLimiter/init(configuration:hashKey:clock:)``.
public struct RateLimitConfiguration: Sendable, Hashable {
    /// Identical answers (same qname and qtype) per second to one client network; 0 = unlimited.
    public var responsesPerSecond: Int
    /// NXDOMAIN answers per second per zone to one client network; nil = `responsesPerSecond`.
    public var nxdomainsPerSecond: Int?
    /// Referrals per second per delegation to one client network; nil = `responsesPerSecond`.
    public var referralsPerSecond: Int?
    /// Error answers (FORMERR, SERVFAIL, REFUSED, NOTIMP, …) per second to one client network;
    /// nil = `responsesPerSecond`.
    public var errorsPerSecond: Int?
    /// Of the responses the limit drops, every `slip`-th (the 1st, the 1+slip-th, …) is sent as an
    /// empty truncated reply instead, so a real client behind a spoofed address retries over TCP.
    /// 0 = never slip, 1 = always slip (nothing is dropped silently). Default 2, as BIND; 0...10.
    public var slip: Int
    /// Seconds of history: a client that went over the limit stays limited until its debt, at
    /// most `window` seconds' worth of responses, is paid back; an entry idle this long is
    /// forgotten. Default 15, as BIND; 1...3600.
    public var window: Int
    /// IPv4 clients are grouped into networks of this prefix length. Default 24; 0...32.
    public var ipv4PrefixLength: Int
    /// IPv6 clients are grouped into networks of this prefix length. Default 56; 0...128.
    public var ipv6PrefixLength: Int
    /// Number of buckets in the table: the memory bound (about 24 octets each). Default 65536.
    public var tableSize: Int

    public init(
        responsesPerSecond: Int,
        nxdomainsPerSecond: Int? = nil,
        referralsPerSecond: Int? = nil,
        errorsPerSecond: Int? = nil,
        slip: Int = 2,
        window: Int = 15,
        ipv4PrefixLength: Int = 24,
        ipv6PrefixLength: Int = 56,
        tableSize: Int = 65536
    ) {
        self.responsesPerSecond = responsesPerSecond
        self.nxdomainsPerSecond = nxdomainsPerSecond
        self.referralsPerSecond = referralsPerSecond
        self.errorsPerSecond = errorsPerSecond
        self.slip = slip
        self.window = window
        self.ipv4PrefixLength = ipv4PrefixLength
        self.ipv6PrefixLength = ipv6PrefixLength
        self.tableSize = tableSize
    }
}

/// What a response is, as the rate limiter counts it: responses in one class to one client
/// network share one bucket (BIND's and Knot's RRL).
public enum RateLimitedResponse: Sendable, Hashable {
    /// A positive answer or NODATA, counted per (qname, qtype).
    case answer(qname: DomainName, qtype: RecordType)
    /// NXDOMAIN, counted per zone, so random names below it share one bucket.
    case nxDomain(zone: DomainName)
    /// A referral, counted per delegation point.
    case referral(delegation: DomainName)
    /// Any error rcode (not NOERROR or NXDOMAIN), counted per client network.
    case error
}

/// What to do with a UDP response.
public enum RateLimitDecision: Sendable, Hashable {
    /// Send it.
    case send
    /// Send instead an empty reply with TC=1 (question section only, same id and rcode), so a
    /// legitimate client retries over TCP while a reflection victim gets no amplification.
    case slip
    /// Send nothing.
    case drop
}

/// Counters for the log: responses limited since start.
public struct RateLimitStatistics: Sendable, Hashable {
    /// Responses dropped.
    public var dropped: UInt64 = 0
    /// Responses replaced by a truncated reply.
    public var slipped: UInt64 = 0
    /// Live buckets reused for another key because the table was full (BIND logs "table full").
    public var evicted: UInt64 = 0
}

/// Response rate limiting (RRL) for UDP, after BIND's `rate-limit` and Knot's `rrl` module.
///
/// Each (client network, response class) pair has a bucket of credit: it starts at the rate,
/// each response takes one, each second adds the rate back up to the rate. When credit is
/// below zero the response is dropped or slipped; the debt can reach `window × rate`, so a
/// client that flooded stays limited up to `window` seconds after it stops. Idle buckets are
/// forgotten after `window` seconds.
///
/// Apply it only to UDP responses, after the response is built: TCP proves the source address,
/// so TCP is never limited (the caller's job). A request with a valid server cookie
/// (``CookieOutcome/hasValidServerCookie``) has proved its address too and may skip the limiter.
///
/// Concurrency: the table is split into shards, each a fixed array of buckets behind its own
/// `Mutex`, so threads contend only when they hit the same shard. Memory is fixed at start
/// (``capacity`` buckets): a key is hashed, with a secret random key, to a set of four buckets in
/// one shard; when none matches, the key takes an empty or forgotten bucket, and when all four are
/// live it evicts the one with the most credit (the one whose loss forgets the least), so a
/// flood of spoofed sources cannot grow memory nor easily reset a bucket that is in debt.
@available(macOS 15.0, *)
public final class ResponseRateLimiter: Sendable {
    /// Buckets probed per key: a 4-way set in one shard.
    static let ways = 4
    /// The highest rate accepted; with the longest window the debt stays within `Int32`.
    public static let maximumRate = 100_000

    public let configuration: RateLimitConfiguration
    private let hashKey: SipHash24.Key
    private let clock: @Sendable () -> UInt32
    private let shards: [Shard]
    private let bucketsPerShard: Int
    private let answerRate: Int32
    private let nxdomainRate: Int32
    private let referralRate: Int32
    private let errorRate: Int32
    private let slip: UInt16
    private let window: UInt32

    /// - Parameters:
    ///   - configuration: the limits; out-of-range values are clamped as documented there.
    ///   - hashKey: the key that places buckets, random by default (fixed only in tests).
    ///   - clock: the current time in whole seconds (any epoch), injected for tests.
    public init(
        configuration: RateLimitConfiguration,
        hashKey: SipHash24.Key = .random(),
        clock: @escaping @Sendable () -> UInt32 = { ServerCookies.currentTime() }
    ) {
        var config = configuration
        config.responsesPerSecond = Self.clamp(config.responsesPerSecond, 0, Self.maximumRate)
        config.nxdomainsPerSecond = config.nxdomainsPerSecond.map { Self.clamp($0, 0, Self.maximumRate) }
        config.referralsPerSecond = config.referralsPerSecond.map { Self.clamp($0, 0, Self.maximumRate) }
        config.errorsPerSecond = config.errorsPerSecond.map { Self.clamp($0, 0, Self.maximumRate) }
        config.slip = Self.clamp(config.slip, 0, 10)
        config.window = Self.clamp(config.window, 1, 3600)
        config.ipv4PrefixLength = Self.clamp(config.ipv4PrefixLength, 0, 32)
        config.ipv6PrefixLength = Self.clamp(config.ipv6PrefixLength, 0, 128)
        config.tableSize = Self.clamp(config.tableSize, Self.ways, 1 << 24)
        self.configuration = config
        self.hashKey = hashKey
        self.clock = clock
        self.answerRate = Int32(config.responsesPerSecond)
        self.nxdomainRate = Int32(config.nxdomainsPerSecond ?? config.responsesPerSecond)
        self.referralRate = Int32(config.referralsPerSecond ?? config.responsesPerSecond)
        self.errorRate = Int32(config.errorsPerSecond ?? config.responsesPerSecond)
        self.slip = UInt16(config.slip)
        self.window = UInt32(config.window)
        // Up to 64 shards (a power of two), each with at least 64 buckets.
        var shardCount = 1
        while shardCount < 64 && config.tableSize / (shardCount * 2) >= 64 { shardCount *= 2 }
        let perShard = max(Self.ways, config.tableSize / shardCount)
        self.bucketsPerShard = perShard
        self.shards = (0..<shardCount).map { _ in Shard(count: perShard) }
    }

    private static func clamp(_ value: Int, _ low: Int, _ high: Int) -> Int { min(max(value, low), high) }

    /// Buckets in the table; fixed at start.
    public var capacity: Int { self.shards.count * self.bucketsPerShard }

    /// Totals since start, summed over the shards.
    public var statistics: RateLimitStatistics {
        var total = RateLimitStatistics()
        for shard in self.shards {
            let s = shard.state.withLock { $0.statistics }
            total.dropped += s.dropped
            total.slipped += s.slipped
            total.evicted += s.evicted
        }
        return total
    }

    /// Decides whether to send a UDP response to `client`, at the clock's current time.
    public func decide(_ response: RateLimitedResponse, client: ClientIP) -> RateLimitDecision {
        self.decide(response, client: client, now: self.clock())
    }

    /// Decides whether to send a UDP response to `client` at `now` (seconds, any epoch).
    public func decide(_ response: RateLimitedResponse, client: ClientIP, now: UInt32) -> RateLimitDecision {
        let rate: Int32
        switch response {
        case .answer: rate = self.answerRate
        case .nxDomain: rate = self.nxdomainRate
        case .referral: rate = self.referralRate
        case .error: rate = self.errorRate
        }
        guard rate > 0 else { return .send }
        let key = self.key(response, client: client)
        let shard = self.shards[Int(truncatingIfNeeded: key >> 40) & (self.shards.count - 1)]
        let first = Int(truncatingIfNeeded: key % UInt64(self.bucketsPerShard))
        let window = self.window
        let slip = self.slip
        let count = self.bucketsPerShard
        return shard.state.withLock { state in
            let index = Self.findBucket(in: &state, key: key, first: first, count: count, now: now, window: window)
            return Self.debit(&state, index: index, rate: rate, now: now, window: window, slip: slip)
        }
    }

    /// The bucket for `key` among the four from `first`: its own, else an empty or forgotten one,
    /// else the live one with the most credit (evicted and counted). A new bucket starts full.
    private static func findBucket(
        in state: inout ShardState, key: UInt64, first: Int, count: Int, now: UInt32, window: UInt32
    ) -> Int {
        var victim = first
        var victimScore = Int64.min
        for step in 0..<Self.ways {
            let i = (first + step) % count
            let bucket = state.buckets[i]
            if bucket.key == key { return i }
            let score: Int64
            if bucket.key == 0 || Self.age(of: bucket, now: now) > window {
                score = Int64.max  // empty or forgotten: free to take
            } else {
                // Most credit first; between equals the least recently used.
                score = Int64(bucket.balance) << 32 + Int64(Self.age(of: bucket, now: now))
            }
            if score > victimScore {
                victimScore = score
                victim = i
            }
        }
        if victimScore != Int64.max { state.statistics.evicted += 1 }
        state.buckets[victim] = Bucket(key: key, balance: Int32.min, second: now, slipCount: 0)
        return victim
    }

    private static func age(of bucket: Bucket, now: UInt32) -> UInt32 {
        // A clock that stepped back counts as no time passed.
        let age = Int32(bitPattern: now &- bucket.second)
        return age > 0 ? UInt32(age) : 0
    }

    /// BIND's `debit_rrl_entry`: credit the elapsed seconds, take one response, then drop or
    /// slip while the balance is negative.
    private static func debit(
        _ state: inout ShardState, index: Int, rate: Int32, now: UInt32, window: UInt32, slip: UInt16
    ) -> RateLimitDecision {
        var bucket = state.buckets[index]
        if bucket.balance == Int32.min {
            bucket.balance = rate  // new bucket
        } else {
            let age = Self.age(of: bucket, now: now)
            if age > window {
                bucket.balance = rate
                bucket.slipCount = 0
            } else if age > 0 {
                let credited = Int64(bucket.balance) + Int64(age) * Int64(rate)
                if credited >= Int64(rate) {
                    bucket.balance = rate
                    bucket.slipCount = 0
                } else {
                    bucket.balance = Int32(credited)
                }
            }
        }
        bucket.second = now
        bucket.balance -= 1
        let decision: RateLimitDecision
        if bucket.balance >= 0 {
            decision = .send
        } else {
            let floor = -Int64(window) * Int64(rate)
            if Int64(bucket.balance) < floor { bucket.balance = Int32(floor) }
            if slip > 0 && bucket.slipCount == 0 {
                decision = .slip
            } else {
                decision = .drop
            }
            if slip > 0 {
                bucket.slipCount += 1
                if bucket.slipCount >= slip { bucket.slipCount = 0 }
            }
            if decision == .slip { state.statistics.slipped += 1 } else { state.statistics.dropped += 1 }
        }
        state.buckets[index] = bucket
        return decision
    }

    /// A 64-bit key (never 0, which marks an empty bucket) for (class, client network, name, type).
    /// Names are folded to lower case octet by octet: label lengths (at most 63) never fall in 'A'...'Z'.
    private func key(_ response: RateLimitedResponse, client: ClientIP) -> UInt64 {
        var hasher = SipHash24(key: self.hashKey)
        let network = client.masked(
            prefixLength: client.isIPv4 ? self.configuration.ipv4PrefixLength : self.configuration.ipv6PrefixLength
        )
        hasher.combine(network.isIPv4 ? 4 : 6)
        network.feed(into: &hasher)
        func combine(name: DomainName) {
            for byte in name.wire {
                hasher.combine(byte &- 0x41 < 26 ? byte | 0x20 : byte)
            }
        }
        switch response {
        case .answer(let qname, let qtype):
            hasher.combine(1)
            combine(name: qname)
            hasher.combine(UInt8(truncatingIfNeeded: qtype.rawValue >> 8))
            hasher.combine(UInt8(truncatingIfNeeded: qtype.rawValue))
        case .nxDomain(let zone):
            hasher.combine(2)
            combine(name: zone)
        case .referral(let delegation):
            hasher.combine(3)
            combine(name: delegation)
        case .error:
            hasher.combine(4)
        }
        let key = hasher.finalize()
        return key == 0 ? 1 : key
    }
}

/// One bucket: 24 octets.
struct Bucket: Sendable {
    /// The key's hash; 0 = empty.
    var key: UInt64 = 0
    /// Credit in responses; `Int32.min` marks a bucket just taken, not yet debited.
    var balance: Int32 = 0
    /// The second of the last response.
    var second: UInt32 = 0
    /// Dropped responses since the last slip.
    var slipCount: UInt16 = 0
}

struct ShardState: Sendable {
    var buckets: [Bucket]
    var statistics = RateLimitStatistics()
}

@available(macOS 15.0, *)
final class Shard: Sendable {
    let state: Mutex<ShardState>

    init(count: Int) {
        self.state = Mutex(ShardState(buckets: Array(repeating: Bucket(), count: count)))
    }
}
