// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed OPENPGPKEY lands: kept as opaque octets.
    public typealias OPENPGPKEY = Opaque
}
