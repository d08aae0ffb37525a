// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension UpdateProcessor {
    /// The response to an UPDATE (RFC 2136 §3.8): the request's ID and
    /// opcode, QR set, `rcode`, the zone section echoed (as BIND and Knot
    /// do), the other sections empty, and an OPT record when the request had one.
    public static func response(to header: Header, zone: Question?, rcode: RCode, requestHadEDNS: Bool) -> DNSMessage {
        var out = Header(id: header.id)
        out.isResponse = true
        out.opcode = .update
        var message = DNSMessage(header: out, questions: zone.map { [$0] } ?? [])
        message.rcode = rcode
        if requestHadEDNS {
            message.edns = EDNS(udpPayloadSize: 1232)
        }
        return message
    }
}
