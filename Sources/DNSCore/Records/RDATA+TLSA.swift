// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed TLSA lands: kept as opaque octets.
    public typealias TLSA = Opaque
}
