// SPDX-License-Identifier: Apache-2.0

import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Moves the loaded zones onto 2 MiB pages (Linux transparent huge pages).
///
/// A zone is hundreds of thousands of small heap objects that queries reach
/// in random order: with 4 KiB pages nearly every step of a lookup (the name
/// table's slot, the node, its RRsets, their data) misses the TLB as well as
/// the cache, and the page walk itself misses the cache. On the lab's
/// 1,000,000-name zone (563 MiB) that is about a tenth of the server's CPU a
/// query. `MADV_COLLAPSE` (Linux 6.1) rewrites already-populated memory as
/// huge pages whatever the system's THP setting ("madvise" on Debian), so the
/// zone does not have to be allocated specially: after a load, the heap's
/// large anonymous mappings are collapsed in the background, 2 MiB at a time,
/// but only where a 2 MiB range is already (nearly) all resident — a sparse
/// range (a thread's stack, a freed arena) would otherwise grow to 2 MiB of
/// memory.
enum HugePages {
    /// 2 MiB, the x86-64 and arm64 (4 KiB granule) PMD size.
    static let size = 2 << 20

    /// A 2 MiB range is collapsed when at least this many of its 512 pages are resident.
    static let residentPages = 480

    /// What one pass did.
    struct Report: Sendable, Equatable {
        /// Bytes on huge pages after the pass (collapsed now or before).
        var collapsed = 0
        /// 2 MiB ranges the kernel refused (busy, no free huge page, …).
        var refused = 0
    }

    /// One pass over the process's anonymous read-write mappings. Never fails:
    /// on a kernel without `MADV_COLLAPSE` (or not Linux) it does nothing.
    static func collapseHeap() -> Report {
        var report = Report()
        #if os(Linux)
            guard let maps = readFile("/proc/self/maps") else { return report }
            for region in anonymousRegions(maps) {
                collapse(region, into: &report)
                if report.refused > 64 && report.collapsed == 0 { break }  // the kernel says no: stop asking
            }
        #endif
        return report
    }

    /// `[start, end)` of each private anonymous read-write mapping (the
    /// `[heap]` and malloc's arenas) of at least one huge page.
    static func anonymousRegions(_ maps: String) -> [Range<UInt>] {
        var regions: [Range<UInt>] = []
        for line in maps.split(separator: "\n") {
            // start-end perms offset dev inode [path]
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 5, fields[1] == "rw-p", fields[4] == "0" else { continue }
            if fields.count > 5 && fields[5] != "[heap]" { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16)
            else { continue }
            let alignedStart = (start + UInt(size) - 1) & ~UInt(size - 1)
            let alignedEnd = end & ~UInt(size - 1)
            if alignedEnd > alignedStart { regions.append(alignedStart..<alignedEnd) }
        }
        return regions
    }

    /// Runs ``collapseHeap()`` on NIO's blocking-work thread pool (it takes
    /// about a second per GiB and must not hold a serving or Swift
    /// concurrency thread), then calls `done` there.
    static func collapseInBackground(_ done: @escaping @Sendable (Report) -> Void) {
        NIOThreadPool.singleton.submit { state in
            guard case .active = state else { return }
            done(collapseHeap())
        }
    }

    #if os(Linux)
        /// `MADV_COLLAPSE` from linux/mman.h (newer than Debian 12's glibc headers).
        private static let madvCollapse: Int32 = 25

        private static func collapse(_ region: Range<UInt>, into report: inout Report) {
            let pageSize = UInt(sysconf(Int32(_SC_PAGESIZE)))
            guard pageSize > 0, UInt(size) % pageSize == 0 else { return }
            let pagesPerChunk = Int(UInt(size) / pageSize)
            var residency = [UInt8](repeating: 0, count: pagesPerChunk)
            var chunk = region.lowerBound
            while chunk < region.upperBound {
                defer { chunk += UInt(size) }
                guard let address = UnsafeMutableRawPointer(bitPattern: chunk) else { continue }
                let resident = residency.withUnsafeMutableBufferPointer { vector -> Int in
                    guard mincore(address, size, vector.baseAddress) == 0 else { return 0 }
                    return vector.reduce(0) { $0 + Int($1 & 1) }
                }
                guard resident >= residentPages * pagesPerChunk / 512 else { continue }
                if madvise(address, size, madvCollapse) == 0 {
                    report.collapsed += size
                } else {
                    report.refused += 1
                    if errno == EINVAL { return }  // no MADV_COLLAPSE here
                }
            }
        }

        private static func readFile(_ path: String) -> String? {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                bytes.append(contentsOf: buffer[0..<count])
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    #endif
}
