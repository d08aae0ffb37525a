// SPDX-License-Identifier: Apache-2.0

/// Base 32 with the "Extended Hex" alphabet (RFC 4648 §7), without Foundation.
///
/// NSEC3 (RFC 5155 §3.3) writes hashed owner names this way, without padding.
/// Output is upper case with no padding, as BIND prints NSEC3 RDATA; input is
/// case-insensitive.
public enum Base32Hex {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUV".utf8)

    /// The value of one base32hex digit, either case; nil for anything else.
    static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48  // 0-9
        case 65...86: c - 55  // A-V
        case 97...118: c - 87  // a-v
        default: nil
        }
    }

    /// Encodes without padding, upper case.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for b in bytes {
            accumulator = (accumulator << 8 | UInt32(b)) & 0xFFFF
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(alphabet[Int((accumulator >> UInt32(bits)) & 0x1F)])
            }
        }
        if bits > 0 {
            out.append(alphabet[Int((accumulator << UInt32(5 - bits)) & 0x1F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base32hex; nil when malformed.
    ///
    /// Malformed means: a character outside the alphabet, a length that no
    /// octet string encodes to (1, 3 or 6 digits in the last group of 8),
    /// leftover bits that are not zero (so every value has exactly one
    /// encoding), or padding — which is refused unless `allowPadding`, and
    /// then must complete the last group of 8 exactly.
    public static func decode(_ text: some Collection<UInt8>, allowPadding: Bool = false) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 5 / 8)
        var accumulator: UInt32 = 0
        var bits = 0
        var digits = 0
        var padding = 0
        for c in text {
            if c == UInt8(ascii: "=") {
                guard allowPadding else { return nil }
                padding += 1
                continue
            }
            guard padding == 0, let v = value(c) else { return nil }
            digits += 1
            accumulator = (accumulator << 5 | UInt32(v)) & 0xFFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        // Digits in the last group of 8: 0, 2, 4, 5 or 7 encode 0-4 octets.
        switch digits % 8 {
        case 1, 3, 6: return nil
        default: break
        }
        // The bits left over must be zero padding bits.
        guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
        if padding > 0 {
            guard (digits + padding) % 8 == 0, digits % 8 != 0 else { return nil }
        }
        return out
    }
}
