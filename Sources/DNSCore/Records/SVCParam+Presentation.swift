// SPDX-License-Identifier: Apache-2.0

extension SVCParam {
    /// Converts a presentation value to wire form (RFC 9460 §2.1, §7, §8, Appendix A).
    ///
    /// `value` is the SvcParamValue after <character-string> decoding (quotes
    /// removed, `\X` and `\DDD` resolved); nil when the key had no `=`. When the
    /// key was written in the generic form `keyNNNNN`, the value is taken as
    /// the wire octets and checked against the key's wire rules (as BIND does);
    /// otherwise it is parsed with the key's own syntax.
    /// Returns the wire value, or a message saying what is wrong.
    static func wireValue(
        key: SVCParamKey, value: [UInt8]?, generic: Bool
    ) -> Result<[UInt8], SVCBValueError> {
        let text = value ?? []
        let wire: [UInt8]
        if generic {
            wire = text
        } else {
            switch key {
            case .mandatory:
                guard let items = decodeValueList(text), !items.isEmpty else {
                    return .failure("mandatory needs a comma-separated list of keys")
                }
                var keys: [SVCParamKey] = []
                for item in items {
                    guard let k = SVCParamKey(parsing: item) else {
                        return .failure("unknown key '\(String(decoding: item, as: UTF8.self))' in mandatory")
                    }
                    guard !keys.contains(k) else { return .failure("\(k) listed twice in mandatory") }
                    guard k != .mandatory else { return .failure("mandatory must not list mandatory") }
                    keys.append(k)
                }
                wire = SVCParam.mandatory(keys).value
            case .alpn:
                guard let items = decodeValueList(text), !items.isEmpty else {
                    return .failure("alpn needs a comma-separated list of protocol ids")
                }
                var out: [UInt8] = []
                for item in items {
                    guard item.count <= 255 else { return .failure("alpn protocol id longer than 255 octets") }
                    out.append(UInt8(item.count))
                    out.append(contentsOf: item)
                }
                wire = out
            case .port:
                guard let port = parseDecimal(text), port <= UInt64(UInt16.max) else {
                    return .failure("port needs a number from 0 to 65535")
                }
                wire = SVCParam.port(UInt16(port)).value
            case .ipv4hint:
                guard let items = decodeValueList(text), !items.isEmpty else {
                    return .failure("ipv4hint needs a comma-separated list of IPv4 addresses")
                }
                var out: [UInt8] = []
                for item in items {
                    guard let address = IPv4Address(parsing: item) else {
                        return .failure("bad IPv4 address '\(String(decoding: item, as: UTF8.self))' in ipv4hint")
                    }
                    out.append(contentsOf: address.bytes)
                }
                wire = out
            case .ipv6hint:
                guard let items = decodeValueList(text), !items.isEmpty else {
                    return .failure("ipv6hint needs a comma-separated list of IPv6 addresses")
                }
                var out: [UInt8] = []
                for item in items {
                    guard let address = IPv6Address(parsing: item) else {
                        return .failure("bad IPv6 address '\(String(decoding: item, as: UTF8.self))' in ipv6hint")
                    }
                    out.append(contentsOf: address.bytes)
                }
                wire = out
            case .ech:
                // RFC 9460 §14.3.2 / RFC 9848: base64 of the ECHConfigList; may be empty.
                guard let bytes = Base64.decode(text) else { return .failure("bad base64 in ech") }
                wire = bytes
            default:
                // no-default-alpn and ohttp (empty), dohpath (a string) and
                // unknown keys take the octets as they are.
                wire = text
            }
        }
        guard wire.count <= Int(UInt16.max) else { return .failure("\(key) value longer than 65535 octets") }
        if let problem = SVCParam.problem(key: key, value: wire) {
            return .failure(SVCBValueError(problem))
        }
        return .success(wire)
    }

