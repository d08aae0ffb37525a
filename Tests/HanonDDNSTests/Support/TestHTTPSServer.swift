// SPDX-License-Identifier: Apache-2.0

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A request as the test server received it.
struct ReceivedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: String

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    /// The query parameters (percent-decoding done).
    var query: [String: String] {
        guard let q = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [:] }
        var out: [String: String] = [:]
        for pair in q.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            out[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return out
    }

    var path: String { String(uri.split(separator: "?", maxSplits: 1).first ?? "") }
}

/// An HTTPS server on 127.0.0.1 (a random port) that records each request and answers what the
/// test's closure says. Counts TLS handshakes too, so a test can tell "no request" from "no
/// connection".
final class TestHTTPSServer: Sendable {
    typealias Responder = @Sendable (ReceivedRequest) -> (Int, String)

    let channel: any Channel
    let port: Int
    let box: Box

    var requests: [ReceivedRequest] { box.received.withLock { $0 } }

    private init(channel: any Channel, box: Box) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.box = box
    }

    static func start(_ cert: TestCA.ServerCert, responder: @escaping Responder) async throws -> TestHTTPSServer {
        let certs = try NIOSSLCertificate.fromPEMFile(cert.certificate)
        let key = try NIOSSLPrivateKey(file: cert.key, format: .pem)
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: certs.map { .certificate($0) }, privateKey: .privateKey(key))
        let context = try NIOSSLContext(configuration: tls)
        let box = Box(responder: responder)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RecordingHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return TestHTTPSServer(channel: channel, box: box)
    }

    func stop() async {
        try? await channel.close()
    }

    final class Box: Sendable {
        let received = Mutex<[ReceivedRequest]>([])
        let responder: Mutex<Responder>
        init(responder: @escaping Responder) {
            self.responder = Mutex(responder)
        }
    }

    final class RecordingHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let box: Box
        var head: HTTPRequestHead?
        var body: [UInt8] = []

        init(box: Box) { self.box = box }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = []
            case .body(var b):
                body += b.readBytes(length: b.readableBytes) ?? []
            case .end:
                guard let head else { return }
                let request = ReceivedRequest(
                    method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                    body: String(decoding: body, as: UTF8.self))
                box.received.withLock { $0.append(request) }
                let (status, text) = box.responder.withLock { $0 }(request)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: String(text.utf8.count))
                headers.add(name: "Connection", value: "close")
                context.write(
                    wrapOutboundOut(
                        .head(HTTPResponseHead(version: .http1_1, status: .init(statusCode: status), headers: headers))),
                    promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
