#include "formats/pdf/pdf_options.hpp"

#include <string>
#include <vector>

namespace sanitize::formats::pdf {
namespace {

const std::vector<OptionSpec> kOptions{
    {"mode",
     std::string("rebuild"),
     {"rebuild", "rasterize"},
     "rebuild: structural rewrite with qpdf; rasterize: every page becomes a picture with an "
     "invisible text layer"},
    {"uri",
     std::string("keep"),
     {"keep", "neutralize", "remove"},
     "web links (/URI actions): kept, neutralized (the address stays as the link's note, not "
     "clickable) or removed; file: and UNC targets are always removed"},
    {"embedded_files",
     std::string("remove"),
     {"remove", "sanitize"},
     "embedded files, file attachment annotations and associated files: removed, or sanitized "
     "through the engine and re-embedded"},
    {"max_warnings", std::int64_t{50}, {}, "qpdf repair warnings above which the file is blocked"},
    {"object_streams",
     std::string("preserve"),
     {"preserve", "generate", "disable"},
     "object streams of the rebuilt file"},
    {"compress_streams", true, {}, "Flate-compress streams that are not compressed"},
    {"dpi", std::int64_t{150}, {}, "rasterize: resolution of the page pictures, 36-600"},
    {"raster_format",
     std::string("jpeg"),
     {"jpeg", "flate"},
     "rasterize: page pictures as JPEG (DCT) or lossless Flate"},
    {"jpeg_quality", std::int64_t{85}, {}, "rasterize: JPEG quality, 30-100"},
    {"text_layer", true, {}, "rasterize: add the invisible text layer for search and copy"},
    {"render_threads", std::int64_t{0}, {}, "rasterize: pages rendered at once, 0 = one per core"},
};

int in_range(const Context& ctx, std::string_view key, std::int64_t low, std::int64_t high) {
  const std::int64_t value = ctx.option_int(key);
  if (value < low || value > high) {
    throw Blocked(BlockReason::internal_error,
                  "formats.pdf." + std::string(key) + " = " + std::to_string(value) +
                      " is outside " + std::to_string(low) + "-" + std::to_string(high));
  }
  return static_cast<int>(value);
}

}  // namespace

std::span<const OptionSpec> option_specs() {
  return kOptions;
}

PdfOptions PdfOptions::from(const Context& ctx) {
  PdfOptions o;
  o.mode = ctx.option_string("mode") == "rasterize" ? Mode::rasterize : Mode::rebuild;
  const std::string_view uri = ctx.option_string("uri");
  o.uri = uri == "remove"       ? UriHandling::remove
          : uri == "neutralize" ? UriHandling::neutralize
                                : UriHandling::keep;
  o.sanitize_embedded_files = ctx.option_string("embedded_files") == "sanitize";
  o.max_warnings = in_range(ctx, "max_warnings", 0, 1000000);
  const std::string_view streams = ctx.option_string("object_streams");
  o.object_streams = streams == "generate"  ? ObjectStreams::generate
                     : streams == "disable" ? ObjectStreams::disable
                                            : ObjectStreams::preserve;
  o.compress_streams = ctx.option_bool("compress_streams");
  o.dpi = in_range(ctx, "dpi", 36, 600);
  o.raster_encoding =
      ctx.option_string("raster_format") == "flate" ? RasterEncoding::flate : RasterEncoding::jpeg;
  o.jpeg_quality = in_range(ctx, "jpeg_quality", 30, 100);
  o.text_layer = ctx.option_bool("text_layer");
  o.render_threads = in_range(ctx, "render_threads", 0, 64);
  return o;
}

}  // namespace sanitize::formats::pdf
