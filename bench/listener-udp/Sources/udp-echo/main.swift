// SPDX-License-Identifier: Apache-2.0
// usage: udp-echo [port (5304)] [threads (1)] [address (127.0.0.1)] [datagrams per recvmmsg (32)]
//                 [engine: recvmmsg (default) | nio]
// Answers every query with itself, QR and AA set: the cost of the listener alone.

import DNSTransport
import NIOCore
import NIOPosix

struct EchoHandler: DNSRequestHandler {
    func handle(_ request: ByteBuffer, context: DNSRequestContext) -> ByteBuffer? {
        var reply = request
        let at = reply.readerIndex + 2
        guard let flags = reply.getInteger(at: at, as: UInt16.self) else { return nil }
        reply.setInteger(flags | 0x8400, at: at)
        return reply
    }
}

let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 5304 : 5304
let threads = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
let host = arguments.count > 3 ? arguments[3] : "127.0.0.1"
let vectorReads = arguments.count > 4 ? Int(arguments[4]) ?? 32 : 32
let engine: DNSServerConfiguration.UDPEngine = arguments.count > 5 && arguments[5] == "nio" ? .nio : .recvmmsg

do {
    let address = try SocketAddress(ipAddress: host, port: port)
    var configuration = DNSServerConfiguration(listenAddresses: [address], threads: threads)
    configuration.udpVectorReadCount = vectorReads
    configuration.udpEngine = engine
    let server = try await DNSServer.start(configuration: configuration, handler: EchoHandler())
    print("listening (\(engine)):", server.listeners.map(\.description).joined(separator: ", "))
    await server.run()
} catch {
    print("udp-echo: \(error)")
}
