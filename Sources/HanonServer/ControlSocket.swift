// SPDX-License-Identifier: Apache-2.0

import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The control channel of a running server: a Unix-domain socket
/// `hanon.sock` in the data directory, mode 0600, so only the user hanon
/// runs as (and root) can use it — as knotc and rndc talk to their servers.
///
/// One request per connection: a command line (`zone-status`), answered
/// with text, then the server closes. Unknown commands get `error: …`.
public final class ControlSocket: Sendable {
    public static let fileName = "hanon.sock"
    /// Longest command line accepted.
    static let maxRequest = 1024

    public let path: String
    private let channel: any Channel

    private init(path: String, channel: any Channel) {
        self.path = path
        self.channel = channel
    }

    /// Binds the socket in `directory` (replacing a stale one) and answers
    /// each command with `respond`.
    public static func start(
        directory: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        respond: @escaping @Sendable (String) async -> String
    ) async throws -> ControlSocket {
        let path = directory + (directory.hasSuffix("/") ? "" : "/") + Self.fileName
        unlink(path)
        let old = umask(0o077)
        defer { umask(old) }
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ControlConnection(respond: respond))
                }
            }
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        return ControlSocket(path: path, channel: channel)
    }

    public func stop() async {
        try? await self.channel.close()
        unlink(self.path)
    }

    /// Sends `command` to the server whose data directory is `directory`
    /// and returns its answer (used by `hanon zone status`).
    public static func send(
        _ command: String, directory: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> String {
        let path = directory + (directory.hasSuffix("/") ? "" : "/") + Self.fileName
        let channel = try await ClientBootstrap(group: group)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: command + "\n"))
            var answer = ""
            for try await chunk in inbound { answer += String(buffer: chunk) }
            return answer
        }
    }
}

/// One control connection: reads a line, writes the answer, closes.
final class ControlConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let respond: @Sendable (String) async -> String
    private var request = ""
    private var answered = false

    init(respond: @escaping @Sendable (String) async -> String) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.answered else { return }
        var buffer = Self.unwrapInboundIn(data)
        self.request += buffer.readString(length: buffer.readableBytes) ?? ""
        if self.request.utf8.count > ControlSocket.maxRequest {
            self.answered = true
            self.reply(context: context, "error: request too long\n")
            return
        }
        guard let newline = self.request.firstIndex(of: "\n") else { return }
        self.answered = true
        let command = String(self.request[..<newline]).trimmingWhitespace()
        let respond = self.respond
        let loop = context.eventLoop
        let promise = loop.makePromise(of: String.self)
        promise.completeWithTask { await respond(command) }
        promise.futureResult.assumeIsolatedUnsafeUnchecked().whenSuccess { text in
            self.reply(context: context, text)
        }
    }

    private func reply(context: ChannelHandlerContext, _ text: String) {
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: text)), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = self.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
