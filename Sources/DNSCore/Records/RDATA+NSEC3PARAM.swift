// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed NSEC3PARAM lands: kept as opaque octets.
    public typealias NSEC3PARAM = Opaque
}
