// SPDX-License-Identifier: Apache-2.0

/// Dynamic DNS: address detection, updating zones kept elsewhere over
/// verified HTTPS, and the dyndns2 endpoint for other hosts.
public enum HanonDDNS {}
