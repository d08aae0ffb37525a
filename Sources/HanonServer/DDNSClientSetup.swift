// SPDX-License-Identifier: Apache-2.0

import DNSAuthority
import DNSCore
import HanonConfig
import HanonDDNS
import Logging
import NIOCore
import ServiceLifecycle

/// Turns `[ddns]` into the updater's settings: address sources, and one provider per record.
public enum DDNSClientSetup {
    /// The settings for `config`, with the state file in `dataDirectory`. `ownZones` applies
    /// records of provider `hanon`; without it such records fail with a permanent error.
    public static func settings(
        _ config: Config, dataDirectory: String, ownZones: (any OwnZoneRecordUpdating)?,
        https: HTTPSClient
    ) throws -> DDNSClientSettings {
        let ddns = config.ddns
        var records: [DDNSRecord] = []
        for var record in ddns.records {
            record.password = try Config.readPasswordFile(record).get()
            let provider = try Self.provider(record, config: config, ownZones: ownZones, https: https)
            let name = String(record.name.dropLast())
            let hash = DDNSRecord.hash([
                name.lowercased(), record.provider.rawValue, record.server ?? "", record.username ?? "",
                record.password ?? "", record.zone ?? "",
                record.key.flatMap { config.key(named: $0) }.map {
                    "\($0.name) \($0.algorithm.rawValue) \($0.secret)"
                } ?? "", String(record.ttl),
            ])
            records.append(
                DDNSRecord(name: name, provider: provider, ipv4: record.ipv4, ipv6: record.ipv6, configHash: hash))
        }
        return DDNSClientSettings(
            ipv4Source: try sources(ddns.ipv4, config: config),
            ipv6Source: try sources(ddns.ipv6, config: config),
            records: records, interval: ddns.interval, allowPrivate: ddns.allowPrivate,
            stateFile: Self.stateFile(dataDirectory: dataDirectory))
    }

    /// `ddns-state.json` in the data directory.
    public static func stateFile(dataDirectory: String) -> String {
        (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + DDNSState.fileName
    }

    /// An HTTPS client trusting `ddns.ca-file`, or the system's bundle.
    public static func httpsClient(_ config: Config) throws -> HTTPSClient {
        HTTPSClient(verifier: CertificateVerifier(trust: try TrustStore.load(caFile: config.ddns.caFile)))
    }

    /// One source, or the first of several that gives an address; nil for none.
    static func sources(_ list: [DDNSSourceConfig], config: Config) throws -> AddressSource? {
        let mapped = try list.map { try source($0, config: config) }
        return mapped.count <= 1 ? mapped.first : .firstOf(mapped)
    }

    static func source(_ source: DDNSSourceConfig, config: Config) throws -> AddressSource {
        switch source {
        case .interface(let name):
            return .interface(name)
        case .web(let url, let skip):
            guard let parsed = HTTPSURL(url) else { throw DDNSError("ddns: '\(url)' is not an https:// URL") }
            return .web(parsed, skip: skip)
        case .dns(let name, let type, let server, let port):
            return .dns(
                name: try DomainName(name), type: RecordType(type) ?? .a, server: server, port: port)
        case .command(let argv):
            return .command(argv)
        }
    }

    static func provider(
        _ record: DDNSRecordConfig, config: Config, ownZones: (any OwnZoneRecordUpdating)?, https: HTTPSClient
    ) throws -> any DDNSProvider {
        func url(_ text: String?, default fallback: String?) throws -> HTTPSURL {
            guard let text = text ?? fallback, let url = HTTPSURL(text) else {
                throw DDNSError(record.diagnostic("server '\(text ?? "")' is not an https:// URL"))
            }
            return url
        }
        switch record.provider {
        case .dyndns2:
            return DynDNS2Provider(
                server: try url(record.server, default: nil), user: record.username ?? "",
                password: record.password ?? "", client: https)
        case .zoneedit:
            return ZoneEditProvider(
                server: try url(record.server, default: "https://dynamic.zoneedit.com"),
                user: record.username ?? "", password: record.password ?? "",
                zone: record.zone.map { String($0.dropLast()) }, client: https)
        case .cloudflare:
            return CloudflareProvider(
                api: try url(record.server, default: CloudflareProvider.defaultAPI), token: record.password ?? "",
                zone: String((record.zone ?? ".").dropLast()), ttl: record.ttl, client: https)
        case .rfc2136:
            guard let server = record.server, let (host, port) = Config.hostAndPort(server, defaultPort: 53) else {
                throw DDNSError(record.diagnostic("server is not an address"))
            }
            let address: SocketAddress
            do {
                address = try SocketAddress.makeAddressResolvingHost(host, port: port)
            } catch {
                throw DDNSError(record.diagnostic("cannot resolve \(host): \(error)"))
            }
            var key: TSIGKey?
            if let name = record.key {
                guard let k = config.key(named: name),
                    let algorithm = TSIGAlgorithm(name: try DomainName(k.algorithm.domainName))
                else { throw DDNSError(record.diagnostic("key \(name) is not usable")) }
                key = TSIGKey(name: try DomainName(k.name), algorithm: algorithm, secret: k.secret)
            }
            return RFC2136Provider(
                server: address, zone: try DomainName(record.zone ?? "."), key: key, ttl: UInt32(record.ttl))
        case .hanon:
            return OwnZoneProvider(updater: ownZones ?? UnwiredOwnZones())
        }
    }
}

/// Used when no server is there to write to (`hanon ddns update --once` without a running
/// `hanon serve`): records of provider `hanon` fail and are retried later.
struct UnwiredOwnZones: OwnZoneRecordUpdating {
    func setAddresses(name: String, v4: IPAddress?, v6: IPAddress?) async throws -> Bool {
        throw DDNSError("provider hanon: only the running server (hanon serve) updates its own zones")
    }
}

/// Records of provider `hanon`: the detected addresses written through ``DDNSZoneWriter``,
/// the same path as the dyndns2 endpoint and RFC 2136 updates (journal, serial, NOTIFY).
struct OwnZoneRecords: OwnZoneRecordUpdating {
    let writer: any DDNSZoneWriter

