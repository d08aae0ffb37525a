// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Synchronization

/// The latest accepted time signed per key, behind a lock held for one
/// dictionary access.
final class TSIGLockedTimes: Sendable {
    private let times = Mutex<[DomainName: UInt64]>([:])

    func accept(key: DomainName, timeSigned: UInt64) -> Bool {
        self.times.withLock { times in
            if let last = times[key], timeSigned < last { return false }
            times[key] = timeSigned
            return true
        }
    }
}
