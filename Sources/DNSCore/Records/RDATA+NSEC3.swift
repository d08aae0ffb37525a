// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed NSEC3 lands: kept as opaque octets.
    public typealias NSEC3 = Opaque
}
