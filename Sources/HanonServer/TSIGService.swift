// SPDX-License-Identifier: Apache-2.0

import Atomics
import DNSAuthority
import DNSCore
import Logging

/// The server's TSIG state: the keyring from the config (swapped as a whole
/// on reload, read with one atomic load), the replay guard (RFC 8945 §5.2.3)
/// and the logger for refused signatures.
final class TSIGService: Sendable {
    private final class Box: AtomicReference, Sendable {
        let keyring: TSIGKeyring
        init(_ keyring: TSIGKeyring) { self.keyring = keyring }
    }

    private let box: ManagedAtomic<Box>
    let replay = TSIGReplayGuard()
    let logger: Logger?

    init(keys: [TSIGKey] = [], logger: Logger? = nil) {
        self.box = ManagedAtomic(Box(TSIGKeyring(keys)))
        self.logger = logger
    }

    /// The keys in force now.
    var keyring: TSIGKeyring { self.box.load(ordering: .acquiring).keyring }

    /// Uses `keys` from the next request on (reload).
    func replace(keys: [TSIGKey]) {
        self.box.store(Box(TSIGKeyring(keys)), ordering: .releasing)
    }
}
