// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import HanonConfig
import HanonDDNS
import HanonServer
import Synchronization

/// `hanon ddns status` and `hanon ddns update --once`.
struct DDNSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ddns",
        abstract: "Dynamic DNS: what was detected and sent, and one update pass.",
        subcommands: [DDNSStatusCommand.self, DDNSUpdateCommand.self]
    )
}

/// Prints the state file the updater keeps in the data directory.
struct DDNSStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show the detected addresses, and per record and provider the last update, the next attempt and the last error."
    )

    @OptionGroup var server: RunningServerOptions

    func run() throws {
        let directory = try self.server.dataDirectory()
        let path = DDNSClientSetup.stateFile(dataDirectory: directory)
        let state: DDNSState
        do {
            state = try DDNSState.load(from: path)
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(1)
        }
        print(DDNSStatusText.render(state, path: path, now: Date()), terminator: "")
    }
}

/// Runs one detection and update pass with the config's settings, then exits.
struct DDNSUpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Detect the addresses and update the records that need it, once (as hanon serve does each interval)."
    )

    @Option(name: .long, help: "The config file.")
    var config: String = "/etc/hanon/hanon.toml"

    @Flag(name: .long, help: "Run one pass and exit (required: the loop runs inside hanon serve).")
    var once = false

    func validate() throws {
        guard once else { throw ValidationError("give --once; hanon serve runs the updater continuously") }
    }

    func run() throws {
        let config: Config
        let settings: DDNSClientSettings
        let detector: AddressDetector
        do {
            config = try Config.load(path: self.config)
            guard !config.ddns.records.isEmpty else {
                writeStandardError("\(self.config): no [[ddns.record]]: nothing to update\n")
                throw ExitCode(1)
            }
            let https = try DDNSClientSetup.httpsClient(config)
            settings = try DDNSClientSetup.settings(config, dataDirectory: config.data, ownZones: nil, https: https)
            detector = AddressDetector(https: https, allowPrivate: settings.allowPrivate)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            writeStandardError("\(error)\n")
            throw ExitCode(1)
        }
        let result = Mutex<DDNSState?>(nil)
        try runBlocking {
            let updater = DDNSUpdater(settings: settings, detector: detector)
            let state = await updater.runOnce()
            result.withLock { $0 = state }
        }
        guard let state = result.withLock({ $0 }) else { throw ExitCode(1) }
        print(DDNSStatusText.render(state, path: settings.stateFile, now: Date()), terminator: "")
        let failed = state.records.values.contains {
            $0.result == .permanentError || $0.result == .temporaryError
        }
        if failed { throw ExitCode(1) }
    }
}
