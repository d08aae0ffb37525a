// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension DNSSEC {
    /// The next closer name (RFC 5155 §1.3): "the name one label longer than
    /// the closest encloser" on the way down to `name`. Nil when `name` is not
    /// strictly below `closestEncloser`.
    public static func nextCloserName(_ name: DomainName, closestEncloser: DomainName) -> DomainName? {
        let labels = closestEncloser.labelCount + 1
        guard name.labelCount >= labels, name.isSubdomain(of: closestEncloser) else { return nil }
        return name.suffix(labels: labels)
    }

    /// The wildcard at the closest encloser, `*.<closest encloser>`
    /// (RFC 4592 §3.3.1, "source of synthesis"): the name whose absence an
    /// NXDOMAIN proof must show as well (RFC 4035 §3.1.3.2, RFC 5155 §7.2.2).
    /// Nil when the name would exceed 255 octets.
    public static func wildcardName(closestEncloser: DomainName) -> DomainName? {
        closestEncloser.wildcard
    }

    /// The ancestors of `name` from `name` itself up to `apex`, longest
    /// first: the candidates for the closest (provable) encloser, tried in
    /// this order (RFC 5155 §8.3). Empty when `name` is not at or below `apex`.
    public static func enclosers(of name: DomainName, upTo apex: DomainName) -> [DomainName] {
        guard name.isSubdomain(of: apex) else { return [] }
        let count = name.labelCount - apex.labelCount
        return (0...count).reversed().map { name.suffix(labels: apex.labelCount + $0) }
    }
}
