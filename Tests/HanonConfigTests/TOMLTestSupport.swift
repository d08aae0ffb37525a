// SPDX-License-Identifier: Apache-2.0
import HanonConfig

/// A compact, canonical text form of parsed TOML, so tests can state expected values in one line:
/// `{a = {b = 1}, s = "x", d = 1979-05-27T07:32:00Z, l = [1, "two"]}`.
func dump(_ value: TOMLValue) -> String {
    switch value.kind {
    case .string(let s): return quote(s)
    case .integer(let i): return String(i)
    case .float(let d): return d.isNaN ? "nan" : d == .infinity ? "inf" : d == -.infinity ? "-inf" : String(d)
    case .boolean(let b): return String(b)
    case .dateTime(let d): return d.description
    case .array(let a): return "[" + a.map(dump).joined(separator: ", ") + "]"
    case .table(let t): return dump(t)
    }
}

func dump(_ table: TOMLTable) -> String {
    "{" + table.entries.map { key($0.key.name) + " = " + dump($0.value) }.joined(separator: ", ") + "}"
}

private func key(_ k: String) -> String {
    let bare =
        !k.isEmpty
        && k.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
        }
    return bare ? k : quote(k)
}

private func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 || u.value == 0x7F {
                let h = String(u.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}

/// Parses `text`; returns the dump or `error L:C: message`.
func parseOutcome(_ text: String) -> String {
    do {
        return dump(try TOMLParser.parse(text, file: "t.toml"))
    } catch {
        return "error \(error.location.line):\(error.location.column): \(error.message)"
    }
}
