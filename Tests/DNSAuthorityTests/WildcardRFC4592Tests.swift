// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import DNSZone
import Testing

/// The example zone of RFC 4592 §2.2.1 and its list of queries (§2.2.1, §3.3.3).
let rfc4592Zone = """
    $ORIGIN example.
    example.                 3600 IN  SOA   ns.example.com. hostmaster.example. 1 7200 3600 1209600 600
    example.                 3600     NS    ns.example.com.
    example.                 3600     NS    ns.example.net.
    *.example.               3600     TXT   "this is a wildcard"
    *.example.               3600     MX    10 host1.example.
    sub.*.example.           3600     TXT   "this is not a wildcard"
    host1.example.           3600     A     192.0.2.1
    _ssh._tcp.host1.example. 3600     SRV   0 0 22 host1.example.
    _ssh._tcp.host2.example. 3600     SRV   0 0 22 host2.example.
    subdel.example.          3600     NS    ns.example.com.
    subdel.example.          3600     NS    ns.example.net.

    """

let rfc4592SOA = "example. 600 IN SOA ns.example.com. hostmaster.example. 1 7200 3600 1209600 600"
let subdelNS = ["subdel.example. 3600 IN NS ns.example.com.", "subdel.example. 3600 IN NS ns.example.net."]

let rfc4592Cases: [Case] = [
    // "The following responses would be synthesized from one of the wildcards in the zone":
    Case(
        q: "host3.example. MX", answer: ["host3.example. 3600 IN MX 10 host1.example."],
        additional: ["host1.example. 3600 IN A 192.0.2.1"]),
    Case(q: "host3.example. A", authority: [rfc4592SOA]),
    Case(q: "foo.bar.example. TXT", answer: ["foo.bar.example. 3600 IN TXT \"this is a wildcard\""]),
    // "The following responses would not be synthesized from any of the wildcards":
    Case(q: "host1.example. MX", authority: [rfc4592SOA]),
    Case(q: "sub.*.example. MX", authority: [rfc4592SOA]),
    Case(q: "_telnet._tcp.host1.example. SRV", rcode: .nxDomain, authority: [rfc4592SOA]),
    Case(q: "host.subdel.example. A", aa: false, authority: subdelNS),
    Case(q: "ghost.*.example. MX", rcode: .nxDomain, authority: [rfc4592SOA]),
    // The empty non-terminals _tcp.host1, host2 and _tcp.host2 exist: NODATA, and they block.
    Case(q: "_tcp.host1.example. TXT", authority: [rfc4592SOA]),
    Case(q: "host2.example. TXT", authority: [rfc4592SOA]),
    Case(q: "x.host2.example. TXT", rcode: .nxDomain, authority: [rfc4592SOA]),
    // The wildcard owner itself, asked literally.
    Case(q: "*.example. TXT", answer: ["*.example. 3600 IN TXT \"this is a wildcard\""]),
    Case(q: "sub.*.example. TXT", answer: ["sub.*.example. 3600 IN TXT \"this is not a wildcard\""]),
]

@Suite struct WildcardRFC4592Tests {
    @Test(arguments: rfc4592Cases)
    func rfc4592(_ c: Case) throws {
        let processor = QueryProcessor(zones: ZoneTable([try makeZone(rfc4592Zone, origin: "example.")]))
        try check(c, processor)
    }
}
