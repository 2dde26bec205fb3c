// The invisible text layer of a rasterized page: poppler's words placed where they were,
// in text render mode 3, with a font that has no glyphs but maps every code to Unicode,
// so that search, copy and pdftotext find the words of the original page (Japanese too).
#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <map>
#include <string>
#include <vector>

namespace sanitize::formats::pdf {

// One word as poppler found it, in the page's displayed orientation: points from the
// top-left corner; `rotation` 0-3 is the writing direction in quarter turns clockwise.
struct PlacedWord {
  std::u32string text;
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
  int rotation = 0;
};

class TextLayerFont {
 public:
  // The content stream operators that draw `words` invisibly on a page `page_height`
  // points high, with the font named /F0. Assigns codes to new characters.
  std::string content(const std::vector<PlacedWord>& words, double page_height);
  bool used() const { return !codes_.empty(); }
  // The Type0 font (Identity-H, ToUnicode for every code used), made in `pdf`.
  QPDFObjectHandle make_font(QPDF& pdf) const;

 private:
  std::map<char32_t, unsigned> codes_;
  std::vector<char32_t> characters_;  // index = code - 1
};

}  // namespace sanitize::formats::pdf
