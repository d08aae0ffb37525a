// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// LOC: geographical location (RFC 1876 §2).
    ///
    ///            MSB                                           LSB
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///           0|        VERSION        |         SIZE          |
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///           2|       HORIZ PRE       |       VERT PRE        |
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///           4|                   LATITUDE                    |
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///           6|                   LATITUDE                    |
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///           8|                   LONGITUDE                   |
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///          10|                   LONGITUDE                   |
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///          12|                   ALTITUDE                    |
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///          14|                   ALTITUDE                    |
    ///            +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
    ///
    /// SIZE, HORIZ PRE and VERT PRE are centimetres as a mantissa (high
    /// nibble) times ten to an exponent (low nibble), both 0–9. LATITUDE and
    /// LONGITUDE are thousandths of an arc second offset by 2^31 (the
    /// equator / prime meridian); ALTITUDE is centimetres above a base
    /// 100000 m below the WGS 84 spheroid.
    ///
    /// Presentation (RFC 1876 §3), minutes, seconds, size and precisions
    /// optional (defaults 1m, 10000m, 10m):
    ///
    ///     d1 [m1 [s1]] {"N"|"S"} d2 [m2 [s2]] {"E"|"W"} alt["m"] [siz["m"] [hp["m"] [vp["m"]]]]
    ///
    /// and printed in full as BIND prints it:
    /// `52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m`.
    ///
    /// RFC 1876 says other versions must not be interpreted; such RDATA is
    /// kept whole in ``unknownVersionRDATA`` and printed in the RFC 3597
    /// generic form, as BIND does.
    public struct LOC: RDATAContent {
        /// Encoded size of the sphere (mantissa << 4 | exponent, centimetres).
        public var size: UInt8
        /// Encoded horizontal precision.
        public var horizontalPrecision: UInt8
        /// Encoded vertical precision.
        public var verticalPrecision: UInt8
        /// Thousandths of an arc second, 2^31 is the equator.
        public var latitude: UInt32
        /// Thousandths of an arc second, 2^31 is the prime meridian.
        public var longitude: UInt32
        /// Centimetres, 10000000 is the WGS 84 reference spheroid.
        public var altitude: UInt32
        /// The whole RDATA when VERSION is not 0 (other fields are then 0).
        public var unknownVersionRDATA: [UInt8]?

        /// 2^31: the equator and the prime meridian.
        public static let coordinateOrigin: UInt32 = 0x8000_0000
        /// 100000 m in centimetres: altitude 0 on the wire.
        public static let altitudeBase: UInt32 = 10_000_000
        static let maxLatitudeOffset: UInt32 = 90 * 3_600_000
        static let maxLongitudeOffset: UInt32 = 180 * 3_600_000

        public init(
            latitude: UInt32, longitude: UInt32, altitude: UInt32, size: UInt8 = 0x12,
            horizontalPrecision: UInt8 = 0x16, verticalPrecision: UInt8 = 0x13
        ) {
            self.size = size
            self.horizontalPrecision = horizontalPrecision
            self.verticalPrecision = verticalPrecision
            self.latitude = latitude
            self.longitude = longitude
            self.altitude = altitude
            self.unknownVersionRDATA = nil
        }

        /// A LOC of another VERSION, kept as opaque octets (first octet non-zero).
        public init(unknownVersionRDATA: [UInt8]) {
            self.init(latitude: 0, longitude: 0, altitude: 0, size: 0, horizontalPrecision: 0, verticalPrecision: 0)
            self.unknownVersionRDATA = unknownVersionRDATA
        }

        /// True when a SIZE/HORIZ PRE/VERT PRE octet is 0, or a mantissa 1–9
        /// and an exponent 0–9. As in BIND, a zero mantissa with a non-zero
        /// exponent is refused: it would print as `0m` and read back as 0.
        public static func isValidPrecision(_ octet: UInt8) -> Bool {
            octet == 0 || ((1...9).contains(octet >> 4) && octet & 0x0F <= 9)
        }

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            let start = reader.offset
            let version = try reader.readUInt8()
            guard version == 0 else {
                self.init(unknownVersionRDATA: [version] + (try reader.readRemainingBytes()))
                return
            }
            let size = try reader.readUInt8()
            let hp = try reader.readUInt8()
            let vp = try reader.readUInt8()
            let latitude = try reader.readUInt32()
            let longitude = try reader.readUInt32()
            let altitude = try reader.readUInt32()
            for octet in [size, hp, vp] where !LOC.isValidPrecision(octet) {
                throw DNSWireError.badValue.at(start, "LOC size or precision not a mantissa 1-9 and exponent 0-9")
            }
            guard LOC.offset(latitude) <= LOC.maxLatitudeOffset else {
                throw DNSWireError.badValue.at(start + 4, "LOC latitude beyond 90 degrees")
            }
            guard LOC.offset(longitude) <= LOC.maxLongitudeOffset else {
                throw DNSWireError.badValue.at(start + 8, "LOC longitude beyond 180 degrees")
            }
            self.init(
                latitude: latitude, longitude: longitude, altitude: altitude, size: size, horizontalPrecision: hp,
                verticalPrecision: vp)
        }

        /// Distance of a coordinate from the origin, in thousandths of an arc second.
        static func offset(_ value: UInt32) -> UInt32 {
            value >= coordinateOrigin ? value - coordinateOrigin : coordinateOrigin - value
        }

        public func write(to writer: inout WireWriter) {
            if let raw = self.unknownVersionRDATA {
                writer.writeBytes(raw)
                return
            }
            writer.writeUInt8(0)
            writer.writeUInt8(self.size)
            writer.writeUInt8(self.horizontalPrecision)
            writer.writeUInt8(self.verticalPrecision)
            writer.writeUInt32(self.latitude)
            writer.writeUInt32(self.longitude)
            writer.writeUInt32(self.altitude)
        }

        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            let latitude = try LOC.coordinate(
                &s, "latitude", maxDegrees: 90, positive: UInt8(ascii: "N"), negative: UInt8(ascii: "S"))
            let longitude = try LOC.coordinate(
                &s, "longitude", maxDegrees: 180, positive: UInt8(ascii: "E"), negative: UInt8(ascii: "W"))
            let altitude = try LOC.altitude(&s)
            var precisions: [UInt8] = [0x12, 0x16, 0x13]
            let names = ["LOC size", "LOC horizontal precision", "LOC vertical precision"]
            for i in 0..<3 where !s.isAtEnd {
                precisions[i] = try LOC.precision(&s, names[i])
            }
            self.init(
                latitude: latitude, longitude: longitude, altitude: altitude, size: precisions[0],
                horizontalPrecision: precisions[1], verticalPrecision: precisions[2])
        }

        public func writePresentation(to out: inout String) {
            if let raw = self.unknownVersionRDATA {
                RDATA.Opaque(bytes: raw).writePresentation(to: &out)
                return
            }
            LOC.appendCoordinate(self.latitude, positive: "N", negative: "S", to: &out)
            out += " "
            LOC.appendCoordinate(self.longitude, positive: "E", negative: "W", to: &out)
            out += " "
            let below = self.altitude < LOC.altitudeBase
            let centimetres = below ? LOC.altitudeBase - self.altitude : self.altitude - LOC.altitudeBase
            out += below ? "-" : ""
            out += "\(centimetres / 100)."
            LOC.appendTwoDigits(centimetres % 100, to: &out)
            out += "m"
            for octet in [self.size, self.horizontalPrecision, self.verticalPrecision] {
                out += " "
                LOC.appendPrecision(octet, to: &out)
            }
        }
    }
}

