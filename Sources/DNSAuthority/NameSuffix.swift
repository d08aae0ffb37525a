// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension DomainName {
    /// `isSubdomain(of:)` for the answer path: the label walk and the
    /// comparison (eight octets at a time, letters folded, RFC 4343) on raw
    /// pointers. True when `self` equals `other` or lies below it.
    func isAtOrBelow(_ other: DomainName) -> Bool {
        self.wire.withUnsafeBufferPointer { a in
            other.wire.withUnsafeBufferPointer { b in
                let extra = a.count - b.count
                guard extra >= 0, let aBase = a.baseAddress, let bBase = b.baseAddress else { return false }
                var i = 0
                while i < extra { i += Int(a[i]) + 1 }
                return i == extra && foldedEqual(aBase + extra, bBase, b.count)
            }
        }
    }
}
