// The pages of a PDF as poppler draws them, for mode rasterize. Poppler and what it pulls
// in (freetype, fontconfig, lcms2, openjpeg, NSS...) live in a module of their own,
// libsanitize_poppler.so, loaded the first time a process needs it: a sandbox zygote whose
// policy never rasterizes does not map them, so that forking a worker for each file costs
// that much less, and a rebuild worker holds no poppler code at all.
//
// Nothing is thrown across the module's boundary: failures come back as text.
#pragma once

#include <cstdint>
#include <memory>
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

struct PageSize {
  double width_pt = 0;  // as displayed, rotation applied
  double height_pt = 0;
};

struct PagePicture {
  PageSize size;
  int width_px = 0;
  int height_px = 0;
  std::vector<std::uint8_t> rgb;  // height_px rows of width_px * 3 bytes
  std::vector<PlacedWord> words;  // filled when asked for
};

// One poppler document; not shared between threads.
class PopplerDocument {
 public:
  virtual ~PopplerDocument() = default;
  virtual int pages() const = 0;
  // false, with `error`, when the page cannot be read or drawn (the file is corrupt).
  virtual bool size(int index, PageSize& size, std::string& error) = 0;
  // At `dpi`, or lower where the picture would have more than `max_pixels`.
  virtual bool render(int index, double dpi, double max_pixels, bool with_words,
                      PagePicture& picture, std::string& error) = 0;
};

// Loads the module in this process now (a zygote does, before it forks workers whose
// sandbox could not read it). Returns an empty string or why it cannot be loaded.
std::string load_poppler();

// nullptr, with `error`, when the module cannot be loaded or poppler cannot open `pdf`.
std::unique_ptr<PopplerDocument> open_with_poppler(const std::vector<std::uint8_t>& pdf,
                                                   std::string& error);

// The module's one entry point, looked up by name.
using OpenWithPoppler = PopplerDocument* (*)(const std::uint8_t* pdf, std::size_t size,
                                             std::string* error);
inline constexpr const char* kPopplerModule = "libsanitize_poppler.so";
inline constexpr const char* kPopplerEntry = "sanitize_open_with_poppler";

}  // namespace sanitize::formats::pdf
