// SPDX-License-Identifier: Apache-2.0

import Foundation

/// `hanon ddns status`: the state file as text.
public enum DDNSStatusText {
    public static func render(_ state: DDNSState, path: String, now: Date) -> String {
        var out = "state: \(path)\n"
        for family in IPAddress.Family.allCases {
            guard let d = state.detected[family.rawValue] else {
                out += "\(family.rawValue): not detected\n"
                continue
            }
            if let address = d.address {
                out += "\(family.rawValue): \(address) from \(d.source) at \(stamp(d.at))\n"
            } else {
                out += "\(family.rawValue): none from \(d.source) at \(stamp(d.at)): \(d.error ?? "?")\n"
            }
        }
        if state.records.isEmpty { out += "no update sent yet\n" }
        for key in state.records.keys.sorted() {
            guard let r = state.records[key] else { continue }
            out += "\(r.name) at \(r.provider):\n"
            let sent = r.sent?.all.map(\.description).joined(separator: ", ")
            out += "  sent: \(sent ?? "nothing")" + (r.lastSuccess.map { " (confirmed \(stamp($0)))" } ?? "") + "\n"
            if let at = r.lastAttempt {
                out += "  last attempt: \(stamp(at)): \(r.result?.rawValue ?? "?")"
                out += (r.message.map { ": \($0)" } ?? "") + "\n"
            }
            switch r.result {
            case .permanentError?:
                out += "  next attempt: none until the record's config changes\n"
            case .temporaryError?:
                if let next = r.nextAttempt {
                    out +=
                        "  next attempt: \(stamp(next))" + (next > now ? "" : " (due)") + " (failure \(r.failures))\n"
                }
            default:
                out += "  next attempt: when an address changes\n"
            }
            if r.result == .permanentError || r.result == .temporaryError {
                out += "  last error: \(r.message ?? "?")\n"
            }
        }
        return out
    }

    static func stamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
