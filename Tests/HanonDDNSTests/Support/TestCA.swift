// SPDX-License-Identifier: Apache-2.0

import Foundation

/// Certificates made with openssl for one test: a CA, and server certificates signed by it —
/// good (localhost and 127.0.0.1), expired, for another name — plus one from a CA nobody trusts.
struct TestCA {
    let directory: String

    var caFile: String { directory + "/ca.pem" }

    /// A server certificate and its key (PEM paths).
    struct ServerCert {
        var certificate: String
        var key: String
    }

    static func make() throws -> TestCA {
        let dir = NSTemporaryDirectory() + "hanon-ddns-ca-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let ca = TestCA(directory: dir)
        try ca.makeCA("ca", subject: "/CN=hanon test CA")
        try ca.makeCA("otherca", subject: "/CN=someone else's CA")
        try "".write(toFile: dir + "/index.txt", atomically: true, encoding: .utf8)
        try "01\n".write(toFile: dir + "/serial", atomically: true, encoding: .utf8)
        try """
        [ ca ]
        default_ca = CA_default
        [ CA_default ]
        database = index.txt
        new_certs_dir = .
        serial = serial
        default_md = sha256
        policy = policy_any
        unique_subject = no
        [ policy_any ]
        commonName = supplied

        """.write(toFile: dir + "/ca.cnf", atomically: true, encoding: .utf8)
        return ca
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    func makeCA(_ name: String, subject: String) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "\(name).key", "-out", "\(name).pem", "-subj", subject, "-days", "3",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    /// A certificate for `names` (DNS names and IP addresses), signed by `issuer` ("ca" or
    /// "otherca"), valid from `start` to `end` (`YYYYMMDDHHMMSSZ`), or for a day around now.
    func server(
        _ file: String, names: [String] = ["localhost", "127.0.0.1"], issuer: String = "ca",
        start: String? = nil, end: String? = nil
    ) throws -> ServerCert {
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(file).key",
            "-out", "\(file).csr", "-subj", "/CN=\(names[0])",
        ])
        let san = names.map { $0.first?.isNumber == true || $0.contains(":") ? "IP:\($0)" : "DNS:\($0)" }
        try ("subjectAltName=" + san.joined(separator: ",") + "\nextendedKeyUsage=serverAuth\n")
            .write(toFile: directory + "/\(file).ext", atomically: true, encoding: .utf8)
        let now = Date()
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMddHHmmss'Z'"
        f.locale = Locale(identifier: "en_US_POSIX")
        try openssl([
            "ca", "-batch", "-config", "ca.cnf", "-cert", "\(issuer).pem", "-keyfile", "\(issuer).key",
            "-in", "\(file).csr", "-out", "\(file).pem", "-notext", "-extfile", "\(file).ext",
            "-startdate", start ?? f.string(from: now.addingTimeInterval(-3600)),
            "-enddate", end ?? f.string(from: now.addingTimeInterval(86400)),
        ])
        return ServerCert(certificate: directory + "/\(file).pem", key: directory + "/\(file).key")
    }

    func openssl(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        try p.run()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw TestFailure(
                "openssl \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
