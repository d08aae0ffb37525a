// Times the server's zone load path (HanonServer.ZoneLoader: parse → check → Zone)
// and reports CPU seconds (user + system, less noisy than wall time on a shared
// machine), wall seconds and RSS after each phase, and the peak RSS.
import DNSCore
import DNSZone
import Glibc

func cpu() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec)
        + Double(u.ru_stime.tv_usec) / 1e6
}
func wall() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
func rss() -> (now: Int, peak: Int) {
    guard let f = fopen("/proc/self/status", "r") else { return (0, 0) }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    var now = 0
    var peak = 0
    while fgets(&line, 256, f) != nil {
        let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let kib = Int(s.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        if s.hasPrefix("VmRSS:") { now = kib / 1024 }
        if s.hasPrefix("VmHWM:") { peak = kib / 1024 }
    }
    return (now, peak)
}
func fmt(_ x: Double) -> String {
    let ms = Int((x * 1000).rounded())
    return "\(ms / 1000).\(String(repeating: "0", count: 3 - String(ms % 1000).count))\(ms % 1000)"
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    print("usage: zone-load ZONEFILE [ORIGIN]")
    exit(2)
}
let origin: DomainName? = args.count > 2 ? try DomainName(args[2]) : nil
let c0 = cpu()
let w0 = wall()
var parsed = ZoneFileParser().parse(file: args[1], origin: origin)
let c1 = cpu()
let w1 = wall()
print("parse: cpu \(fmt(c1 - c0)) s wall \(fmt(w1 - w0)) s, \(parsed.records.count) records, errors \(parsed.errorCount); rss \(rss().now) MiB")
_ = ZoneChecker.check(&parsed)
let c2 = cpu()
let w2 = wall()
print("check: cpu \(fmt(c2 - c1)) s wall \(fmt(w2 - w1)) s; rss \(rss().now) MiB")
parsed.dropLocations()
let zone = try Zone(parsed)
let c3 = cpu()
let w3 = wall()
print("build: cpu \(fmt(c3 - c2)) s wall \(fmt(w3 - w2)) s, \(zone.nodeCount) nodes; rss \(rss().now) MiB")
parsed = ParsedZone(origin: nil, dnsClass: .in)
print("total: cpu \(fmt(c3 - c0)) s wall \(fmt(w3 - w0)) s; rss after dropping parsed \(rss().now) MiB; peak \(rss().peak) MiB")
withExtendedLifetime(zone) {}
