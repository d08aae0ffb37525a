// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed CAA lands: kept as opaque octets.
    public typealias CAA = Opaque
}
