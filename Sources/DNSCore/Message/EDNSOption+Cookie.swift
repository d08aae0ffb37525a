// SPDX-License-Identifier: Apache-2.0

extension EDNSOption {
    /// The DNS COOKIE option (RFC 7873 §4).
    ///
    ///     | Client Cookie (8 octets) | Server Cookie (8 to 32 octets, optional) |
    ///
    /// RFC 7873 §5.2.2: an option whose length is not 8 or 16 to 40 is malformed (FORMERR).
    public struct Cookie: Sendable, Hashable {
        /// The client cookie, exactly 8 octets.
        public let client: [UInt8]
        /// The server cookie, 8 to 32 octets, or nil in a first query.
        public let server: [UInt8]?

        /// A cookie from its parts; throws when a length is outside RFC 7873 §4.
        public init(client: [UInt8], server: [UInt8]? = nil) throws(DNSWireError) {
            guard client.count == 8 else {
                throw DNSWireError.badValue.at(0, "client cookie of \(client.count) octets (RFC 7873 §4.1: 8)")
            }
            if let server, !(8...32).contains(server.count) {
                throw DNSWireError.badValue.at(8, "server cookie of \(server.count) octets (RFC 7873 §4.2: 8 to 32)")
            }
            self.client = client
            self.server = server
        }

        /// Decodes a COOKIE option.
        public init(_ option: EDNSOption) throws(DNSWireError) {
            guard option.code == .cookie else { throw DNSWireError.badValue.at(0, "not a COOKIE option") }
            let data = option.data
            guard data.count == 8 || (16...40).contains(data.count) else {
                throw DNSWireError.badValue.at(0, "COOKIE option of \(data.count) octets (RFC 7873 §5.2.2)")
            }
            try self.init(client: Array(data[0..<8]), server: data.count > 8 ? Array(data[8...]) : nil)
        }

        /// The option as sent on the wire.
        public var option: EDNSOption { EDNSOption(code: .cookie, data: self.client + (self.server ?? [])) }
    }
}

extension EDNS {
    /// The COOKIE option, nil when absent; throws when it is malformed (RFC 7873 §5.2.2).
    public var cookie: EDNSOption.Cookie? {
        get throws(DNSWireError) {
            guard let option = self.option(.cookie) else { return nil }
            return try EDNSOption.Cookie(option)
        }
    }

    /// Replaces every option with `option.code` by `option` (appended when absent).
    public mutating func setOption(_ option: EDNSOption) {
        if let first = self.options.firstIndex(where: { $0.code == option.code }) {
            self.options[first] = option
            var i = first + 1
            while i < self.options.count {
                if self.options[i].code == option.code { self.options.remove(at: i) } else { i += 1 }
            }
        } else {
            self.options.append(option)
        }
    }

    /// Removes every option with `code`.
    public mutating func removeOptions(_ code: EDNSOptionCode) {
        self.options.removeAll { $0.code == code }
    }
}
