#include "formats/ooxml/pictures.hpp"
#include "formats/common/charset.hpp"

#include <algorithm>
#include <string>

namespace sanitize::formats::ooxml {
namespace {

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), bytes.begin(),
                    [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; });
}

std::uint32_t le32(std::span<const std::uint8_t> bytes, std::size_t offset) {
  return static_cast<std::uint32_t>(bytes[offset]) |
         static_cast<std::uint32_t>(bytes[offset + 1]) << 8 |
         static_cast<std::uint32_t>(bytes[offset + 2]) << 16 |
         static_cast<std::uint32_t>(bytes[offset + 3]) << 24;
}

}  // namespace

ImageFormat image_format_of_bytes(std::span<const std::uint8_t> bytes) {
  using namespace std::string_view_literals;
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n"sv)) return ImageFormat::png;
  if (starts_with(bytes, "\xFF\xD8\xFF"sv)) return ImageFormat::jpeg;
  if (starts_with(bytes, "GIF87a"sv) || starts_with(bytes, "GIF89a"sv)) return ImageFormat::gif;
  if (starts_with(bytes, "BM"sv) && bytes.size() >= 26) return ImageFormat::bmp;
  if (starts_with(bytes, "II*\0"sv) || starts_with(bytes, "MM\0*"sv)) return ImageFormat::tiff;
  // EMF: an EMR_HEADER record (type 1) with the " EMF" signature at offset 40.
  if (bytes.size() >= 44 && le32(bytes, 0) == 1 && starts_with(bytes.subspan(40), " EMF"sv)) {
    return ImageFormat::emf;
  }
  // WMF: the placeable header, or a standard header (memory or disk, 9-word header).
  if (starts_with(bytes, "\xD7\xCD\xC6\x9A"sv) || starts_with(bytes, "\x01\x00\x09\x00"sv) ||
      starts_with(bytes, "\x02\x00\x09\x00"sv)) {
    return ImageFormat::wmf;
  }
  return ImageFormat::other;
}

ImageFormat image_format_of_extension(std::string_view extension) {
  const std::string ext = ascii_lower(extension);
  if (ext == "png") return ImageFormat::png;
  if (ext == "jpg" || ext == "jpeg" || ext == "jpe" || ext == "jfif") return ImageFormat::jpeg;
  if (ext == "gif") return ImageFormat::gif;
  if (ext == "bmp" || ext == "dib") return ImageFormat::bmp;
  if (ext == "tif" || ext == "tiff") return ImageFormat::tiff;
  if (ext == "emf" || ext == "emz") return ImageFormat::emf;
  if (ext == "wmf" || ext == "wmz") return ImageFormat::wmf;
  if (ext == "svg") return ImageFormat::svg;
  return ImageFormat::other;
}

ImageFormat image_format_of_content_type(std::string_view content_type) {
  const std::string type = ascii_lower(content_type);
  if (type == "image/png" || type == "image/x-png") return ImageFormat::png;
  if (type == "image/jpeg" || type == "image/jpg" || type == "image/pjpeg") {
    return ImageFormat::jpeg;
  }
  if (type == "image/gif") return ImageFormat::gif;
  if (type == "image/bmp" || type == "image/x-bmp" || type == "image/x-ms-bmp") {
    return ImageFormat::bmp;
  }
  if (type == "image/tiff") return ImageFormat::tiff;
  if (type == "image/x-emf" || type == "image/emf") return ImageFormat::emf;
  if (type == "image/x-wmf" || type == "image/wmf") return ImageFormat::wmf;
  if (type == "image/svg+xml") return ImageFormat::svg;
  return ImageFormat::other;
}

std::string_view to_string(ImageFormat format) {
  switch (format) {
    case ImageFormat::png:
      return "PNG";
    case ImageFormat::jpeg:
      return "JPEG";
    case ImageFormat::gif:
      return "GIF";
    case ImageFormat::bmp:
      return "BMP";
    case ImageFormat::tiff:
      return "TIFF";
    case ImageFormat::emf:
      return "EMF";
    case ImageFormat::wmf:
      return "WMF";
    case ImageFormat::svg:
      return "SVG";
    case ImageFormat::other:
      break;
  }
  return "unknown";
}

bool is_metafile(ImageFormat format) {
  return format == ImageFormat::emf || format == ImageFormat::wmf;
}

}  // namespace sanitize::formats::ooxml
