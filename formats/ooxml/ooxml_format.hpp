// The OOXML module: Word, Excel and PowerPoint files (and their macro-enabled and template
// forms) rebuilt from an allowlist of parts, relationships and content types.
#pragma once

#include "sanitize/format.hpp"

namespace sanitize::formats {

const Format& ooxml_format();

}  // namespace sanitize::formats
