// SPDX-License-Identifier: Apache-2.0
// The header's inline function is the whole module; SwiftPM wants one C file.
#include "CPrefetch.h"
