#include "formats/pdf/rasterize.hpp"

#include <libdeflate.h>
#include <turbojpeg.h>
#include <qpdf/Buffer.hh>
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
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
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
  std::vector<PlacedWord> words;
};

void ignore_poppler_message(const std::string&, void*) {}

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
  PageRenderer(std::span<const std::uint8_t> pdf, const PdfOptions& options)
      : options_(options),
        document_(poppler::document::load_from_raw_data(reinterpret_cast<const char*>(pdf.data()),
                                                        static_cast<int>(pdf.size()))) {
    if (!document_ || document_->is_locked()) {
      throw Blocked(BlockReason::corrupt, "pdf: poppler cannot open the rebuilt document");
    }
    renderer_.set_render_hint(poppler::page_renderer::antialiasing, true);
    renderer_.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    renderer_.set_image_format(poppler::image::format_rgb24);
  }

  RenderedPage render(int index) {
    std::unique_ptr<poppler::page> page(document_->create_page(index));
    if (!page)
      throw Blocked(BlockReason::corrupt, fmt::format("pdf: page {} is unreadable", index + 1));
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
      throw Blocked(BlockReason::corrupt,
                    fmt::format("pdf: page {} cannot be rendered", index + 1));
    }
    result.width_px = picture.width();
    result.height_px = picture.height();
    result.encoded =
        options_.raster_encoding == RasterEncoding::jpeg ? jpeg(picture) : flate(picture);
    if (options_.text_layer) {
      for (const poppler::text_box& box_of_word : page->text_list()) {
        PlacedWord word;
        word.text = code_points(box_of_word.text());
        if (word.text.empty()) continue;
        const poppler::rectf r = box_of_word.bbox();
        word.x = r.x();
        word.y = r.y();
        word.width = r.width();
        word.height = r.height();
        word.rotation = box_of_word.rotation();
        result.words.push_back(std::move(word));
      }
    }
    return result;
  }

 private:
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
    if (!deflate_) deflate_.reset(libdeflate_alloc_compressor(6));
    if (!deflate_) throw std::bad_alloc();
    const std::size_t row = static_cast<std::size_t>(picture.width()) * 3;
    std::vector<std::uint8_t> pixels(row * static_cast<std::size_t>(picture.height()));
    for (int y = 0; y < picture.height(); ++y) {
      std::memcpy(pixels.data() + row * static_cast<std::size_t>(y),
                  picture.const_data() + static_cast<std::size_t>(picture.bytes_per_row()) * y,
                  row);
    }
    std::vector<std::uint8_t> out(libdeflate_zlib_compress_bound(deflate_.get(), pixels.size()));
    out.resize(libdeflate_zlib_compress(deflate_.get(), pixels.data(), pixels.size(), out.data(),
                                        out.size()));
    if (out.empty()) throw std::runtime_error("deflate failed");
    return out;
  }

  const PdfOptions& options_;
  std::unique_ptr<poppler::document> document_;
  poppler::page_renderer renderer_;
  std::unique_ptr<void, TjDestroy> jpeg_;
  std::unique_ptr<libdeflate_compressor, DeflateFree> deflate_;
};

std::shared_ptr<Buffer> buffer_of(std::vector<std::uint8_t>&& bytes) {
  auto buffer = std::make_shared<Buffer>(bytes.size());
  if (!bytes.empty()) std::memcpy(buffer->getBuffer(), bytes.data(), bytes.size());
  std::vector<std::uint8_t>().swap(bytes);
  return buffer;
}

