// SPDX-License-Identifier: Apache-2.0

/// One record to keep at the detected addresses (`[[ddns.record]]`).
public struct DDNSRecord: Sendable {
    /// Absolute name without the final dot: `home.example.org`.
    public var name: String
    public var provider: any DDNSProvider
    public var ipv4: Bool
    public var ipv6: Bool
    /// A stable hash of the record's config (provider, server, credentials…): a permanent error
    /// is not retried until it changes.
    public var configHash: String

    public init(name: String, provider: any DDNSProvider, ipv4: Bool, ipv6: Bool, configHash: String) {
        self.name = name
        self.provider = provider
        self.ipv4 = ipv4
        self.ipv6 = ipv6
        self.configHash = configHash
    }

    /// FNV-1a (64 bits) of the parts, as hex: stable across runs, unlike `Hasher`.
    public static func hash(_ parts: [String]) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in parts.joined(separator: "\u{1F}").utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Everything the updater needs: where addresses come from, which records follow them, and
/// how often to look.
public struct DDNSClientSettings: Sendable {
    public var ipv4Source: AddressSource?
    public var ipv6Source: AddressSource?
    public var records: [DDNSRecord]
    /// Time between two detections (`ddns.interval`).
    public var interval: Duration
    /// Publish private and reserved addresses (`ddns.allow-private`).
    public var allowPrivate: Bool
    /// The state file's path (`ddns-state.json` in the data directory).
    public var stateFile: String
    /// First wait after a temporary error; doubled at each further one, up to ``retryCap``.
    public var retryBase: Duration
    public var retryCap: Duration

    public init(
        ipv4Source: AddressSource?, ipv6Source: AddressSource?, records: [DDNSRecord], interval: Duration,
        allowPrivate: Bool, stateFile: String, retryBase: Duration = .seconds(60), retryCap: Duration = .seconds(3600)
    ) {
        self.ipv4Source = ipv4Source
        self.ipv6Source = ipv6Source
        self.records = records
        self.interval = interval
        self.allowPrivate = allowPrivate
        self.stateFile = stateFile
        self.retryBase = retryBase
        self.retryCap = retryCap
    }
}
