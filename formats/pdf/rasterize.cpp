#include "formats/pdf/rasterize.hpp"

#include <libdeflate.h>
#include <turbojpeg.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "formats/pdf/qpdf_document.hpp"
#include "formats/pdf/text_layer.hpp"

namespace sanitize::formats::pdf {
namespace {

// Pixels of one page picture; bigger pages are rendered at a lower resolution. Rendering
// holds about 7 bytes a pixel (poppler's bitmap and the picture), per thread.
constexpr double kMaxPagePixels = 24e6;

struct RenderedPage {
  double width_pt = 0;  // as displayed, rotation applied
  double height_pt = 0;
  int width_px = 0;
  int height_px = 0;
  std::vector<std::uint8_t> encoded;  // DCT or zlib data of the RGB picture
  std::vector<std::uint8_t> content;  // zlib data of the page's operators and text layer
};

struct PageSize {
  double width_pt = 0;  // as displayed, rotation applied
  double height_pt = 0;
};

PageSize display_size(const poppler::page& page) {
  const poppler::rectf box = page.page_rect(poppler::crop_box);
  const auto turned = page.orientation();
  const bool sideways = turned == poppler::page::landscape || turned == poppler::page::seascape;
  return sideways ? PageSize{box.height(), box.width()} : PageSize{box.width(), box.height()};
}

void ignore_poppler_message(const std::string&, void*) {}

// A page poppler cannot open or render: the file is corrupt.
struct Unrenderable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct TjDestroy {
  void operator()(void* handle) const { tjDestroy(handle); }
};
struct TjFree {
  void operator()(unsigned char* buffer) const { tjFree(buffer); }
};
struct DeflateFree {
  void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
};

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

// One rendering thread: its own poppler document (documents are not shared between
// threads), its own encoders.
class PageRenderer {
 public:
  PageRenderer(const std::vector<std::uint8_t>& pdf, const PdfOptions& options)
      : options_(options),
        document_(poppler::document::load_from_raw_data(reinterpret_cast<const char*>(pdf.data()),
                                                        static_cast<int>(pdf.size()))) {
    if (!document_ || document_->is_locked()) {
      throw Unrenderable("pdf: poppler cannot open the rebuilt document");
    }
    renderer_.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer_.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer_.set_image_format(poppler::image::format_rgb24);
  }

  RenderedPage render(int index) {
    std::unique_ptr<poppler::page> page(document_->create_page(index));
    if (!page) throw Unrenderable(fmt::format("pdf: page {} is unreadable", index + 1));
    RenderedPage result;
    const poppler::rectf box = page->page_rect(poppler::crop_box);
    const auto turned = page->orientation();
    const bool sideways = turned == poppler::page::landscape || turned == poppler::page::seascape;
    result.width_pt = sideways ? box.height() : box.width();
    result.height_pt = sideways ? box.width() : box.height();
    double dpi = options_.dpi;
    const double pixels = (result.width_pt * dpi / 72) * (result.height_pt * dpi / 72);
    if (pixels > kMaxPagePixels) dpi *= std::sqrt(kMaxPagePixels / pixels);
    const poppler::image picture = renderer_.render_page(page.get(), dpi, dpi);
    if (!picture.is_valid() || picture.width() <= 0 || picture.height() <= 0) {
      throw Unrenderable(fmt::format("pdf: page {} cannot be rendered", index + 1));
    }
    result.width_px = picture.width();
    result.height_px = picture.height();
    result.encoded =
        options_.raster_encoding == RasterEncoding::jpeg ? jpeg(picture) : flate(picture);
    std::string operators =
        fmt::format("q {:.4f} 0 0 {:.4f} 0 0 cm /Im0 Do Q\n", result.width_pt, result.height_pt);
    if (options_.text_layer) operators += text_layer_content(words_of(*page), result.height_pt);
    result.content =
        deflate(reinterpret_cast<const std::uint8_t*>(operators.data()), operators.size());
    return result;
  }

