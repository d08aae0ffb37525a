// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import DNSCore
import DNSSEC
import DNSZone

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct ZoneSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a zone file with DNSSEC (NSEC or NSEC3).",
        discussion: """
            Reads the zone, loads the zone's keys from --keys DIR (BIND's K<zone>+<alg>+<tag>.key and \
            .private files; dnssec-keygen's keys work), generating a combined signing key (CSK) — or a \
            KSK and a ZSK with --split-keys — when the directory has none, and prints the signed zone \
            in canonical form (or writes it to -o FILE). Private keys are created with mode 0600.
            """
    )

    @OptionGroup var options: ZoneFileOptions

    @Option(help: "The key directory (created if missing).")
    var keys: String

    @Flag(help: "NSEC3 (RFC 5155) with RFC 9276 parameters instead of NSEC.")
    var nsec3 = false

    @Flag(help: "With --nsec3: Opt-Out for insecure delegations (RFC 5155 §6).")
    var optOut = false

    @Option(help: "NSEC3 extra iterations (RFC 9276: 0).")
    var iterations: UInt16 = 0

    @Option(help: "NSEC3 salt in hex, or '-' for none (RFC 9276: none).")
    var salt: String = "-"

    @Option(
        help:
            "Algorithm of generated keys: ECDSAP256SHA256 (13, default), ECDSAP384SHA384 (14), ED25519 (15), RSASHA256 (8)."
    )
    var algorithm: String = "ECDSAP256SHA256"

    @Flag(help: "Generate a KSK and a ZSK instead of one CSK when the directory has no key.")
    var splitKeys = false

    @Option(help: "Signature validity in days.")
    var validity: UInt32 = 14

    @Option(help: "Signing threads.")
    var threads: Int = 2

    @Option(name: .shortAndLong, help: "Write the signed zone to this file instead of standard output.")
    var output: String?

    func run() throws {
        guard let algorithm = DNSSECAlgorithm(presentation: Array(self.algorithm.uppercased().utf8)),
            DNSSECSigningKey.signingAlgorithms.contains(algorithm)
        else {
            throw ValidationError("unsupported --algorithm '\(self.algorithm)' (13, 14, 15 or 8)")
        }
        var saltBytes: [UInt8] = []
        if self.salt != "-" {
            guard let bytes = Hex.decode(Array(self.salt.utf8)), bytes.count <= 255 else {
                throw ValidationError("bad --salt '\(self.salt)' (hex, or '-')")
            }
            saltBytes = bytes
        }
        let (parsed, _) = try self.options.load()
        guard !parsed.hasErrors else { throw ExitCode(1) }
        let zone: Zone
        do {
            zone = try Zone(parsed)
        } catch {
            writeStandardError("\(self.options.file): \(error)\n")
            throw ExitCode(1)
        }
        let now = UInt32(truncatingIfNeeded: time(nil))
        let keys = try loadOrGenerateKeys(
            zone: zone.origin, directory: self.keys, algorithm: algorithm, split: self.splitKeys, now: now)
        var policy = SigningPolicy(now: now, validity: self.validity * 86400, threads: self.threads)
        if self.nsec3 { policy.denial = .nsec3(iterations: self.iterations, salt: saltBytes, optOut: self.optOut) }
        let records: [ResourceRecord]
        do {
            records = try ZoneSigner(keys: keys, policy: policy).sign(zone)
        } catch {
            writeStandardError("signing failed: \(error)\n")
            throw ExitCode(1)
        }
        if let output = self.output {
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                writeStandardError("cannot create \(output): \(String(cString: strerror(errno)))\n")
                throw ExitCode(1)
            }
            ZoneWriter.write(records) { chunk in writeAll(chunk, to: fd) }
            fsync(fd)
            close(fd)
        } else {
            ZoneWriter.write(records) { chunk in writeAll(chunk, to: 1) }
        }
    }
}

/// The keys of `zone` in `directory`; when there are none, new ones are
/// generated and written there (a CSK, or a KSK and a ZSK with `split`).
func loadOrGenerateKeys(
    zone: DomainName, directory: String, algorithm: DNSSECAlgorithm, split: Bool, now: UInt32
) throws -> [ZoneKey] {
    if mkdir(directory, 0o700) != 0 && errno != EEXIST {
        throw ValidationError("cannot create key directory \(directory): \(String(cString: strerror(errno)))")
    }
    let result = Result { () throws(DNSSECError) -> [ZoneKey] in
        let existing = try KeyStore.load(zone: zone, directory: directory)
        if !existing.isEmpty { return existing }
        var generated = [try ZoneKey.generate(zone: zone, algorithm: algorithm, sep: true, now: now)]
        if split { generated.append(try ZoneKey.generate(zone: zone, algorithm: algorithm, sep: false, now: now)) }
        for key in generated {
            let base = try KeyStore.write(key, directory: directory)
            writeStandardError("generated \(base).key\n")
        }
        return generated
    }
    switch result {
    case .success(let keys): return keys
    case .failure(let error): throw ValidationError(error.detail)
    }
}
