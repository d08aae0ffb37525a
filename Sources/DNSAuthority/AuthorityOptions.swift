// SPDX-License-Identifier: Apache-2.0

/// Settings of the answer logic.
public struct AuthorityOptions: Sendable, Hashable {
    /// Our EDNS UDP payload size (RFC 6891 §6.2.5), advertised in the OPT
    /// record and the ceiling for UDP responses. Default 1232 (DNS flag day 2020).
    public var maxUDPPayload: Int = 1232
    /// The RFC 5001 name server identifier, sent when a query asks for it;
    /// nil sends none.
    public var nsid: [UInt8]? = nil
    /// Answer of CHAOS TXT `id.server.` and `hostname.bind.` (RFC 4892);
    /// nil refuses them.
    public var identity: String? = nil
    /// Answer of CHAOS TXT `version.bind.` and `version.server.`; nil (the
    /// default) refuses them.
    public var version: String? = nil
    /// Most CNAME/DNAME links followed in one answer (loops stop earlier).
    public var maxChainLength: Int = 16
    /// Whether MX and SRV answers carry the A/AAAA of their targets in the
    /// zone (RFC 1035 §3.3.9, RFC 2782 "additional section processing").
    /// Default on, as the issue asks; NSD with `minimal-responses: yes` adds
    /// them for NS only, so turn it off to compare byte for byte with it.
    public var additionalForMailAndServices: Bool = true

    /// Options with the defaults above unless given.
    public init(
        maxUDPPayload: Int = 1232, nsid: [UInt8]? = nil, identity: String? = nil, version: String? = nil,
        maxChainLength: Int = 16, additionalForMailAndServices: Bool = true
    ) {
        self.additionalForMailAndServices = additionalForMailAndServices
        self.maxUDPPayload = maxUDPPayload
        self.nsid = nsid
        self.identity = identity
        self.version = version
        self.maxChainLength = maxChainLength
    }
}

/// How a response travels, which bounds its size (RFC 1035 §4.2.1, RFC 6891 §6.2.5).
public enum Transport: Sendable, Hashable {
    case udp
    case tcp
}
