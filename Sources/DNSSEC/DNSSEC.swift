// SPDX-License-Identifier: Apache-2.0

/// DNSSEC: keys, signing, verification, DS digests, NSEC and NSEC3
/// (RFC 4033–4035, RFC 5155). Shared by the signer of the zones hanon
/// serves and by the resolver's validator.
public enum DNSSEC {}
