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
public protocol ZoneFileSystem: Sendable {
    /// The whole file, or a message saying why it cannot be read.
    func read(path: String) -> Result<[UInt8], ZoneFileReadError>
    /// A path that names the same file whichever way it was reached, used to
    /// detect `$INCLUDE` loops (the real file system resolves symlinks).
    func canonicalPath(_ path: String) -> String
}

/// Why a file could not be read (the text of `strerror`, or "no such file").
public struct ZoneFileReadError: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Reads files with POSIX `open`/`read` (no Foundation, RFC-free plumbing).
public struct LocalZoneFiles: ZoneFileSystem {
    public init() {}

    public func read(path: String) -> Result<[UInt8], ZoneFileReadError> {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return .failure(ZoneFileReadError(Self.lastError())) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(ZoneFileReadError(Self.lastError())) }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(ZoneFileReadError("is a directory")) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(Int(info.st_size), 0) + 1)
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, chunk) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ZoneFileReadError(Self.lastError()))
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return .success(bytes)
    }

    public func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func lastError() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(cString: text)
    }
}

/// Files held in memory, for tests and for zone text given directly.
public struct InMemoryZoneFiles: ZoneFileSystem {
    public var files: [String: [UInt8]]

    public init(_ files: [String: String]) {
        self.files = files.mapValues { Array($0.utf8) }
    }

    public func read(path: String) -> Result<[UInt8], ZoneFileReadError> {
        guard let bytes = self.files[self.canonicalPath(path)] else {
            return .failure(ZoneFileReadError("No such file or directory"))
        }
        return .success(bytes)
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
}

/// `path` taken relative to the directory of `includingFile` (absolute paths unchanged).
func resolveIncludePath(_ path: String, from includingFile: String) -> String {
    if path.hasPrefix("/") { return path }
    guard let slash = includingFile.lastIndex(of: "/") else { return path }
    return String(includingFile[...slash]) + path
}

/// POSIX `read(2)`, named apart from ``ZoneFileSystem/read(path:)``.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buffer, count)
}
