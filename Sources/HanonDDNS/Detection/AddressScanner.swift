// SPDX-License-Identifier: Apache-2.0

/// Finds IP addresses in free text: a "what is my IP" page, a command's output, a TXT record.
public enum AddressScanner {
    /// The addresses of `family` in `text`, in order, looking only after the first occurrence of
    /// `skip` when it is given (ddclient's `web-skip`); empty when `skip` does not occur.
    public static func addresses(in text: String, family: IPAddress.Family, after skip: String? = nil) -> [IPAddress] {
        var rest = Substring(text)
        if let skip, !skip.isEmpty {
            guard let found = rest.range(of: skip) else { return [] }
            rest = rest[found.upperBound...]
        }
        var result: [IPAddress] = []
        var run = ""
        func flush() {
            defer { run = "" }
            var candidate = Substring(run)
            while let last = candidate.last, last == "." || last == ":" && !candidate.hasSuffix("::") {
                candidate = candidate.dropLast()
            }
            while let first = candidate.first, first == "." || first == ":" && !candidate.hasPrefix("::") {
                candidate = candidate.dropFirst()
            }
            guard let address = IPAddress(candidate), address.family == family else { return }
            result.append(address)
        }
        for c in rest.unicodeScalars {
            let keep: Bool
            switch family {
            case .v4: keep = ("0"..."9").contains(c) || c == "."
            case .v6: keep = c.properties.isASCIIHexDigit || c == ":" || c == "." || c == "%"
            }
            if keep {
                run.unicodeScalars.append(c)
            } else {
                flush()
            }
        }
        flush()
        return result
    }

    /// The first address of `family` in `text` (after `skip`), or nil.
    public static func firstAddress(in text: String, family: IPAddress.Family, after skip: String? = nil) -> IPAddress?
    {
        addresses(in: text, family: family, after: skip).first
    }
}
