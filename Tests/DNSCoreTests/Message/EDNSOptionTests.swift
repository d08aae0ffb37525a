import DNSCore
import NIOCore
import Testing

@Suite struct EDNSOptionTests {
    // MARK: COOKIE (RFC 7873)

    @Test func cookieClientOnlyAndWithServer() throws {
        let client: [UInt8] = [0x24, 0x64, 0xC4, 0xAB, 0xCF, 0x10, 0xC9, 0x57]
        let first = try EDNSOption.Cookie(EDNSOption(code: .cookie, data: client))
        #expect(first.client == client)
        #expect(first.server == nil)
        // A 16-octet server cookie as RFC 9018 §4 builds it: version, reserved, timestamp, hash.
        let server: [UInt8] = [1, 0, 0, 0, 0x5C, 0xF7, 0x9F, 0x11, 0x1F, 0x81, 0x30, 0xC3, 0xEE, 0xE2, 0x94, 0x80]
        let full = try EDNSOption.Cookie(EDNSOption(code: .cookie, data: client + server))
        #expect(full.server == server)
        #expect(full.option == EDNSOption(code: .cookie, data: client + server))
        #expect(try EDNSOption.Cookie(client: client, server: [UInt8](repeating: 7, count: 32)).option.data.count == 40)
    }

