// SPDX-License-Identifier: Apache-2.0

import ArgumentParser

struct ZoneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zone",
        abstract: "Check and format zone files.",
        subcommands: []
    )
}
