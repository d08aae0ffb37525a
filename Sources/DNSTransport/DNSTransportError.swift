// SPDX-License-Identifier: Apache-2.0

/// Why a query got no usable answer.
///
/// `==` compares the code only, so tests can write
/// `#expect(throws: DNSTransportError.timedOut)`.
public struct DNSTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case timedOut, connectionRefused, connectionClosed, messageTooLong, badResponse, network
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// No matching reply within the timeout, after every try.
        public static let timedOut = Code(.timedOut)
        /// The server's host said nothing listens there (ICMP port unreachable
        /// for UDP, RST for TCP).
        public static let connectionRefused = Code(.connectionRefused)
        /// The TCP connection closed before a reply arrived.
        public static let connectionClosed = Code(.connectionClosed)
        /// A message over 65535 octets cannot be sent over TCP.
        public static let messageTooLong = Code(.messageTooLong)
        /// The reply could not be decoded (TCP: there is no other reply to wait for).
        public static let badResponse = Code(.badResponse)
        /// Any other socket error.
        public static let network = Code(.network)

        public var description: String {
            switch self.value {
            case .timedOut: "timed out"
            case .connectionRefused: "connection refused"
            case .connectionClosed: "connection closed"
            case .messageTooLong: "message too long"
            case .badResponse: "bad response"
            case .network: "network error"
            }
        }
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    public static let timedOut = DNSTransportError(.timedOut)
    public static let connectionRefused = DNSTransportError(.connectionRefused)
    public static let connectionClosed = DNSTransportError(.connectionClosed)
    public static let messageTooLong = DNSTransportError(.messageTooLong)
    public static let badResponse = DNSTransportError(.badResponse)
    public static let network = DNSTransportError(.network)

    public static func == (lhs: DNSTransportError, rhs: DNSTransportError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String { self.detail.isEmpty ? self.code.description : "\(self.code): \(self.detail)" }
}
