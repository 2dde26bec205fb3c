// The [formats.pdf] options, read once per file from the context.
#pragma once

#include <cstdint>
#include <string_view>

#include "sanitize/format.hpp"

namespace sanitize::formats::pdf {

enum class Mode { rebuild, rasterize };
enum class UriHandling { keep, neutralize, remove };
enum class RasterEncoding { jpeg, flate };
enum class ObjectStreams { preserve, generate, disable };

struct PdfOptions {
  Mode mode = Mode::rebuild;
  UriHandling uri = UriHandling::keep;
  bool sanitize_embedded_files = false;  // false: embedded files are removed
  std::int64_t max_warnings = 50;
  ObjectStreams object_streams = ObjectStreams::preserve;
  bool compress_streams = true;
  int dpi = 150;
  RasterEncoding raster_encoding = RasterEncoding::jpeg;
  int jpeg_quality = 85;
  bool text_layer = true;
  int render_threads = 0;  // 0: one per core

  // Reads and range-checks the options; a value out of range blocks the file.
  static PdfOptions from(const Context& ctx);
};

// The option table of the module (docs/policy.md).
std::span<const OptionSpec> option_specs();

}  // namespace sanitize::formats::pdf
