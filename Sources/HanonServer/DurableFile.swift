// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files replaced so that a crash leaves either the old or the new
/// contents, never a mix: write a temporary file beside the target, fsync
/// it, rename it over the target, fsync the directory (POSIX rename(2) is
/// atomic; the directory fsync makes the rename itself durable).
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func write(_ path: String, contents: String, mode: mode_t = 0o644) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temporary): \(Self.lastError())") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        var bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(fd, buffer.baseAddress.map { $0 + written }, buffer.count - written)
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let error = Self.lastError()
                close(fd)
                throw Failure(description: "cannot write \(temporary): \(error)")
            }
            written += n
        }
        bytes = []
        guard fsync(fd) == 0 else {
            let error = Self.lastError()
            close(fd)
            throw Failure(description: "cannot fsync \(temporary): \(error)")
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            throw Failure(description: "cannot rename \(temporary) to \(path): \(Self.lastError())")
        }
        ok = true
        Self.syncDirectory(of: path)
    }

    /// fsync of the directory holding `path`, so a rename or a new file in
    /// it survives a crash.
    static func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

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
