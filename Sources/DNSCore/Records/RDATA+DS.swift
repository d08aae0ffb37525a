// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed DS lands: kept as opaque octets.
    public typealias DS = Opaque
}
