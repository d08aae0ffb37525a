// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed RRSIG lands: kept as opaque octets.
    public typealias RRSIG = Opaque
}
