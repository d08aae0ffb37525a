// SPDX-License-Identifier: Apache-2.0

/// Limits applied while decoding untrusted wire data. All in one place so they
/// can be reviewed and tuned together.
public struct WireLimits: Sendable, Hashable {
    /// RFC 1035 §2.3.4: names are at most 255 octets in wire form.
    public static let maxNameWireLength = 255
    /// RFC 1035 §2.3.4: labels are at most 63 octets.
    public static let maxLabelLength = 63
    /// A name of 255 octets has at most 127 labels of one octet plus the root,
    /// so a name that follows more than `(255 + 1) / 2 - 2` pointers must loop
    /// or be over-long: each pointer stands for at least one label (miekg/dns).
    public static let maxCompressionPointers = (maxNameWireLength + 1) / 2 - 2

    /// Most records accepted in one message (all sections together).
    public var maxRecords: Int = 65535 * 4

    public init() {}
    public static let `default` = WireLimits()
}
