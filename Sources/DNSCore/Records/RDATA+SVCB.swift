// SPDX-License-Identifier: Apache-2.0

extension RDATA {
    /// SVCB and HTTPS: service binding (RFC 9460 §2.2). HTTPS (type 65) has
    /// the same RDATA as SVCB (type 64) (RFC 9460 §9).
    ///
    ///     SvcPriority(16)  TargetName (uncompressed)  SvcParams
    ///     SvcParam = SvcParamKey(16) SvcParamValue-length(16) SvcParamValue
    ///
    /// SvcPriority 0 is AliasMode; SvcParams are still accepted there, as the
    /// syntax allows them (RFC 9460 §2.4.2). ``params`` are kept sorted by key
    /// with no key twice (RFC 9460 §2.2), and every known key's value is valid.
    /// The RR must be self-consistent: keys listed in `mandatory` are present
    /// (RFC 9460 §8) and `no-default-alpn` comes with `alpn` (RFC 9460 §7.1.1),
    /// as BIND also requires.
    public struct SVCB: RDATAContent {
        /// Lower values are preferred; 0 means AliasMode (RFC 9460 §2.4.1).
        public var priority: UInt16
        /// The alias target or the alternative endpoint; `.` means the owner
        /// name in ServiceMode (RFC 9460 §2.5). Never compressed on the wire.
        public var target: DomainName
        /// The SvcParams in strictly increasing key order.
        public private(set) var params: [SVCParam]

        /// Builds the RDATA; `params` may come in any order and are sorted.
        /// Throws ``DNSWireError/badValue`` for a repeated key, a value that
        /// breaks its key's rules, or an RR that is not self-consistent.
        public init(priority: UInt16, target: DomainName, params: [SVCParam] = []) throws(DNSWireError) {
            self.priority = priority
            self.target = target
            self.params = params.sorted { $0.key < $1.key }
            for (i, param) in self.params.enumerated() {
                if i > 0, self.params[i - 1].key == param.key {
                    throw DNSWireError.badValue.at(0, "\(param.key) given twice")
                }
                if let problem = SVCParam.problem(key: param.key, value: param.value) {
                    throw DNSWireError.badValue.at(0, problem)
                }
            }
            if let problem = SVCB.consistencyProblem(self.params) {
                throw DNSWireError.badValue.at(0, problem)
            }
        }

        /// True for AliasMode (SvcPriority 0).
        public var isAliasMode: Bool { self.priority == 0 }

        /// The wire value of `key`, if present.
        public subscript(key: SVCParamKey) -> [UInt8]? {
            self.params.first { $0.key == key }?.value
        }

        /// The `alpn` protocol ids (RFC 9460 §7.1), if present.
        public var alpn: [[UInt8]]? {
            guard let v = self[.alpn] else { return nil }
            var ids: [[UInt8]] = []
            var i = 0
            while i < v.count {
                let length = Int(v[i])
                guard i + 1 + length <= v.count else { return nil }
                ids.append(Array(v[(i + 1)..<(i + 1 + length)]))
                i += 1 + length
            }
            return ids
        }

        /// True when `no-default-alpn` is present (RFC 9460 §7.1).
        public var noDefaultALPN: Bool { self[.noDefaultALPN] != nil }

        /// The `port` (RFC 9460 §7.2), if present.
        public var port: UInt16? {
            guard let v = self[.port], v.count == 2 else { return nil }
            return UInt16(v[0]) << 8 | UInt16(v[1])
        }

        /// The `ipv4hint` addresses (RFC 9460 §7.3), if present.
        public var ipv4Hints: [IPv4Address]? {
            guard let v = self[.ipv4hint], v.count % 4 == 0 else { return nil }
            return stride(from: 0, to: v.count, by: 4).map { IPv4Address(v[$0], v[$0 + 1], v[$0 + 2], v[$0 + 3]) }
        }

        /// The `ipv6hint` addresses (RFC 9460 §7.3), if present.
        public var ipv6Hints: [IPv6Address]? {
            guard let v = self[.ipv6hint], v.count % 16 == 0 else { return nil }
            var out: [IPv6Address] = []
            for i in stride(from: 0, to: v.count, by: 16) {
                guard let address = try? IPv6Address(bytes: v[i..<(i + 16)]) else { return nil }
                out.append(address)
            }
            return out
        }

        /// The `mandatory` keys (RFC 9460 §8), if present.
        public var mandatory: [SVCParamKey]? {
            guard let v = self[.mandatory], v.count % 2 == 0 else { return nil }
            return stride(from: 0, to: v.count, by: 2).map { SVCParamKey(UInt16(v[$0]) << 8 | UInt16(v[$0 + 1])) }
        }

        /// The `ech` ECHConfigList octets, if present.
        public var ech: [UInt8]? { self[.ech] }

        /// The `dohpath` URI template (RFC 9461 §5), if present.
        public var dohpath: String? { self[.dohpath].map { String(decoding: $0, as: UTF8.self) } }

