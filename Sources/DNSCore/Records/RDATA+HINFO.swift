// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed HINFO lands: kept as opaque octets.
    public typealias HINFO = Opaque
}
