import DNSCore
import DNSZone
import Glibc
@_silgen_name("malloc_trim") func c_malloc_trim(_ pad: Int) -> Int32

func now() -> Double { var ts = timespec(); clock_gettime(CLOCK_MONOTONIC, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 }
func rssMB() -> (Double, Double) {
    guard let f = fopen("/proc/self/status", "r") else { return (0, 0) }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 256)
    var rss = 0.0, hwm = 0.0
    while fgets(&line, 256, f) != nil {
        let s = String(cString: line)
        let parts = s.split(separator: " ", omittingEmptySubsequences: true)
        if s.hasPrefix("VmRSS:") { rss = Double(parts[1])! / 1024 }
        if s.hasPrefix("VmHWM:") { hwm = Double(parts[1])! / 1024 }
    }
    return (rss, hwm)
}
let path = CommandLine.arguments[1]
let base = rssMB().0
let t0 = now()
var parsed = ZoneFileParser().parse(file: path, origin: nil)
let t1 = now()
print("parse: \(t1 - t0) s, \(parsed.records.count) records, errors \(parsed.errorCount); rss \(rssMB())")
parsed.dropLocations()
let t2 = now()
let zone = try Zone(parsed)
let t3 = now()
print("build: \(t3 - t2) s, nodes \(zone.nodeCount), records \(zone.recordCount); rss \(rssMB())")
parsed = ParsedZone(origin: nil, dnsClass: .in)
print("after dropping parsed: rss \(rssMB()) (base \(base))")
_ = c_malloc_trim(0)
print("after malloc_trim: rss \(rssMB())")
// lookups
let names: [DomainName] = zone.allRRSets.prefix(200000).map(\.name)
let t4 = now()
var hits = 0
for n in names { if case .answer = zone.lookup(n, type: .a) { hits += 1 } }
let t5 = now()
print("lookup: \(Double(names.count) / (t5 - t4)) lookups/s (\(hits) answers)")


// Query processing through the wire path.
import AuthorityCopy
import NIOCore
let processor = QueryProcessor(zones: ZoneTable([zone]))
var queries: [ByteBuffer] = []
let queryFile = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "/tmp/z1m.queries"
if let f = fopen(queryFile, "r") {
    var line = [CChar](repeating: 0, count: 512)
    var id: UInt16 = 0
    while queries.count < 200000, fgets(&line, 512, f) != nil {
        let parts = String(cString: line).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count == 2, let name = try? DomainName(String(parts[0])), let type = RecordType(String(parts[1])) else { continue }
        id &+= 1
        queries.append(DNSMessage.query(id: id, name: name, type: type, recursionDesired: false, edns: EDNS()).serialize())
    }
    fclose(f)
}
let t6 = now()
var bytes = 0
for _ in 0..<2 { for q in queries { bytes += processor.respond(to: q, transport: .udp)?.readableBytes ?? 0 } }
let t7 = now()
print("respond: \(Double(2 * queries.count) / (t7 - t6)) queries/s over \(queries.count) queries, \(bytes) bytes")
