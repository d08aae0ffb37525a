// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A zone's keys kept in its key directory: the BIND key files
/// (``KeyStore``) and the state file (``KeyStateFile``), moved on by
/// ``KeySchedule``. The entry point for the server and the `hanon dnssec`
/// commands; every call reads the directory afresh and writes back what
/// changed, under a lock, so the commands and a running server can share it.
public enum KeyLifecycle {
    /// What the zone is to be signed with now.
    public struct Result: Sendable {
        /// The keys by role, `nextChange` included.
        public var keySet: ZoneKeySet
        /// When to call ``keys(zone:directory:policy:now:)`` again (a step
        /// falls due); nil: only after a DS confirmation or a command.
        public var nextChange: UInt32? { self.keySet.nextChange }
        /// SEP keys whose DS is submitted but not confirmed: ask the parent
        /// (``ParentDSQuery``) and call ``confirmDS(zone:directory:keyTag:now:ttl:)``.
        public var awaitingDS: [ZoneKey]
        /// The steps taken by this call, for the log.
        public var events: [String]
        /// The states after this call.
        public var schedule: KeySchedule
        /// Differences between the policy and the keys that the lifecycle
        /// does not act on (an algorithm or scheme change needs a rollover
        /// of its own, RFC 6781 §4.1.4, not done): for the log.
        public var warnings: [String]
    }

    /// `<data>/keys/<zone>`: the zone in lower case without its final dot
    /// (`root` for the root zone).
    public static func directory(data: String, zone: DomainName) -> String {
        let name = zone.lowercased().description
        return data + "/keys/" + (name == "." ? "root" : String(name.dropLast()))
    }

    /// The keys to sign `zone` with at `now`: reads the key directory
    /// (creating it, mode 0700, when missing), generates keys when there are
    /// none (adopting key files found without a state file), takes the
    /// rollover steps due (``KeySchedule/advance(policy:now:generate:)``) and
    /// writes the state file when it changed.
    ///
    /// Errors (a state file that does not parse — with file and line —, a
    /// key listed without its files, a directory that cannot be written)
    /// leave the directory as it was; keys are never regenerated to get
    /// past one.
    public static func keys(
        zone: DomainName, directory: String, policy: KeyPolicy, now: UInt32
    ) throws(DNSSECError) -> Result {
        try self.makeDirectory(directory)
        let lock = try self.lock(directory)
        defer { close(lock) }
        var files = try KeyStore.load(zone: zone, directory: directory)
        let path = KeyStateFile.path(zone: zone, directory: directory)
        var schedule = try self.readState(path: path) ?? self.adopt(files)
        try self.checkFiles(schedule, files, at: now, path: path, directory: directory)
        let before = schedule
        var taken = Set(schedule.keys.map(\.keyTag) + files.map(\.keyTag))
        let events = try schedule.advance(policy: policy, now: now) { role throws(DNSSECError) in
            let key = try self.generate(zone: zone, role: role, policy: policy, now: now, avoiding: taken)
            try KeyStore.write(key, directory: directory)
            files.append(key)
            taken.insert(key.keyTag)
            return KeyRecord(keyTag: key.keyTag, algorithm: key.algorithm, role: role, created: now)
        }
        if schedule != before || !self.fileExists(path) {
            try self.writeState(schedule, zone: zone, path: path)
        }
        func zoneKeys(_ records: [KeyRecord]) -> [ZoneKey] {
            records.compactMap { record in
                files.first { $0.keyTag == record.keyTag && $0.algorithm == record.algorithm }
            }
        }
        let view = schedule.view(at: now)
        let set = ZoneKeySet(
            zone: zone, published: zoneKeys(view.published), keySigning: zoneKeys(view.keySigning),
            zoneSigning: zoneKeys(view.zoneSigning), parentKeys: zoneKeys(view.parentKeys),
            nextChange: schedule.nextEvent?.time)
        return Result(
            keySet: set, awaitingDS: zoneKeys(schedule.awaitingDS(at: now)), events: events, schedule: schedule,
            warnings: self.warnings(schedule, policy: policy, zone: zone, now: now))
    }

    /// Records that the parent lists the DS of key `keyTag` (the parent
    /// check, or `hanon dnssec ds-seen`). The rollover moves on at the next
    /// ``keys(zone:directory:policy:now:)``.
    public static func confirmDS(
        zone: DomainName, directory: String, keyTag: UInt16, now: UInt32, ttl: UInt32? = nil
    ) throws(DNSSECError) {
        try self.update(zone: zone, directory: directory) { schedule throws(DNSSECError) in
            try schedule.confirmDS(keyTag: keyTag, at: now, ttl: ttl)
        }
    }

    /// Asks for a rollover of the active key of `role` (`hanon dnssec
    /// rollover`); it starts at the next ``keys(zone:directory:policy:now:)``.
    public static func requestRollover(
        zone: DomainName, directory: String, role: KeyRole, now: UInt32
    ) throws(DNSSECError) {
        try self.update(zone: zone, directory: directory) { schedule throws(DNSSECError) in
            try schedule.requestRollover(role: role, at: now)
        }
    }

    /// The zone's states as stored, or nil when there is no state file.
    public static func schedule(zone: DomainName, directory: String) throws(DNSSECError) -> KeySchedule? {
        try self.readState(path: KeyStateFile.path(zone: zone, directory: directory))
    }

