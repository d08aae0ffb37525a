// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed RP lands: kept as opaque octets.
    public typealias RP = Opaque
}