    /// Appends `key` or `key=value` in the presentation format BIND 9.18
    /// prints: mandatory, port and address hints unquoted, alpn quoted with
    /// value-list escapes, ech as unbroken base64, other values as quoted
    /// strings, and empty values as the bare key.
    func writePresentation(to out: inout String) {
        let name = self.key.presentationName
        if SVCParam.problem(key: self.key, value: self.value) != nil || self.key.rawValue > 6 {
            out += name
            if !self.value.isEmpty {
                out += "="
                appendQuoted(self.value, to: &out)
            }
            return
        }
        let v = self.value
        switch self.key {
        case .mandatory:
            out += name + "="
            for i in stride(from: 0, to: v.count, by: 2) {
                if i > 0 { out += "," }
                out += SVCParamKey(UInt16(v[i]) << 8 | UInt16(v[i + 1])).presentationName
            }
        case .alpn:
            out += name + "="
            var buffer: [UInt8] = [UInt8(ascii: "\"")]
            var i = 0
            while i < v.count {
                let length = Int(v[i])
                if i > 0 { buffer.append(UInt8(ascii: ",")) }
                for c in v[(i + 1)..<(i + 1 + length)] {
                    appendALPNOctet(c, to: &buffer)
                }
                i += 1 + length
            }
            buffer.append(UInt8(ascii: "\""))
            out += String(decoding: buffer, as: UTF8.self)
        case .noDefaultALPN:
            out += name
        case .port:
            out += "\(name)=\(UInt16(v[0]) << 8 | UInt16(v[1]))"
        case .ipv4hint:
            out += name + "="
            for i in stride(from: 0, to: v.count, by: 4) {
                if i > 0 { out += "," }
                out += "\(v[i]).\(v[i + 1]).\(v[i + 2]).\(v[i + 3])"
            }
        case .ipv6hint:
            out += name + "="
            for i in stride(from: 0, to: v.count, by: 16) {
                if i > 0 { out += "," }
                if let address = try? IPv6Address(bytes: v[i..<(i + 16)]) { out += address.description }
            }
        case .ech:
            out += name
            if !v.isEmpty { out += "=" + Base64.encode(v) }
        default:
            out += name
        }
    }
}

/// One alpn-id octet inside the quoted value: a value-list item escapes `,`
/// and `\` (RFC 9460 Appendix A.1), then the <character-string> escapes `\`
/// and `"` again; octets outside `!`…`~` (space included) become `\DDD`, as
/// BIND prints them.
private func appendALPNOctet(_ c: UInt8, to buffer: inout [UInt8]) {
    switch c {
    case UInt8(ascii: ","):
        buffer.append(contentsOf: #"\\,"#.utf8)
    case UInt8(ascii: "\\"):
        buffer.append(contentsOf: #"\\\\"#.utf8)
    case UInt8(ascii: "\""):
        buffer.append(contentsOf: #"\""#.utf8)
    case 0x21...0x7E:
        buffer.append(c)
    default:
        appendDecimalEscape(c, to: &buffer)
    }
}

/// Splits a value-list (RFC 9460 Appendix A.1) on commas not escaped by `\`,
/// resolving `\X` to `X` inside items. Returns nil when an item is empty or
/// the text ends in a lone backslash; an empty text is an empty list.
func decodeValueList(_ text: [UInt8]) -> [[UInt8]]? {
    guard !text.isEmpty else { return [] }
    var items: [[UInt8]] = []
    var current: [UInt8] = []
    var i = 0
    while i < text.count {
        let c = text[i]
        if c == UInt8(ascii: "\\") {
            guard i + 1 < text.count else { return nil }
            current.append(text[i + 1])
            i += 2
            continue
        }
        if c == UInt8(ascii: ",") {
            guard !current.isEmpty else { return nil }
            items.append(current)
            current = []
        } else {
            current.append(c)
        }
        i += 1
    }
    guard !current.isEmpty else { return nil }
    items.append(current)
    return items
}

/// Why a SvcParamValue or a set of SvcParams is not acceptable.
struct SVCBValueError: Error, ExpressibleByStringInterpolation {
    var message: String
    init(_ message: String) { self.message = message }
    init(stringLiteral value: String) { self.message = value }
}
