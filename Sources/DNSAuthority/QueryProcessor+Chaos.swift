// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension QueryProcessor {
    /// CHAOS class TXT queries for the server's identity (RFC 4892 §2.2:
    /// `id.server.`, BIND's `hostname.bind.`) and version (`version.bind.`,
    /// `version.server.`), answered only when configured; every other CHAOS
    /// query is REFUSED.
    func answerChaos(_ request: DNSRequest) -> AuthorityResponse {
        let question = request.question
        // RFC 8914 §4.22, as NSD: EDE 21 Not Supported.
        let refused = self.errorResponse(
            header: request.header, question: question, rcode: .refused, edns: request.edns,
            extendedError: .notSupported)
        guard question.type == .txt || question.type == .any else { return refused }
        let text: String?
        switch question.name {
        case "id.server.", "hostname.bind.": text = self.options.identity
        case "version.server.", "version.bind.": text = self.options.version
        default: text = nil
        }
        guard let text else { return refused }
        // Not authoritative data, and NSD leaves AA clear too.
        let header = self.responseHeader(for: request.header)
        let bytes = Array(text.utf8)
        var strings: [[UInt8]] = []
        var start = 0
        repeat {
            let end = min(start + 255, bytes.count)
            strings.append(Array(bytes[start..<end]))
            start = end
        } while start < bytes.count
        let record = ResourceRecord(
            name: question.name, dnsClass: .ch, ttl: 0, rdata: .txt(RDATA.TXT(strings: strings)))
        let message = DNSMessage(
            header: header, questions: [question], answers: [record], edns: self.responseEDNS(for: request.edns))
        return AuthorityResponse(message: message, kind: .answer)
    }
}