    func setAddresses(name: String, v4: IPAddress?, v6: IPAddress?) async throws -> Bool {
        let owner = try DomainName(name, origin: .root)
        let ipv4 = try v4.map { address in try IPv4Address(bytes: address.bytes) }
        let ipv6 = try v6.map { address in try IPv6Address(bytes: address.bytes) }
        switch try await self.writer.setAddresses(
            owner, v4: ipv4.map { [$0] } ?? [], v6: ipv6.map { [$0] } ?? [], ttl: nil)
        {
        case .changed: return true
        case .unchanged: return false
        case .notServed: throw DDNSError("provider hanon: \(name) is not in a zone this server serves from a file")
        }
    }
}

/// `hanon serve`'s dynamic DNS updater: a pass every `ddns.interval` until shutdown.
struct DDNSUpdaterService: Service {
    let updater: DDNSUpdater

    func run() async throws {
        // The updater sleeps between passes: cancelled at shutdown, it stops
        // (without this, SIGTERM waited for a loop that never ends).
        await cancelWhenGracefulShutdown {
            await updater.run()
        }
    }
}

extension HanonServer {
    /// Where records of provider `hanon` are applied: the zones served here, through the
    /// dynamic update path (the dyndns2 endpoint's writer).
    var ownZoneRecords: (any OwnZoneRecordUpdating)? { OwnZoneRecords(writer: self.ddnsWriter) }

    /// The DDNS updater for `[[ddns.record]]`s, or nil when there are none (or when it cannot
    /// be set up: logged, and DNS is served all the same).
    func ddnsUpdaterService() -> DDNSUpdaterService? {
        let settings = self.currentSettings
        guard let config = settings.ddnsConfig, let data = settings.dataDirectory else { return nil }
        let https: HTTPSClient
        let ddns: DDNSClientSettings
        do {
            https = try DDNSClientSetup.httpsClient(config)
            ddns = try DDNSClientSetup.settings(config, dataDirectory: data, ownZones: ownZoneRecords, https: https)
        } catch {
            self.logger.error("ddns: \(error); the updater does not run")
            return nil
        }
        let detector = AddressDetector(https: https, allowPrivate: ddns.allowPrivate)
        var logger = self.logger
        logger[metadataKey: "service"] = "ddns"
        return DDNSUpdaterService(updater: DDNSUpdater(settings: ddns, detector: detector, logger: logger))
    }
}
