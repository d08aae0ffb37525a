// SPDX-License-Identifier: Apache-2.0

import DNSTransport
import Testing

/// The session lines around the message (the message itself is tested in
/// DNSCoreTests `DigTextTests` and `DigTextPartsTests`).
@Suite struct DigOutputTests {
    @Test func footer() {
        #expect(
            DigOutput.footer(
                milliseconds: 3, serverAddress: "::1", port: 53, serverName: "::1", transport: "TCP", when: nil,
                size: 99)
                == ";; Query time: 3 msec\n;; SERVER: ::1#53(::1) (TCP)\n;; MSG SIZE  rcvd: 99\n\n")
        #expect(
            DigOutput.footer(
                milliseconds: 0, serverAddress: "127.0.0.1", port: 5353, serverName: "localhost", transport: "UDP",
                when: "Sun Nov 29 05:00:00 UTC 2026", size: 56)
                == ";; Query time: 0 msec\n;; SERVER: 127.0.0.1#5353(localhost) (UDP)\n;; WHEN: Sun Nov 29 05:00:00 UTC 2026\n;; MSG SIZE  rcvd: 56\n\n"
        )
        #expect(DigOutput.truncatedRetry == ";; Truncated, retrying in TCP mode.\n")
    }
}
