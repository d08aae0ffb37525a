// SPDX-License-Identifier: Apache-2.0

/// How BIND lays out long binary fields in one-line presentation form.
///
/// `named-checkzone -D` and `dig` split base64 and hex RDATA fields (DNSKEY
/// keys, RRSIG signatures, DS and ZONEMD digests, the TSIG MAC) into chunks of
/// 56 characters separated by one space. Every parser joins the chunks again
/// (RFC 4034 §2.2 and §5.3 allow whitespace inside these fields), so the
/// chunking only matters when text is compared with BIND's output.
public enum PresentationChunks {
    /// Characters per chunk, measured from BIND 9.18 output.
    public static let bindWidth = 56

    /// Appends `text` to `out` in chunks of `width` characters joined by a space.
    public static func append(_ text: String, to out: inout String, width: Int = bindWidth) {
        let utf8 = Array(text.utf8)
        guard width > 0, utf8.count > width else {
            out += text
            return
        }
        var start = 0
        while start < utf8.count {
            if start > 0 { out += " " }
            let end = min(start + width, utf8.count)
            out += String(decoding: utf8[start..<end], as: UTF8.self)
            start = end
        }
    }
}

extension Base64 {
    /// Base64 in 56-character chunks separated by spaces, as BIND prints RDATA.
    public static func encodeChunked(_ bytes: some Collection<UInt8>) -> String {
        var out = ""
        PresentationChunks.append(Base64.encode(bytes), to: &out)
        return out
    }
}

extension Hex {
    /// Upper-case hex in 56-character chunks separated by spaces, as BIND prints RDATA.
    public static func encodeChunked(_ bytes: some Sequence<UInt8>) -> String {
        var out = ""
        PresentationChunks.append(Hex.encode(bytes), to: &out)
        return out
    }
}
