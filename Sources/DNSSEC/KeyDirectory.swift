// SPDX-License-Identifier: Apache-2.0

import DNSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the server finds a signed zone's keys, and the keys it signs with
/// now: ``KeyLifecycle`` (generation on first use, rollovers, the state file
/// beside the BIND key files).
public enum KeyDirectory {
    /// `DATA/keys/ZONE` (the zone in lower case without its final dot; `root` for the root).
    public static func path(data: String, zone: DomainName) -> String {
        var name = zone.lowercased().description
        if name.hasSuffix(".") { name.removeLast() }
        if name.isEmpty { name = "root" }
        return data + (data.hasSuffix("/") ? "" : "/") + "keys/" + String(name.map { $0 == "/" ? "_" : $0 })
    }

    /// The keys of `zone` as the signer uses them at `now`: the key
    /// lifecycle's set, its due rollover steps taken (and written to the
    /// state file), keys generated on first use.
    public static func currentKeySet(
        zone: DomainName, directory: String, policy: KeyPolicy, now: UInt32
    ) throws(DNSSECError) -> ZoneKeySet {
        try self.makeDirectory(directory)
        return try KeyLifecycle.keys(zone: zone, directory: directory, policy: policy, now: now).keySet
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
