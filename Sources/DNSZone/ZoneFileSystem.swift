// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the zone parser reads files from. The real one reads the disk;
/// tests hand in ``InMemoryZoneFiles``.
///
/// Files are read as streams, a piece at a time, so a large zone file is
/// never held in memory whole (the parser keeps about ``ZoneLimits/readSize``).
public protocol ZoneFileSystem: Sendable {
    /// Opens `path` for reading, or says why it cannot be read.
    func open(path: String) -> Result<any ZoneByteStream, ZoneFileReadError>
    /// A path that names the same file whichever way it was reached, used to
    /// detect `$INCLUDE` loops (the real file system resolves symlinks).
    func canonicalPath(_ path: String) -> String
}

/// An open file, read front to back.
public protocol ZoneByteStream: AnyObject {
    /// Appends at most `count` bytes to `buffer`; returns how many (0 at the end).
    func read(upTo count: Int, into buffer: inout [UInt8]) -> Result<Int, ZoneFileReadError>
    /// The file's size in bytes, when known.
    var sizeHint: Int? { get }
}

extension ZoneByteStream {
    public var sizeHint: Int? { nil }
}

/// Why a file could not be read (the text of `strerror`, or "no such file").
public struct ZoneFileReadError: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

extension ZoneFileSystem {
    /// The whole file.
    public func read(path: String) -> Result<[UInt8], ZoneFileReadError> {
        let stream: any ZoneByteStream
        switch self.open(path: path) {
        case .success(let opened): stream = opened
        case .failure(let error): return .failure(error)
        }
        var bytes: [UInt8] = []
        while true {
            switch stream.read(upTo: 1 << 20, into: &bytes) {
            case .success(0): return .success(bytes)
            case .success: continue
            case .failure(let error): return .failure(error)
            }
        }
    }
}

/// Reads files with POSIX `open`/`read` (no Foundation).
public struct LocalZoneFiles: ZoneFileSystem {
    public init() {}

    public func open(path: String) -> Result<any ZoneByteStream, ZoneFileReadError> {
        let fd = posixOpen(path)
        guard fd >= 0 else { return .failure(ZoneFileReadError(lastErrorText())) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = lastErrorText()
            close(fd)
            return .failure(ZoneFileReadError(message))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            return .failure(ZoneFileReadError("is a directory"))
        }
        return .success(FileStream(fd: fd, size: Int(info.st_size)))
    }

    public func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// An open file descriptor, closed when the stream goes away.
    final class FileStream: ZoneByteStream {
        let fd: Int32
        let sizeHint: Int?

        init(fd: Int32, size: Int) {
            self.fd = fd
            self.sizeHint = size
        }

        deinit { close(self.fd) }

        func read(upTo wanted: Int, into buffer: inout [UInt8]) -> Result<Int, ZoneFileReadError> {
            let count = max(wanted, 1)
            let start = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: count))
            while true {
                let n = buffer.withUnsafeMutableBytes { posixRead(self.fd, $0.baseAddress! + start, count) }
                if n < 0 && errno == EINTR { continue }
                buffer.removeLast(count - max(n, 0))
                return n < 0 ? .failure(ZoneFileReadError(lastErrorText())) : .success(n)
            }
        }
    }
}

/// Files held in memory, for tests and for zone text given directly.
public struct InMemoryZoneFiles: ZoneFileSystem {
    public var files: [String: [UInt8]]
    /// At most this many bytes per read, so tests can put piece boundaries anywhere.
    public var maxReadSize: Int

    public init(_ files: [String: String], maxReadSize: Int = Int.max) {
        self.files = files.mapValues { Array($0.utf8) }
        self.maxReadSize = maxReadSize
    }

    public func open(path: String) -> Result<any ZoneByteStream, ZoneFileReadError> {
        guard let bytes = self.files[self.canonicalPath(path)] else {
            return .failure(ZoneFileReadError("No such file or directory"))
        }
        return .success(MemoryStream(bytes: bytes, maxReadSize: self.maxReadSize))
    }

    /// Removes `./` segments and resolves `dir/../`, so `a/../b.zone` is `b.zone`.
    public func canonicalPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : joined
    }

    final class MemoryStream: ZoneByteStream {
        let bytes: [UInt8]
        let maxReadSize: Int
        var offset = 0
        var sizeHint: Int? { self.bytes.count }

        init(bytes: [UInt8], maxReadSize: Int) {
            self.bytes = bytes
            self.maxReadSize = max(1, maxReadSize)
        }

        func read(upTo count: Int, into buffer: inout [UInt8]) -> Result<Int, ZoneFileReadError> {
            let n = min(count, self.maxReadSize, self.bytes.count - self.offset)
            buffer.append(contentsOf: self.bytes[self.offset..<(self.offset + n)])
            self.offset += n
            return .success(n)
        }
    }
}

/// `path` taken relative to the directory of `includingFile` (absolute paths unchanged).
func resolveIncludePath(_ path: String, from includingFile: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let slash = includingFile.lastIndex(of: "/") else { return path }
    return String(includingFile[...slash]) + path
}

/// POSIX `open(2)` for reading, named apart from ``ZoneFileSystem/open(path:)``.
private func posixOpen(_ path: String) -> Int32 {
    open(path, O_RDONLY | O_CLOEXEC)
}

/// POSIX `read(2)`, named apart from ``ZoneByteStream/read(upTo:into:)``.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func lastErrorText() -> String {
    guard let text = strerror(errno) else { return "error \(errno)" }
    return String(cString: text)
}
