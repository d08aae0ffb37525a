// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import DNSCore
import DNSZone

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct ZoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone",
        abstract: "Check, format and sign zone files; show the zones of a running server.",
        subcommands: [ZoneCheckCommand.self, ZoneFormatCommand.self, ZoneSignCommand.self, ZoneStatusCommand.self]
    )
}

/// Options both zone subcommands take.
struct ZoneFileOptions: ParsableArguments {
    @Argument(help: "The zone file (master file format, RFC 1035 §5).")
    var file: String

    @Option(
        help: ArgumentHelp(
            "The zone's origin (apex).",
            discussion: "Default: the first $ORIGIN before any record, else the owner of the first SOA record."
        )
    )
    var origin: String?

    /// Parses and checks the zone; prints every problem on stderr.
    func load() throws -> (zone: ParsedZone, summary: ZoneSummary?) {
        var originName: DomainName? = nil
        if let origin {
            do {
                originName = try DomainName(origin.hasSuffix(".") ? origin : origin + ".", origin: .root)
            } catch {
                throw ValidationError("bad --origin '\(origin)': \(error.message)")
            }
        }
        var zone = ZoneFileParser().parse(file: self.file, origin: originName)
        var summary: ZoneSummary? = nil
        // The checks need records: after a file that could not be read (or held
        // nothing valid) they would only add noise.
        if !zone.hasErrors || !zone.records.isEmpty {
            summary = ZoneChecker.check(&zone)
        }
        zone.dropLocations()
        // File order (as the files were opened), then line and column; the
        // checks run after parsing, so their findings are merged in here.
        var fileOrder: [String: Int] = [:]
        for (index, name) in zone.files.enumerated() where fileOrder[name] == nil { fileOrder[name] = index }
        let sorted = zone.diagnostics.enumerated().sorted { a, b in
            let x = (fileOrder[a.element.file] ?? 0, a.element.line, a.element.column, a.offset)
            let y = (fileOrder[b.element.file] ?? 0, b.element.line, b.element.column, b.offset)
            return x < y
        }
        var text = ""
        for (_, problem) in sorted {
            text += problem.description + "\n"
        }
        if zone.suppressedCount > 0 {
            text += "\(self.file): \(zone.suppressedCount) more problems not shown\n"
        }
        writeStandardError(text)
        return (zone, summary)
    }
}

struct ZoneCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a zone file as named-checkzone does.",
        discussion: """
            Prints a one-line summary and exits 0 when the zone is valid; otherwise prints every \
            problem as FILE:LINE:COLUMN: message on standard error and exits 1. Warnings are \
            printed too but do not fail the check.
            """
    )

    @OptionGroup var options: ZoneFileOptions

    func run() throws {
        let (zone, summary) = try self.options.load()
        guard !zone.hasErrors, let summary else { throw ExitCode(1) }
        print(summary)
    }
}

struct ZoneFormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Print a zone file in canonical form.",
        discussion: """
            One record per line (absolute owner, TTL, class, type, RDATA), sorted canonically \
            (RFC 4034 §6.1), duplicates removed. Exits 1, printing nothing on standard output, \
            when the zone has errors.
            """
    )

    @OptionGroup var options: ZoneFileOptions

    func run() throws {
        let (zone, _) = try self.options.load()
        guard !zone.hasErrors else { throw ExitCode(1) }
        ZoneWriter.write(zone.records) { chunk in writeAll(chunk, to: 1) }
    }
}

func writeStandardError(_ text: String) {
    writeAll(text, to: 2)
}

/// Writes all of `text` to file descriptor `fd` (unbuffered, so output order is kept).
func writeAll(_ text: String, to fd: Int32) {
    var copy = text
    copy.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
