// SPDX-License-Identifier: Apache-2.0

import DNSCore

extension Zone {
    /// The RRsets at `name` (with their RRSIGs); empty when the name is no
    /// node or an empty non-terminal.
    public func rrsets(at name: DomainName) -> [RRSet] {
        guard let id = self.node(name) else { return [] }
        return self.nodes[Int(id)].rrsets
    }

    /// The owner name of node `index` (`0 ..< nodeCount`, empty
    /// non-terminals included); nil out of range.
    public func nodeName(atNodeIndex index: Int) -> DomainName? {
        guard self.nodes.indices.contains(index) else { return nil }
        return self.nodes[index].name
    }
}
