#include "bench/large_inputs.hpp"

#include <iconv.h>
#include <libdeflate.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "formats/odf/odf_builder.hpp"
#include "formats/ooxml/samples.hpp"
#include "formats/zip/raw_zip.hpp"

namespace sanitize::bench {
namespace {

namespace fs = std::filesystem;
namespace rawzip = formats::zip::testing;

constexpr std::size_t kMB = 1000 * 1000;

// splitmix64: its sequence is fixed, unlike the standard distributions, which differ
// between library versions.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }
  template <class T>
  const T& pick(std::span<const T> items) {
    return items[below(items.size())];
  }

 private:
  std::uint64_t state_;
};

constexpr std::array<std::string_view, 24> kEnglishWords = {
    "the",     "report", "of",      "budget", "meeting", "council", "resident", "office",
    "request", "form",   "receipt", "total",  "review",  "notice",  "approved", "pending",
    "city",    "ward",   "tax",     "school", "water",   "road",    "library",  "and"};

// Japanese words as office text has them, with the characters that tell CP932 from
// Shift_JIS and EUC-JP: circled digits, full-width tilde, half-width katakana.
constexpr std::array<std::string_view, 28> kJapaneseWords = {
    "住民票", "申請書", "令和", "受付", "東京都",   "大阪府",   "番号",   "確認", "提出", "会議",
    "予算",   "資料",   "担当", "課長", "お知らせ", "ください", "します", "です", "①",    "②",
    "③",      "～",     "ｶﾀｶﾅ", "ﾃﾞｰﾀ", "、",       "。",       "の",     "を"};

constexpr std::array<std::string_view, 6> kCities = {"千代田区", "札幌市中央区", "大阪市北区",
                                                     "那覇市",   "Yokohama",     "仙台市青葉区"};

// Cells a spreadsheet would run: what the text module must neutralize.
constexpr std::array<std::string_view, 4> kFormulaCells = {
    "=SUM(G2:G9)", "\"+cmd|' /C calc'!A0\"", "@SUM(1+1)",
    "\"=HYPERLINK(\"\"http://example.invalid/\"\",\"\"詳細\"\")\""};

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out;
  out.exceptions(std::ofstream::failbit | std::ofstream::badbit);
  out.open(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Words separated by `separator`, then an end of line.
void append_line(std::string& out, Random& random, std::span<const std::string_view> words,
                 std::string_view separator, std::string_view end_of_line) {
  const std::size_t count = 4 + random.below(16);
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += separator;
    if (random.below(8) == 0) {
      fmt::format_to(std::back_inserter(out), "{}", random.below(100000));
    } else {
      out += random.pick(words);
    }
  }
  out += end_of_line;
}

std::string text_of_size(std::size_t size, std::uint64_t seed) {
  Random random(seed);
  std::string text;
  text.reserve(size + 256);
  while (text.size() < size) append_line(text, random, kEnglishWords, " ", "\n");
  text.resize(size - 1);
  text += '\n';
  return text;
}

std::string csv_of_size(std::size_t size) {
  Random random(1);
  std::string csv = "id,date,city,item,quantity,unit_price,amount,note\r\n";
  csv.reserve(size + 256);
  for (std::size_t row = 1; csv.size() < size; ++row) {
    const std::size_t quantity = 1 + random.below(999);
    const std::size_t unit_cents = 100 + random.below(1000000);
    // Every 50th row is a refund: a negative number, which must stay a number.
    const char* sign = row % 50 == 0 ? "-" : "";
    fmt::format_to(std::back_inserter(csv), "{},2024-{:02}-{:02},{},{},{},{}.{:02},{}{},", row,
                   1 + random.below(12), 1 + random.below(28),
                   random.pick<std::string_view>(kCities),
                   random.pick<std::string_view>(kEnglishWords), quantity, unit_cents / 100,
                   unit_cents % 100, sign, quantity * unit_cents / 100);
    if (row % 200000 == 123) {
      csv += kFormulaCells[(row / 200000) % kFormulaCells.size()];
      csv += "\r\n";
    } else if (row % 7 == 0) {
      csv += '"';
      append_line(csv, random, kJapaneseWords, "", ", ");
      csv += "受付済み\"\r\n";
    } else {
      append_line(csv, random, kJapaneseWords, "", "\r\n");
    }
  }
  return csv;
}

class IconvHandle {
 public:
  IconvHandle(const char* to, const char* from) : handle_(::iconv_open(to, from)) {
    if (handle_ == reinterpret_cast<iconv_t>(-1)) {
      throw std::system_error(errno, std::generic_category(),
                              fmt::format("iconv_open {} -> {}", from, to));
    }
  }
  ~IconvHandle() { ::iconv_close(handle_); }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  iconv_t get() const { return handle_; }