// Renders every page, `threads` at once; the calling thread takes part and watches the
// deadline. The first failure stops every thread and is rethrown here.
std::vector<RenderedPage> render_all(std::span<const std::uint8_t> clean, int pages,
                                     unsigned threads, Context& ctx, const PdfOptions& options) {
  std::vector<RenderedPage> rendered(static_cast<std::size_t>(pages));
  std::atomic<int> next{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  const auto work = [&](bool watch_deadline) {
    try {
      PageRenderer renderer(clean, options);
      for (int index = next++; index < pages && !stop; index = next++) {
        if (watch_deadline) ctx.check_deadline();
        rendered[static_cast<std::size_t>(index)] = renderer.render(index);
      }
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
  };
  std::vector<std::jthread> helpers;
  for (unsigned i = 1; i < threads; ++i) helpers.emplace_back(work, false);
  work(true);
  helpers.clear();
  if (failure) std::rethrow_exception(failure);
  return rendered;
}

}  // namespace

void rasterize(std::span<const std::uint8_t> clean, Context& ctx, const PdfOptions& options,
               std::vector<std::uint8_t>& out) {
  static const bool quiet = [] {
    poppler::set_debug_error_function(ignore_poppler_message, nullptr);
    return true;
  }();
  (void)quiet;
  int pages = 0;
  {
    const std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(
        reinterpret_cast<const char*>(clean.data()), static_cast<int>(clean.size())));
    if (!document || document->is_locked()) {
      throw Blocked(BlockReason::corrupt, "pdf: poppler cannot open the rebuilt document");
    }
    pages = document->pages();
  }
  unsigned threads = options.render_threads > 0 ? static_cast<unsigned>(options.render_threads)
                                                : std::max(1u, std::thread::hardware_concurrency());
  threads = std::min(threads, static_cast<unsigned>(std::max(pages, 1)));
  std::vector<RenderedPage> rendered = render_all(clean, pages, threads, ctx, options);

  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper page_helper(pdf);
  TextLayerFont font;
  std::vector<QPDFObjectHandle> resources;
  for (RenderedPage& page : rendered) {
    QPDFObjectHandle image = pdf.newStream(buffer_of(std::move(page.encoded)));
    QPDFObjectHandle image_dict = image.getDict();
    image_dict.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
    image_dict.replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
    image_dict.replaceKey("/Width", QPDFObjectHandle::newInteger(page.width_px));
    image_dict.replaceKey("/Height", QPDFObjectHandle::newInteger(page.height_px));
    image_dict.replaceKey("/ColorSpace", QPDFObjectHandle::newName("/DeviceRGB"));
    image_dict.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(8));
    image_dict.replaceKey("/Filter",
                          QPDFObjectHandle::newName(options.raster_encoding == RasterEncoding::jpeg
                                                        ? "/DCTDecode"
                                                        : "/FlateDecode"));
    std::string content =
        fmt::format("q {:.4f} 0 0 {:.4f} 0 0 cm /Im0 Do Q\n", page.width_pt, page.height_pt);
    content += font.content(page.words, page.height_pt);
    std::vector<PlacedWord>().swap(page.words);

    QPDFObjectHandle resource = QPDFObjectHandle::newDictionary();
    QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
    xobjects.replaceKey("/Im0", image);
    resource.replaceKey("/XObject", xobjects);
    QPDFObjectHandle page_dict = QPDFObjectHandle::newDictionary();
    page_dict.replaceKey("/Type", QPDFObjectHandle::newName("/Page"));
    page_dict.replaceKey("/MediaBox", QPDFObjectHandle::newArray(QPDFObjectHandle::Rectangle(
                                          0, 0, page.width_pt, page.height_pt)));
    page_dict.replaceKey("/Resources", resource);
    page_dict.replaceKey("/Contents", pdf.newStream(content));
    resources.push_back(resource);
    page_helper.addPage(QPDFPageObjectHelper(pdf.makeIndirectObject(page_dict)), false);
    ctx.check_deadline();
  }
  if (font.used()) {
    QPDFObjectHandle fonts = QPDFObjectHandle::newDictionary();
    fonts.replaceKey("/F0", font.make_font(pdf));
    fonts = pdf.makeIndirectObject(fonts);
    for (QPDFObjectHandle& resource : resources) resource.replaceKey("/Font", fonts);
  }
  rendered.clear();

  VectorPipeline sink(out);
  QPDFWriter writer(pdf);
  writer.setOutputPipeline(&sink);
  writer.setDeterministicID(true);
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setCompressStreams(true);
  writer.setObjectStreamMode(qpdf_o_generate);
  writer.write();
}

}  // namespace sanitize::formats::pdf
