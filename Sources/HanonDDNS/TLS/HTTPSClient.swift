// SPDX-License-Identifier: Apache-2.0

import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOTLS
import Synchronization

/// An HTTP/1.1 response.
public struct HTTPSResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A one-request-per-connection HTTPS client whose certificate checks cannot be turned off.
///
/// The chain is checked by ``CertificateVerifier`` inside NIOSSL's custom verification callback
/// (RFC 5280 §6 path validation, RFC 6125 §6 name check), and the request — headers with
/// credentials included — is written only after the handshake has completed, so a server whose
/// certificate fails sees nothing but the TLS ClientHello.
public struct HTTPSClient: Sendable {
    public let verifier: CertificateVerifier
    public let timeout: Duration
    /// Largest response body accepted.
    public let maxBodySize: Int
    let group: any EventLoopGroup

    public init(
        verifier: CertificateVerifier, timeout: Duration = .seconds(30), maxBodySize: Int = 1 << 20,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.verifier = verifier
        self.timeout = timeout
        self.maxBodySize = maxBodySize
        self.group = eventLoopGroup
    }

    /// Sends one request and returns the response. Throws ``TLSVerificationFailure`` when the
    /// certificate is refused, ``DDNSError`` for other failures.
    public func send(
        _ method: HTTPMethod, _ url: HTTPSURL, headers: [(String, String)] = [], body: [UInt8] = []
    ) async throws -> HTTPSResponse {
        let tlsFailure = FailureBox()
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        tls.minimumTLSVersion = .tlsv12
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw DDNSError("TLS setup failed: \(error)")
        }
        let verifier = self.verifier
        let host = url.host
        let isIP = IPAddress(host) != nil
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: url.target)
        head.headers.add(name: "Host", value: url.hostHeader)
        head.headers.add(name: "User-Agent", value: "hanon-ddns")
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        if !body.isEmpty || method == .POST || method == .PUT || method == .PATCH {
            head.headers.add(name: "Content-Length", value: String(body.count))
        }
        let requestHead = head
        let maxBodySize = self.maxBodySize
        let loop = group.next()
        let promise = loop.makePromise(of: HTTPSResponse.self)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: loop)
                .connectTimeout(TimeAmount(timeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let ssl = try NIOSSLClientHandler(
                            context: context, serverHostname: isIP ? nil : host,
                            customVerificationCallback: { chain, result in
                                let der = chain.map { try? $0.toDERBytes() }
                                Task {
                                    let failure = await verifier.verify(der: der, host: host)
                                    tlsFailure.value.withLock { $0 = failure }
                                    result.succeed(failure == nil ? .certificateVerified : .failed)
                                }
                            })
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(ssl)
                        try sync.addHTTPClientHandlers()
                        try sync.addHandler(
                            HTTPSExchangeHandler(
                                head: requestHead, body: body, maxBodySize: maxBodySize, promise: promise))
                    }
                }
                .connect(host: host, port: url.port).get()
        } catch {
            promise.fail(error)
            throw DDNSError("cannot connect to \(url.hostHeader): \(error)")
        }
        let timer = loop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(DDNSError("no answer from \(url.hostHeader) within \(timeout)"))
            channel.close(promise: nil)
        }
        defer {
            timer.cancel()
            channel.close(promise: nil)
        }
        do {
            return try await promise.futureResult.get()
        } catch {
            if let failure = tlsFailure.value.withLock({ $0 }) { throw failure }
            if let e = error as? DDNSError { throw e }
            throw DDNSError("HTTPS exchange with \(url.hostHeader) failed: \(error)")
        }
    }
}

/// Where the verification callback leaves its verdict for the caller.
final class FailureBox: Sendable {
    let value = Mutex<TLSVerificationFailure?>(nil)
}

/// Writes the request once the TLS handshake has completed (never before), then collects the
/// response.
final class HTTPSExchangeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let head: HTTPRequestHead
    private let body: [UInt8]
    private let maxBodySize: Int
    private let promise: EventLoopPromise<HTTPSResponse>
    private var response: HTTPSResponse?
    private var done = false

    init(head: HTTPRequestHead, body: [UInt8], maxBodySize: Int, promise: EventLoopPromise<HTTPSResponse>) {
        self.head = head
        self.body = body
        self.maxBodySize = maxBodySize
        self.promise = promise
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .head(let h):
            response = HTTPSResponse(
                status: Int(h.status.code), headers: h.headers.map { ($0.name, $0.value) }, body: [])
        case .body(var buffer):
            guard response != nil else { return }
            if (response?.body.count ?? 0) + buffer.readableBytes > maxBodySize {
                finish(context, .failure(DDNSError("response larger than \(maxBodySize) bytes")))
                return
            }
            response?.body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            if let response {
                finish(context, .success(response))
            } else {
                finish(context, .failure(DDNSError("response without a status line")))
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(context, .failure(error))
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(context, .failure(DDNSError("the server closed the connection before answering")))
        context.fireChannelInactive()
    }

    private func finish(_ context: ChannelHandlerContext, _ result: Result<HTTPSResponse, any Error>) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
        context.close(promise: nil)
    }
}
