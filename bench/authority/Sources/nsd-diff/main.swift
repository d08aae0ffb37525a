import AuthorityCopy
import DNSCore
import DNSZone
import Glibc
import NIOCore

// usage: zdiff ZONEFILE QUERIES PORT COUNT [extra queries file]
let args = CommandLine.arguments
let parsed = ZoneFileParser().parse(file: args[1], origin: nil)
let zone = try Zone(parsed)
let processor = QueryProcessor(zones: ZoneTable([zone]), options: AuthorityOptions(additionalForMailAndServices: false))
let port = UInt16(args[3])!
let limit = Int(args[4])!

let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
var addr = sockaddr_in()
addr.sin_family = sa_family_t(AF_INET)
addr.sin_port = port.bigEndian
addr.sin_addr.s_addr = inet_addr("127.0.0.1")
var tv = timeval(tv_sec: 2, tv_usec: 0)
setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
_ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }

func ask(_ bytes: [UInt8]) -> [UInt8]? {
    _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var buf = [UInt8](repeating: 0, count: 65535)
    let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    return n > 0 ? Array(buf[0..<n]) : nil
}

func summary(_ m: DNSMessage) -> String {
    func sec(_ rs: [ResourceRecord]) -> String { rs.map { $0.description.lowercased() }.sorted().joined(separator: " | ") }
    return "opts=\(m.edns?.options.map { "\($0.code.rawValue):\($0.data)" } ?? []) rcode=\(m.rcode) aa=\(m.header.authoritative) tc=\(m.header.truncated)\n  AN: \(sec(m.answers))\n  NS: \(sec(m.authorities))\n  AR: \(sec(m.additionals))"
}

var lines: [(String, String)] = []
for file in [args[2]] + args.dropFirst(5) {
    guard let f = fopen(file, "r") else { continue }
    var line = [CChar](repeating: 0, count: 512)
    while fgets(&line, 512, f) != nil {
        let parts = String(cString: line).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        if parts.count >= 2 { lines.append((String(parts[0]), String(parts[1]))) }
    }
    fclose(f)
}
var diffs = 0
var sizeDiffs = 0
var done = 0
var id: UInt16 = 0
for (name, typeText) in lines.prefix(limit) + lines.suffix(from: max(0, lines.count - (args.count > 5 ? 1000 : 0))) {
    guard let n = try? DomainName(name), let t = RecordType(typeText) else { continue }
    for edns in [EDNS?.none, EDNS(udpPayloadSize: 1232)] {
        id &+= 1
        let q = DNSMessage.query(id: id, name: n, type: t, recursionDesired: false, edns: edns)
        guard let theirBytes = ask(q.wireBytes), let theirs = try? DNSMessage(wire: theirBytes),
              let ourBuffer = processor.respond(to: q.serialize(), transport: .udp), let ours = try? DNSMessage(wire: ourBuffer) else { print("no answer for \(name) \(typeText)"); continue }
        if ourBuffer.readableBytes != theirBytes.count { sizeDiffs += 1; if sizeDiffs <= 20 { print("SIZE \(name) \(typeText) ours \(ourBuffer.readableBytes) nsd \(theirBytes.count)") } }
        done += 1
        let a = summary(ours), b = summary(theirs)
        if a != b {
            diffs += 1
            if diffs <= 15 { print("DIFF \(name) \(typeText) edns=\(edns != nil)\n ours:  \(a)\n nsd:   \(b)") }
        }
    }
}
print("compared \(done), differences \(diffs), size differences \(sizeDiffs)")
