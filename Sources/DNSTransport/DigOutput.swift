// SPDX-License-Identifier: Apache-2.0

/// The parts of dig's output that are about the exchange rather than the
/// message: the message itself is rendered by `DNSMessage.digText(_:)` in
/// DNSCore.
public enum DigOutput {
    /// `;; Query time: 1 msec`, `;; SERVER: 127.0.0.1#53(127.0.0.1) (UDP)`,
    /// `;; WHEN: …` (when given) and `;; MSG SIZE  rcvd: 56`, then a blank line.
    public static func footer(
        milliseconds: Int, serverAddress: String, port: Int, serverName: String, transport: String, when: String?,
        size: Int
    ) -> String {
        var out = ";; Query time: \(milliseconds) msec\n"
        out += ";; SERVER: \(serverAddress)#\(port)(\(serverName)) (\(transport))\n"
        if let when { out += ";; WHEN: \(when)\n" }
        out += ";; MSG SIZE  rcvd: \(size)\n\n"
        return out
    }

    /// What dig prints before the message when its UDP reply was truncated
    /// and it asks again over TCP.
    public static let truncatedRetry = ";; Truncated, retrying in TCP mode.\n"

    /// What dig prints before the banner when the reply's COOKIE does not
    /// echo the client cookie it sent (the option is then shown `(bad)`).
    public static let cookieMismatch = ";; Warning: Client COOKIE mismatch\n"
}
