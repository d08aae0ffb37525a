// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed TSIG lands: kept as opaque octets.
    public typealias TSIG = Opaque
}
