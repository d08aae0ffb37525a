// SPDX-License-Identifier: Apache-2.0

import HanonDDNS
import Testing

// Replaced by the dynamic DNS tests.
@Suite struct HanonDDNSPlaceholderTests {}
