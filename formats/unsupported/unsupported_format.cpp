// Placeholders for formats without a module yet. Each claims its files by content, more
// specifically than the generic text and zip modules, and blocks them with a reason that
// names the format, so that an Office document is never rebuilt as a plain zip nor a mail
// delivered as plain text. When a module lands, its rows leave this file.
#include "formats/unsupported/unsupported_format.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>

#include "formats/zip/central_directory.hpp"

namespace sanitize::formats {
namespace {

using namespace std::string_view_literals;

constexpr BlockReason kUnsupported = BlockReason::unsupported_format;
constexpr BlockReason kDangerous = BlockReason::dangerous_type;

const std::vector<TypeSpec> kTypes{
    {"ooxml_visio", "Visio drawing (OOXML)", {"vsdx", "vsdm", "vstx", "vstm"}, kUnsupported},
    {"ooxml_other",
     "Office Open XML package whose main part is unknown or unreadable",
     {},
     kUnsupported},
    {"xlsb", "Excel binary workbook (xlsb)", {"xlsb"}, kUnsupported},
    {"xps", "XPS document", {"xps", "oxps"}, kUnsupported},
    {"epub", "EPUB e-book", {"epub"}, kUnsupported},
    {"hwpx", "Hancom Office document (HWPX)", {"hwpx"}, kUnsupported},
    {"jar", "Java archive (JAR)", {"jar", "war", "ear"}, kDangerous},
    {"apk", "Android application package (APK)", {"apk", "aab"}, kDangerous},
    {"msix",
     "Windows app package (MSIX/APPX)",
     {"msix", "appx", "msixbundle", "appxbundle"},
     kDangerous},
    {"vsix", "Visual Studio extension (VSIX)", {"vsix"}, kDangerous},
    {"ole_doc", "Word 97-2003 document", {"doc", "dot"}, kUnsupported},
    {"ole_xls", "Excel 97-2003 workbook", {"xls", "xlt", "xla"}, kUnsupported},
    {"ole_ppt", "PowerPoint 97-2003 presentation", {"ppt", "pot", "pps"}, kUnsupported},
    {"ole_msg", "Outlook message (MSG)", {"msg"}, kUnsupported},
    {"ole_encrypted",
     "encrypted document (password-protected Office file)",
     {},
     BlockReason::encrypted},
    {"ichitaro", "Ichitaro document", {"jtd", "jtdc", "jtt", "jfw"}, kUnsupported},
    {"hwp", "Hancom HWP document", {"hwp"}, kUnsupported},
    {"ole2", "OLE2 compound document", {}, kUnsupported},
    {"docuworks", "DocuWorks document (recognized by its name only)", {"xdw", "xbd"}, kUnsupported},
    {"rtf", "Rich Text Format document", {"rtf"}, kUnsupported},
    {"eml", "e-mail message", {"eml", "msg", "mht", "mhtml"}, kUnsupported},
    {"html", "HTML document", {"html", "htm", "xhtml"}, kUnsupported},
    {"xml", "XML document", {"xml"}, kUnsupported},
    {"svg", "SVG image", {"svg", "svgz"}, kUnsupported},
    {"image", "image", {"jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp"}, kUnsupported},
    {"archive",
     "archive other than ZIP",
     {"7z", "rar", "tar", "gz", "tgz", "bz2", "xz", "lzh", "cab"},
     kUnsupported},
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
           };
           return lower(x) == lower(y);
         });
}

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

std::string_view as_text(std::span<const std::uint8_t> bytes, std::size_t limit) {
  return {reinterpret_cast<const char*>(bytes.data()), std::min(bytes.size(), limit)};
}

// --- zip containers -------------------------------------------------------------------

struct ZipListing {
  std::vector<std::string> names;
  std::string first_stored_mimetype;  // content of a stored "mimetype" first entry
};

