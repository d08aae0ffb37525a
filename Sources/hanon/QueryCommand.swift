// SPDX-License-Identifier: Apache-2.0

import ArgumentParser

struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Ask a DNS server a question, as dig does."
    )

    func run() async throws {
        throw ValidationError("not yet available")
    }
}
