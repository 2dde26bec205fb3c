// Names under which outputs are delivered.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sanitize/engine.hpp"

namespace sanitize::cli {

// The file name a result is delivered under: the last component of its output name (the
// engine may have changed the extension). nullopt when that is not a usable file name;
// what a worker sends back is checked, never trusted.
std::optional<std::string> output_file_name(const Result& result);

// The n-th alternative to a taken name: "report (1).pdf", "README (2)".
std::string numbered_name(std::string_view name, unsigned n);

}  // namespace sanitize::cli
