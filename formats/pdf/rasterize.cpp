#include "formats/pdf/rasterize.hpp"

#include <libdeflate.h>
#include <turbojpeg.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <fmt/format.h>
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "formats/pdf/poppler_pages.hpp"
#include "formats/pdf/qpdf_document.hpp"
#include "formats/pdf/text_layer.hpp"

namespace sanitize::formats::pdf {
namespace {

// Pixels of one page picture; bigger pages are rendered at a lower resolution. Rendering
// holds about 7 bytes a pixel (poppler's bitmap, the copy it hands over, the encoded
// picture), per thread.
constexpr double kMaxPagePixels = 24e6;

struct RenderedPage {
  double width_pt = 0;  // as displayed, rotation applied
  double height_pt = 0;
  int width_px = 0;
  int height_px = 0;
  std::vector<std::uint8_t> encoded;  // DCT or zlib data of the RGB picture
  std::vector<std::uint8_t> content;  // zlib data of the page's operators and text layer
};

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

// One rendering thread: its own poppler document (documents are not shared between
// threads), its own encoders.
class PageRenderer {
 public:
  PageRenderer(const std::vector<std::uint8_t>& pdf, const PdfOptions& options)
      : options_(options) {
    std::string error;
    document_ = open_with_poppler(pdf, error);
    if (!document_) throw Unrenderable(error);
  }

  RenderedPage render(int index) {
    std::string error;
    PagePicture picture;
    if (!document_->render(index, options_.dpi, kMaxPagePixels, options_.text_layer, picture,
                           error)) {
      throw Unrenderable(error);
    }
    RenderedPage result;
    result.width_pt = picture.size.width_pt;
    result.height_pt = picture.size.height_pt;
    result.width_px = picture.width_px;
    result.height_px = picture.height_px;
    result.encoded = options_.raster_encoding == RasterEncoding::jpeg
                         ? jpeg(picture)
                         : deflate(picture.rgb.data(), picture.rgb.size());
    std::string operators =
        fmt::format("q {:.4f} 0 0 {:.4f} 0 0 cm /Im0 Do Q\n", result.width_pt, result.height_pt);
    if (options_.text_layer) operators += text_layer_content(picture.words, result.height_pt);
    result.content =
        deflate(reinterpret_cast<const std::uint8_t*>(operators.data()), operators.size());
    return result;
  }

 private:
  std::vector<std::uint8_t> deflate(const std::uint8_t* data, std::size_t size) {
    if (!deflate_) deflate_.reset(libdeflate_alloc_compressor(6));
    if (!deflate_) throw std::bad_alloc();
    std::vector<std::uint8_t> out(libdeflate_zlib_compress_bound(deflate_.get(), size));
    out.resize(libdeflate_zlib_compress(deflate_.get(), data, size, out.data(), out.size()));
    if (out.empty()) throw std::runtime_error("deflate failed");
    return out;
  }

  std::vector<std::uint8_t> jpeg(const PagePicture& picture) {
    if (!jpeg_) jpeg_.reset(tjInitCompress());
    if (!jpeg_) throw std::runtime_error("tjInitCompress failed");
    unsigned char* raw = nullptr;
    unsigned long size = 0;
    const int status =
        tjCompress2(jpeg_.get(), picture.rgb.data(), picture.width_px, picture.width_px * 3,
                    picture.height_px, TJPF_RGB, &raw, &size, TJSAMP_420, options_.jpeg_quality, 0);
    std::unique_ptr<unsigned char, TjFree> owned(raw);
    if (status != 0) throw std::runtime_error(std::string("JPEG: ") + tjGetErrorStr2(jpeg_.get()));
    return std::vector<std::uint8_t>(raw, raw + size);
  }

  const PdfOptions& options_;
  std::unique_ptr<PopplerDocument> document_;
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
  if (const std::string missing = load_poppler(); !missing.empty()) {
    host.stop(StopReason::internal_error, "pdf: rasterize: " + missing);
  }
  std::vector<PageSize> sizes;
  {
    std::string error;
    const std::unique_ptr<PopplerDocument> document = open_with_poppler(clean, error);
    if (!document) host.stop(StopReason::corrupt, error);
    for (int index = 0; index < document->pages(); ++index) {
      PageSize size;
      if (!document->size(index, size, error)) host.stop(StopReason::corrupt, error);
      sizes.push_back(size);
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
