// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import DNSCore
import DNSSEC

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a zone's keys are: `--keys DIR`, or `<data>/keys/<zone>` with the
/// data directory from `--data` or `--config`.
struct ZoneKeysOptions: ParsableArguments {
    @Argument(help: "The zone (apex name).")
    var zone: String

    @OptionGroup var server: RunningServerOptions

    @Option(help: "The zone's key directory (default: <data>/keys/<zone>).")
    var keys: String?

    func zoneName() throws -> DomainName {
        do {
            return try DomainName(self.zone.hasSuffix(".") ? self.zone : self.zone + ".", origin: .root)
        } catch {
            throw ValidationError("bad zone name '\(self.zone)': \(error.message)")
        }
    }

    func directory(for zone: DomainName) throws -> String {
        if let keys = self.keys { return keys }
        return KeyLifecycle.directory(data: try self.server.dataDirectory(), zone: zone)
    }
}

/// The clock, in seconds since 1970.
func currentTime() -> UInt32 { UInt32(clamping: time(nil)) }

struct DNSSECStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a zone's keys, their states and the next key event.",
        discussion: """
            Reads the zone's key directory (not the running server): for each key its tag, algorithm, \
            role (ksk, zsk, csk), state (published, active, retired, removed), DS state (submitted, seen, \
            withdrawn) and the times of its steps; then the next event and any DS the parent must confirm.
            """
    )

    @OptionGroup var options: ZoneKeysOptions

    func run() throws {
        let zone = try self.options.zoneName()
        let directory = try self.options.directory(for: zone)
        let schedule: KeySchedule?
        do {
            schedule = try KeyLifecycle.schedule(zone: zone, directory: directory)
        } catch {
            writeStandardError("\(error.detail)\n")
            throw ExitCode(1)
        }
        guard let schedule else {
            writeStandardError("no key states for \(zone) in \(directory)\n")
            throw ExitCode(1)
        }
        print(schedule.statusText(zone: zone, now: currentTime()), terminator: "")
    }
}

struct DNSSECDSSeenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ds-seen",
        abstract: "Confirm that the parent zone publishes the DS of a key.",
        discussion: """
            Records in the zone's key states that the parent lists the DS of KEYTAG (a KSK or CSK whose \
            DS is submitted). A KSK or CSK rollover waiting on it moves on at the server's next key step \
            or at `hanon reload`: the new key signs once the DS has been seen for the DS TTL plus the \
            propagation delay.
            """
    )

    @OptionGroup var options: ZoneKeysOptions

    @Argument(help: "The key tag of the KSK or CSK.")
    var keyTag: UInt16

    func run() throws {
        let zone = try self.options.zoneName()
        let directory = try self.options.directory(for: zone)
        do {
            try KeyLifecycle.confirmDS(zone: zone, directory: directory, keyTag: self.keyTag, now: currentTime())
        } catch {
            writeStandardError("\(error.detail)\n")
            throw ExitCode(1)
        }
        print("DS of key \(self.keyTag) confirmed at the parent of \(zone); run `hanon reload` to act on it now")
    }
}

struct DNSSECRolloverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollover",
        abstract: "Start a rollover of a zone's KSK, ZSK or CSK.",
        discussion: """
            Asks for a rollover of the active key of ROLE; the server starts it at its next key step or \
            at `hanon reload`: a ZSK by pre-publication, a KSK or CSK by publishing the new key and its \
            DS (CDS/CDNSKEY) and waiting for the parent.
            """
    )

    @OptionGroup var options: ZoneKeysOptions

    @Argument(help: "ksk, zsk or csk.")
    var role: String

    func run() throws {
        let zone = try self.options.zoneName()
        guard let role = KeyRole(rawValue: self.role.lowercased()) else {
            throw ValidationError("the role must be ksk, zsk or csk, not '\(self.role)'")
        }
        let directory = try self.options.directory(for: zone)
        do {
            try KeyLifecycle.requestRollover(zone: zone, directory: directory, role: role, now: currentTime())
        } catch {
            writeStandardError("\(error.detail)\n")
            throw ExitCode(1)
        }
        print("\(role.rawValue) rollover of \(zone) requested; run `hanon reload` to start it now")
    }
}
