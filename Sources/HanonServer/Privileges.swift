// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Dropping root after the listeners are bound (port 53 needs root or
/// CAP_NET_BIND_SERVICE; nothing after binding does).
public enum Privileges {
    public struct DropError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Switches to `user` and its primary group, dropping supplementary groups.
    /// Does nothing when not running as root and already `user`.
    public static func drop(to user: String) throws {
        guard let entry = getpwnam(user) else {
            throw DropError(description: "user '\(user)' does not exist")
        }
        let uid = entry.pointee.pw_uid
        let gid = entry.pointee.pw_gid
        if getuid() == uid && geteuid() == uid { return }
        guard geteuid() == 0 else {
            throw DropError(description: "cannot switch to user '\(user)': not running as root")
        }
        guard setgroups(0, nil) == 0 else { throw DropError(description: "setgroups: \(errnoText())") }
        guard setgid(gid) == 0 else { throw DropError(description: "setgid(\(gid)): \(errnoText())") }
        guard setuid(uid) == 0 else { throw DropError(description: "setuid(\(uid)): \(errnoText())") }
        // Make sure root cannot be regained.
        guard setuid(0) != 0 else { throw DropError(description: "root privileges could be regained after setuid") }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