    @Test(arguments: [0, 1, 7, 9, 15, 41, 64])
    func cookieBadLengths(length: Int) {
        // RFC 7873 §5.2.2: only 8 or 16 to 40 octets.
        #expect(throws: DNSWireError.badValue) {
            try EDNSOption.Cookie(EDNSOption(code: .cookie, data: [UInt8](repeating: 1, count: length)))
        }
    }

    @Test func cookieBuilderValidates() {
        #expect(throws: DNSWireError.badValue) { try EDNSOption.Cookie(client: [1, 2, 3]) }
        #expect(throws: DNSWireError.badValue) {
            try EDNSOption.Cookie(client: [UInt8](repeating: 0, count: 8), server: [1])
        }
        #expect(throws: DNSWireError.badValue) { try EDNSOption.Cookie(EDNSOption(code: .nsid, data: [])) }
    }

    @Test func cookieAccessor() throws {
        var edns = EDNS()
        #expect(try edns.cookie == nil)
        let cookie = try EDNSOption.Cookie(client: [1, 2, 3, 4, 5, 6, 7, 8])
        edns.setOption(cookie.option)
        #expect(try edns.cookie == cookie)
        edns.setOption(EDNSOption(code: .cookie, data: [1, 2, 3]))
        #expect(edns.options.count == 1)
        #expect(throws: DNSWireError.badValue) { try edns.cookie }
        edns.removeOptions(.cookie)
        #expect(edns.options.isEmpty)
    }

    // MARK: NSID (RFC 5001)

    @Test func nsid() throws {
        var edns = EDNS(options: [EDNSOption(code: .nsid, data: Array("ns1.example".utf8))])
        let nsid = try #require(edns.nsid)
        #expect(nsid.hex == "6e 73 31 2e 65 78 61 6d 70 6c 65")
        #expect(nsid.printable == "ns1.example")
        #expect(EDNSOption.NSID(bytes: [0x41, 0xFF, 0x7F, 0x00]).printable == "A...")
        #expect(EDNSOption.NSID(text: "x").option == EDNSOption(code: .nsid, data: [0x78]))
        edns.options = [EDNSOption.NSID().option]
        #expect(edns.nsid?.bytes == [])
    }

    // MARK: Padding (RFC 7830, RFC 8467)

    @Test func paddingBlockArithmetic() {
        #expect(EDNSOption.Padding.toBlock(messageLength: 100, blockSize: 128)?.length == 24)
        #expect(EDNSOption.Padding.toBlock(messageLength: 124, blockSize: 128)?.length == 0)
        #expect(EDNSOption.Padding.toBlock(messageLength: 125, blockSize: 128)?.length == 127)
        #expect(EDNSOption.Padding.toBlock(messageLength: 500, blockSize: 468)?.length == 432)
        #expect(EDNSOption.Padding.toBlock(messageLength: 500, blockSize: 468, maxSize: 600)?.length == 96)
        #expect(EDNSOption.Padding.toBlock(messageLength: 598, blockSize: 468, maxSize: 600) == nil)
    }

    @Test func padMessageToBlocks() throws {
        var query = DNSMessage.query(id: 1, name: "www.example.com.", type: .aaaa)
        query.pad(toBlockSize: EDNSOption.Padding.queryBlockSize)
        #expect(query.wireBytes.count == 128)
        #expect(query.edns?.padding?.length == 128 - 33 - 11 - 4)
        query.pad(toBlockSize: EDNSOption.Padding.queryBlockSize)  // idempotent: old padding replaced
        #expect(query.wireBytes.count == 128)
        let decoded = try DNSMessage(wire: query.wireBytes)
        #expect(decoded.edns?.option(.padding)?.data.allSatisfy { $0 == 0 } == true)
        var response = query
        response.answers = (1...30).map {
            ResourceRecord(name: "www.example.com.", ttl: 60, rdata: .a(RDATA.A(IPv4Address(192, 0, 2, UInt8($0)))))
        }
        response.pad(toBlockSize: EDNSOption.Padding.responseBlockSize)
        #expect(response.wireBytes.count % 468 == 0)
    }

    // MARK: Extended DNS Errors (RFC 8914)

    @Test func extendedError() throws {
        let wire: [UInt8] = [0x00, 0x12] + Array("blocked by policy".utf8)
        let ede = try EDNSOption.ExtendedError(EDNSOption(code: .extendedError, data: wire))
        #expect(ede.infoCode == .prohibited)
        #expect(ede.infoCode.name == "Prohibited")
        #expect(ede.extraText == "blocked by policy")
        #expect(ede.option.data == wire)
        let bare = try EDNSOption.ExtendedError(EDNSOption(code: .extendedError, data: [0, 3]))
        #expect(bare == EDNSOption.ExtendedError(.staleAnswer))
        let utf8 = EDNSOption.ExtendedError(.filtered, extraText: "é…")
        #expect(try EDNSOption.ExtendedError(utf8.option) == utf8)
    }

    @Test func extendedErrorMalformed() {
        #expect(throws: DNSWireError.truncated) {
            try EDNSOption.ExtendedError(EDNSOption(code: .extendedError, data: [0]))
        }
        #expect(throws: DNSWireError.badValue) {
            try EDNSOption.ExtendedError(EDNSOption(code: .extendedError, data: [0, 99, 0xFF, 0xFE]))
        }
    }

    @Test func extendedErrorRegistry() {
        typealias Code = EDNSOption.ExtendedError.InfoCode
        #expect(Code.other.name == "Other Error")
        #expect(Code(9).name == "DNSKEY Missing")
        #expect(Code(19).name == "Stale NXDomain Answer")
        #expect(Code.noReachableAuthority.rawValue == 22)
        #expect(Code.unsupportedNSEC3IterationsValue.name == "Unsupported NSEC3 Iterations Value")
        #expect(Code(30).name == "Invalid Query Type")
        #expect(Code(31).name == nil)
        #expect(Code(49152).description == "INFO-CODE49152")
        #expect(Code(0).digName == "Other")
        #expect(Code(25).digName == nil)
    }

    @Test func severalExtendedErrors() throws {
        var edns = EDNS()
        edns.options = [
            EDNSOption.ExtendedError(.dnssecBogus).option, EDNSOption(code: .nsid, data: []),
            EDNSOption.ExtendedError(.signatureExpired, extraText: "RRSIG expired").option,
        ]
        let errors = try edns.extendedErrors
        #expect(errors.map(\.infoCode) == [.dnssecBogus, .signatureExpired])
        edns.options.append(EDNSOption(code: .extendedError, data: [1]))
        #expect(throws: DNSWireError.truncated) { try edns.extendedErrors }
    }

    // MARK: Client Subnet (RFC 7871)

    @Test func clientSubnetIPv4() throws {
        // RFC 7871 §6 layout: FAMILY 1, SOURCE 24, SCOPE 0, ADDRESS 198.51.100 (3 octets).
        let option = EDNSOption(code: .clientSubnet, data: [0, 1, 24, 0, 198, 51, 100])
        let ecs = try EDNSOption.ClientSubnet(option)
        #expect(ecs.family == 1 && ecs.sourcePrefixLength == 24 && ecs.scopePrefixLength == 0)
        #expect(ecs.description == "198.51.100.0/24/0")
        #expect(ecs.option == option)
        let built = try EDNSOption.ClientSubnet(IPv4Address(198, 51, 100, 77), sourcePrefixLength: 20)
        #expect(built.address == [198, 51, 96])
        #expect(built.description == "198.51.96.0/20/0")
        let zero = try EDNSOption.ClientSubnet(IPv4Address(192, 0, 2, 1), sourcePrefixLength: 0)
        #expect(zero.option.data == [0, 1, 0, 0])
    }

    @Test func clientSubnetIPv6() throws {
        let address = try #require(IPv6Address("2001:db8:1234:5678::1"))
        let ecs = try EDNSOption.ClientSubnet(address, sourcePrefixLength: 56, scopePrefixLength: 48)
        #expect(ecs.address == [0x20, 0x01, 0x0D, 0xB8, 0x12, 0x34, 0x56])
        #expect(ecs.description == "2001:db8:1234:5600::/56/48")
        var edns = EDNS(options: [ecs.option])
        #expect(try edns.clientSubnet == ecs)
        edns.options = []
        #expect(try edns.clientSubnet == nil)
    }

    @Test(
        arguments: [
            [0, 1, 23, 0, 198, 51, 101],  // a bit set past the /23 source prefix
            [0, 1, 24, 0, 198, 51, 100, 0],  // one octet too many
            [0, 1, 24, 0, 198, 51],  // one octet too few
            [0, 1, 33, 0, 1, 2, 3, 4, 0],  // prefix longer than IPv4
            [0, 1, 24, 33, 198, 51, 100],  // scope longer than IPv4
            [0, 2, 129, 0] + [UInt8](repeating: 0, count: 17),  // prefix longer than IPv6
            [0, 3, 8, 0, 1],  // unknown family
            [0, 0, 0, 0],  // family 0
        ] as [[UInt8]])
    func clientSubnetInvalid(data: [UInt8]) {
        #expect(throws: DNSWireError.badValue) {
            try EDNSOption.ClientSubnet(EDNSOption(code: .clientSubnet, data: data))
        }
    }

    @Test func clientSubnetTooShort() {
        #expect(throws: DNSWireError.truncated) {
            try EDNSOption.ClientSubnet(EDNSOption(code: .clientSubnet, data: [0, 1, 0]))
        }
    }

    // MARK: Unknown options

    /// Unknown and duplicate options, empty ones too, come back byte for byte.
    @Test func unknownOptionsKeptByteForByte() throws {
        let optRDATA: [UInt8] = [
            0xFD, 0xE9, 0x00, 0x03, 0xDE, 0xAD, 0x00,  // 65001, 3 octets
            0x00, 0x0A, 0x00, 0x03, 0x01, 0x02, 0x03,  // malformed COOKIE: kept as is
            0x04, 0xD2, 0x00, 0x00,  // 1234, empty
            0xFD, 0xE9, 0x00, 0x01, 0xFF,  // 65001 again
        ]
        let wire: [UInt8] =
            [0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
            + [7] + Array("example".utf8) + [0, 0, 1, 0, 1]
            + [0, 0, 41, 0x10, 0x00, 0, 0, 0x80, 0x00, 0, UInt8(optRDATA.count)] + optRDATA
        let message = try DNSMessage(wire: wire)
        let options = try #require(message.edns?.options)
        #expect(options.map(\.code.rawValue) == [65001, 10, 1234, 65001])
        #expect(options[0].data == [0xDE, 0xAD, 0x00])
        #expect(message.edns?.udpPayloadSize == 4096)
        #expect(message.edns?.dnssecOK == true)
        #expect(message.wireBytes == wire)
    }
}
