// The [formats.pdf] options of one file (pdf_format.cpp reads them from the policy).
#pragma once

#include <cstdint>

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
};

}  // namespace sanitize::formats::pdf
