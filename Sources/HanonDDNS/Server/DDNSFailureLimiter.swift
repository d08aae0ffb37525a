// SPDX-License-Identifier: Apache-2.0

import Synchronization

/// Password guessing brake: a client address with `maxFailures` failed
/// logins within `window` gets `abuse` for every request until the window
/// ends, whatever credentials it sends. Kept across reloads (the handler is
/// rebuilt, this is passed on). Memory is bounded: past `maxClients`
/// addresses, expired windows are dropped, and if that is not enough the
/// table starts again.
public final class DDNSFailureLimiter: Sendable {
    private struct Entry {
        var failures: Int
        var windowStart: ContinuousClock.Instant
    }

    private let entries = Mutex<[DDNSClientAddress: Entry]>([:])
    public let maxFailures: Int
    public let window: Duration
    let maxClients: Int

    public init(maxFailures: Int = 10, window: Duration = .seconds(60), maxClients: Int = 10_000) {
        self.maxFailures = maxFailures
        self.window = window
        self.maxClients = maxClients
    }

    /// True when `client` is locked out now.
    public func isBlocked(_ client: DDNSClientAddress, now: ContinuousClock.Instant = .now) -> Bool {
        self.entries.withLock { entries in
            guard let entry = entries[client] else { return false }
            if now - entry.windowStart >= self.window {
                entries[client] = nil
                return false
            }
            return entry.failures >= self.maxFailures
        }
    }

    /// Counts one failed login of `client`.
    public func recordFailure(_ client: DDNSClientAddress, now: ContinuousClock.Instant = .now) {
        self.entries.withLock { entries in
            if var entry = entries[client], now - entry.windowStart < self.window {
                entry.failures += 1
                entries[client] = entry
                return
            }
            if entries.count >= self.maxClients {
                entries = entries.filter { now - $0.value.windowStart < self.window }
                if entries.count >= self.maxClients { entries = [:] }
            }
            entries[client] = Entry(failures: 1, windowStart: now)
        }
    }
}
