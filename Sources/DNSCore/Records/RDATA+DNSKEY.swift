// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed DNSKEY lands: kept as opaque octets.
    public typealias DNSKEY = Opaque
}