// MARK: - Presentation helpers

extension RDATA.LOC {
    /// `d [m [s[.fff]]] DIR`, as thousandths of an arc second from the origin.
    static func coordinate(
        _ s: inout RDATAScanner, _ what: String, maxDegrees: UInt64, positive: UInt8, negative: UInt8
    ) throws(PresentationError) -> UInt32 {
        let degreesToken = try s.next("LOC \(what) degrees")
        guard let degrees = parseDecimal(s.text(degreesToken)), degrees <= maxDegrees else {
            throw s.error("bad LOC \(what) degrees '\(s.string(degreesToken))' (0 to \(maxDegrees))", at: degreesToken)
        }
        var minutes: UInt64 = 0
        var milliseconds: UInt64 = 0
        var direction = try s.next("LOC \(what) direction")
        if !isDirection(s, direction, positive, negative) {
            guard let m = parseDecimal(s.text(direction)), m <= 59 else {
                throw s.error("bad LOC \(what) minutes '\(s.string(direction))' (0 to 59)", at: direction)
            }
            minutes = m
            direction = try s.next("LOC \(what) direction")
            if !isDirection(s, direction, positive, negative) {
                guard let ms = decimal(s.text(direction), fractionDigits: 3, unit: nil), ms <= 59_999 else {
                    throw s.error("bad LOC \(what) seconds '\(s.string(direction))' (0 to 59.999)", at: direction)
                }
                milliseconds = ms
                direction = try s.next("LOC \(what) direction")
                guard isDirection(s, direction, positive, negative) else {
                    let expected = "\(Character(Unicode.Scalar(positive))) or \(Character(Unicode.Scalar(negative)))"
                    throw s.error("bad LOC \(what) direction '\(s.string(direction))' (\(expected))", at: direction)
                }
            }
        }
        let offset = (degrees * 60 + minutes) * 60_000 + milliseconds
        guard offset <= maxDegrees * 3_600_000 else {
            throw s.error("LOC \(what) beyond \(maxDegrees) degrees", at: degreesToken)
        }
        let origin = UInt64(coordinateOrigin)
        let isPositive = s.text(direction).first == positive
        return UInt32(isPositive ? origin + offset : origin - offset)
    }

