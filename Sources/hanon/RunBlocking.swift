// SPDX-License-Identifier: Apache-2.0

import Dispatch
import Synchronization

/// Runs `body` on the concurrency runtime while the main thread waits.
///
/// hanon's root command is synchronous on purpose: Swift's async `main` on
/// Linux ends the main thread with `dispatch_main()`, and an exited main
/// thread keeps the credentials it had — so after `hanon serve` drops root,
/// `ps` and /proc would still show the process as root. Keeping the main
/// thread alive (blocked here) lets `setuid` switch every thread.
func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    let outcome = Mutex<Result<Void, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<Void, any Error>
        do {
            try await body()
            result = .success(())
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    try outcome.withLock { $0 }?.get()
}
