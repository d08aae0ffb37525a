// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `hanon.pid` in the data directory: lets `hanon reload` find the server.
public struct PidFile: Sendable {
    public let path: String

    public init(directory: String) {
        self.path = directory.hasSuffix("/") ? directory + "hanon.pid" : directory + "/hanon.pid"
    }

    public struct PidFileError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes this process's ID (atomically: temporary file, then rename).
    public func write() throws {
        let temporary = self.path + ".tmp"
        let text = "\(getpid())\n"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw PidFileError(description: "cannot write \(temporary): \(Privileges.errnoText())") }
        let written = text.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, text.utf8.count) }
        close(fd)
        guard written == text.utf8.count, rename(temporary, self.path) == 0 else {
            throw PidFileError(description: "cannot write \(self.path): \(Privileges.errnoText())")
        }
    }

    /// The process ID recorded, when the file exists and that process is alive.
    public func read() throws -> pid_t {
        let fd = open(self.path, O_RDONLY)
        guard fd >= 0 else {
            throw PidFileError(
                description:
                    "\(self.path): \(Privileges.errnoText()) (is hanon serve running with this data directory?)")
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 31) }
        let text = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
            .trimmingSuffix { $0 == "\n" || $0 == " " }
        guard let pid = pid_t(text), pid > 0 else {
            throw PidFileError(description: "\(self.path) does not hold a process ID")
        }
        guard kill(pid, 0) == 0 || errno == EPERM else {
            throw PidFileError(description: "process \(pid) from \(self.path) is not running")
        }
        return pid
    }

    public func remove() {
        unlink(self.path)
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var s = Substring(self)
        while let last = s.last, predicate(last) { s = s.dropLast() }
        return String(s)
    }
}

/// Sends SIGHUP (reload) to `pid`.
public func sendHangup(to pid: pid_t) throws {
    guard kill(pid, SIGHUP) == 0 else {
        throw PidFile.PidFileError(description: "cannot signal process \(pid): \(Privileges.errnoText())")
    }
}
