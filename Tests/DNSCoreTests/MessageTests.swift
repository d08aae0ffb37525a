import DNSCore
import NIOCore
import Testing

@Suite struct MessageTests {
    @Test func roundTripWithCompression() throws {
        var message = DNSMessage.query(id: 0x1234, name: "www.example.org.", type: .mx)
        message.header.isResponse = true
        message.answers = [
            try ResourceRecord(text: "www.example.org. 300 IN MX 10 mail.example.org."),
            try ResourceRecord(text: "www.example.org. 300 IN MX 20 mail2.Example.org."),
        ]
        message.authorities = [
            try ResourceRecord(
                text: "example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 1 7200 3600 1209600 300")
        ]
        message.additionals = [try ResourceRecord(text: "mail.example.org. 300 IN A 192.0.2.1")]
        let wire = message.wireBytes
        let decoded = try DNSMessage(wire: wire)
        #expect(decoded == message)
        // The exchange names point back at the question name.
        let records = message.answers + message.authorities + message.additionals
        let uncompressed = records.reduce(0) { $0 + $1.name.wireLength + 10 + $1.rdata.wireBytes.count }
        let full = 12 + message.questions[0].name.wireLength + 4 + uncompressed + 11
        // Saved: two answer owners (15 each), the suffix example.org. in both
        // exchanges, the SOA owner, MNAME and RNAME (11 each), and the whole
        // additional owner mail.example.org. (16).
        #expect(wire.count == full - (2 * 15 + 5 * 11 + 16))
    }

    @Test func pointerLoopIsAnError() {
        // Header with one question whose name is a pointer to itself.
        let bytes: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1]
        #expect(throws: DNSWireError.badPointer) { try DNSMessage(wire: bytes) }
    }

    @Test func forwardPointerIsAnError() {
        let bytes: [UInt8] = [0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 16, 0, 1, 0, 1, 0]
        #expect(throws: DNSWireError.badPointer) { try DNSMessage(wire: bytes) }
    }

    @Test func truncationDropsWholeRRsetsAndSetsTC() throws {
        var message = DNSMessage.query(id: 1, name: "big.example.", type: .txt, edns: nil)
        message.header.isResponse = true
        for i in 0..<40 {
            message.answers.append(
                try ResourceRecord(text: "big.example. 60 IN TXT \"\(String(repeating: "x", count: 50))\(i)\""))
        }
        let buffer = message.serialize(maxSize: 512)
        #expect(buffer.readableBytes <= 512)
        let decoded = try DNSMessage(wire: buffer)
        #expect(decoded.header.truncated)
        #expect(decoded.answers.isEmpty)
    }
}
