// SPDX-License-Identifier: Apache-2.0

import DNSCore

/// A TSIG key: a name both ends know it by, an algorithm and a shared secret
/// (RFC 8945 §3).
public struct TSIGKey: Hashable, Sendable, CustomStringConvertible {
    /// The key's name, the owner of the TSIG record.
    public var name: DomainName
    public var algorithm: TSIGAlgorithm
    public var secret: [UInt8]
    /// The shortest MAC accepted from a peer with this key (local policy of
    /// RFC 8945 §5.2.4); a shorter MAC that the RFC allows gets BADTRUNC.
    /// Defaults to the RFC's floor (``TSIGAlgorithm/minimumMACSize``), so every
    /// truncation RFC 8945 §5.2.2.1 permits is accepted, as BIND does by default.
    public var minimumMACSize: Int

    public init(name: DomainName, algorithm: TSIGAlgorithm = .hmacSHA256, secret: [UInt8], minimumMACSize: Int? = nil) {
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
        self.minimumMACSize = max(minimumMACSize ?? algorithm.minimumMACSize, algorithm.minimumMACSize)
    }

    /// `name (algorithm)`; never the secret.
    public var description: String { "\(self.name) (\(self.algorithm))" }
}

/// The keys a server or client knows, looked up by name (case-insensitive)
/// and algorithm.
public struct TSIGKeyring: Sendable {
    private var keys: [DomainName: TSIGKey] = [:]

    public init(_ keys: [TSIGKey] = []) {
        for key in keys { self.keys[key.name] = key }
    }

    public var isEmpty: Bool { self.keys.isEmpty }
    public var count: Int { self.keys.count }

    /// The key named `name`, whatever its algorithm.
    public func key(named name: DomainName) -> TSIGKey? { self.keys[name] }

    /// The key named `name` that uses `algorithm` (given as the TSIG RDATA
    /// names it); nil when there is none, which is BADKEY (RFC 8945 §5.2.1).
    public func key(named name: DomainName, algorithm: DomainName) -> TSIGKey? {
        guard let key = self.keys[name], key.algorithm.name == algorithm else { return nil }
        return key
    }
}
