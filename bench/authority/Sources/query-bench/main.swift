// query-bench ZONEFILE QUERIES [ROUNDS] [COUNT] [edns|plain|do]
// Loads the zone, encodes the first COUNT (default 100,000) queries of a dnsperf
// query file, then answers them ROUNDS (default 5) times through
// QueryProcessor.respond (the wire path: parse, answer, encode).
// Prints time per query and, when run with LD_PRELOAD=alloc-count.so (see
// alloc-count/), heap allocations per query. For instructions per query, run
// under `perf stat -e instructions:u` with ROUNDS=0 and ROUNDS=N and divide the
// difference by N × COUNT (the zone load cancels out).
import AuthorityCopy
import DNSCore
import DNSZone
import Glibc
import NIOCore

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

typealias CountFunction = @convention(c) () -> Int
let allocCount: CountFunction? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "perfq_alloc_count").map {
    unsafeBitCast($0, to: CountFunction.self)
}

let args = CommandLine.arguments
guard args.count >= 3 else {
    print("usage: query-bench ZONEFILE QUERIES [ROUNDS] [COUNT] [edns|plain|do]")
    exit(2)
}
let rounds = args.count > 3 ? Int(args[3]) ?? 5 : 5
let count = args.count > 4 ? Int(args[4]) ?? 100_000 : 100_000
let useEDNS = args.count > 5 ? args[5] != "plain" : true
let dnssecOK = args.count > 5 && args[5] == "do"

let parsed = ZoneFileParser().parse(file: args[1], origin: nil)
let zone = try Zone(parsed)
let processor = QueryProcessor(zones: ZoneTable([zone]))
var queries: [ByteBuffer] = []
if let f = fopen(args[2], "r") {
    var line = [CChar](repeating: 0, count: 512)
    var id: UInt16 = 0
    while queries.count < count, fgets(&line, 512, f) != nil {
        let parts = String(cString: line).split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard parts.count == 2, let name = try? DomainName(String(parts[0])), let type = RecordType(String(parts[1]))
        else { continue }
        id &+= 1
        queries.append(
            DNSMessage.query(id: id, name: name, type: type, recursionDesired: false, edns: useEDNS ? EDNS(dnssecOK: dnssecOK) : nil)
                .serialize())
    }
    fclose(f)
}
// DUMP=FILE: write every response of one pass (2-octet length, then the
// message) to FILE, to compare two builds byte for byte (`cmp`).
if let path = getenv("DUMP").map({ String(cString: $0) }), let f = fopen(path, "w") {
    for q in queries {
        let r = processor.respond(to: q, transport: .udp)
        var bytes: [UInt8] = r.map { Array($0.readableBytesView) } ?? []
        var length = UInt16(bytes.count).bigEndian
        fwrite(&length, 2, 1, f)
        fwrite(&bytes, 1, bytes.count, f)
    }
    fclose(f)
}
var bytes = 0
let allocsBefore = allocCount?() ?? 0
let t0 = now()
for _ in 0..<rounds {
    for q in queries { bytes &+= processor.respond(to: q, transport: .udp)?.readableBytes ?? 0 }
}
let t1 = now()
let allocsAfter = allocCount?() ?? 0
let n = Double(max(1, rounds * queries.count))
print("queries \(queries.count) × \(rounds) rounds, edns \(useEDNS), \(bytes) bytes")
print("time per query: \((t1 - t0) / n * 1e9) ns (\(n / max(t1 - t0, 1e-9)) q/s)")
if allocCount != nil { print("allocations per query: \(Double(allocsAfter - allocsBefore) / n)") }
