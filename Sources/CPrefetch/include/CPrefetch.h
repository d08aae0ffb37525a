// SPDX-License-Identifier: Apache-2.0
#ifndef HANON_CPREFETCH_H
#define HANON_CPREFETCH_H

/// Asks the CPU to start loading the cache line at `address` (no fault, no
/// wait, nothing if the address is not mapped): Swift has no prefetch.
static inline void hanon_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
