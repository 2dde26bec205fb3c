// One ODF package rebuilt: every entry checked and classified, XML parts rewritten,
// pictures verified, everything else removed and reported, a fresh manifest written, and
// `mimetype` first and stored in a new, deterministic zip.
#pragma once

#include "formats/odf/odf_names.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats::odf {

// Options of the module, as the policy gives them.
inline constexpr std::string_view kHyperlinksOption = "hyperlinks";
inline constexpr std::string_view kMetadataOption = "metadata";
inline constexpr std::string_view kKeepMetafilesOption = "keep_metafiles";
inline constexpr std::string_view kCompressionOption = "compression_level";

void rebuild_package(const DocumentKind& kind, Context& ctx);

}  // namespace sanitize::formats::odf