    private static func update(
        zone: DomainName, directory: String, _ change: (inout KeySchedule) throws(DNSSECError) -> Void
    ) throws(DNSSECError) {
        let lock = try self.lock(directory)
        defer { close(lock) }
        let path = KeyStateFile.path(zone: zone, directory: directory)
        guard var schedule = try self.readState(path: path) else {
            throw DNSSECError(.keyFile, "no key states for \(zone) (\(path) does not exist)")
        }
        try change(&schedule)
        try self.writeState(schedule, zone: zone, path: path)
    }

    /// What the policy asks for and the signing keys do not have.
    static func warnings(_ schedule: KeySchedule, policy: KeyPolicy, zone: DomainName, now: UInt32) -> [String] {
        let signing = schedule.keys.filter { $0.isSigning(at: now) }
        guard !signing.isEmpty else { return [] }
        var warnings: [String] = []
        let algorithms = Set(signing.map(\.algorithm.rawValue)).sorted()
        if algorithms != [policy.algorithm.rawValue] {
            warnings.append(
                "\(zone): the keys use algorithm \(algorithms.map(String.init).joined(separator: ", ")), the policy "
                    + "asks for \(policy.algorithm.rawValue); algorithm rollovers are not supported, the keys are kept")
        }
        let roles = Set(signing.map(\.role.rawValue)).sorted()
        if roles.contains("csk") != (policy.scheme == .csk) {
            warnings.append(
                "\(zone): the keys are \(roles.joined(separator: "+")), the policy asks for "
                    + "\(policy.scheme.rawValue); a change of scheme is not supported, the keys are kept")
        }
        return warnings
    }

    /// Key files found without a state file (made by hand, or by an earlier
    /// hanon): each is taken as published and active since it was created,
    /// a SEP key as a CSK when there is no ZSK, with its DS submitted.
    static func adopt(_ files: [ZoneKey]) -> KeySchedule {
        let hasZSK = files.contains { !$0.isSecureEntryPoint }
        return KeySchedule(
            keys: files.map { key in
                let role: KeyRole = key.isSecureEntryPoint ? (hasZSK ? .ksk : .csk) : .zsk
                return KeyRecord(
                    keyTag: key.keyTag, algorithm: key.algorithm, role: role, created: key.created,
                    published: key.created, active: key.created,
                    dsSubmitted: role.isSecureEntryPoint ? key.created : nil)
            })
    }

    /// Every key not yet removed must have its files, with the right flags.
    static func checkFiles(
        _ schedule: KeySchedule, _ files: [ZoneKey], at now: UInt32, path: String, directory: String
    ) throws(DNSSECError) {
        for record in schedule.keys where !record.isRemoved(at: now) {
            guard let key = files.first(where: { $0.keyTag == record.keyTag && $0.algorithm == record.algorithm })
            else {
                throw DNSSECError(
                    .keyFile,
                    "\(path): key \(record.keyTag) (algorithm \(record.algorithm.rawValue)) has no key files in \(directory)"
                )
            }
            guard key.isSecureEntryPoint == record.role.isSecureEntryPoint else {
                throw DNSSECError(
                    .keyFile,
                    "\(path): key \(record.keyTag) is a \(record.role.rawValue) but its DNSKEY flags are \(key.flags)")
            }
        }
    }

    /// A new key whose tag no key of the zone has (so a tag names one key,
    /// in `ds-seen` and in the state file).
    static func generate(
        zone: DomainName, role: KeyRole, policy: KeyPolicy, now: UInt32, avoiding taken: Set<UInt16>
    ) throws(DNSSECError) -> ZoneKey {
        for _ in 0..<16 {
            let key = try ZoneKey.generate(
                zone: zone, algorithm: policy.algorithm, sep: role.isSecureEntryPoint, now: now)
            if !taken.contains(key.keyTag) { return key }
        }
        throw DNSSECError(.signingFailed, "could not generate a key with an unused key tag")
    }

    static func readState(path: String) throws(DNSSECError) -> KeySchedule? {
        let bytes: [UInt8]?
        do {
            bytes = try DurableFile.read(path)
        } catch {
            throw DNSSECError(.keyFile, error.message)
        }
        guard let bytes else { return nil }
        return try KeyStateFile.parse(String(decoding: bytes, as: UTF8.self), path: path)
    }

    static func writeState(_ schedule: KeySchedule, zone: DomainName, path: String) throws(DNSSECError) {
        do {
            try DurableFile.replace(path, with: Array(KeyStateFile.format(schedule, zone: zone).utf8), mode: 0o644)
        } catch {
            throw DNSSECError(.keyFile, error.message)
        }
    }

    static func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Creates `directory` and its parent (mode 0700) when missing.
    static func makeDirectory(_ directory: String) throws(DNSSECError) {
        var path = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o700) != 0 && errno != EEXIST {
                throw DNSSECError(.keyFile, "cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// An exclusive lock on the directory's `.lock` file, held until closed.
    /// Opened read-only (enough for `flock`), so a lock file created by a
    /// command run as root can still be used by the server's user.
    static func lock(_ directory: String) throws(DNSSECError) -> Int32 {
        let path = directory + "/.lock"
        let fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DNSSECError(.keyFile, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            close(fd)
            throw DNSSECError(.keyFile, "cannot lock \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }
}
