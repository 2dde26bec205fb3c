// The invisible text layer of a rasterized page: poppler's words placed where they were,
// in text render mode 3, with a font that has no glyphs but maps every code to Unicode,
// so that search, copy and pdftotext find the words of the original page (Japanese too).
#pragma once

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>

#include <string>
#include <vector>

#include "formats/pdf/poppler_pages.hpp"

namespace sanitize::formats::pdf {

// The content stream operators that draw `words` invisibly on a page `page_height` points
// high, with the font named /F0. A character's code is its UTF-16 code unit; characters
// outside the Basic Multilingual Plane are left out of the layer.
std::string text_layer_content(const std::vector<PlacedWord>& words, double page_height);

// The Type0 font of the layer, made in `pdf`: Identity-H, no glyphs, a ToUnicode map from
// every code to the same code unit. The same for every document, so that it can be
// written before any page is rendered.
QPDFObjectHandle make_text_layer_font(QPDF& pdf);

}  // namespace sanitize::formats::pdf
