#include "bench/pdf_scaling.hpp"

#include <fcntl.h>
#include <turbojpeg.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench/child_process.hpp"
#include "bench/figures.hpp"
#include "formats/pdf/raw_pdf.hpp"
#include "sanitize/defaults.hpp"
#include "sanitize/unique_fd.hpp"

namespace sanitize::bench {
namespace {

namespace fs = std::filesystem;
using formats::pdf::testing::flate;
using formats::pdf::testing::RawPdf;

constexpr int kDpi = 150;
// Slow peers and our rasterize run on files up to this many pages; they scale linearly.
constexpr int kSlowPageLimit = 100;
constexpr std::chrono::minutes kRunLimit(15);
constexpr std::string_view kRasterizePolicy = "[formats.pdf]\nmode = \"rasterize\"\n";

struct PdfInput {
  fs::path path;
  int pages = 0;
  std::uint64_t size = 0;
};

// A page of office text: twenty lines of a dozen words, Helvetica.
std::string page_text(int page) {
  static constexpr std::string_view kWords[] = {
      "council", "budget", "resident", "request", "approved", "ward",   "school", "water",
      "review",  "notice", "total",    "office",  "library",  "permit", "tax",    "road"};
  std::string content = "BT /F1 11 Tf 72 760 Td 14 TL\n";
  unsigned state = static_cast<unsigned>(page) * 2654435761u + 1;
  for (int line = 0; line < 40; ++line) {
    std::string text;
    for (int word = 0; word < 12; ++word) {
      state = state * 1103515245u + 12345u;
      text += std::string(kWords[(state >> 16) % 16]) + " ";
    }
    content += "(" + text + ") '\n";
  }
  return content + "ET\n";
}

// A document of `pages` A4 pages; `page_entries` adds each page's resources and contents.
std::string paged_document(int pages,
                           const std::function<std::string(RawPdf&, int page)>& page_entries) {
  RawPdf pdf;
  const int catalog = pdf.add("<< /Type /Catalog /Pages 2 0 R >>");
  pdf.add("");
  std::string kids;
  for (int page = 0; page < pages; ++page) {
    const std::string entries = page_entries(pdf, page);
    kids += fmt::format("{} 0 R ", pdf.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
                                           entries + " >>"));
  }
  pdf.set(2, fmt::format("<< /Type /Pages /Kids [{}] /Count {} >>", kids, pages));
  return pdf.build(catalog);
}

std::string text_document(int pages) {
  int font = 0;
  return paged_document(pages, [&font](RawPdf& pdf, int page) {
    if (font == 0) font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    const int content = pdf.add_stream("/Filter /FlateDecode", flate(page_text(page)));
    return fmt::format("/Resources << /Font << /F1 {} 0 R >> >> /Contents {} 0 R", font, content);
  });
}

// A scanned A4 page at 150 dpi: grey paper, dark text-like strokes, JPEG as scanners write.
std::string scanned_page_jpeg(int page) {
  constexpr int kWidth = 1240;
  constexpr int kHeight = 1754;
  std::vector<unsigned char> pixels(static_cast<std::size_t>(kWidth) * kHeight, 235);
  unsigned state = static_cast<unsigned>(page) + 7;
  for (int y = 150; y < kHeight - 150; y += 28) {
    for (int x = 120; x < kWidth - 120; ++x) {
      state = state * 1103515245u + 12345u;
      if ((state >> 24) % 5 == 0) {
        for (int dy = 0; dy < 14; ++dy) pixels[static_cast<std::size_t>(y + dy) * kWidth + x] = 40;
      }
    }
  }
  const std::unique_ptr<void, decltype(&tjDestroy)> handle(tjInitCompress(), &tjDestroy);
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  if (tjCompress2(handle.get(), pixels.data(), kWidth, kWidth, kHeight, TJPF_GRAY, &jpeg, &size,
                  TJSAMP_GRAY, 80, 0) != 0) {
    throw std::runtime_error("tjCompress2 failed");
  }
  std::string bytes(reinterpret_cast<char*>(jpeg), size);
  tjFree(jpeg);
  return bytes;
}

std::string scan_document(int pages) {
  return paged_document(pages, [](RawPdf& pdf, int page) {
    const int image = pdf.add_stream(
        "/Type /XObject /Subtype /Image /Width 1240 /Height 1754 /ColorSpace /DeviceGray "
        "/BitsPerComponent 8 /Filter /DCTDecode",
        scanned_page_jpeg(page));
    const int content = pdf.add_stream("", "q 595 0 0 842 0 0 cm /Scan Do Q");
    return fmt::format("/Resources << /XObject << /Scan {} 0 R >> >> /Contents {} 0 R", image,
                       content);
  });
}

std::vector<PdfInput> generate(const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<PdfInput> inputs;
  const auto write = [&](const std::string& name, int pages, const std::string& bytes) {
    const fs::path path = dir / name;
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    inputs.push_back({path, pages, bytes.size()});
  };
  for (const int pages : {1, 10, 100, 1000}) {
    write(fmt::format("text-{}-pages.pdf", pages), pages, text_document(pages));
  }
  write("scan-40-pages.pdf", 40, scan_document(40));
  return inputs;
}

struct Figure {
  double ms = 0;  // mean wall time of one run
  double rss_mb = 0;
  bool ok = false;
  double output_mb = 0;  // ours: the rebuilt file, held in memory until it is written
};

// `runs` runs of the engine with `policy` on one file, in a child: mean wall time, peak RSS.
Figure ours(const fs::path& path, std::string_view policy, unsigned runs) {
  double total = 0;
  unsigned done = 0;
  double output_mb = 0;
  const ChildEnd end = run_in_child(
      [&](const MessageWriter& messages) {
        const auto engine = make_default_engine(Policy::from_toml(policy));
        for (unsigned r = 0; r < runs; ++r) {
          const UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
          const auto start = std::chrono::steady_clock::now();
          const Result result = engine->sanitize_fd(fd.get(), path.filename().string());
          const double ms =
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count();
          if (result.verdict == Verdict::blocked) return 1;
          messages.send({{"ms", ms}, {"output_bytes", result.output.size()}});
        }
        return 0;
      },
      [&](const nlohmann::json& message) {
        total += message.at("ms").get<double>();
        output_mb = static_cast<double>(message.at("output_bytes").get<std::uint64_t>()) / kMB;
        ++done;
      },
      kRunLimit);
  return {done > 0 ? total / done : 0, end.peak_rss_mb, end.ok() && done == runs, output_mb};
}

// A peer program `runs` times; `make_argv` gives its command line for the input and a
// scratch folder that is emptied after each run.
Figure peer(const std::vector<std::string>& argv_template, const fs::path& path,
            const fs::path& scratch, unsigned runs) {
  std::vector<std::string> argv;
  const auto program = find_program(argv_template.front());
  if (!program) return {};
  Figure figure{0, 0, true};
  for (unsigned r = 0; r < runs; ++r) {
    fs::remove_all(scratch);
    fs::create_directories(scratch);
    // mat2 cleans beside its input: it gets a copy of its own (copying is not timed).
    const fs::path input = scratch / path.filename();
    fs::copy_file(path, input);
    argv = {program->string()};
    for (std::size_t i = 1; i < argv_template.size(); ++i) {
      argv.push_back(argv_template[i] == "{in}"    ? input.string()
                     : argv_template[i] == "{out}" ? (scratch / "out").string()
                                                   : argv_template[i]);
    }
    const ChildEnd end = run_program(argv, scratch, kRunLimit);
    figure.ms += end.elapsed_ms / runs;
    figure.rss_mb = std::max(figure.rss_mb, end.peak_rss_mb);
    figure.ok = figure.ok && end.ok();
  }
  fs::remove_all(scratch);
  return figure;
}

std::string cell(const Figure& figure) {
  return figure.ok ? number(figure.ms) : "-";
}

std::string ratio(const Figure& a, const Figure& b) {
  return a.ok && b.ok && b.ms > 0 ? number(a.ms / b.ms) : "-";
}

nlohmann::ordered_json figure_json(const Figure& figure) {
  if (!figure.ok) return nullptr;
  return {{"ms", figure.ms}, {"peak_rss_mb", figure.rss_mb}, {"output_mb", figure.output_mb}};
}

}  // namespace