        /// Self-consistency rules checked for every SVCB (RFC 9460 §7.1.1, §8).
        static func consistencyProblem(_ params: [SVCParam]) -> String? {
            let keys = Set(params.map(\.key))
            if let v = params.first(where: { $0.key == .mandatory })?.value {
                for i in stride(from: 0, to: v.count - 1, by: 2) {
                    let key = SVCParamKey(UInt16(v[i]) << 8 | UInt16(v[i + 1]))
                    if !keys.contains(key) { return "mandatory lists \(key.presentationName), which is not present" }
                }
            }
            if keys.contains(.noDefaultALPN) && !keys.contains(.alpn) {
                return "no-default-alpn requires alpn"
            }
            return nil
        }

        // MARK: Wire

        public init(wire reader: inout WireReader) throws(DNSWireError) {
            self.priority = try reader.readUInt16()
            self.target = try SVCB.readUncompressedName(&reader)
            var params: [SVCParam] = []
            while !reader.isAtEnd {
                let keyOffset = reader.offset
                let key = SVCParamKey(try reader.readUInt16())
                if let last = params.last, key <= last.key {
                    throw DNSWireError.badValue.at(keyOffset, "SvcParamKeys not in strictly increasing order")
                }
                let length = try reader.readUInt16()
                let value = try reader.readBytes(Int(length))
                if let problem = SVCParam.problem(key: key, value: value) {
                    throw DNSWireError.badValue.at(keyOffset, problem)
                }
                params.append(SVCParam(key: key, value: value))
            }
            if let problem = SVCB.consistencyProblem(params) {
                throw DNSWireError.badValue.at(reader.offset, problem)
            }
            self.params = params
        }

        /// TargetName "MUST NOT be compressed" (RFC 9460 §2.2), so a pointer is an error.
        static func readUncompressedName(_ reader: inout WireReader) throws(DNSWireError) -> DomainName {
            let start = reader.offset
            var wire: [UInt8] = []
            while true {
                let labelOffset = reader.offset
                let length = try reader.readUInt8()
                guard length & 0xC0 == 0 else {
                    throw DNSWireError.badLabelType.at(labelOffset, "compressed or extended label in SVCB TargetName")
                }
                wire.append(length)
                if length == 0 { break }
                wire.append(contentsOf: try reader.readBytes(Int(length)))
                guard wire.count < WireLimits.maxNameWireLength else { throw DNSWireError.nameTooLong.at(start) }
            }
            do {
                return try DomainName(wire: wire)
            } catch {
                throw error.at(start, error.detail)
            }
        }

        public func write(to writer: inout WireWriter) {
            writer.writeUInt16(self.priority)
            writer.writeName(self.target)
            for param in self.params {
                writer.writeUInt16(param.key.rawValue)
                writer.writeUInt16(UInt16(truncatingIfNeeded: param.value.count))
                writer.writeBytes(param.value)
            }
        }

        // MARK: Presentation

        /// `SvcPriority TargetName key=value…` (RFC 9460 §2.1). Keys may come in
        /// any order but not twice; a value may be quoted (`alpn="h2,h3"`).
        public init(presentation s: inout RDATAScanner) throws(PresentationError) {
            self.priority = try s.uint16("SvcPriority")
            self.target = try s.name("TargetName")
            var params: [SVCParam] = []
            var seen: Set<SVCParamKey> = []
            let firstParam = s.peek()
            while !s.isAtEnd {
                let token = try s.next("SvcParam")
                guard !token.quoted else { throw s.error("a SvcParamKey cannot be quoted", at: token) }
                let text = s.text(token)
                let equals = text.firstIndex(of: UInt8(ascii: "="))
                let keyText = text[text.startIndex..<(equals ?? text.endIndex)]
                guard let key = SVCParamKey(parsing: keyText) else {
                    throw s.error("unknown SvcParamKey '\(String(decoding: keyText, as: UTF8.self))'", at: token)
                }
                var value: [UInt8]? = nil
                if let equals {
                    let rest = text[text.index(after: equals)...]
                    if rest.isEmpty, let next = s.peek(), next.quoted, next.start == token.end + 1 {
                        // `key="value"`: the lexer ends the plain token at the quote.
                        _ = try s.next("SvcParamValue")
                        value = try s.unescaped(next)
                    } else {
                        do {
                            value = try unescape(rest)
                        } catch {
                            throw s.error(error.message, at: token)
                        }
                    }
                }
                guard seen.insert(key).inserted else {
                    throw s.error("SvcParamKey \(key) given twice", at: token)
                }
                let generic = keyText.starts(with: "key".utf8)
                switch SVCParam.wireValue(key: key, value: value, generic: generic) {
                case .success(let wire): params.append(SVCParam(key: key, value: wire))
                case .failure(let failure): throw s.error(failure.message, at: token)
                }
            }
            params.sort { $0.key < $1.key }
            if let problem = SVCB.consistencyProblem(params) {
                throw s.error(problem, at: firstParam)
            }
            self.params = params
        }

        /// Prints as BIND 9.18 does: `1 . alpn="h2,h3" port=8443 ipv4hint=192.0.2.1`.
        public func writePresentation(to out: inout String) {
            out += "\(self.priority) "
            self.target.writePresentation(to: &out)
            for param in self.params {
                out += " "
                param.writePresentation(to: &out)
            }
        }
    }
}
