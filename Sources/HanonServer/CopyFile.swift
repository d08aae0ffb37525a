// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// File helpers for a secondary zone's copy on disk; the copy itself is
/// replaced atomically by DNSZone's ``DurableFile``.
enum CopyFile {
    /// Creates the directory that holds `path` (one level), mode 0750.
    static func makeDirectory(ofFile path: String) {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        _ = mkdir(String(path[..<slash]), 0o750)
    }

    /// Time since the file was last modified; nil when it does not exist.
    static func age(_ path: String) -> Duration? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let seconds = Int64(now.tv_sec) - Int64(info.st_mtim.tv_sec)
        let nanoseconds = Int64(now.tv_nsec) - Int64(info.st_mtim.tv_nsec)
        return max(.zero, .seconds(seconds) + .nanoseconds(nanoseconds))
    }

    /// Sets the file's modification time to now.
    static func touch(_ path: String) {
        _ = utimensat(AT_FDCWD, path, nil, 0)
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }
}
