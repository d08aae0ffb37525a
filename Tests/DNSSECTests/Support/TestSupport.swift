// SPDX-License-Identifier: Apache-2.0

import DNSCore
import Testing

@testable import DNSSEC

/// One record from presentation text; records a test issue and returns nil on error.
func record(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ResourceRecord? {
    do {
        return try ResourceRecord(text: text, origin: .root)
    } catch {
        Issue.record("bad record '\(text)': \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

func dnskey(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> (DomainName, RDATA.DNSKEY)? {
    guard let rr = record(text, sourceLocation: sourceLocation), case .dnskey(let key) = rr.rdata else { return nil }
    return (rr.name, key)
}

func rrsig(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> (DomainName, RDATA.RRSIG)? {
    guard let rr = record(text, sourceLocation: sourceLocation), case .rrsig(let sig) = rr.rdata else { return nil }
    return (rr.name, sig)
}

func base64(_ text: String) -> [UInt8] {
    Base64.decode(Array(text.filter { !$0.isWhitespace }.utf8)) ?? []
}

func hex(_ text: String) -> [UInt8] {
    Hex.decode(Array(text.filter { !$0.isWhitespace }.utf8)) ?? []
}

/// `name` parsed as an absolute name.
func name(_ text: String) -> DomainName {
    (try? DomainName(text, origin: .root)) ?? .root
}
