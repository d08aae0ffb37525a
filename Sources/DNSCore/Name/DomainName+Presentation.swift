// SPDX-License-Identifier: Apache-2.0

extension DomainName {
    /// Parses a name in presentation format (RFC 1035 §5.1): labels separated by
    /// dots, `\X` for a literal character and `\DDD` for an octet in decimal.
    ///
    /// A name that does not end in an unescaped dot is relative and has
    /// `origin` appended; without an origin it is taken as absolute. `@` alone
    /// is the origin.
    public init(parsing text: some Collection<UInt8>, origin: DomainName? = nil) throws(PresentationError) {
        let bytes = Array(text)
        if bytes.count == 1 && bytes[0] == UInt8(ascii: "@") {
            guard let origin else { throw PresentationError("'@' used without an origin") }
            self = origin
            return
        }
        if bytes.count == 1 && bytes[0] == UInt8(ascii: ".") {
            self = .root
            return
        }
        guard !bytes.isEmpty else { throw PresentationError("empty name") }
        var wire: [UInt8] = []
        wire.reserveCapacity(bytes.count + 2)
        var labelStart = 0
        wire.append(0)
        var absolute = false
        var i = 0
        func closeLabel() throws(PresentationError) {
            let length = wire.count - labelStart - 1
            guard length > 0 else { throw PresentationError("empty label in name") }
            guard length <= WireLimits.maxLabelLength else {
                throw PresentationError("label longer than 63 octets")
            }
            wire[labelStart] = UInt8(length)
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: ".") {
                try closeLabel()
                if i == bytes.count - 1 {
                    absolute = true
                    i += 1
                    break
                }
                labelStart = wire.count
                wire.append(0)
                i += 1
                continue
            }
            if c == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { throw PresentationError("name ends in a backslash") }
                let d = bytes[i + 1]
                if isDigit(d) {
                    guard i + 3 < bytes.count, isDigit(bytes[i + 2]), isDigit(bytes[i + 3]) else {
                        throw PresentationError("\\DDD escape needs three digits")
                    }
                    let value = Int(d - 48) * 100 + Int(bytes[i + 2] - 48) * 10 + Int(bytes[i + 3] - 48)
                    guard value <= 255 else { throw PresentationError("\\DDD escape over 255") }
                    wire.append(UInt8(value))
                    i += 4
                } else {
                    wire.append(d)
                    i += 2
                }
            } else {
                wire.append(c)
                i += 1
            }
            guard wire.count <= WireLimits.maxNameWireLength + 64 else {
                throw PresentationError("name longer than 255 octets")
            }
        }
        if !absolute {
            try closeLabel()
        }
        wire.append(0)
        if !absolute, let origin {
            wire.removeLast()
            wire.append(contentsOf: origin.wire)
        }
        guard wire.count <= WireLimits.maxNameWireLength else { throw PresentationError("name longer than 255 octets") }
        self.init(uncheckedWire: wire)
    }

    /// Parses a name from a Swift string (see ``init(parsing:origin:)``).
    public init(_ text: String, origin: DomainName? = nil) throws(PresentationError) {
        try self.init(parsing: Array(text.utf8), origin: origin)
    }

    /// Appends the presentation form (absolute, with the final dot) to `out`.
    public func writePresentation(to out: inout String) {
        if self.isRoot {
            out.append(".")
            return
        }
        var scratch: [UInt8] = []
        scratch.reserveCapacity(self.wire.count + 8)
        self.appendPresentation(to: &scratch)
        out.append(String(decoding: scratch, as: UTF8.self))
    }

    /// Appends the presentation form as UTF-8 bytes.
    public func appendPresentation(to out: inout [UInt8]) {
        if self.isRoot {
            out.append(UInt8(ascii: "."))
            return
        }
        var i = 0
        while self.wire[i] != 0 {
            let length = Int(self.wire[i])
            for k in (i + 1)..<(i + 1 + length) {
                appendEscapedNameOctet(self.wire[k], to: &out)
            }
            out.append(UInt8(ascii: "."))
            i += length + 1
        }
    }
}

extension DomainName: CustomStringConvertible {
    public var description: String {
        var out = ""
        self.writePresentation(to: &out)
        return out
    }
}

extension DomainName: ExpressibleByStringLiteral {
    /// For literals in code and tests; an invalid literal is a programming error.
    public init(stringLiteral value: String) {
        do {
            try self.init(value, origin: .root)
        } catch {
            preconditionFailure("invalid domain name literal \(value): \(error)")
        }
    }
}

@inline(__always)
func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

/// Escapes an octet of a label as dig and BIND print it: `\.` style for the
/// characters special in zone files, `\DDD` outside printable ASCII.
func appendEscapedNameOctet(_ c: UInt8, to out: inout [UInt8]) {
    switch c {
    case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "("), UInt8(ascii: ")"),
        UInt8(ascii: ";"), UInt8(ascii: "@"), UInt8(ascii: "$"):
        out.append(UInt8(ascii: "\\"))
        out.append(c)
    case 0x21...0x7E:
        out.append(c)
    default:
        appendDecimalEscape(c, to: &out)
    }
}

func appendDecimalEscape(_ c: UInt8, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\\"))
    out.append(48 + c / 100)
    out.append(48 + (c / 10) % 10)
    out.append(48 + c % 10)
}
