// SPDX-License-Identifier: Apache-2.0

/// The little DER (X.690) that RSA keys need: a SEQUENCE of INTEGERs, the
/// form of PKCS#1 `RSAPublicKey` and `RSAPrivateKey` (RFC 8017 Appendix A.1).
enum DER {
    /// `SEQUENCE { INTEGER … }` of unsigned big-endian integers.
    static func sequenceOfIntegers(_ integers: [[UInt8]]) -> [UInt8] {
        var body: [UInt8] = []
        for integer in integers {
            var value = Array(integer.drop { $0 == 0 })
            if value.isEmpty { value = [0] }
            if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            body.append(0x02)
            body.append(contentsOf: self.length(value.count))
            body.append(contentsOf: value)
        }
        return [0x30] + self.length(body.count) + body
    }

    private static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var bytes: [UInt8] = []
        var v = n
        while v > 0 {
            bytes.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes
    }

    /// The INTEGERs of `SEQUENCE { INTEGER … }`, unsigned (leading zeros
    /// dropped); nil when the input is not that.
    static func integers(ofSequence der: [UInt8]) -> [[UInt8]]? {
        var i = 0
        guard der.count >= 2, der[0] == 0x30 else { return nil }
        i = 1
        guard let (seqLength, afterLength) = self.readLength(der, at: i) else { return nil }
        i = afterLength
        guard i + seqLength == der.count else { return nil }
        var out: [[UInt8]] = []
        while i < der.count {
            guard der[i] == 0x02 else { return nil }
            guard let (length, start) = self.readLength(der, at: i + 1), start + length <= der.count else { return nil }
            out.append(Array(der[start..<(start + length)].drop { $0 == 0 }))
            i = start + length
        }
        return out
    }

    private static func readLength(_ der: [UInt8], at i: Int) -> (Int, Int)? {
        guard i < der.count else { return nil }
        let first = der[i]
        if first < 0x80 { return (Int(first), i + 1) }
        let count = Int(first & 0x7F)
        guard count > 0, count <= 4, i + count < der.count else { return nil }
        var value = 0
        for k in 0..<count { value = value << 8 | Int(der[i + 1 + k]) }
        return (value, i + 1 + count)
    }
}
