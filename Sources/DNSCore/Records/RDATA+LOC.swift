// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed LOC lands: kept as opaque octets.
    public typealias LOC = Opaque
}
