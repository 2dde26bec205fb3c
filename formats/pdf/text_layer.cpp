#include "formats/pdf/text_layer.hpp"

#include <fmt/format.h>

#include <iterator>

namespace sanitize::formats::pdf {
namespace {

// bfrange entries per block, as the CMap format allows.
constexpr unsigned kCMapBlock = 100;
constexpr std::string_view kFontName = "/SanitizeTextLayer";

// Direction of the baseline and of "up" in PDF space (y up) for each writing direction.
struct Frame {
  double dx, dy, ux, uy;
};
constexpr Frame kFrames[4] = {{1, 0, 0, 1}, {0, -1, 1, 0}, {-1, 0, 0, -1}, {0, 1, -1, 0}};

}  // namespace

std::string text_layer_content(const std::vector<PlacedWord>& words, double page_height) {
  std::string out;
  for (const PlacedWord& word : words) {
    std::string hex;
    for (const char32_t c : word.text) {
      if (c < 0x10000 && (c < 0xD800 || c > 0xDFFF)) {
        hex += fmt::format("{:04X}", static_cast<unsigned>(c));
      }
    }
    if (hex.empty()) continue;
    const int rotation = ((word.rotation % 4) + 4) % 4;
    const bool vertical = rotation % 2 == 1;
    const double length = vertical ? word.height : word.width;
    const double size = vertical ? word.width : word.height;
    if (length <= 0 || size <= 0) continue;
    // The start of the baseline, at the box's edge where the glyphs' feet are.
    double ox = word.x, oy = word.y + word.height;
    switch (rotation) {
      case 1:
        oy = word.y;
        break;
      case 2:
        ox = word.x + word.width;
        oy = word.y;
        break;
      case 3:
        ox = word.x + word.width;
        break;
      default:
        break;
    }
    const Frame& f = kFrames[rotation];
    const double scale = 100.0 * length / (static_cast<double>(hex.size() / 4) * size);
    fmt::format_to(std::back_inserter(out),
                   "/F0 {:.2f} Tf {:.2f} Tz {} {} {} {} {:.2f} {:.2f} Tm <{}> Tj\n", size, scale,
                   f.dx, f.dy, f.ux, f.uy, ox, page_height - oy, hex);
  }
  if (out.empty()) return out;
  return "BT 3 Tr\n" + out + "ET\n";
}

QPDFObjectHandle make_text_layer_font(QPDF& pdf) {
  std::vector<unsigned> rows;  // high bytes of the code units that are characters
  for (unsigned high = 0; high <= 0xFF; ++high) {
    if (high < 0xD8 || high > 0xDF) rows.push_back(high);
  }
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  for (std::size_t start = 0; start < rows.size(); start += kCMapBlock) {
    const std::size_t end = std::min<std::size_t>(rows.size(), start + kCMapBlock);
    fmt::format_to(std::back_inserter(cmap), "{} beginbfrange\n", end - start);
    for (std::size_t i = start; i < end; ++i) {
      fmt::format_to(std::back_inserter(cmap), "<{0:02X}00> <{0:02X}FF> <{0:02X}00>\n", rows[i]);
    }
    cmap += "endbfrange\n";
  }
  cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  QPDFObjectHandle to_unicode = pdf.newStream(cmap);

  QPDFObjectHandle descriptor = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      fmt::format("<< /Type /FontDescriptor /FontName {} /Flags 4 /FontBBox [0 -200 1000 800] "
                  "/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
                  kFontName)));
  QPDFObjectHandle descendant = QPDFObjectHandle::parse(fmt::format(
      "<< /Type /Font /Subtype /CIDFontType2 /BaseFont {} /CIDSystemInfo << /Registry (Adobe) "
      "/Ordering (Identity) /Supplement 0 >> /DW 1000 /CIDToGIDMap /Identity >>",
      kFontName));
  descendant.replaceKey("/FontDescriptor", descriptor);
  QPDFObjectHandle font = QPDFObjectHandle::parse(fmt::format(
      "<< /Type /Font /Subtype /Type0 /BaseFont {} /Encoding /Identity-H >>", kFontName));
  font.replaceKey("/DescendantFonts",
                  QPDFObjectHandle::newArray({pdf.makeIndirectObject(descendant)}));
  font.replaceKey("/ToUnicode", to_unicode);
  return pdf.makeIndirectObject(font);
}

}  // namespace sanitize::formats::pdf
