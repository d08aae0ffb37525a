// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import DNSAuthority
import DNSCore

struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Make TSIG keys (RFC 8945).",
        subcommands: [KeyGenerateCommand.self]
    )
}

/// `hanon key generate NAME`: a new TSIG key, printed for hanon and for BIND.
struct KeyGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Print a new TSIG key as a hanon [[key]] table and a BIND key block.",
        discussion: """
            The secret is as long as the algorithm's output (32 octets for hmac-sha256), from the \
            system's random number generator, as tsig-keygen makes it. Give the same key to both \
            ends of a transfer, an update or a NOTIFY; keep it out of version control.
            """
    )

    @Argument(help: "The key's name, e.g. transfer.example.org (both ends must use the same name).")
    var name: String

    @Option(help: "hmac-sha256, hmac-sha384, hmac-sha512, hmac-sha1 or hmac-md5.")
    var algorithm = "hmac-sha256"

    func run() throws {
        guard let algorithm = TSIGAlgorithm(mnemonic: self.algorithm) else {
            throw ValidationError(
                "unknown algorithm '\(self.algorithm)'; expected one of "
                    + TSIGAlgorithm.all.map(\.mnemonic).joined(separator: ", "))
        }
        let keyName: DomainName
        do {
            keyName = try DomainName(self.name.hasSuffix(".") ? self.name : self.name + ".", origin: .root)
        } catch {
            throw ValidationError("bad key name '\(self.name)': \(error.message)")
        }
        guard !keyName.isRoot else { throw ValidationError("the key name must not be the root") }
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<algorithm.macSize).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        print(Self.snippets(name: keyName, algorithm: algorithm, secret: secret), terminator: "")
    }

    /// The hanon config table and the BIND `key` statement for one key.
    static func snippets(name: DomainName, algorithm: TSIGAlgorithm, secret: [UInt8]) -> String {
        let text = name.description
        let base64 = Base64.encode(secret)
        return """
            # hanon.toml
            [[key]]
            name = "\(text)"
            algorithm = "\(algorithm.mnemonic)"
            secret = "\(base64)"

            # BIND named.conf (also for nsupdate -k and dig -k)
            key "\(text)" {
                algorithm \(algorithm.mnemonic);
                secret "\(base64)";
            };

            """
    }
}
