// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// What an IXFR request gets (RFC 1995 §2, §4), decided from the zone's
/// current serial, its history of changes and the serial the client has.
public enum IncrementalTransferPlan: Sendable, Hashable {
    /// The client has the current serial or a newer one: the current SOA alone.
    case upToDate
    /// The changes from the client's serial to the current one, oldest first.
    case incremental([ZoneDiff])
    /// The history does not reach back to the client's serial: the whole
    /// zone, as AXFR sends it (RFC 1995 §4).
    case full

    /// Decides the answer. `history` is the zone's changes oldest first; only
    /// an unbroken chain of diffs from `clientSerial` to `current` is used
    /// (each diff starting at the serial the previous one ended at).
    public static func plan(current: SerialNumber, history: [ZoneDiff], clientSerial: SerialNumber)
        -> IncrementalTransferPlan
    {
        switch clientSerial.compare(current) {
        case .equal, .greater: return .upToDate
        case .less, .undefined: break
        }
        guard var k = history.indices.last, history[k].toSerial == current.value else { return .full }
        while history[k].fromSerial != clientSerial.value {
            guard k > 0, history[k - 1].toSerial == history[k].fromSerial else { return .full }
            k -= 1
        }
        return .incremental(Array(history[k...]))
    }
}

/// The record sequences of outgoing transfers.
public enum TransferRecords {
    /// AXFR (RFC 5936 §2.2): the SOA, every other record of the zone with
    /// the RRSIGs, the SOA again. Lazy: records are made as they are asked for.
    public static func full(_ zone: Zone) -> () -> ResourceRecord? {
        var cursor = ZoneRecordCursor(zone: zone)
        var state = 0  // 0: first SOA, 1: body, 2: last SOA, 3: done
        return {
            switch state {
            case 0:
                state = 1
                return zone.soa
            case 1:
                if let record = cursor.next() { return record }
                state = 3
                return zone.soa
            default:
                return nil
            }
        }
    }

    /// IXFR (RFC 1995 §4): the current SOA; for each change the old SOA,
    /// the deleted records, the new SOA, the added records; the current SOA.
    public static func incremental(currentSOA: ResourceRecord, diffs: [ZoneDiff]) -> () -> ResourceRecord? {
        var records: [ResourceRecord] = [currentSOA]
        for diff in diffs {
            records.append(diff.oldSOA)
            records += diff.deleted
            records.append(diff.newSOA)
            records += diff.added
        }
        records.append(currentSOA)
        var iterator = records.makeIterator()
        return { iterator.next() }
    }

    /// The current SOA alone: an IXFR client that is up to date, or an IXFR
    /// over UDP that must retry over TCP (RFC 1995 §2).
    public static func soaOnly(_ soa: ResourceRecord) -> () -> ResourceRecord? {
        var sent = false
        return {
            guard !sent else { return nil }
            sent = true
            return soa
        }
    }
}