std::optional<ZipListing> list_zip(std::span<const std::uint8_t> bytes) {
  try {
    const zip::Directory directory = zip::read_directory(bytes);
    ZipListing listing;
    for (const auto& entry : directory.entries) listing.names.push_back(entry.raw_name);
    if (!directory.entries.empty()) {
      const auto& first = directory.entries.front();
      if (first.raw_name == "mimetype" && first.method == 0 && first.compressed_size < 256) {
        listing.first_stored_mimetype =
            std::string(as_text(bytes.subspan(first.data_offset, first.compressed_size), 256));
      }
    }
    return listing;
  } catch (const Blocked&) {
    return std::nullopt;  // the zip module blocks it as corrupt
  }
}

bool has_entry(const ZipListing& listing, std::string_view name) {
  return std::any_of(listing.names.begin(), listing.names.end(),
                     [&](const std::string& n) { return iequals(n, name); });
}

bool has_prefix(const ZipListing& listing, std::string_view prefix) {
  return std::any_of(listing.names.begin(), listing.names.end(),
                     [&](const std::string& n) { return istarts_with(n, prefix); });
}

std::optional<std::string> zip_container_type(const ZipListing& listing) {
  if (has_entry(listing, "AppxManifest.xml") || has_prefix(listing, "AppxMetadata/")) return "msix";
  if (has_entry(listing, "extension.vsixmanifest")) return "vsix";
  if (has_entry(listing, "AndroidManifest.xml")) return "apk";
  const std::string& mimetype = listing.first_stored_mimetype;
  if (!mimetype.empty()) {
    if (mimetype.starts_with("application/epub+zip")) return "epub";
    if (mimetype.starts_with("application/hwp+zip")) return "hwpx";
  }
  if (has_entry(listing, "[Content_Types].xml")) {
    if (has_entry(listing, "FixedDocSeq.fdseq") || has_prefix(listing, "Documents/")) return "xps";
    if (has_entry(listing, "xl/workbook.bin")) return "xlsb";
    if (has_prefix(listing, "visio/")) return "ooxml_visio";
    // Word, Excel and PowerPoint belong to the ooxml module, which claims them by their
    // main part; what it does not claim is blocked here (a generic claim).
    return "ooxml_other";
  }
  if (has_entry(listing, "META-INF/MANIFEST.MF")) return "jar";
  return std::nullopt;
}

// --- OLE2 compound files, by what libmagic read from them -----------------------------

std::string ole_type(std::string_view mime) {
  if (mime == "application/msword") return "ole_doc";
  if (mime == "application/vnd.ms-excel") return "ole_xls";
  if (mime == "application/vnd.ms-powerpoint") return "ole_ppt";
  if (mime == "application/vnd.ms-outlook") return "ole_msg";
  if (mime == "application/encrypted") return "ole_encrypted";
  if (mime.starts_with("application/x-ichitaro")) return "ichitaro";
  if (mime == "application/x-hwp") return "hwp";
  return "ole2";
}

// --- text that is really another format ------------------------------------------------

constexpr std::string_view kWhitespace = "\t\n\f\r "sv;

std::string_view skip_bom_and_space(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF"sv)) text.remove_prefix(3);
  const auto first = text.find_first_not_of(kWhitespace);
  return first == std::string_view::npos ? std::string_view{} : text.substr(first);
}

// The HTML patterns browsers sniff for (WHATWG MIME Sniffing, "identifying an unknown
// MIME type"): each must be followed by a space or '>'.
bool looks_like_html(std::string_view text) {
  static constexpr std::array<std::string_view, 17> kPatterns{"<!DOCTYPE HTML",
                                                              "<HTML",
                                                              "<HEAD",
                                                              "<SCRIPT",
                                                              "<IFRAME",
                                                              "<H1",
                                                              "<DIV",
                                                              "<FONT",
                                                              "<TABLE",
                                                              "<A",
                                                              "<STYLE",
                                                              "<TITLE",
                                                              "<B",
                                                              "<BODY",
                                                              "<BR",
                                                              "<P",
                                                              "<!--"};
  const std::string_view start = skip_bom_and_space(text);
  for (const auto pattern : kPatterns) {
    if (istarts_with(start, pattern) && start.size() > pattern.size()) {
      const char next = start[pattern.size()];
      if (next == ' ' || next == '>' || (pattern == "<!--")) return true;
    }
  }
  return false;
}