 private:
  static std::vector<PlacedWord> words_of(const poppler::page& page) {
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

  std::vector<std::uint8_t> deflate(const std::uint8_t* data, std::size_t size) {
    if (!deflate_) deflate_.reset(libdeflate_alloc_compressor(6));
    if (!deflate_) throw std::bad_alloc();
    std::vector<std::uint8_t> out(libdeflate_zlib_compress_bound(deflate_.get(), size));
    out.resize(libdeflate_zlib_compress(deflate_.get(), data, size, out.data(), out.size()));
    if (out.empty()) throw std::runtime_error("deflate failed");
    return out;
  }

  std::vector<std::uint8_t> jpeg(const poppler::image& picture) {
    if (!jpeg_) jpeg_.reset(tjInitCompress());
    if (!jpeg_) throw std::runtime_error("tjInitCompress failed");
    unsigned char* raw = nullptr;
    unsigned long size = 0;
    const int status =
        tjCompress2(jpeg_.get(), reinterpret_cast<const unsigned char*>(picture.const_data()),
                    picture.width(), picture.bytes_per_row(), picture.height(), TJPF_RGB, &raw,
                    &size, TJSAMP_420, options_.jpeg_quality, 0);
    std::unique_ptr<unsigned char, TjFree> owned(raw);
    if (status != 0) throw std::runtime_error(std::string("JPEG: ") + tjGetErrorStr2(jpeg_.get()));
    return std::vector<std::uint8_t>(raw, raw + size);
  }

  std::vector<std::uint8_t> flate(const poppler::image& picture) {
    const std::size_t row = static_cast<std::size_t>(picture.width()) * 3;
    std::vector<std::uint8_t> pixels(row * static_cast<std::size_t>(picture.height()));
    for (int y = 0; y < picture.height(); ++y) {
      std::memcpy(pixels.data() + row * static_cast<std::size_t>(y),
                  picture.const_data() + static_cast<std::size_t>(picture.bytes_per_row()) * y,
                  row);
    }
    return deflate(pixels.data(), pixels.size());
  }

  const PdfOptions& options_;
  std::unique_ptr<poppler::document> document_;
  poppler::page_renderer renderer_;
  std::unique_ptr<void, TjDestroy> jpeg_;
  std::unique_ptr<libdeflate_compressor, DeflateFree> deflate_;
};

// Pages rendered ahead of the writer by a few threads, handed to the writer in order as
// it asks for each page's picture and text layer, and forgotten once both are written: the
// memory held is that of a few pages, whatever the page count.
class PageFeed final : public QPDFObjectHandle::StreamDataProvider {
 public:
  PageFeed(QPDF& pdf, const std::vector<std::uint8_t>& clean, int pages, unsigned threads,
           Host& host, const PdfOptions& options)
      : StreamDataProvider(false),
        pdf_(pdf),
        clean_(clean),
        host_(host),
        options_(options),
        slots_(static_cast<std::size_t>(pages)),
        window_(2 * threads) {
    for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
  }
  ~PageFeed() override { stop(); }

  // The stream `og` is page `page`'s picture, or its operators and text layer.
  void register_stream(QPDFObjGen og, int page, bool picture) {
    streams_.emplace(og, Target{og, page, picture});
  }

  void provideStreamData(QPDFObjGen const& og, Pipeline* pipeline) override {
    try {
      host_.check_deadline();
      const Target& target = streams_.at(og);
      std::unique_lock lock(mutex_);
      Slot& slot = slots_.at(static_cast<std::size_t>(target.page));
      ready_.wait(lock, [&] { return slot.page.has_value() || slot.released || failure_; });
      if (failure_) std::rethrow_exception(failure_);
      if (slot.released) {
        // qpdf asked twice: render that page again, here.
        lock.unlock();
        write_part(again(target.page), target, pipeline);
        return;
      }
      write_part(*slot.page, target, pipeline);
      (target.picture ? slot.picture_taken : slot.content_taken) = true;
      if (slot.picture_taken && slot.content_taken) {
        slot.page.reset();
        slot.released = true;
        ++released_;
        room_.notify_all();
      }
    } catch (const Unrenderable& error) {
      stop();
      host_.stop(StopReason::corrupt, error.what());
    } catch (const std::runtime_error& error) {
      // Never let a runtime_error out: QPDFWriter would take it for damaged data and retry.
      stop();
      host_.stop(StopReason::internal_error, std::string("pdf: rasterize: ") + error.what());
    } catch (...) {
      stop();  // a block from the host, out of memory
      throw;
    }
  }

 private:
  struct Target {
    QPDFObjGen og;
    int page;
    bool picture;
  };
  struct Slot {
    std::optional<RenderedPage> page;
    bool picture_taken = false;
    bool content_taken = false;
    bool released = false;
  };

  void write_part(const RenderedPage& page, const Target& target, Pipeline* pipeline) {
    if (target.picture) {
      // The picture's size is known once it is rendered: qpdf writes the dictionary after
      // it has the data.
      QPDFObjectHandle dict = pdf_.getObjectByObjGen(target.og).getDict();
      dict.replaceKey("/Width", QPDFObjectHandle::newInteger(page.width_px));
      dict.replaceKey("/Height", QPDFObjectHandle::newInteger(page.height_px));
      pipeline->write(page.encoded.data(), page.encoded.size());
    } else {
      pipeline->write(reinterpret_cast<const unsigned char*>(page.content.data()),
                      page.content.size());
    }
    pipeline->finish();
  }

  RenderedPage again(int index) {
    PageRenderer renderer(clean_, options_);
    return renderer.render(index);
  }