    static func isDirection(_ s: RDATAScanner, _ token: PresentationToken, _ a: UInt8, _ b: UInt8) -> Bool {
        let text = s.text(token)
        guard !token.quoted, text.count == 1, let c = text.first else { return false }
        return c == a || c == b
    }

    /// Parses `[digits][.digits]` with at most `fractionDigits` after the
    /// point, then an optional `unit` letter, as an integer scaled by
    /// 10^fractionDigits. Nil on anything else or on overflow.
    static func decimal(_ text: ArraySlice<UInt8>, fractionDigits: Int, unit: UInt8?) -> UInt64? {
        var body = text
        if let unit, body.last == unit { body = body.dropLast() }
        let point = body.firstIndex(of: UInt8(ascii: "."))
        let whole = body[body.startIndex..<(point ?? body.endIndex)]
        let fraction = point.map { body[body.index(after: $0)...] } ?? []
        guard !whole.isEmpty || !fraction.isEmpty, whole.count <= 12, fraction.count <= fractionDigits else {
            return nil
        }
        var value: UInt64 = 0
        if !whole.isEmpty {
            guard let w = parseDecimal(whole) else { return nil }
            value = w
        }
        var scaled = 0
        for c in fraction {
            guard isDigit(c) else { return nil }
            value = value * 10 + UInt64(c - 48)
            scaled += 1
        }
        while scaled < fractionDigits {
            value *= 10
            scaled += 1
        }
        return value
    }

    /// Altitude `[-]m[.cc]["m"]`, -100000.00 to 42849672.95 metres.
    static func altitude(_ s: inout RDATAScanner) throws(PresentationError) -> UInt32 {
        let token = try s.next("LOC altitude")
        var text = s.text(token)
        var negative = false
        if let sign = text.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            text = text.dropFirst()
        }
        guard let centimetres = decimal(text, fractionDigits: 2, unit: UInt8(ascii: "m")),
            negative ? centimetres <= UInt64(altitudeBase) : centimetres <= 4_284_967_295
        else {
            throw s.error("bad LOC altitude '\(s.string(token))' (-100000.00m to 42849672.95m)", at: token)
        }
        let base = UInt64(altitudeBase)
        return UInt32(negative ? base - centimetres : base + centimetres)
    }

    /// A size or precision `m[.cc]["m"]` up to 90000000 m, encoded as
    /// mantissa and exponent; digits beyond the first are truncated, as BIND does.
    static func precision(_ s: inout RDATAScanner, _ what: String) throws(PresentationError) -> UInt8 {
        let token = try s.next(what)
        guard var centimetres = decimal(s.text(token), fractionDigits: 2, unit: UInt8(ascii: "m")),
            centimetres <= 9_000_000_000
        else {
            throw s.error("bad \(what) '\(s.string(token))' (0 to 90000000m)", at: token)
        }
        var exponent: UInt8 = 0
        while centimetres >= 10 {
            centimetres /= 10
            exponent += 1
        }
        return UInt8(centimetres) << 4 | exponent
    }

    static func appendCoordinate(_ value: UInt32, positive: String, negative: String, to out: inout String) {
        let isPositive = value >= coordinateOrigin
        var rest = offset(value)
        let milliseconds = rest % 1000
        rest /= 1000
        let seconds = rest % 60
        rest /= 60
        let minutes = rest % 60
        let degrees = rest / 60
        out += "\(degrees) \(minutes) \(seconds)."
        if milliseconds < 100 { out += "0" }
        if milliseconds < 10 { out += "0" }
        out += "\(milliseconds) "
        out += isPositive ? positive : negative
    }

    static func appendTwoDigits(_ value: UInt32, to out: inout String) {
        if value < 10 { out += "0" }
        out += "\(value)"
    }

    /// BIND's form: whole metres from 1m up, else `0.cc m`.
    static func appendPrecision(_ octet: UInt8, to out: inout String) {
        var centimetres = UInt64(octet >> 4)
        for _ in 0..<(octet & 0x0F) { centimetres *= 10 }
        if centimetres >= 100 || (octet & 0x0F) >= 2 {
            out += "\(centimetres / 100)m"
        } else {
            out += "0."
            appendTwoDigits(UInt32(centimetres), to: &out)
            out += "m"
        }
    }
}
