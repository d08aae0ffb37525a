// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOCore
import Synchronization

@testable import DNSResolver

/// The signed zones of a ``TestWorld`` as the network: every server answers
/// authoritatively from the deepest zone holding the name (a DS query from
/// the parent), so a resolver iterating from any root hint reaches them. It
/// counts the queries it is sent.
final class WorldTransport: UpstreamTransport {
    let net: TestNet
    private let log = Mutex<[Question]>([])

    init(_ world: TestWorld) { self.net = world.net }

    /// The questions sent upstream so far.
    var sent: [Question] { self.log.withLock { $0 } }

    func send(_ query: DNSMessage, to server: SocketAddress, overTCP: Bool, timeout: Duration) async -> UpstreamResult {
        guard let question = query.questions.first else { return .failed }
        self.log.withLock { $0.append(question) }
        guard let zone = self.net.zone(for: question.name, question.type) else { return .refused }
        var reply = zone.answer(question.name, question.type)
        reply.header.id = query.header.id
        reply.edns = EDNS(dnssecOK: true)
        return .reply(reply, roundTrip: .milliseconds(1))
    }
}
