// libsanitize_poppler.so: poppler behind PopplerDocument (poppler_pages.hpp). Every call
// catches what poppler or the allocator throws and answers with text instead.
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <string>

#include "formats/pdf/poppler_pages.hpp"

namespace sanitize::formats::pdf {
namespace {

void ignore_poppler_message(const std::string&, void*) {}

PageSize display_size(const poppler::page& page) {
  const poppler::rectf box = page.page_rect(poppler::crop_box);
  const auto turned = page.orientation();
  const bool sideways = turned == poppler::page::landscape || turned == poppler::page::seascape;
  return sideways ? PageSize{box.height(), box.width()} : PageSize{box.width(), box.height()};
}

// Poppler's UTF-16 as code points, without spaces, controls and lone surrogates.
std::u32string code_points(const poppler::ustring& text) {
  std::u32string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char32_t unit = text[i];
    if (unit >= 0xD800 && unit < 0xDC00 && i + 1 < text.size() && text[i + 1] >= 0xDC00 &&
        text[i + 1] < 0xE000) {
      unit = 0x10000 + ((unit - 0xD800) << 10) + (text[i + 1] - 0xDC00);
      ++i;
    }
    if (unit > 0x20 && unit != 0x7F && !(unit >= 0xD800 && unit < 0xE000)) out += unit;
  }
  return out;
}

std::vector<PlacedWord> words_of(const poppler::page& page) {
  std::vector<PlacedWord> words;
  for (const poppler::text_box& box : page.text_list()) {
    PlacedWord word;
    word.text = code_points(box.text());
    if (word.text.empty()) continue;
    const poppler::rectf r = box.bbox();
    word.x = r.x();
    word.y = r.y();
    word.width = r.width();
    word.height = r.height();
    word.rotation = box.rotation();
    words.push_back(std::move(word));
  }
  return words;
}

std::string page_error(int index, const char* what) {
  return "pdf: page " + std::to_string(index + 1) + " " + what;
}

class Document final : public PopplerDocument {
 public:
  explicit Document(std::unique_ptr<poppler::document> document) : document_(std::move(document)) {
    renderer_.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer_.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer_.set_image_format(poppler::image::format_rgb24);
  }

  int pages() const override { return document_->pages(); }

  bool size(int index, PageSize& size, std::string& error) override {
    try {
      const std::unique_ptr<poppler::page> page(document_->create_page(index));
      if (!page) {
        error = page_error(index, "is unreadable");
        return false;
      }
      size = display_size(*page);
      return true;
    } catch (const std::exception& thrown) {
      error = thrown.what();
      return false;
    }
  }

  bool render(int index, double dpi, double max_pixels, bool with_words, PagePicture& picture,
              std::string& error) override {
    try {
      const std::unique_ptr<poppler::page> page(document_->create_page(index));
      if (!page) {
        error = page_error(index, "is unreadable");
        return false;
      }
      picture.size = display_size(*page);
      const double pixels =
          (picture.size.width_pt * dpi / 72) * (picture.size.height_pt * dpi / 72);
      if (pixels > max_pixels) dpi *= std::sqrt(max_pixels / pixels);
      const poppler::image image = renderer_.render_page(page.get(), dpi, dpi);
      if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
        error = page_error(index, "cannot be rendered");
        return false;
      }
      // format_rgb24: 3 bytes a pixel, rows padded to bytes_per_row.
      picture.width_px = image.width();
      picture.height_px = image.height();
      const std::size_t row = static_cast<std::size_t>(image.width()) * 3;
      picture.rgb.resize(row * static_cast<std::size_t>(image.height()));
      for (int y = 0; y < image.height(); ++y) {
        std::memcpy(picture.rgb.data() + row * static_cast<std::size_t>(y),
                    image.const_data() + static_cast<std::size_t>(image.bytes_per_row()) * y, row);
      }
      if (with_words) picture.words = words_of(*page);
      return true;
    } catch (const std::exception& thrown) {
      error = thrown.what();
      return false;
    }
  }

 private:
  std::unique_ptr<poppler::document> document_;
  poppler::page_renderer renderer_;
};

}  // namespace
}  // namespace sanitize::formats::pdf

extern "C" __attribute__((visibility("default"))) sanitize::formats::pdf::PopplerDocument*
sanitize_open_with_poppler(const std::uint8_t* pdf, std::size_t size, std::string* error) {
  using namespace sanitize::formats::pdf;
  try {
    static const bool quiet = [] {
      poppler::set_debug_error_function(ignore_poppler_message, nullptr);
      return true;
    }();
    (void)quiet;
    std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(pdf), static_cast<int>(size)));
    if (!document || document->is_locked()) {
      *error = "pdf: poppler cannot open the rebuilt document";
      return nullptr;
    }
    return new Document(std::move(document));
  } catch (const std::exception& thrown) {
    *error = thrown.what();
    return nullptr;
  }
}
