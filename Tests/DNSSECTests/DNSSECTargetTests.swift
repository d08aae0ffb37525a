// SPDX-License-Identifier: Apache-2.0

import Testing

@testable import DNSSEC

// Placeholder so the test target builds; replaced by the DNSSEC tests.
@Test func dnssecNamespaceExists() {
    #expect(String(describing: DNSSEC.self) == "DNSSEC")
}
