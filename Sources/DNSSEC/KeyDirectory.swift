// SPDX-License-Identifier: Apache-2.0

import DNSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What keys a signed zone wants: the algorithm of new keys, and one CSK or
/// a KSK and a ZSK (RFC 6781 §3.1).
public struct KeyPolicy: Sendable, Hashable {
    public var algorithm: DNSSECAlgorithm
    /// True: a KSK and a ZSK; false: one combined signing key.
    public var splitKeys: Bool

    public init(algorithm: DNSSECAlgorithm = .ecdsaP256SHA256, splitKeys: Bool = false) {
        self.algorithm = algorithm
        self.splitKeys = splitKeys
    }
}

/// The simple key provider: a zone's keys in one directory (BIND key files
/// through ``KeyStore``), generated on first use and reused after that; no
/// rollovers. The key lifecycle replaces it behind the same function,
/// ``currentKeySet(zone:directory:policy:now:)``.
public enum KeyDirectory {
    /// `DATA/keys/ZONE` (the zone in lower case without its final dot; `root` for the root).
    public static func path(data: String, zone: DomainName) -> String {
        var name = zone.lowercased().description
        if name.hasSuffix(".") { name.removeLast() }
        if name.isEmpty { name = "root" }
        return data + (data.hasSuffix("/") ? "" : "/") + "keys/" + String(name.map { $0 == "/" ? "_" : $0 })
    }

    /// The keys of `zone` as the signer uses them now.
    ///
    /// Keys of `policy.algorithm` found in `directory` are used: the oldest
    /// SEP key as KSK (or CSK), the oldest other key as ZSK. Missing ones are
    /// generated and written (private file mode 0600, directory 0700, created
    /// when absent). Keys of other algorithms are left alone.
    public static func currentKeySet(
        zone: DomainName, directory: String, policy: KeyPolicy, now: UInt32
    ) throws(DNSSECError) -> ZoneKeySet {
        try self.makeDirectory(directory)
        let keys = try KeyStore.load(zone: zone, directory: directory).filter { $0.algorithm == policy.algorithm }
            .sorted { ($0.created, $0.keyTag) < ($1.created, $1.keyTag) }
        var ksk = keys.first(where: \.isSecureEntryPoint)
        if ksk == nil {
            let key = try ZoneKey.generate(zone: zone, algorithm: policy.algorithm, sep: true, now: now)
            try KeyStore.write(key, directory: directory)
            ksk = key
        }
        guard let ksk else { throw DNSSECError(.zone, "no key-signing key") }
        guard policy.splitKeys else { return .combined(ksk) }
        var zsk = keys.first { !$0.isSecureEntryPoint }
        if zsk == nil {
            let key = try ZoneKey.generate(zone: zone, algorithm: policy.algorithm, sep: false, now: now)
            try KeyStore.write(key, directory: directory)
            zsk = key
        }
        guard let zsk else { throw DNSSECError(.zone, "no zone-signing key") }
        return ZoneKeySet(
            zone: zone, published: [ksk, zsk], keySigning: [ksk], zoneSigning: [zsk], parentKeys: [ksk])
    }

    /// Creates `path` and its missing parents, mode 0700.
    static func makeDirectory(_ path: String) throws(DNSSECError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & mode_t(S_IFMT)) == mode_t(S_IFDIR) else {
                throw DNSSECError(.keyFile, "\(path) is not a directory")
            }
            return
        }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try self.makeDirectory(String(path[..<slash]))
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw DNSSECError(.keyFile, "cannot create key directory \(path): \(String(cString: strerror(errno)))")
        }
    }
}