// An RFC 5322 header block: header-shaped lines up to the first empty line, with at least
// two well-known mail headers among them.
bool looks_like_mail(std::string_view text) {
  static constexpr std::array<std::string_view, 17> kKnown{
      "from",        "to",        "cc",           "subject",      "date",
      "message-id",  "received",  "return-path",  "mime-version", "content-type",
      "reply-to",    "sender",    "delivered-to", "x-mailer",     "dkim-signature",
      "in-reply-to", "references"};
  int known = 0;
  bool first_line = true;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.empty()) break;
    if (first_line && line.starts_with("From ")) {  // mbox separator
      first_line = false;
      continue;
    }
    first_line = false;
    if (line.front() == ' ' || line.front() == '\t') continue;  // folded header
    const auto colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    const std::string_view field = line.substr(0, colon);
    if (!std::all_of(field.begin(), field.end(), [](char c) { return c > 32 && c < 127; })) {
      return false;
    }
    for (const auto name : kKnown) {
      if (iequals(field, name)) ++known;
    }
  }
  return known >= 2;
}

std::optional<std::string> text_container_type(const Probe& probe) {
  const std::string_view head = as_text(probe.bytes, 8192);
  const std::string_view start = skip_bom_and_space(head);
  if (start.starts_with("{\\rt")) return "rtf";
  if (looks_like_mail(head)) return "eml";
  if (istarts_with(start, "<svg") ||
      (istarts_with(start, "<?xml") && head.find("<svg") != std::string_view::npos)) {
    return "svg";
  }
  if (looks_like_html(head)) return "html";
  if (istarts_with(start, "<?xml")) return "xml";
  return std::nullopt;
}

class UnsupportedFormat final : public Format {
 public:
  std::string_view name() const override { return "unsupported"; }
  std::span<const TypeSpec> types() const override { return kTypes; }

  std::optional<Claim> claim(const Probe& probe) const override {
    const auto specific = [&](std::string type) {
      return Claim{std::move(type), ClaimStrength::specific, probe.description()};
    };
    switch (probe.family) {
      case Family::zip:
        if (auto listing = list_zip(probe.bytes)) {
          if (auto type = zip_container_type(*listing)) {
            if (*type == "ooxml_other") {
              return Claim{*type, ClaimStrength::generic, probe.description()};
            }
            return specific(*type);
          }
        }
        return std::nullopt;
      case Family::ole2:
        return specific(ole_type(probe.mime));
      case Family::rtf:
        return specific("rtf");
      case Family::mail:
        return specific("eml");
      case Family::html:
        return specific("html");
      case Family::xml:
        return specific(text_container_type(probe).value_or("xml"));
      case Family::image:
        return specific(probe.mime == "image/svg+xml" ? "svg" : "image");
      case Family::archive:
        return specific("archive");
      case Family::text:
        if (auto type = text_container_type(probe)) return specific(*type);
        return std::nullopt;
      case Family::unknown:
        // Only improves the message of a block: unrecognized bytes are blocked anyway.
        if (probe.declared_extension == "xdw" || probe.declared_extension == "xbd") {
          return Claim{"docuworks", ClaimStrength::generic, probe.description()};
        }
        return std::nullopt;
      case Family::pdf:
      case Family::empty:
      case Family::executable:
        return std::nullopt;
    }
    return std::nullopt;
  }
};

}  // namespace

const Format& unsupported_format() {
  static const UnsupportedFormat format;
  return format;
}

}  // namespace sanitize::formats