  void work() {
    try {
      PageRenderer renderer(clean_, options_);
      while (true) {
        int index = 0;
        {
          std::unique_lock lock(mutex_);
          room_.wait(lock, [&] {
            return stopping_ || next_ >= static_cast<int>(slots_.size()) ||
                   next_ < released_ + static_cast<int>(window_);
          });
          if (stopping_ || next_ >= static_cast<int>(slots_.size())) return;
          index = next_++;
        }
        RenderedPage page = renderer.render(index);
        const std::lock_guard lock(mutex_);
        slots_[static_cast<std::size_t>(index)].page = std::move(page);
        ready_.notify_all();
      }
    } catch (...) {
      const std::lock_guard lock(mutex_);
      if (!failure_) failure_ = std::current_exception();
      ready_.notify_all();
    }
  }

  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
      room_.notify_all();
    }
    for (std::thread& worker : workers_) {
      if (worker.joinable()) worker.join();
    }
  }

  QPDF& pdf_;  // not the streams themselves: they hold this provider
  const std::vector<std::uint8_t>& clean_;
  Host& host_;
  const PdfOptions& options_;
  std::map<QPDFObjGen, Target> streams_;
  std::mutex mutex_;
  std::condition_variable ready_;  // a page was rendered, or a thread failed
  std::condition_variable room_;   // a page was released, or stop
  std::vector<Slot> slots_;
  std::size_t window_;
  int next_ = 0;      // the next page a thread takes
  int released_ = 0;  // pages written and forgotten
  bool stopping_ = false;
  std::exception_ptr failure_;
  std::vector<std::thread> workers_;
};

}  // namespace

void rasterize(const std::vector<std::uint8_t>& clean, Host& host, const PdfOptions& options,
               std::vector<std::uint8_t>& out) {
  static const bool quiet = [] {
    poppler::set_debug_error_function(ignore_poppler_message, nullptr);
    return true;
  }();
  (void)quiet;
  std::vector<PageSize> sizes;
  {
    const std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(clean.data()), static_cast<int>(clean.size())));
    if (!document || document->is_locked()) {
      throw Unrenderable("pdf: poppler cannot open the rebuilt document");
    }
    for (int index = 0; index < document->pages(); ++index) {
      const std::unique_ptr<poppler::page> page(document->create_page(index));
      if (!page) throw Unrenderable(fmt::format("pdf: page {} is unreadable", index + 1));
      sizes.push_back(display_size(*page));
    }
  }
  const int pages = static_cast<int>(sizes.size());
  unsigned threads = options.render_threads > 0 ? static_cast<unsigned>(options.render_threads)
                                                : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, static_cast<unsigned>(std::max(pages, 1)));

  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper page_helper(pdf);
  auto feed = std::make_shared<PageFeed>(pdf, clean, pages, threads, host, options);
  QPDFObjectHandle fonts = QPDFObjectHandle::newDictionary();
  if (options.text_layer) {
    fonts.replaceKey("/F0", make_text_layer_font(pdf));
    fonts = pdf.makeIndirectObject(fonts);
  }
  const QPDFObjectHandle picture_filter = QPDFObjectHandle::newName(
      options.raster_encoding == RasterEncoding::jpeg ? "/DCTDecode" : "/FlateDecode");
  for (int index = 0; index < pages; ++index) {
    QPDFObjectHandle image = pdf.newStream();
    QPDFObjectHandle image_dict = image.getDict();
    image_dict.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
    image_dict.replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
    image_dict.replaceKey("/ColorSpace", QPDFObjectHandle::newName("/DeviceRGB"));
    image_dict.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(8));
    image.replaceStreamData(feed, picture_filter, QPDFObjectHandle::newNull());
    image.setFilterOnWrite(false);
    feed->register_stream(image.getObjGen(), index, true);

    QPDFObjectHandle content = pdf.newStream();
    content.replaceStreamData(feed, QPDFObjectHandle::newName("/FlateDecode"),
                              QPDFObjectHandle::newNull());
    content.setFilterOnWrite(false);
    feed->register_stream(content.getObjGen(), index, false);

    QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
    QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
    xobjects.replaceKey("/Im0", image);
    resources.replaceKey("/XObject", xobjects);
    if (options.text_layer) resources.replaceKey("/Font", fonts);
    QPDFObjectHandle page = QPDFObjectHandle::newDictionary();
    page.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
    const PageSize& size = sizes[static_cast<std::size_t>(index)];
    page.replaceKey("/MediaBox", QPDFObjectHandle::newArray(QPDFObjectHandle::Rectangle(
                                     0, 0, size.width_pt, size.height_pt)));
    page.replaceKey("/Resources", resources);
    page.replaceKey("/Contents", content);
    page_helper.addPage(QPDFPageObjectHelper(pdf.makeIndirectObject(page)), false);
  }

  // The pictures and operators arrive compressed, through the provider.
  write_pdf(pdf, qpdf_o_generate, out);
}

}  // namespace sanitize::formats::pdf
