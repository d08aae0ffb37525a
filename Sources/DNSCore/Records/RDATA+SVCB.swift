// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed SVCB lands: kept as opaque octets.
    public typealias SVCB = Opaque
}
