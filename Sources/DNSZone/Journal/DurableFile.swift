// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a journal or a durable file could not be read or written.
public struct JournalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What failed, with the path and the system's reason.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { self.message }

    /// "`what` `path`: strerror(errno)".
    static func system(_ what: String, _ path: String) -> JournalError {
        let reason = strerror(errno).map { String(cString: $0) } ?? "error \(errno)"
        return JournalError("\(what) \(path): \(reason)")
    }
}

/// File operations that survive a crash: data reaches the disk (fsync)
/// before a caller is told it is written, and a file is replaced whole or
/// not at all (write a temporary file, fsync it, rename it over the old one,
/// fsync the directory — the rename is what makes it visible).
public enum DurableFile {
    /// Replaces `path` with `bytes` atomically and durably.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(JournalError) {
        let temporary = path + ".tmp"
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .system("cannot create", temporary) }
        do throws(JournalError) {
            try writeAll(fd, bytes, path: temporary)
            guard fsync(fd) == 0 else { throw JournalError.system("cannot fsync", temporary) }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else {
            let error = JournalError.system("cannot rename to", path)
            unlink(temporary)
            throw error
        }
        try syncDirectory(of: path)
    }

    /// Fsyncs the directory holding `path`, so a creation or rename in it is durable.
    public static func syncDirectory(of path: String) throws(JournalError) {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("cannot open directory", directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .system("cannot fsync directory", directory) }
    }

    /// Writes every byte, retrying short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(JournalError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.write(fd, raw.baseAddress.map { $0 + done }, bytes.count - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("cannot write", path)
            }
            done += n
        }
    }

    /// The whole file, or nil when it does not exist.
    public static func read(_ path: String) throws(JournalError) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .system("cannot open", path)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("cannot read", path)
            }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }
}
