// Placeholders that block every format this build cannot rebuild yet, naming it.
#pragma once

#include "sanitize/format.hpp"

namespace sanitize::formats {

const Format& unsupported_format();

}  // namespace sanitize::formats
