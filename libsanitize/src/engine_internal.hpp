// What the library's own sandbox may ask of an engine, and no library user needs.
#pragma once

#include "sanitize/engine.hpp"

namespace sanitize::detail {

// The sandbox's children leave the hashes of the top-level input and output to the parent,
// which computes them from the descriptors and never takes them from a child: hashing there
// would be work done twice, in every file's worker.
void leave_top_level_hashes_to_caller(Engine& engine);

}  // namespace sanitize::detail
