// SPDX-License-Identifier: Apache-2.0

import DNSCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Zone keys kept in a directory, in BIND's format so that `dnssec-signzone`
/// and `dnssec-keygen` users can share them (BIND 9 ARM, "dnssec-keygen"):
///
/// - `K<zone>+<alg>+<tag>.key` (mode 0644): comments, then the DNSKEY record
///   in presentation form;
/// - `K<zone>+<alg>+<tag>.private` (mode 0600, created so, never widened):
///   `Private-key-format: v1.3`, `Algorithm: 13 (ECDSAP256SHA256)`, then
///   `PrivateKey:` (ECDSA scalar, Ed25519 seed, base64) or the RSA fields
///   `Modulus:` … `Coefficient:`, then `Created:`, `Publish:` and `Activate:`
///   as `YYYYMMDDHHMMSS`.
///
/// `<zone>` is the apex in lower case with its final dot, `<alg>` three
/// digits, `<tag>` five digits.
public enum KeyStore {
    /// `K<zone>+<alg>+<tag>` for a key.
    public static func baseName(zone: DomainName, algorithm: DNSSECAlgorithm, keyTag: UInt16) -> String {
        let zoneText = zone.lowercased().description
        return "K\(zoneText)+\(pad(Int(algorithm.rawValue), 3))+\(pad(Int(keyTag), 5))"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// Writes the key's two files into `directory`; returns the base path.
    /// The private file is created with mode 0600 (`O_CREAT | O_EXCL`), so it
    /// is never readable by others, not even for a moment; both are fsynced.
    @discardableResult
    public static func write(_ key: ZoneKey, directory: String) throws(DNSSECError) -> String {
        let base = directory + "/" + self.baseName(zone: key.zone, algorithm: key.algorithm, keyTag: key.keyTag)
        try self.writeFile(base + ".private", self.privateText(key), mode: 0o600)
        try self.writeFile(base + ".key", self.publicText(key), mode: 0o644)
        return base
    }

    /// The `.key` file: comments and the DNSKEY record.
    public static func publicText(_ key: ZoneKey) -> String {
        let role = key.isSecureEntryPoint ? "key-signing" : "zone-signing"
        var text = "; This is a \(role) key, keyid \(key.keyTag), for \(key.zone.lowercased())\n"
        text += "; Created: \(DNSSECTime.format(key.created))\n"
        text += "\(key.zone.lowercased()) IN DNSKEY \(RDATA.dnskey(key.dnskey))\n"
        return text
    }

    /// The `.private` file.
    public static func privateText(_ key: ZoneKey) -> String {
        var text = "Private-key-format: v1.3\n"
        text += "Algorithm: \(key.algorithm.rawValue) (\(self.mnemonic(key.algorithm)))\n"
        if let raw = key.key.rawPrivateKey {
            text += "PrivateKey: \(Base64.encode(raw))\n"
        } else if let rsa = key.key.rsaComponents {
            text += "Modulus: \(Base64.encode(rsa.modulus))\n"
            text += "PublicExponent: \(Base64.encode(rsa.publicExponent))\n"
            text += "PrivateExponent: \(Base64.encode(rsa.privateExponent))\n"
            text += "Prime1: \(Base64.encode(rsa.prime1))\n"
            text += "Prime2: \(Base64.encode(rsa.prime2))\n"
            text += "Exponent1: \(Base64.encode(rsa.exponent1))\n"
            text += "Exponent2: \(Base64.encode(rsa.exponent2))\n"
            text += "Coefficient: \(Base64.encode(rsa.coefficient))\n"
        }
        let time = DNSSECTime.format(key.created)
        text += "Created: \(time)\nPublish: \(time)\nActivate: \(time)\n"
        return text
    }

    static func mnemonic(_ algorithm: DNSSECAlgorithm) -> String {
        switch algorithm {
        case .rsaSHA1: "RSASHA1"
        case .rsaSHA1NSEC3SHA1: "NSEC3RSASHA1"
        case .rsaSHA256: "RSASHA256"
        case .rsaSHA512: "RSASHA512"
        case .ecdsaP256SHA256: "ECDSAP256SHA256"
        case .ecdsaP384SHA384: "ECDSAP384SHA384"
        case .ed25519: "ED25519"
        case .ed448: "ED448"
        default: "UNKNOWN"
        }
    }

    /// Reads one key from its `.key` and `.private` text (BIND's format,
    /// as above; unknown fields are ignored).
    public static func parse(publicText: String, privateText: String) throws(DNSSECError) -> ZoneKey {
        var record: ResourceRecord? = nil
        for line in publicText.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix(";") { continue }
            do {
                record = try ResourceRecord(text: String(trimmed), origin: .root)
            } catch {
                throw DNSSECError(.keyFile, "bad DNSKEY line: \(error.message)")
            }
            break
        }
        guard let record, case .dnskey(let dnskey) = record.rdata else {
            throw DNSSECError(.keyFile, "no DNSKEY record in the .key file")
        }
        var fields: [String: String] = [:]
        for line in privateText.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon]).lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            fields[name] = value
        }
        func bytes(_ name: String) throws(DNSSECError) -> [UInt8] {
            guard let text = fields[name.lowercased()], let value = Base64.decode(Array(text.utf8)) else {
                throw DNSSECError(.keyFile, "missing or bad '\(name)' in the .private file")
            }
            return value
        }
        guard let algorithmText = fields["algorithm"],
            let number = UInt8(algorithmText.split(separator: " ").first ?? "")
        else { throw DNSSECError(.keyFile, "missing or bad 'Algorithm' in the .private file") }
        let algorithm = DNSSECAlgorithm(number)
        guard algorithm == dnskey.algorithm else {
            throw DNSSECError(
                .keyFile, "the .private file is for algorithm \(number), the DNSKEY for \(dnskey.algorithm)")
        }
        let key: DNSSECSigningKey
        switch algorithm {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512:
            key = try DNSSECSigningKey(
                rsaAlgorithm: algorithm,
                components: RSAComponents(
                    modulus: try bytes("Modulus"), publicExponent: try bytes("PublicExponent"),
                    privateExponent: try bytes("PrivateExponent"), prime1: try bytes("Prime1"),
                    prime2: try bytes("Prime2"), exponent1: try bytes("Exponent1"), exponent2: try bytes("Exponent2"),
                    coefficient: try bytes("Coefficient")))
        default:
            key = try DNSSECSigningKey(algorithm: algorithm, privateKey: try bytes("PrivateKey"))
        }
        guard key.publicKey == dnskey.publicKey else {
            throw DNSSECError(.keyFile, "the private key does not match the DNSKEY")
        }
        let created = fields["created"].flatMap { DNSSECTime.parse(Array($0.utf8)) } ?? 0
        return ZoneKey(zone: record.name, key: key, flags: dnskey.flags, created: created)
    }

    /// Every key of `zone` in `directory` (files `K<zone>+*.key` with their
    /// `.private`), sorted by key tag; an unreadable pair is an error.
    public static func load(zone: DomainName, directory: String) throws(DNSSECError) -> [ZoneKey] {
        let prefix = "K" + zone.lowercased().description + "+"
        guard let dir = opendir(directory) else {
            throw DNSSECError(.keyFile, "cannot open key directory \(directory): \(String(cString: strerror(errno)))")
        }
        var bases: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasPrefix(prefix) && name.hasSuffix(".key") {
                bases.append(String(name.dropLast(4)))
            }
        }
        closedir(dir)
        var keys: [ZoneKey] = []
        for base in bases.sorted() {
            let path = directory + "/" + base
            let key = try self.parse(
                publicText: try self.readFile(path + ".key"), privateText: try self.readFile(path + ".private"))
            guard key.zone == zone else { continue }
            keys.append(key)
        }
        return keys.sorted { $0.keyTag < $1.keyTag }
    }

    static func writeFile(_ path: String, _ text: String, mode: mode_t) throws(DNSSECError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw DNSSECError(.keyFile, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DNSSECError(.keyFile, "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        guard fsync(fd) == 0 else {
            throw DNSSECError(.keyFile, "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func readFile(_ path: String) throws(DNSSECError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DNSSECError(.keyFile, "cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DNSSECError(.keyFile, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
            if out.count > 1 << 20 { throw DNSSECError(.keyFile, "\(path) is too large for a key file") }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(
            self.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
