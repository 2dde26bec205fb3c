#include "formats/common/pictures.hpp"

#include <algorithm>
#include <array>
#include <string>

namespace sanitize::formats {
namespace {

struct PictureInfo {
  Picture picture;
  std::string_view name;
  std::string_view media_type;
};

constexpr std::array<PictureInfo, 10> kPictures{{
    {Picture::png, "PNG", "image/png"},
    {Picture::jpeg, "JPEG", "image/jpeg"},
    {Picture::gif, "GIF", "image/gif"},
    {Picture::bmp, "BMP", "image/bmp"},
    {Picture::tiff, "TIFF", "image/tiff"},
    {Picture::webp, "WebP", "image/webp"},
    {Picture::emf, "EMF", "image/x-emf"},
    {Picture::wmf, "WMF", "image/x-wmf"},
    {Picture::svm, "SVM", "image/x-svm"},
    {Picture::svg, "SVG", "image/svg+xml"},
}};

struct Alias {
  std::string_view text;
  Picture picture;
};

constexpr std::array<Alias, 17> kExtensions{{
    {"png", Picture::png},
    {"jpg", Picture::jpeg},
    {"jpeg", Picture::jpeg},
    {"jpe", Picture::jpeg},
    {"jfif", Picture::jpeg},
    {"gif", Picture::gif},
    {"bmp", Picture::bmp},
    {"dib", Picture::bmp},
    {"tif", Picture::tiff},
    {"tiff", Picture::tiff},
    {"webp", Picture::webp},
    {"emf", Picture::emf},
    {"emz", Picture::emf},
    {"wmf", Picture::wmf},
    {"wmz", Picture::wmf},
    {"svm", Picture::svm},
    {"svg", Picture::svg},
}};

constexpr std::array<Alias, 18> kMediaTypes{{
    {"image/png", Picture::png},
    {"image/x-png", Picture::png},
    {"image/jpeg", Picture::jpeg},
    {"image/jpg", Picture::jpeg},
    {"image/pjpeg", Picture::jpeg},
    {"image/gif", Picture::gif},
    {"image/bmp", Picture::bmp},
    {"image/x-ms-bmp", Picture::bmp},
    {"image/x-bmp", Picture::bmp},
    {"image/tiff", Picture::tiff},
    {"image/webp", Picture::webp},
    {"image/emf", Picture::emf},
    {"image/x-emf", Picture::emf},
    {"image/wmf", Picture::wmf},
    {"image/x-wmf", Picture::wmf},
    {"image/x-svm", Picture::svm},
    {"application/x-openoffice-gdimetafile", Picture::svm},
    {"image/svg+xml", Picture::svg},
}};

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view signature,
                 std::size_t offset = 0) {
  return bytes.size() >= offset + signature.size() &&
         std::equal(signature.begin(), signature.end(), bytes.begin() + offset,
                    [](char a, std::uint8_t b) { return static_cast<std::uint8_t>(a) == b; });
}

bool looks_like_svg(std::span<const std::uint8_t> bytes) {
  const std::string head(bytes.begin(), bytes.begin() + std::min<std::size_t>(bytes.size(), 1024));
  const auto start = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (start == std::string::npos || head[start] != '<') return false;
  return head.find("<svg") != std::string::npos;
}

}  // namespace

Picture sniff_picture(std::span<const std::uint8_t> bytes) {
  using namespace std::string_view_literals;
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n"sv)) return Picture::png;
  if (starts_with(bytes, "\xFF\xD8\xFF"sv)) return Picture::jpeg;
  if (starts_with(bytes, "GIF87a"sv) || starts_with(bytes, "GIF89a"sv)) return Picture::gif;
  if (starts_with(bytes, "BM"sv) && bytes.size() >= 26) return Picture::bmp;
  if (starts_with(bytes, "II*\0"sv) || starts_with(bytes, "MM\0*"sv)) return Picture::tiff;
  if (starts_with(bytes, "RIFF"sv) && starts_with(bytes, "WEBP"sv, 8)) return Picture::webp;
  if (starts_with(bytes, "\x01\0\0\0"sv) && starts_with(bytes, " EMF"sv, 40)) return Picture::emf;
  if (starts_with(bytes, "\xD7\xCD\xC6\x9A"sv) || starts_with(bytes, "\x01\0\x09\0"sv) ||
      starts_with(bytes, "\x02\0\x09\0"sv)) {
    return Picture::wmf;
  }
  if (starts_with(bytes, "VCLMTF"sv)) return Picture::svm;
  if (looks_like_svg(bytes)) return Picture::svg;
  return Picture::unknown;
}

Picture picture_of_extension(std::string_view extension) {
  const std::string lower = lowered(extension);
  for (const auto& alias : kExtensions) {
    if (alias.text == lower) return alias.picture;
  }
  return Picture::unknown;
}

Picture picture_of_media_type(std::string_view media_type) {
  const std::string type = lowered(media_type.substr(0, media_type.find(';')));
  for (const auto& alias : kMediaTypes) {
    if (alias.text == type) return alias.picture;
  }
  return Picture::unknown;
}

Picture declared_picture(std::string_view name, std::string_view media_type) {
  const auto slash = name.rfind('/');
  const std::string_view file = slash == std::string_view::npos ? name : name.substr(slash + 1);
  if (const auto dot = file.rfind('.'); dot != std::string_view::npos) {
    if (const Picture by_name = picture_of_extension(file.substr(dot + 1));
        by_name != Picture::unknown) {
      return by_name;
    }
  }
  return picture_of_media_type(media_type);
}

std::string_view picture_name(Picture picture) {
  for (const auto& info : kPictures) {
    if (info.picture == picture) return info.name;
  }
  return "unknown";
}

std::string_view picture_media_type(Picture picture) {
  for (const auto& info : kPictures) {
    if (info.picture == picture) return info.media_type;
  }
  return "application/octet-stream";
}

bool is_raster(Picture picture) {
  switch (picture) {
    case Picture::png:
    case Picture::jpeg:
    case Picture::gif:
    case Picture::bmp:
    case Picture::tiff:
    case Picture::webp:
      return true;
    default:
      return false;
  }
}

bool is_metafile(Picture picture) {
  return picture == Picture::emf || picture == Picture::wmf || picture == Picture::svm;
}

bool is_compressed(Picture picture) {
  return picture == Picture::png || picture == Picture::jpeg || picture == Picture::gif ||
         picture == Picture::webp;
}

}  // namespace sanitize::formats
