// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed URI lands: kept as opaque octets.
    public typealias URI = Opaque
}
