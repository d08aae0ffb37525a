// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import DNSCore
import DNSSEC

struct DNSSECCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dnssec",
        abstract: "DNSSEC keys and the records to give the parent zone.",
        subcommands: [
            DNSSECDSCommand.self, DNSSECStatusCommand.self, DNSSECDSSeenCommand.self, DNSSECRolloverCommand.self,
        ]
    )
}

struct DNSSECDSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ds",
        abstract: "Print the DS (SHA-256) and DNSKEY records of a zone's key-signing keys, for the parent.",
        discussion: """
            Reads the keys of ZONE in --keys DIR (BIND's K<zone>+<alg>+<tag> files) and prints, for each \
            key with the SEP flag (KSK or CSK; every key when none has it), its DS record with a SHA-256 \
            digest (RFC 4509) and its DNSKEY record.
            """
    )

    @Argument(help: "The zone (apex name).")
    var zone: String

    @Option(help: "The key directory.")
    var keys: String

    func run() throws {
        let name: DomainName
        do {
            name = try DomainName(self.zone.hasSuffix(".") ? self.zone : self.zone + ".", origin: .root)
        } catch {
            throw ValidationError("bad zone name '\(self.zone)': \(error.message)")
        }
        let keys: [ZoneKey]
        do {
            keys = try KeyStore.load(zone: name, directory: self.keys)
        } catch {
            throw ValidationError(error.detail)
        }
        guard !keys.isEmpty else { throw ValidationError("no keys for \(name) in \(self.keys)") }
        let chosen = keys.contains(where: \.isSecureEntryPoint) ? keys.filter(\.isSecureEntryPoint) : keys
        var text = ""
        for key in chosen {
            let ds = try DNSSEC.ds(for: key.dnskey, owner: name, digestType: .sha256)
            // One line each (no chunking), as registrars' forms and dnssec-dsfromkey want them.
            let owner = name.description
            text += "\(owner) 3600 IN DS \(ds.keyTag) \(ds.algorithm.rawValue) \(ds.digestType.rawValue) "
            text += Hex.encode(ds.digest) + "\n"
            let dnskey = key.dnskey
            text += "\(owner) 3600 IN DNSKEY \(dnskey.flags) \(dnskey.protocol) \(dnskey.algorithm.rawValue) "
            text += Base64.encode(dnskey.publicKey) + "\n"
        }
        print(text, terminator: "")
    }
}
