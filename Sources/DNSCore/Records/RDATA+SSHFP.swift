// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// Placeholder until the typed SSHFP lands: kept as opaque octets.
    public typealias SSHFP = Opaque
}
