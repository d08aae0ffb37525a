// SPDX-License-Identifier: Apache-2.0

import DNSCore
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import DNSTransport

#if canImport(Glibc)
    import Glibc
#endif

/// The `recvmmsg` loop hands its last reply's buffer to the handler for the
/// next reply (one buffer per thread, not two allocations per datagram).
@Suite struct ReplyBufferTests {
    @Test func takeGivesTheKeptBufferEmptiedAndOnlyOnce() {
        let spare = DNSReplyBuffer()
        #expect(spare.take() == nil)
        var kept = ByteBufferAllocator().buffer(capacity: 512)
        kept.writeRepeatingByte(0xAB, count: 300)
        spare.keep(kept)
        let taken = spare.take()
        #expect(taken?.readableBytes == 0)
        #expect((taken?.capacity ?? 0) >= 512)
        #expect(spare.take() == nil)
        // A buffer larger than any UDP reply is let go.
        spare.keep(ByteBufferAllocator().buffer(capacity: 65536))
        #expect(spare.take() == nil)
    }

    /// Writes each reply into the buffer the loop offers and records whether
    /// there was one and which storage it was (its base address).
    struct ReusingHandler: DNSRequestHandler {
        let offered = NIOLockedValueBox<[UInt?]>([])

        func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
            var out: ByteBuffer
            if let taken = context.replyBuffer?.take() {
                self.offered.withLockedValue {
                    $0.append(taken.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) })
                }
                out = taken
            } else {
                self.offered.withLockedValue { $0.append(nil) }
                out = ByteBufferAllocator().buffer(capacity: 512)
            }
            guard var message = try? DNSMessage(wire: request) else { return nil }
            message.header.isResponse = true
            out.writeBytes(message.wireBytes)
            return out
        }
    }

    @Test func theLoopOffersItsLastReplyBufferToTheNextRequest() async throws {
        let handler = ReusingHandler()
        let configuration = ServerFixture.configuration { $0.udpEngine = .recvmmsg }
        let server = try await DNSServer.start(configuration: configuration, handler: handler)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: .inet)
        for id in 0..<5 {
            let replies = try await client.exchange([ServerFixture.query(id: UInt16(id))], with: udp)
            #expect(replies.compactMap { try? DNSMessage(wire: $0).header.id } == [UInt16(id)])
        }
        await server.shutdown()
        let offered = handler.offered.withLockedValue { $0 }
        #expect(offered.count == 5)
        #expect(offered.first == .some(nil))  // nothing to offer yet
        // Then always the same storage: the first reply's, sent and handed back.
        let reused = offered.dropFirst().compactMap { $0 }
        #expect(reused.count == 4)
        #expect(Set(reused).count == 1)
    }
}

/// The `recvmmsg` loop shows each batch of two or more datagrams to the
/// handler's `prefetch` before answering them, octet for octet.
@Suite struct PrefetchHookTests {
    struct RecordingHandler: DNSRequestHandler {
        let batches = NIOLockedValueBox<[[[UInt8]]]>([])
        let first = NIOLockedValueBox(true)

        func prefetch(_ batch: DNSDatagramBatch) {
            let datagrams = (0..<batch.count).map { [UInt8](batch[$0]) }
            self.batches.withLockedValue { $0.append(datagrams) }
        }

        func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
            // The first request is slow: the rest of the burst queues up and comes as one batch.
            if self.first.withLockedValue({
                let was = $0; $0 = false; return was
            }) {
                usleep(200_000)
            }
            guard var message = try? DNSMessage(wire: request) else { return nil }
            message.header.isResponse = true
            return message.serialize()
        }
    }

    @Test func batchesAreShownBeforeTheyAreAnswered() async throws {
        let handler = RecordingHandler()
        let configuration = ServerFixture.configuration {
            $0.udpEngine = .recvmmsg
            $0.udpVectorReadCount = 16
        }
        let server = try await DNSServer.start(configuration: configuration, handler: handler)
        let udp = try #require(server.address(for: .udp))
        let client = try RawUDPClient(family: .inet)
        let queries = (0..<40).map { ServerFixture.query("q\($0).example.", id: UInt16($0)) }
        let replies = try await client.exchange(queries, with: udp)
        #expect(Set(replies.compactMap { try? DNSMessage(wire: $0).header.id }) == Set(0..<40))
        await server.shutdown()
        let batches = handler.batches.withLockedValue { $0 }
        #expect(!batches.isEmpty)
        #expect(batches.allSatisfy { $0.count >= 2 && $0.count <= 16 })
        // Every datagram shown is one of the queries sent, whole.
        let sent = Set(queries)
        #expect(batches.joined().allSatisfy { sent.contains($0) })
    }
}
