// SPDX-License-Identifier: Apache-2.0

import Testing

@testable import HanonServer

#if canImport(Glibc)
    import Glibc
#endif

/// Loaded zones are moved onto 2 MiB pages (`MADV_COLLAPSE`): which
/// mappings are candidates, and that a pass really collapses a resident heap range.
@Suite struct HugePagesTests {
    /// Lines as /proc/self/maps prints them: only private anonymous
    /// read-write mappings (and the heap) count, trimmed to whole 2 MiB pages.
    @Test func onlyAnonymousWritableMappingsTrimmedToHugePages() {
        let maps = """
            55d0c0000000-55d0c0400000 r-xp 00000000 08:01 1234  /usr/bin/hanon
            55d0c2000000-55d0c2a00000 rw-p 00000000 00:00 0     [heap]
            7f0000100000-7f0000700000 rw-p 00000000 00:00 0 
            7f0001000000-7f0001100000 rw-p 00000000 00:00 0 
            7f0002000000-7f0002400000 rw-p 00000000 08:01 99    /tmp/data.bin
            7f0003000000-7f0003400000 r--p 00000000 00:00 0 
            7ffd00000000-7ffd00600000 rw-p 00000000 00:00 0     [stack]
            garbage line
            """
        let regions = HugePages.anonymousRegions(maps)
        #expect(
            regions == [
                0x55d0_c200_0000..<0x55d0_c2a0_0000,  // the heap, already aligned
                0x7f00_0020_0000..<0x7f00_0060_0000,  // 1 MiB..7 MiB → 2..6 MiB
            ])
    }

    #if os(Linux)
        /// A fully touched 16 MiB allocation ends up (at least partly) on
        /// huge pages, on kernels with `MADV_COLLAPSE` (6.1) and THP not "never".
        @Test func aResidentHeapRangeIsCollapsed() throws {
            guard Self.kernelCanCollapse() else { return }
            let size = 16 << 20
            let memory = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
            defer { memory.deallocate() }
            memory.initializeMemory(as: UInt8.self, repeating: 0x5A, count: size)
            let report = HugePages.collapseHeap()
            #expect(report.collapsed >= 2 << 20)
            // The data is still there.
            #expect(memory.load(fromByteOffset: size / 2, as: UInt8.self) == 0x5A)
        }

        static func kernelCanCollapse() -> Bool {
            var name = utsname()
            guard uname(&name) == 0 else { return false }
            let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let parts = release.split(separator: ".").prefix(2).compactMap { Int($0.prefix { $0.isNumber }) }
            guard parts.count == 2, parts[0] > 6 || (parts[0] == 6 && parts[1] >= 1) else { return false }
            let fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 128)
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return false }
            return !String(decoding: buffer[0..<count], as: UTF8.self).contains("[never]")
        }
    #endif
}
