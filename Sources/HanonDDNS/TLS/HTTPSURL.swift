// SPDX-License-Identifier: Apache-2.0

/// An `https://host[:port][/path][?query]` URL. Only HTTPS: every request hanon's DDNS client
/// makes carries credentials or decides what goes into DNS, so none goes in clear text.
public struct HTTPSURL: Hashable, Sendable, CustomStringConvertible {
    /// A name, or an IP address without brackets.
    public var host: String
    public var port: Int
    /// Path and query, starting with `/`.
    public var target: String

    public init(host: String, port: Int = 443, target: String = "/") {
        self.host = host
        self.port = port
        self.target = target
    }

    /// Parses the URL; nil unless it is `https://` with a host and a port from 1 to 65535.
    public init?(_ text: String) {
        guard text.lowercased().hasPrefix("https://") else { return nil }
        let rest = text.dropFirst("https://".count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        guard !authority.isEmpty, !authority.contains("@"),
            !target.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F })
        else { return nil }
        var host = Substring(authority)
        var port = 443
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()), (1...65535).contains(p) else { return nil }
                port = p
            }
            guard IPAddress(host)?.family == .v6 else { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            port = p
        }
        guard !host.isEmpty,
            host.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "." || $0 == ":"
            })
        else { return nil }
        self.init(host: host.lowercased(), port: port, target: target)
    }

    /// The `Host` header value.
    public var hostHeader: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == 443 ? h : "\(h):\(port)"
    }

    /// This URL with another path and query.
    public func with(target: String) -> HTTPSURL { HTTPSURL(host: host, port: port, target: target) }

    public var description: String { "https://\(hostHeader)\(target)" }

    /// `name=value&…` with each part percent-encoded (RFC 3986 §2.1; unreserved characters kept).
    public static func query(_ items: [(String, String)]) -> String {
        items.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    static func percentEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            let c = Unicode.Scalar(byte)
            if ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
                || "-._~".unicodeScalars.contains(c)
            {
                out.unicodeScalars.append(c)
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return out
    }
}
