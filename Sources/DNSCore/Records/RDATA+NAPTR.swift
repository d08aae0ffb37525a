// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed NAPTR lands: kept as opaque octets.
    public typealias NAPTR = Opaque
}
