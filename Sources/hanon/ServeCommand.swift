// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import DNSAuthority
import DNSCore
import DNSTransport
import HanonConfig
import HanonServer
import Logging

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve zones as an authoritative DNS server.",
        discussion: """
            With --config, everything comes from the config file (see docs/config.md). Without it, \
            --listen and --zone describe a server on the command line. --example serves a built-in \
            zone on 127.0.0.1:5300. SIGHUP (or `hanon reload`) re-reads the config and changed zones; \
            SIGTERM stops the server cleanly.
            """
    )

    @Option(name: .long, help: "The config file (TOML).")
    var config: String?

    @Flag(name: .long, help: "Serve the built-in example zone example.test. on 127.0.0.1:5300.")
    var example = false

    @Option(name: .long, help: "Address to listen on, ADDR:PORT or [ADDR]:PORT (repeatable).")
    var listen: [String] = []

    @Option(name: .long, help: "A zone to serve, NAME=FILE (repeatable).")
    var zone: [String] = []

    @Option(name: .long, help: "Threads (default: one per core).")
    var threads: Int?

    @Option(name: .long, help: "NSID to send when asked (RFC 5001).")
    var nsid: String?

    @Flag(name: .long, help: "Log every query.")
    var queryLog = false

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    func validate() throws {
        if self.config != nil && (self.example || !self.listen.isEmpty || !self.zone.isEmpty) {
            throw ValidationError("--config cannot be combined with --example, --listen or --zone")
        }
        if !self.example && self.config == nil && self.zone.isEmpty {
            throw ValidationError("give --config FILE, --zone NAME=FILE (with --listen), or --example")
        }
        if let threads, threads < 0 { throw ValidationError("--threads must be 0 or more") }
    }

    func settings() throws -> ServerSettings {
        if let config = self.config {
            let parsed: Config
            do {
                parsed = try Config.load(path: config)
            } catch {
                throw CleanExit.message("\(error)")
            }
            return try ServerSettings(config: parsed)
        }
        var zones: [ZoneSource] = []
        if self.example {
            zones.append(
                ZoneSource(
                    name: try DomainName(ExampleZone.origin), file: ExampleZone.fileName, text: ExampleZone.text))
        }
        for spec in self.zone {
            guard let equals = spec.firstIndex(of: "="), equals != spec.startIndex else {
                throw ValidationError("--zone takes NAME=FILE, not '\(spec)'")
            }
            let nameText = String(spec[..<equals])
            let file = String(spec[spec.index(after: equals)...])
            guard !file.isEmpty else { throw ValidationError("--zone \(spec): no file given") }
            let name: DomainName
            do {
                name = try DomainName(nameText.hasSuffix(".") ? nameText : nameText + ".", origin: .root)
            } catch {
                throw ValidationError("--zone \(spec): bad zone name: \(error.message)")
            }
            zones.append(ZoneSource(name: name, file: file, configuredAt: "--zone \(spec)"))
        }
        var authority = AuthorityOptions()
        authority.identity = hostName()
        authority.nsid = self.nsid.map { Array($0.utf8) }
        return ServerSettings(
            listen: self.listen.isEmpty ? (self.example ? ["127.0.0.1:5300"] : ["127.0.0.1:53"]) : self.listen,
            threads: self.threads ?? 0, zones: zones, authority: authority, queryLog: self.queryLog,
            logLevel: self.logLevel ?? "info")
    }

    func run() throws {
        nonisolated(unsafe) let command = self
        try runBlocking { try await command.serve() }
    }

    func serve() async throws {
        let settings = try self.settings()
        let level = Logger.Level(rawValue: self.logLevel ?? settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "hanon")
        let server = HanonServer(settings: settings, logger: logger)
        do {
            try await server.start()
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        if self.example, let udp = server.listeners.first {
            let port = udp.address.port ?? 5300
            // Written straight to the descriptor: print() would sit in a buffer while we serve.
            writeAll(
                """
                hanon is serving example.test. on \(DNSListener.format(udp.address)) (UDP and TCP). Try:
                    swift run -c release hanon query @127.0.0.1 -p \(port) www.example.test AAAA
                    dig @127.0.0.1 -p \(port) example.test SOA
                Stop it with Ctrl-C.

                """, to: 1)
        }
        try await server.run()
    }
}

struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a config file and the zones it names, without serving.",
        discussion: "Prints every problem as FILE:LINE:COLUMN: message and exits 1 when there is one."
    )

    @Argument(help: "The config file (TOML).")
    var file: String

    func run() throws {
        let config: Config
        do {
            config = try Config.load(path: self.file)
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(1)
        }
        let settings: ServerSettings
        do {
            settings = try ServerSettings(config: config)
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(1)
        }
        var failed = false
        for source in settings.zones {
            switch ZoneLoader.load(source) {
            case .success(let loaded):
                for warning in loaded.warnings { writeStandardError(warning + "\n") }
                print("zone \(source.name): \(loaded.zone.recordCount) records")
            case .failure(let error):
                failed = true
                writeStandardError(error.description + "\n")
            }
        }
        if failed { throw ExitCode(1) }
        print("\(self.file): OK (\(settings.zones.count) zones)")
    }
}

struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Tell a running hanon to re-read its config and changed zones (SIGHUP).",
        discussion: "The server is found through hanon.pid in the data directory."
    )

    @OptionGroup var server: RunningServerOptions

    func run() throws {
        let directory = try self.server.dataDirectory()
        do {
            let pid = try PidFile(directory: directory).read()
            try sendHangup(to: pid)
            print("sent SIGHUP to hanon (pid \(pid)); its log says what was reloaded")
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(1)
        }
    }
}

/// How a command finds the running server: its data directory (pid file,
/// control socket), given directly or read from its config file.
struct RunningServerOptions: ParsableArguments {
    @Option(name: .long, help: "The config file the server runs with (for its data directory).")
    var config: String?

    @Option(name: .long, help: "The data directory (default /var/lib/hanon).")
    var data: String?

    /// The data directory; a config file that does not load is reported and exits 1.
    func dataDirectory() throws -> String {
        guard let file = self.config else { return self.data ?? "/var/lib/hanon" }
        do {
            return try Config.load(path: file).data
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(1)
        }
    }
}
