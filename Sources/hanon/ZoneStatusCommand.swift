// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import HanonServer
import Synchronization

struct ZoneStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each zone of a running hanon: serial, source, last change, transfers.",
        discussion: """
            Asks the server through its control socket (hanon.sock in the data directory, \
            mode 0600: run it as the user hanon runs as, or root). One line per zone, as \
            `knotc zone-status` prints.
            """
    )

    @Argument(help: "Only this zone.")
    var zone: String?

    @OptionGroup var server: RunningServerOptions

    func run() throws {
        let directory = try self.server.dataDirectory()
        let command = "zone-status" + (self.zone.map { " " + $0 } ?? "")
        let answer = Mutex<Result<String, any Error>?>(nil)
        let socketDirectory = directory
        try runBlocking {
            do {
                let text = try await ControlSocket.send(command, directory: socketDirectory)
                answer.withLock { $0 = .success(text) }
            } catch {
                answer.withLock { $0 = .failure(error) }
            }
        }
        switch answer.withLock({ $0 }) {
        case .success(let text)?:
            print(text, terminator: "")
            if text.hasPrefix("error:") { throw ExitCode(1) }
        case .failure(let error)?:
            writeStandardError(
                "cannot reach hanon through \(directory)/\(ControlSocket.fileName): \(error) (is it running, with this data directory?)\n"
            )
            throw ExitCode(1)
        case nil:
            throw ExitCode(1)
        }
    }
}
