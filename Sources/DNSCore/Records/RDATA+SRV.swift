// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed SRV lands: kept as opaque octets.
    public typealias SRV = Opaque
}
