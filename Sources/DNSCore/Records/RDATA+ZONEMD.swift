// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed ZONEMD lands: kept as opaque octets.
    public typealias ZONEMD = Opaque
}
