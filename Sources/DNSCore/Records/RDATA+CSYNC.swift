// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed CSYNC lands: kept as opaque octets.
    public typealias CSYNC = Opaque
}
