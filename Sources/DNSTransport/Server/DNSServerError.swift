// SPDX-License-Identifier: Apache-2.0

import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a ``DNSServer`` could not start. Each error names the transport and
/// address it was binding.
///
/// `==` compares the code only, so tests can write
/// `#expect(throws: DNSServerError.addressInUse)`.
public struct DNSServerError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case addressInUse, permissionDenied, addressNotAvailable, invalidConfiguration, bindFailed
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// Another socket already listens on the address (EADDRINUSE).
        public static let addressInUse = Code(.addressInUse)
        /// Not allowed to bind there (EACCES): ports below 1024 need root or
        /// CAP_NET_BIND_SERVICE.
        public static let permissionDenied = Code(.permissionDenied)
        /// The address is not one of this host's (EADDRNOTAVAIL), or its
        /// family is not supported (EAFNOSUPPORT, e.g. no IPv6).
        public static let addressNotAvailable = Code(.addressNotAvailable)
        /// The configuration cannot work (no listen address, zero threads…).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// Any other error while creating or binding a socket.
        public static let bindFailed = Code(.bindFailed)

        public var description: String {
            switch self.value {
            case .addressInUse: "address already in use"
            case .permissionDenied: "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)"
            case .addressNotAvailable: "address not available on this host"
            case .invalidConfiguration: "invalid configuration"
            case .bindFailed: "cannot bind"
            }
        }
    }

    public var code: Code
    /// What was being bound, e.g. `UDP 0.0.0.0:53`; empty for configuration errors.
    public var listener: String
    /// The underlying error, for logs.
    public var detail: String

    public init(_ code: Code, listener: String = "", detail: String = "") {
        self.code = code
        self.listener = listener
        self.detail = detail
    }

    public static let addressInUse = DNSServerError(.addressInUse)
    public static let permissionDenied = DNSServerError(.permissionDenied)
    public static let addressNotAvailable = DNSServerError(.addressNotAvailable)
    public static let invalidConfiguration = DNSServerError(.invalidConfiguration)
    public static let bindFailed = DNSServerError(.bindFailed)

    public static func == (lhs: DNSServerError, rhs: DNSServerError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String {
        var text = self.listener.isEmpty ? "\(self.code)" : "cannot listen on \(self.listener): \(self.code)"
        if !self.detail.isEmpty { text += " (\(self.detail))" }
        return text
    }

    /// Classifies an error thrown while binding `listener`.
    static func binding(_ error: any Error, listener: String) -> DNSServerError {
        guard let io = error as? IOError else {
            return DNSServerError(.bindFailed, listener: listener, detail: "\(error)")
        }
        return DNSServerError(Self.code(errno: io.errnoCode), listener: listener, detail: "\(io)")
    }

    /// Classifies a failed `socket`, `setsockopt` or `bind` call's errno.
    static func binding(errno code: CInt, listener: String) -> DNSServerError {
        let text = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return DNSServerError(Self.code(errno: code), listener: listener, detail: text)
    }

    private static func code(errno: CInt) -> Code {
        switch errno {
        case EADDRINUSE: .addressInUse
        case EACCES, EPERM: .permissionDenied
        case EADDRNOTAVAIL, EAFNOSUPPORT: .addressNotAvailable
        default: .bindFailed
        }
    }
}