nlohmann::ordered_json run_pdf_scaling(const fs::path& dir, unsigned repeat, std::FILE* out) {
  fmt::print(stderr, "sanitize-bench: PDF scaling inputs into {}\n", dir.string());
  const std::vector<PdfInput> inputs = generate(dir);
  const fs::path scratch = dir / "scratch";
  const std::string raster_policy = std::string(kRasterizePolicy) + fmt::format("dpi = {}\n", kDpi);
  Table table({"<file", "pages", "MB", "rebuild ms", "RSS MB", "bound MB", "qpdf ms", "x qpdf",
               "mat2 ms", "mat2 / ours", "rasterize ms", "RSS MB", "out MB", "pdftoppm ms",
               "x pdftoppm"});
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  for (const PdfInput& input : inputs) {
    fmt::print(stderr, "sanitize-bench: PDF scaling: {}\n", input.path.filename().string());
    const bool slow_ok = input.pages <= kSlowPageLimit;
    const Figure rebuild = ours(input.path, "", repeat);
    const Figure qpdf = peer({"qpdf", "{in}", "{out}"}, input.path, scratch, repeat);
    const Figure mat2 = slow_ok ? peer({"mat2", "{in}"}, input.path, scratch, 1) : Figure{};
    const Figure rasterize = slow_ok ? ours(input.path, raster_policy, 1) : Figure{};
    const Figure pdftoppm =
        slow_ok ? peer({"pdftoppm", "-png", "-r", std::to_string(kDpi), "{in}", "{out}"},
                       input.path, scratch, 1)
                : Figure{};
    // The bound the issue sets for rebuild: four times the file plus 128 MB.
    const double bound_mb = 4.0 * static_cast<double>(input.size) / kMB + 128;
    table.add({input.path.filename().string(), std::to_string(input.pages),
               number(static_cast<double>(input.size) / kMB), cell(rebuild), number(rebuild.rss_mb),
               number(bound_mb), cell(qpdf), ratio(rebuild, qpdf), cell(mat2), ratio(mat2, rebuild),
               cell(rasterize), rasterize.ok ? number(rasterize.rss_mb) : "-",
               rasterize.ok ? number(rasterize.output_mb) : "-", cell(pdftoppm),
               ratio(rasterize, pdftoppm)});
    json.push_back({{"file", input.path.filename().string()},
                    {"pages", input.pages},
                    {"bytes", input.size},
                    {"rebuild", figure_json(rebuild)},
                    {"rebuild_rss_bound_mb", bound_mb},
                    {"qpdf", figure_json(qpdf)},
                    {"mat2", figure_json(mat2)},
                    {"rasterize", figure_json(rasterize)},
                    {"pdftoppm", figure_json(pdftoppm)}});
  }
  if (out != nullptr) {
    fmt::print(out, "\nPDF, per file, in-process (each of our runs in a child of its own):\n");
    table.print(out);
    fmt::print(out,
               "rebuild and qpdf: mean of {}; mat2, rasterize ({} dpi, one thread per core) "
               "and pdftoppm -png: one run, on files up to {} pages ('-': not run or not "
               "installed). x qpdf and x pdftoppm: our time / the peer's (below 1 we are "
               "faster); mat2 / ours: how many times faster than mat2. bound MB: 4 x the file "
               "+ 128 MB, the RSS rebuild must stay under. out MB: the rasterized file, which "
               "the engine holds in memory; the rest of rasterize's RSS does not grow with the "
               "page count (a few pages rendered ahead, per thread).\n",
               count_of(repeat, "run"), kDpi, kSlowPageLimit);
  }
  return json;
}

}  // namespace sanitize::bench
