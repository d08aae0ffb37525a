// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSZone

/// The zone's name index: found whatever the case of the letters (RFC 4343),
/// never for a name that differs in anything else.
@Suite struct NameTableTests {
    /// `foldedWord` lowers exactly `A`–`Z`, in every octet position, and
    /// leaves every other octet value alone.
    @Test func foldingAWordChangesOnlyUpperCaseLetters() {
        for value in 0...255 {
            let byte = UInt8(value)
            for position in 0..<8 {
                // Neighbours at the edges of the letter range: '@' 'A' 'Z' '[' '`' 'a' 'z' '{'.
                let neighbours: UInt64 = 0x7B7A_6160_5B5A_4140
                let shift = UInt64(position * 8)
                let word = (neighbours & ~(0xFF << shift)) | UInt64(byte) << shift
                let folded = foldedWord(word)
                var expected: UInt64 = 0
                for k in 0..<8 {
                    let octet = UInt8(truncatingIfNeeded: word >> UInt64(k * 8))
                    expected |= UInt64(lowerASCII(octet)) << UInt64(k * 8)
                }
                #expect(folded == expected, "octet \(value) at \(position)")
            }
        }
    }

    static let names = [
        "example.", "www.example.", "a.b.c.d.e.f.example.", "*.wild.example.",
        "xn--bcher-kva.example.", "a-very-long-label-that-is-longer-than-eight.example.", "_sip._tcp.example.",
        "\\000\\255.example.", "z.example.", "Mixed-Case.Example.",
    ]

    @Test(arguments: Self.names)
    func aNameIsFoundInAnyCase(_ text: String) throws {
        var table = NameTable(expectedCount: 4)
        for other in Self.names where other != text { _ = table.insert(try DomainName(other)) }
        let (id, inserted) = table.insert(try DomainName(text))
        #expect(inserted)
        for variant in [text, text.uppercased(), text.lowercased()] {
            let name = try DomainName(variant)
            #expect(table.find(name) == id, "\(variant)")
            #expect(foldedHash(name) == foldedHash(try DomainName(text)))
        }
        #expect(table.find(try DomainName("nope." + text)) == nil)
    }

    /// Names of the same length and letters but other labels are other
    /// names (label lengths, at most 63, are never folded like letters).
    @Test func namesWithOtherLabelsAreNotConfused() throws {
        var table = NameTable(expectedCount: 2)
        _ = table.insert(try DomainName("ab.c.example."))
        #expect(table.find(try DomainName("AB.C.example.")) == 0)
        #expect(table.find(try DomainName("a.bc.example.")) == nil)
        #expect(table.find(try DomainName("abc.example.")) == nil)
        let longest = String(repeating: "x", count: 63)
        _ = table.insert(try DomainName("\(longest).example."))
        #expect(table.find(try DomainName("\(longest.uppercased()).EXAMPLE.")) == 1)
    }

    /// The parent of a name is found in place, in any case.
    @Test func parentsAreFoundWithoutBuildingThem() throws {
        var table = NameTable(expectedCount: 4)
        _ = table.insert(try DomainName("example."))
        let (www, _) = table.insert(try DomainName("www.example."))
        #expect(table.findParent(of: try DomainName("a.WWW.Example.")) == www)
        #expect(table.findParent(of: try DomainName("a.b.example.")) == nil)
    }

    /// Many names (past several table growths): each found, none confused.
    @Test func tenThousandNamesAreEachFoundOnce() throws {
        var table = NameTable(expectedCount: 1)
        var ids: [Int32] = []
        for i in 0..<10_000 {
            let (id, inserted) = table.insert(try DomainName("host-\(i).Zone\(i % 7).example."))
            #expect(inserted)
            ids.append(id)
        }
        for i in stride(from: 0, to: 10_000, by: 37) {
            #expect(table.find(try DomainName("HOST-\(i).zone\(i % 7).EXAMPLE.")) == ids[i])
            #expect(table.find(try DomainName("host-\(i).zone\((i + 1) % 7).example.")) == nil)
        }
    }
}
