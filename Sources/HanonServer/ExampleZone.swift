// SPDX-License-Identifier: Apache-2.0

/// The zone `hanon serve --example` serves: the same text as
/// `examples/example.test.zone` (a test keeps them equal).
public enum ExampleZone {
    public static let origin = "example.test."
    public static let fileName = "example.test.zone"
    public static let text = #"""
        ; The example zone hanon ships with: one of everything a small domain has.
        $ORIGIN example.test.
        $TTL 1h
        @           IN SOA  ns1 hostmaster (
                            2026112901 ; serial
                            2h         ; refresh
                            30m        ; retry
                            2w         ; expire
                            5m )       ; negative-caching TTL
                    IN NS   ns1
                    IN NS   ns2.example.net.
                    IN MX   10 mail
                    IN TXT  "v=spf1 mx -all"
                    IN CAA  0 issue "letsencrypt.org"
        ns1         IN A    192.0.2.53
                    IN AAAA 2001:db8::53
        mail        IN A    192.0.2.25
                    IN AAAA 2001:db8::25
        www         IN A    192.0.2.80
                    IN AAAA 2001:db8::80
                    IN HTTPS 1 . alpn="h2,h3"
        home   300  IN A    198.51.100.7
        _imaps._tcp IN SRV  0 1 993 mail
        _dmarc      IN TXT  "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"
        *.apps      IN CNAME www
        lab         IN NS   ns1.lab
        ns1.lab     IN A    192.0.2.54

        """#
}
