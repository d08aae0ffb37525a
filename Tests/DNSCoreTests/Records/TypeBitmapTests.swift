import DNSCore
import Testing

@Suite struct TypeBitmapTests {
    func encode(_ bitmap: TypeBitmap) -> [UInt8] {
        var writer = WireWriter(mode: .uncompressed)
        bitmap.write(to: &writer)
        return writer.bytes
    }

    func decode(_ bytes: [UInt8], allowEmpty: Bool = true) throws(DNSWireError) -> TypeBitmap {
        var reader = WireReader(bytes: bytes)
        return try TypeBitmap(wire: &reader, allowEmpty: allowEmpty)
    }

    @Test func typesInSeveralWindows() throws {
        let bitmap = TypeBitmap([.a, RecordType(1234), .caa, RecordType(65534), .ns, RecordType(65535), RecordType(0)])
        #expect(bitmap.types.map(\.rawValue) == [0, 1, 2, 257, 1234, 65534, 65535])
        let wire = encode(bitmap)
        // Window 0: types 0, 1, 2 → 0xE0. Window 1: CAA (257) → bit 1 → 0x40.
        // Window 4: 1234 = 4·256 + 210 → octet 26, bit 2 → 27 octets ending 0x20.
        // Window 255: 65534, 65535 → octet 31, bits 6 and 7 → 32 octets ending 0x03.
        var expected: [UInt8] = [0x00, 0x01, 0xE0, 0x01, 0x01, 0x40, 0x04, 27]
        expected += [UInt8](repeating: 0, count: 26) + [0x20]
        expected += [0xFF, 32] + [UInt8](repeating: 0, count: 31) + [0x03]
        #expect(wire == expected)
        #expect(try decode(wire) == bitmap)
        var text = ""
        bitmap.writePresentation(to: &text)
        #expect(text == " TYPE0 A NS CAA TYPE1234 TYPE65534 TYPE65535")
    }

    @Test func type65534AloneTakesAFullWindow() throws {
        let wire = encode(TypeBitmap([RecordType(65534)]))
        #expect(wire == [0xFF, 32] + [UInt8](repeating: 0, count: 31) + [0x02])
        #expect(try decode(wire).types == [RecordType(65534)])
    }

    @Test func containsAndInsert() {
        var bitmap = TypeBitmap([.mx, .a])
        #expect(bitmap.contains(.a) && bitmap.contains(.mx) && !bitmap.contains(.ns))
        bitmap.insert(.ns)
        bitmap.insert(.ns)
        bitmap.insert(RecordType(4096))
        #expect(bitmap.types == [.a, .ns, .mx, RecordType(4096)])
        #expect(!TypeBitmap().contains(.a))
        #expect(TypeBitmap().isEmpty && encode(TypeBitmap()).isEmpty)
    }

    @Test(
        arguments: [
            // Windows out of order.
            [0x01, 0x01, 0x40, 0x00, 0x01, 0x40],
            // A window repeated.
            [0x00, 0x01, 0x40, 0x00, 0x01, 0x20],
            // Length 0.
            [0x00, 0x00],
            // Length 33.
            [0x00, 33] + [UInt8](repeating: 0xFF, count: 33),
            // A trailing zero octet (RFC 4034 §4.1.2: must be omitted).
            [0x00, 0x02, 0x40, 0x00],
            // Truncated: the length says 3 octets, 1 given.
            [0x00, 0x03, 0x40],
            // Truncated: a window number without its length.
            [0x00, 0x01, 0x40, 0x01],
        ] as [[UInt8]]
    )
    func malformedBitmapsAreErrors(_ bytes: [UInt8]) {
        #expect(throws: DNSWireError.self) { try decode(bytes) }
        // The same inside an NSEC record.
        let nsec: [UInt8] = [0] + bytes
        #expect(throws: DNSWireError.self) { try RDATA(type: .nsec, wire: nsec) }
    }

    @Test func emptyBitmapOnlyWhereAllowed() throws {
        #expect(throws: DNSWireError.badValue) { try decode([], allowEmpty: false) }
        #expect(try decode([], allowEmpty: true).isEmpty)
        #expect(throws: DNSWireError.badValue) { try RDATA(type: .nsec, wire: [0]) }
        #expect(throws: PresentationError.self) { try RDATA(type: .nsec, text: "next.example.") }
        #expect(try RDATA(type: .csync, text: "1 0").wireBytes == [0, 0, 0, 1, 0, 0])
    }

    @Test func unknownMnemonicsAreErrors() {
        #expect(throws: PresentationError.self) { try RDATA(type: .nsec, text: "next.example. A BOGUS") }
        #expect(throws: PresentationError.self) { try RDATA(type: .nsec, text: "next.example. TYPE65536") }
        #expect(throws: PresentationError.self) { try RDATA(type: .csync, text: "1 0 A 12") }
    }

    @Test func everyTypeRoundTrips() throws {
        // All 65536 types at once: 256 full windows.
        let all = TypeBitmap((0...65535).map { RecordType(UInt16($0)) })
        let wire = encode(all)
        #expect(wire.count == 256 * 34)
        #expect(try decode(wire) == all)
    }
}
