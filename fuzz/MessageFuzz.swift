// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer entry point: every input must either fail to parse with a
// DNSWireError or parse, re-encode and parse back to an equal message.
// Built with `-sanitize=fuzzer,address -parse-as-library` by run.sh.

import DNSCore
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func messageFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    guard let message = try? DNSMessage(wire: bytes) else { return 0 }
    // The typed views and the text forms must not crash either.
    if let edns = message.edns {
        _ = try? edns.cookie
        _ = try? edns.clientSubnet
        _ = try? edns.extendedErrors
        _ = edns.nsid
        _ = edns.padding
    }
    _ = message.digText()
    _ = message.shortText
    let wire = message.serialize(maxSize: 1 << 24)
    let again: DNSMessage
    do {
        again = try DNSMessage(wire: wire)
    } catch {
        report("re-encoded message does not parse: \(error)")
        abort()
    }
    if again != message {
        report("round trip changed the message:\n\(message.digText())\n---\n\(again.digText())")
        abort()
    }
    return 0
}

/// With HANON_FUZZ_WRITE_SEEDS=DIR, writes the seed corpus to DIR and exits.
@_cdecl("LLVMFuzzerInitialize")
public func messageFuzzInitialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    guard let dir = getenv("HANON_FUZZ_WRITE_SEEDS") else { return 0 }
    let directory = String(cString: dir)
    for (i, seed) in Seeds.messages.enumerated() {
        let path = "\(directory)/seed-\(i)"
        guard let file = fopen(path, "wb") else {
            report("cannot write \(path)")
            exit(1)
        }
        _ = seed.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }
    print("wrote \(Seeds.messages.count) seeds to \(directory)")
    exit(0)
}

/// Writes a line to standard error.
func report(_ text: String) {
    let line = text + "\n"
    _ = line.withCString { write(2, $0, strlen($0)) }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links executables with `main` renamed to `<module>_main`; with
/// `-parse-as-library` there is no Swift `main`, so this one hands control
/// to libFuzzer's driver (where SwiftPM does not rename, libFuzzer's own
/// `main` is used and this is unused).
@_cdecl("MessageFuzz_main")
public func messageFuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
) -> CInt {
    var count = argc
    var vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return withUnsafeMutablePointer(to: &count) { c in
        withUnsafeMutablePointer(to: &vector) { v in LLVMFuzzerRunDriver(c, v, messageFuzz) }
    }
}
