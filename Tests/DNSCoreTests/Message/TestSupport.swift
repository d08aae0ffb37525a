import DNSCore
import NIOCore

/// Decodes hex (either case, no separators); nil when malformed.
func hexBytes(_ text: String) -> [UInt8]? {
    var out: [UInt8] = []
    var high: UInt8? = nil
    for c in text.utf8 {
        let v: UInt8
        switch c {
        case 48...57: v = c - 48
        case 65...70: v = c - 55
        case 97...102: v = c - 87
        default: return nil
        }
        if let h = high {
            out.append(h << 4 | v)
            high = nil
        } else {
            high = v
        }
    }
    return high == nil ? out : nil
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator so random
/// tests reproduce exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Hand-built wire pieces for malformed-message tests.
enum Wire {
    static func u16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func u32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    /// Uncompressed wire form of a dotted name (`"www.example."`, `"."`).
    static func name(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for label in text.split(separator: ".") {
            out.append(UInt8(label.utf8.count))
            out += Array(label.utf8)
        }
        return out + [0]
    }

    static func header(id: Int = 0x1234, flags: Int = 0x8180, qd: Int = 1, an: Int = 0, ns: Int = 0, ar: Int = 0)
        -> [UInt8]
    {
        u16(id) + u16(flags) + u16(qd) + u16(an) + u16(ns) + u16(ar)
    }

    static func question(_ name: String = "example.", type: Int = 1) -> [UInt8] {
        Self.name(name) + u16(type) + u16(1)
    }

    static func rr(_ owner: [UInt8], type: Int, cls: Int = 1, ttl: UInt32 = 300, rdata: [UInt8]) -> [UInt8] {
        owner + u16(type) + u16(cls) + u32(ttl) + u16(rdata.count) + rdata
    }

    static func opt(owner: [UInt8] = [0], options: [UInt8] = []) -> [UInt8] {
        rr(owner, type: 41, cls: 1232, ttl: 0, rdata: options)
    }

    /// A minimal TSIG RDATA (RFC 8945 §4.2) with a 4-octet MAC.
    static let tsigRDATA: [UInt8] =
        name("hmac-sha256.") + [0, 0, 0x65, 0x53, 0xF1, 0, 1, 0x2C] + u16(4) + [1, 2, 3, 4] + u16(0x1234) + u16(0)
        + u16(0)
}
