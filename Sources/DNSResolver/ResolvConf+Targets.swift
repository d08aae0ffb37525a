// SPDX-License-Identifier: Apache-2.0

import DNSTransport

extension ResolvConf {
    /// The servers to try in order, each with why it is used, for the
    /// dig-like client (`hanon query` without `@SERVER`).
    ///
    /// - Parameters:
    ///   - path: the file the configuration came from, named in the reason.
    ///   - family: 4 or 6 to keep only that address family (`-4`, `-6`).
    public func digTargets(path: String, family: Int? = nil) -> [DigTarget] {
        self.nameservers
            .filter { family == nil || ($0.isIPv6 ? 6 : 4) == family }
            .map { DigTarget(host: $0.host, reason: $0.reason(path: path)) }
    }
}
