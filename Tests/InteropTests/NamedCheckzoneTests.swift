// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone
import Foundation
import Testing

/// hanon's zone parser against BIND's: for each zone file, the records
/// `named-checkzone -D` prints (read back with hanon's parser) must be the
/// records hanon reads from the same file — as sets, since both drop
/// duplicates and order differs.
@Suite struct NamedCheckzoneTests {
    static let fixtures: [(file: String, origin: String)] = [
        ("syntax.zone", "example."),
        ("generate.zone", "example."),
        ("include.zone", "example."),
        ("soa-minimum.zone", "example."),
        ("rfc1035-ttl.zone", "example."),
        ("delegation.zone", "example."),
        ("reverse.zone", "8.b.d.0.1.0.0.2.ip6.arpa."),
    ]

    static let fixtureDirectory = packageRoot.appendingPathComponent("Tests/Fixtures/zones")

    @Test(.enabled(if: Peer.available("named-checkzone")), arguments: fixtures)
    func fixture(file: String, origin: String) throws {
        try compare(directory: Self.fixtureDirectory.path, file: file, origin: origin)
    }

    @Test(.enabled(if: Peer.available("named-checkzone", "python3")))
    func generatedZone() throws {
        let python = try Peer.require("python3")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanon-zone-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let generator = labRoot.appendingPathComponent("auth-bench/gen-zone.py").path
        let result = try runProcess(
            python,
            [generator, "--names", "2000", "--queries", "10", "--out", directory.appendingPathComponent("z").path]
        )
        #expect(result.status == 0, "gen-zone.py: \(result.stderr)")
        try compare(directory: directory.path, file: "z.zone", origin: "bench.test.")
    }

    /// Runs named-checkzone (in `directory`, so `$INCLUDE` paths resolve as
    /// they do for hanon) and compares record sets.
    func compare(directory: String, file: String, origin: String) throws {
        let named = try Peer.require("named-checkzone")
        // Outside the fixture directory: tests must not write into the source tree.
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("hanon-named-checkzone-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let bind = try runProcess(named, ["-q", "-w", directory, "-D", "-o", output, origin, file])
        #expect(bind.status == 0, "named-checkzone refused \(file): \(bind.stdout)\(bind.stderr)")
        let bindText = try String(contentsOfFile: output, encoding: .utf8)

        let originName = try DomainName(origin)
        var ours = ZoneFileParser().parse(file: directory + "/" + file, origin: originName)
        ZoneChecker.check(&ours)
        // At most 10 of each list, so a failure stays readable.
        #expect(ours.errors.prefix(10).map(\.description) == [], "hanon refused \(file) (\(ours.errorCount) errors)")

        let theirs = ZoneFileParser.parse(text: bindText, name: "named-checkzone -D", origin: nil)
        #expect(
            theirs.errors.prefix(10).map(\.description) == [],
            "hanon cannot read named-checkzone's output for \(file) (\(theirs.errorCount) errors)"
        )

        let ourSet = Set(ours.records)
        let theirSet = Set(theirs.records)
        let onlyOurs = ourSet.subtracting(theirSet).map(\.description).sorted()
        let onlyTheirs = theirSet.subtracting(ourSet).map(\.description).sorted()
        #expect(onlyOurs.prefix(10) == [], "\(file): \(onlyOurs.count) records only hanon read")
        #expect(onlyTheirs.prefix(10) == [], "\(file): \(onlyTheirs.count) records only named-checkzone read")
        #expect(ourSet.count == theirSet.count && !ourSet.isEmpty)

        // And hanon's canonical output reads back to the same set.
        let formatted = ZoneWriter.format(ours.records)
        #expect(Set(ZoneFileParser.parse(text: formatted, origin: nil).records) == ourSet)
    }
}
