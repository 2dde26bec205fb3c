// Hand-made PDFs for the corpus, the tests and the bench: every byte where a case needs it
// (hex-escaped names, broken cross-reference tables, incremental updates, filter bombs),
// which a PDF library would normalize away.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sanitize::formats::pdf::testing {

class RawPdf {
 public:
  // Adds an object (its body, e.g. "<< /Type /Page >>") and returns its number.
  int add(std::string body);
  // Adds a stream: `dict` holds the entries besides /Length.
  int add_stream(std::string_view dict, std::string_view data);
  // Replaces the body of object `number`.
  void set(int number, std::string body);
  int next_number() const { return static_cast<int>(bodies_.size()) + 1; }

  // The file: header, objects, a classic cross-reference table and a trailer whose /Root
  // is `root`, plus `trailer_extra` entries.
  std::string build(int root, std::string_view trailer_extra = {}) const;

 private:
  std::vector<std::string> bodies_;
};

// A document with one page per text (Helvetica), which cases extend with entries in the
// catalog and on pages, and with annotations.
class TextDocument {
 public:
  explicit TextDocument(const std::vector<std::string>& page_texts);
  RawPdf& pdf() { return pdf_; }
  int page(std::size_t index) const { return pages_.at(index); }
  void catalog_entry(const std::string& entry) {
    catalog_ += ' ';
    catalog_ += entry;
  }
  void page_entry(std::size_t index, const std::string& entry);
  // Adds an annotation object to a page's /Annots; returns its number.
  int annotation(std::size_t index, std::string body);
  std::string build();

 private:
  RawPdf pdf_;
  int catalog_number_;
  int pages_number_;
  int font_;
  std::string catalog_;
  std::vector<int> pages_;
  std::vector<std::string> page_extra_;
  std::vector<std::vector<int>> annotations_;
  std::vector<int> contents_;
};

// zlib data (/FlateDecode) of `data`.
std::string flate(std::string_view data);
// zlib data of `size` zero bytes, made a megabyte at a time.
std::string flate_zeros(std::uint64_t size);
// A PDF string literal with ( ) \ escaped.
std::string literal(std::string_view text);
// `base` with an incremental update appended: new or replaced objects (number, body) and
// a cross-reference section chained to the previous one with /Prev.
std::string append_update(const std::string& base,
                          const std::vector<std::pair<int, std::string>>& objects, int root,
                          int size);

}  // namespace sanitize::formats::pdf::testing
