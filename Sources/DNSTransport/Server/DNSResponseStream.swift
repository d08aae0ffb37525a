// SPDX-License-Identifier: Apache-2.0

import NIOCore
import Synchronization

/// Several responses to one TCP request, produced one at a time as the
/// connection can take them: a zone transfer (RFC 5936 §2.2: an AXFR
/// response is a series of messages), or one response computed later on
/// another thread (an UPDATE answered after its journal entry is on disk).
///
/// Returned by ``DNSRequestHandler/stream(_:context:)``; the TCP connection
/// calls ``next(wakeUp:)`` on its event loop while the socket is writable,
/// frames each message (RFC 1035 §4.2.2) and writes them in order. Requests
/// pipelined behind the streamed one wait until the stream has finished, so
/// answers leave in request order. A stream is used on one event loop only.
public protocol DNSResponseStream: AnyObject {
    /// The next step. Called on the connection's event loop only, never
    /// again after ``DNSStreamStep/finished``.
    ///
    /// - Parameter wakeUp: call it (from any thread) after returning
    ///   ``DNSStreamStep/pending`` once the next message is ready; the
    ///   connection then calls `next` again on its event loop.
    func next(wakeUp: DNSStreamWakeUp) -> DNSStreamStep

    /// The connection went away before the stream finished; release what it holds.
    func cancel()
}

extension DNSResponseStream {
    /// Nothing to release.
    public func cancel() {}
}

/// What a ``DNSResponseStream`` has to send next.
public enum DNSStreamStep {
    /// A whole message (without the TCP length prefix), at most 65535 octets:
    /// a longer one closes the connection.
    case message(ByteBuffer)
    /// Nothing yet: the stream calls its wake-up when there is.
    case pending
    /// Done: the next pipelined request is served.
    case finished
}

/// Asks a connection to poll its ``DNSResponseStream`` again; callable from
/// any thread, any number of times (an extra call costs one `next` call).
public struct DNSStreamWakeUp: Sendable {
    private let body: @Sendable () -> Void

    /// A wake-up running `body` (tests drive streams by hand with it).
    public init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    /// Wakes the connection up.
    public func callAsFunction() { self.body() }
}

/// A stream over messages produced on the event loop, lazily: `produce` is
/// called for each message while the connection is writable, and returns nil
/// after the last one.
public final class DNSLazyResponseStream: DNSResponseStream {
    private var produce: () -> ByteBuffer?

    /// A stream whose messages come from `produce`, one per call, nil at the end.
    public init(_ produce: @escaping () -> ByteBuffer?) { self.produce = produce }

    public func next(wakeUp: DNSStreamWakeUp) -> DNSStreamStep {
        guard let message = self.produce() else {
            self.produce = { nil }
            return .finished
        }
        return .message(message)
    }

    public func cancel() { self.produce = { nil } }
}

/// A response computed somewhere else (another thread, a task) and sent
/// when it is ready: the handler returns this stream at once and calls
/// ``complete(_:)`` later from any thread. Requests pipelined behind it wait.
///
/// Use it for answers that must wait for I/O, such as an UPDATE answered
/// only after its journal entry was synced to disk.
public final class DNSDeferredResponse: DNSResponseStream, Sendable {
    private struct State {
        var messages: [ByteBuffer]? = nil
        var sent = 0
        var wakeUp: DNSStreamWakeUp? = nil
        var cancelled = false
    }

    private let state = Mutex(State())

    /// A response not known yet.
    public init() {}

    /// Supplies the messages to send (empty: send nothing, serve the next
    /// request). Only the first call counts.
    public func complete(_ messages: [ByteBuffer]) {
        let wakeUp = self.state.withLock { state -> DNSStreamWakeUp? in
            guard state.messages == nil else { return nil }
            state.messages = messages
            return state.wakeUp
        }
        wakeUp?()
    }

    /// Supplies one message, or none (drop: nothing is sent).
    public func complete(_ message: ByteBuffer?) { self.complete(message.map { [$0] } ?? []) }

    /// True once the connection closed before the response was sent; a
    /// producer may check it to skip work.
    public var isCancelled: Bool { self.state.withLock { $0.cancelled } }

    public func next(wakeUp: DNSStreamWakeUp) -> DNSStreamStep {
        self.state.withLock { state in
            guard let messages = state.messages else {
                state.wakeUp = wakeUp
                return .pending
            }
            guard state.sent < messages.count else { return .finished }
            state.sent += 1
            return .message(messages[state.sent - 1])
        }
    }

    public func cancel() {
        self.state.withLock {
            $0.cancelled = true
            $0.wakeUp = nil
        }
    }
}
