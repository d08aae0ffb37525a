// SPDX-License-Identifier: Apache-2.0

import DNSCore
import DNSZone

/// What kind of response was produced: response rate limiting (RFC-less,
/// BIND/Knot RRL) and logs classify responses by it.
public enum ResponseKind: Sendable, Hashable {
    /// Data in the answer section (CNAME chains included).
    case answer
    /// NOERROR with an empty answer (RFC 2308 §2.2).
    case noData
    /// NXDOMAIN (RFC 2308 §2.1).
    case nxDomain
    /// A referral to a child zone.
    case referral
    /// REFUSED: not a zone hanon serves, or a refused CHAOS query.
    case refused
    /// FORMERR, NOTIMP, BADVERS, YXDOMAIN and other errors.
    case error
}

/// A response before encoding, with what the caller may still change: add
/// EDNS options (cookies, RFC 7873), classify it for rate limiting.
public struct AuthorityResponse: Sendable, Hashable {
    /// The response message; its OPT record is present when the query had one.
    public var message: DNSMessage
    /// What kind of response this is (rate limiting, logs).
    public var kind: ResponseKind
    /// The zone that answered, when one did.
    public var zone: DomainName?
    /// Leading records of ``DNSMessage/additionals`` that are required glue
    /// (RFC 9471 §3: glue for in-domain name servers): when they do not fit a
    /// UDP response, TC is set.
    public var requiredAdditionalCount: Int = 0

    /// A response ready for ``QueryProcessor/encode(_:for:transport:)``.
    public init(message: DNSMessage, kind: ResponseKind, zone: DomainName? = nil, requiredAdditionalCount: Int = 0) {
        self.message = message
        self.kind = kind
        self.zone = zone
        self.requiredAdditionalCount = requiredAdditionalCount
    }
}

/// Where the answer logic (``QueryProcessor/answerInternet(_:transport:into:)``)
/// puts the RRsets it finds, section by section in order: answer, authority,
/// additional. RRSIGs go with their RRset when ``dnssec`` (RFC 4035 §3.1.1).
protocol AnswerSink {
    /// The query set DO: RRsets go with their signatures.
    var dnssec: Bool { get }
    /// True once an RRset is in the answer section.
    var hasAnswers: Bool { get }
    /// An answer RRset, written with `owner` instead of its own when given
    /// (wildcard synthesis, RFC 4592 §3.3.1).
    mutating func answer(_ set: RRSet, owner: DomainName?)
    /// A CNAME synthesised from a DNAME (RFC 6672 §3.1), unsigned.
    mutating func answerCNAME(owner: DomainName, ttl: UInt32, target: DomainName)
    mutating func authority(_ set: RRSet)
    /// An address RRset; `required` (in-domain glue, RFC 9471 §3) ones come first.
    mutating func additional(_ set: RRSet, required: Bool)
}

/// Collects the sections of an answer as RRsets (RFC 2181 §5: an RRset is
/// never split), with RRSIGs when the query set DO (RFC 4035 §3.1.1).
struct AnswerBuilder: AnswerSink {
    let dnssec: Bool
    let dnsClass: DNSClass
    var answers: [ResourceRecord] = []
    var authorities: [ResourceRecord] = []
    var requiredAdditionals: [ResourceRecord] = []
    var additionals: [ResourceRecord] = []
    /// Owner and type of the address RRsets in the additional section already.
    private var additionalSets: [(name: DomainName, type: RecordType)] = []

    init(dnssec: Bool, dnsClass: DNSClass) {
        self.dnssec = dnssec
        self.dnsClass = dnsClass
    }

    mutating func answer(_ set: RRSet, owner: DomainName? = nil) {
        Self.append(set, owner: owner, dnssec: self.dnssec, dnsClass: self.dnsClass, to: &self.answers)
    }

    var hasAnswers: Bool { !self.answers.isEmpty }

    mutating func answerCNAME(owner: DomainName, ttl: UInt32, target: DomainName) {
        self.answers.append(ResourceRecord(name: owner, dnsClass: self.dnsClass, ttl: ttl, rdata: .cname(target)))
    }

    mutating func authority(_ set: RRSet) {
        Self.append(set, owner: nil, dnssec: self.dnssec, dnsClass: self.dnsClass, to: &self.authorities)
    }

    /// Adds an address RRset to the additional section, once per owner and type.
    mutating func additional(_ set: RRSet, required: Bool) {
        guard !self.additionalSets.contains(where: { $0.type == set.type && $0.name == set.name }) else { return }
        self.additionalSets.append((set.name, set.type))
        if required {
            Self.append(set, owner: nil, dnssec: self.dnssec, dnsClass: self.dnsClass, to: &self.requiredAdditionals)
        } else {
            Self.append(set, owner: nil, dnssec: self.dnssec, dnsClass: self.dnsClass, to: &self.additionals)
        }
    }

    /// Appends the records of `set` (and its RRSIGs when `dnssec`) to a
    /// section in place: no temporary arrays on the answer path.
    private static func append(
        _ set: RRSet, owner: DomainName?, dnssec: Bool, dnsClass: DNSClass, to section: inout [ResourceRecord]
    ) {
        let name = owner ?? set.name
        section.reserveCapacity(section.count + set.rdata.count + (dnssec ? set.signatures.count : 0))
        for rdata in set.rdata {
            section.append(ResourceRecord(name: name, dnsClass: dnsClass, ttl: set.ttl, rdata: rdata))
        }
        guard dnssec else { return }
        for rdata in set.signatures {
            section.append(ResourceRecord(name: name, dnsClass: dnsClass, ttl: set.signatureTTL, rdata: rdata))
        }
    }
}
