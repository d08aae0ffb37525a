// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSResolver
import Testing

@Suite struct SecurityStatusTests {
    @Test func bogusCarriesItsExtendedError() {
        let status = SecurityStatus.bogus(.init(7), reason: "signature expired")
        #expect(status != .secure)
        guard case .bogus(let code, let reason) = status else {
            Issue.record("not bogus")
            return
        }
        #expect(code.rawValue == 7)
        #expect(reason == "signature expired")
    }
}
