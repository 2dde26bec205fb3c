#include "detect.hpp"

#include <magic.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace sanitize::detail {
namespace {

struct MagicCloser {
  void operator()(magic_t handle) const { magic_close(handle); }
};
using MagicHandle = std::unique_ptr<std::remove_pointer_t<magic_t>, MagicCloser>;

// Compressed content is not looked into: modules decompress under the budget themselves.
constexpr int kMagicFlags = MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR;

// How much of a file libmagic reads to tell text from binary (its default is 64 KiB, held
// twice as 8-byte characters per call: a megabyte of fresh memory in every worker). A type
// decided on this window is only a routing hint: the text module validates every byte of
// what it claims, and a file no module claims is blocked.
constexpr std::size_t kTextWindowBytes = 8192;

magic_t thread_magic() {
  thread_local MagicHandle handle = [] {
    MagicHandle h(magic_open(kMagicFlags));
    if (!h) throw std::runtime_error("libmagic: cannot open");
    if (magic_load(h.get(), nullptr) != 0) {
      throw std::runtime_error(std::string("libmagic: cannot load its database: ") +
                               magic_error(h.get()));
    }
    if (magic_setparam(h.get(), MAGIC_PARAM_ENCODING_MAX, &kTextWindowBytes) != 0) {
      throw std::runtime_error(std::string("libmagic: cannot set its text window: ") +
                               magic_error(h.get()));
    }
    return h;
  }();
  return handle.get();
}

std::string magic_text(magic_t handle, int flags, std::span<const std::uint8_t> bytes) {
  if (magic_setflags(handle, kMagicFlags | flags) != 0) return {};
  const char* text = magic_buffer(handle, bytes.data(), bytes.size());
  return text != nullptr ? std::string(text) : std::string();
}

struct MimeFamily {
  std::string_view mime;  // exact, or a prefix when it ends with '*'
  Family family;
};

constexpr std::array<MimeFamily, 62> kMimeFamilies{{
    {"inode/x-empty", Family::empty},
    {"application/x-empty", Family::empty},
    // Zip containers (libmagic names many by their content).
    {"application/zip", Family::zip},
    {"application/x-zip*", Family::zip},
    {"application/java-archive", Family::zip},
    {"application/epub+zip", Family::zip},
    {"application/vnd.openxmlformats-officedocument.*", Family::zip},
    {"application/vnd.oasis.opendocument.*", Family::zip},
    {"application/vnd.ms-excel.sheet.*", Family::zip},
    {"application/vnd.ms-word.*", Family::zip},
    {"application/vnd.ms-powerpoint.*", Family::zip},
    {"application/vnd.ms-xpsdocument", Family::zip},
    {"application/oxps", Family::zip},
    {"application/vnd.android.package-archive", Family::zip},
    {"application/vnd.ms-appx*", Family::zip},
    {"application/vnd.hancom.hwpx", Family::zip},
    // OLE2 compound files.
    {"application/x-ole-storage", Family::ole2},
    {"application/CDFV2*", Family::ole2},
    {"application/msword", Family::ole2},
    {"application/vnd.ms-excel", Family::ole2},
    {"application/vnd.ms-powerpoint", Family::ole2},
    {"application/vnd.ms-outlook", Family::ole2},
    {"application/vnd.visio", Family::ole2},
    {"application/encrypted", Family::ole2},
    {"application/x-msi", Family::ole2},
    {"application/x-hwp", Family::ole2},
    {"application/pdf", Family::pdf},
    {"text/rtf", Family::rtf},
    {"application/rtf", Family::rtf},
    {"message/*", Family::mail},
    {"text/html", Family::html},
    {"application/xhtml+xml", Family::html},
    {"text/xml", Family::xml},
    {"application/xml", Family::xml},
    {"image/*", Family::image},
    // Other archives and compressed streams.
    {"application/x-tar", Family::archive},
    {"application/gzip", Family::archive},
    {"application/x-gzip", Family::archive},
    {"application/x-bzip2", Family::archive},
    {"application/x-xz", Family::archive},
    {"application/x-lzma", Family::archive},
    {"application/zstd", Family::archive},
    {"application/x-7z-compressed", Family::archive},
    {"application/x-rar*", Family::archive},
    {"application/vnd.rar", Family::archive},
    {"application/x-lha", Family::archive},
    {"application/x-lzh-compressed", Family::archive},
    {"application/x-compress", Family::archive},
    {"application/x-cpio", Family::archive},
    {"application/x-archive", Family::archive},
    {"application/vnd.ms-cab-compressed", Family::archive},
    // Programs, installers, shortcuts and disk images.
    {"application/x-executable", Family::executable},
    {"application/x-pie-executable", Family::executable},
    {"application/x-sharedlib", Family::executable},
    {"application/x-object", Family::executable},
    {"application/x-dosexec", Family::executable},
    {"application/vnd.microsoft.portable-executable", Family::executable},
    {"application/x-mach-binary", Family::executable},
    {"application/x-ms-shortcut", Family::executable},
    {"application/x-iso9660-image", Family::executable},
    {"application/json", Family::text},
    {"text/*", Family::text},
}};

bool mime_matches(std::string_view pattern, std::string_view mime) {
  if (!pattern.empty() && pattern.back() == '*') {
    return mime.substr(0, pattern.size() - 1) == pattern.substr(0, pattern.size() - 1);
  }
  return mime == pattern;
}

bool starts_with(std::span<const std::uint8_t> bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), bytes.begin(),
                    [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; });
}

}  // namespace

Family family_of(std::string_view mime, std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return Family::empty;
  for (const auto& entry : kMimeFamilies) {
    if (mime_matches(entry.mime, mime)) return entry.family;
  }
  // Signatures libmagic sometimes reports only as "data" or a generic type.
  using namespace std::string_view_literals;
  if (starts_with(bytes, "PK\x03\x04"sv) || starts_with(bytes, "PK\x05\x06"sv)) return Family::zip;
  if (starts_with(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv)) return Family::ole2;
  if (starts_with(bytes, "MZ"sv) || starts_with(bytes,
                                                "\x7F"
                                                "ELF"sv))
    return Family::executable;
  // libmagic calls a one-byte file "very short"; one printable character is text.
  if (bytes.size() == 1 && bytes[0] >= 0x20 && bytes[0] < 0x7F) return Family::text;
  return Family::unknown;
}

void preload_detection() {
  thread_magic();
}

std::string describe(std::span<const std::uint8_t> bytes) {
  return bytes.empty() ? std::string("empty") : magic_text(thread_magic(), MAGIC_NONE, bytes);
}

Detection detect_family(std::span<const std::uint8_t> bytes) {
  Detection detection;
  if (bytes.empty()) {
    detection.family = Family::empty;
    detection.mime = "inode/x-empty";
    return detection;
  }
  magic_t handle = thread_magic();
  detection.mime = magic_text(handle, MAGIC_MIME_TYPE, bytes);
  detection.family = family_of(detection.mime, bytes);
  return detection;
}

}  // namespace sanitize::detail

namespace sanitize {

const std::string& Probe::description() const {
  if (!description_) description_ = detail::describe(bytes);
  return *description_;
}

}  // namespace sanitize