 private:
  iconv_t handle_;
};

std::string utf8_to_cp932(std::string_view utf8) {
  const IconvHandle converter("CP932", "UTF-8");
  std::string in(utf8);
  std::string out(in.size() * 2, '\0');
  char* in_next = in.data();
  std::size_t in_left = in.size();
  char* out_next = out.data();
  std::size_t out_left = out.size();
  if (::iconv(converter.get(), &in_next, &in_left, &out_next, &out_left) ==
      static_cast<std::size_t>(-1)) {
    throw std::system_error(errno, std::generic_category(), fmt::format("iconv of {}", utf8));
  }
  out.resize(out.size() - out_left);
  return out;
}

std::string cp932_text_of_size(std::size_t size) {
  std::vector<std::string> words;
  for (const std::string_view word : kJapaneseWords) words.push_back(utf8_to_cp932(word));
  const std::vector<std::string_view> word_views(words.begin(), words.end());
  Random random(2);
  std::string text;
  text.reserve(size + 256);
  while (text.size() < size) append_line(text, random, word_views, "", "\r\n");
  return text;
}

rawzip::RawEntry text_entry(std::string name, std::string text) {
  rawzip::RawEntry entry;
  entry.name = std::move(name);
  entry.data = std::move(text);
  return entry;
}

std::string zip_of_small_files(std::size_t count) {
  Random random(3);
  std::vector<rawzip::RawEntry> entries;
  for (std::size_t i = 1; i <= count; ++i) {
    std::string text;
    const std::size_t lines = 1 + random.below(20);
    for (std::size_t line = 0; line < lines; ++line) {
      append_line(text, random, kEnglishWords, " ", "\n");
    }
    entries.push_back(text_entry(fmt::format("notes/{:03}/note-{:04}.txt", i / 100, i), text));
  }
  return rawzip::build(rawzip::archive_of(std::move(entries)));
}

// The test builder deflates at level 9 with zlib, too slow for 200 MB: libdeflate's
// level 6 is what the generation time allows.
std::string zip_of_large_text(std::size_t size) {
  const std::string text = text_of_size(size, 4);
  const std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> compressor(
      libdeflate_alloc_compressor(6), &libdeflate_free_compressor);
  if (!compressor) throw std::runtime_error("libdeflate_alloc_compressor");
  std::string compressed(libdeflate_deflate_compress_bound(compressor.get(), text.size()), '\0');
  compressed.resize(libdeflate_deflate_compress(compressor.get(), text.data(), text.size(),
                                                compressed.data(), compressed.size()));
  if (compressed.empty()) throw std::runtime_error("libdeflate_deflate_compress");
  rawzip::RawEntry entry;
  entry.name = "large-text.txt";
  entry.declared_size = text.size();
  entry.crc = static_cast<std::uint32_t>(libdeflate_crc32(0, text.data(), text.size()));
  entry.compressed = std::move(compressed);
  return rawzip::build(rawzip::archive_of({std::move(entry)}));
}

// A zip holding a text and the next level's zip, `levels` zips in all.
std::string nested_zip(int levels) {
  std::string inner;
  for (int level = levels; level >= 1; --level) {
    std::vector<rawzip::RawEntry> entries;
    entries.push_back(text_entry(fmt::format("level-{}.txt", level),
                                 text_of_size(kMB, 10 + static_cast<std::uint64_t>(level))));
    if (!inner.empty()) {
      rawzip::RawEntry nested;
      nested.name = fmt::format("level-{}.zip", level + 1);
      nested.data = std::move(inner);
      nested.deflate = false;  // as archivers store what is already compressed
      entries.push_back(std::move(nested));
    }
    inner = rawzip::build(rawzip::archive_of(std::move(entries)));
  }
  return inner;
}

}  // namespace

std::vector<fs::path> generate_large_inputs(const fs::path& dir) {
  fs::create_directories(dir);
  std::vector<fs::path> paths;
  const auto write = [&](std::string_view name, const std::string& bytes) {
    paths.push_back(dir / name);
    write_file(paths.back(), bytes);
  };
  write("utf8-100mb.csv", csv_of_size(100 * kMB));
  write("cp932-50mb.txt", cp932_text_of_size(50 * kMB));
  write("2000-small-files.zip", zip_of_small_files(2000));
  write("text-200mb.zip", zip_of_large_text(200 * kMB));
  write("nested-4-levels.zip", nested_zip(4));
  write("text-30-pages.odt", formats::odf::testing::long_text_document(30));
  write("text-300-pages.odt", formats::odf::testing::long_text_document(300));
  write("sheet-200k-rows.ods", formats::odf::testing::large_spreadsheet(200000));
  // Office documents with pictures (150 kB each, incompressible), and a workbook of about
  // 18 MB whose sheet is 112 MB of XML.
  namespace office = formats::ooxml::testing;
  write("small.docx", office::large_word_document(2, 1, 150000).build());
  write("30-pages.docx", office::large_word_document(30, 3, 150000).build());
  write("300-pages.docx", office::large_word_document(300, 5, 150000).build());
  write("30-slides.pptx", office::large_presentation(30, 150000).build());
  write("sheet-18mb.xlsx", office::large_workbook(112 * kMB).build());
  return paths;
}

}  // namespace sanitize::bench
