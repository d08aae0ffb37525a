// SPDX-License-Identifier: Apache-2.0

import ArgumentParser

@main
struct Hanon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hanon",
        abstract: "Serve your own domain: authoritative DNS, resolver, dynamic DNS.",
        subcommands: [
            ServeCommand.self, CheckConfigCommand.self, ReloadCommand.self, ZoneCommand.self, QueryCommand.self,
            KeyCommand.self,
            DNSSECCommand.self, DDNSCommand.self,
        ]
    )
}
