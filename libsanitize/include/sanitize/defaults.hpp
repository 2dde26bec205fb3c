// The default format table: every module this build contains, in claiming order.
// Implemented by the formats layer (formats/registry.cpp); the core never calls it.
#pragma once

#include <memory>

#include "sanitize/engine.hpp"

namespace sanitize {

const FormatTable& default_formats();
std::unique_ptr<Engine> make_default_engine(Policy policy = Policy::defaults());

}  // namespace sanitize
