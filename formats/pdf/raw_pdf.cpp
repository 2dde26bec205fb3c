#include "formats/pdf/raw_pdf.hpp"

#include <zlib.h>

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace sanitize::formats::pdf::testing {
namespace {

std::string xref_and_trailer(const std::vector<std::pair<int, std::size_t>>& offsets, int size,
                             std::string_view trailer) {
  std::string out = "xref\n";
  if (offsets.empty() || offsets.front().first != 1) {
    out += "0 1\n0000000000 65535 f \n";
  }
  std::size_t i = 0;
  while (i < offsets.size()) {
    std::size_t j = i;
    while (j + 1 < offsets.size() && offsets[j + 1].first == offsets[j].first + 1) ++j;
    const int first = offsets[i].first;
    if (first == 1) {
      out += fmt::format("0 {}\n0000000000 65535 f \n", j - i + 2);
    } else {
      out += fmt::format("{} {}\n", first, j - i + 1);
    }
    for (std::size_t k = i; k <= j; ++k) out += fmt::format("{:010} 00000 n \n", offsets[k].second);
    i = j + 1;
  }
  return out + fmt::format("trailer\n<< /Size {} {} >>\n", size, trailer);
}

}  // namespace

int RawPdf::add(std::string body) {
  bodies_.push_back(std::move(body));
  return static_cast<int>(bodies_.size());
}

int RawPdf::add_stream(std::string_view dict, std::string_view data) {
  return add(fmt::format("<< {} /Length {} >>\nstream\n{}\nendstream", dict, data.size(), data));
}

void RawPdf::set(int number, std::string body) {
  bodies_.at(static_cast<std::size_t>(number - 1)) = std::move(body);
}

std::string RawPdf::build(int root, std::string_view trailer_extra) const {
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::pair<int, std::size_t>> offsets;
  for (std::size_t i = 0; i < bodies_.size(); ++i) {
    offsets.emplace_back(static_cast<int>(i + 1), out.size());
    out += fmt::format("{} 0 obj\n{}\nendobj\n", i + 1, bodies_[i]);
  }
  const std::size_t xref = out.size();
  out += xref_and_trailer(offsets, static_cast<int>(bodies_.size()) + 1,
                          fmt::format("/Root {} 0 R {}", root, trailer_extra));
  return out + fmt::format("startxref\n{}\n%%EOF\n", xref);
}

TextDocument::TextDocument(const std::vector<std::string>& page_texts) {
  catalog_number_ = pdf_.add("");
  pages_number_ = pdf_.add("");
  font_ =
      pdf_.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  for (const std::string& text : page_texts) {
    contents_.push_back(
        pdf_.add_stream("", fmt::format("BT /F1 18 Tf 72 720 Td {} Tj ET", literal(text))));
    pages_.push_back(pdf_.add(""));
    page_extra_.emplace_back();
    annotations_.emplace_back();
  }
}

void TextDocument::page_entry(std::size_t index, const std::string& entry) {
  std::string& extra = page_extra_.at(index);
  extra += ' ';
  extra += entry;
}

int TextDocument::annotation(std::size_t index, std::string body) {
  const int number = pdf_.add(std::move(body));
  annotations_.at(index).push_back(number);
  return number;
}

std::string TextDocument::build() {
  std::string kids;
  for (std::size_t i = 0; i < pages_.size(); ++i) {
    kids += fmt::format("{} 0 R ", pages_[i]);
    std::string annots;
    for (const int a : annotations_[i]) annots += fmt::format("{} 0 R ", a);
    pdf_.set(pages_[i],
             fmt::format("<< /Type /Page /Parent {} 0 R /MediaBox [0 0 612 792] /Resources << "
                         "/Font << /F1 {} 0 R >> >> /Contents {} 0 R{}{} >>",
                         pages_number_, font_, contents_[i], page_extra_[i],
                         annots.empty() ? "" : " /Annots [" + annots + "]"));
  }
  pdf_.set(pages_number_,
           fmt::format("<< /Type /Pages /Kids [{}] /Count {} >>", kids, pages_.size()));
  pdf_.set(catalog_number_,
           fmt::format("<< /Type /Catalog /Pages {} 0 R{} >>", pages_number_, catalog_));
  return pdf_.build(catalog_number_);
}

std::string flate(std::string_view data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    throw std::runtime_error("compress2 failed");
  }
  out.resize(size);
  return out;
}

std::string flate_zeros(std::uint64_t size) {
  z_stream z{};
  if (deflateInit(&z, Z_BEST_COMPRESSION) != Z_OK) throw std::runtime_error("deflateInit");
  const std::string zeros(1 << 20, '\0');
  std::string out;
  char buffer[1 << 16];
  std::uint64_t left = size;
  int flush = Z_NO_FLUSH;
  do {
    const std::size_t chunk = std::min<std::uint64_t>(left, zeros.size());
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = static_cast<uInt>(chunk);
    left -= chunk;
    flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      deflate(&z, flush);
      out.append(buffer, sizeof buffer - z.avail_out);
    } while (z.avail_out == 0);
  } while (flush != Z_FINISH);
  deflateEnd(&z);
  return out;
}

std::string literal(std::string_view text) {
  std::string out = "(";
  for (const char c : text) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

std::string append_update(const std::string& base,
                          const std::vector<std::pair<int, std::string>>& objects, int root,
                          int size) {
  const auto start = base.rfind("startxref\n");
  if (start == std::string::npos) throw std::logic_error("no startxref in the base file");
  const std::string previous = base.substr(start + 10, base.find('\n', start + 10) - start - 10);
  std::string out = base;
  std::vector<std::pair<int, std::size_t>> offsets;
  for (const auto& [number, body] : objects) {
    offsets.emplace_back(number, out.size());
    out += fmt::format("{} 0 obj\n{}\nendobj\n", number, body);
  }
  std::sort(offsets.begin(), offsets.end());
  const std::size_t xref = out.size();
  out += xref_and_trailer(offsets, size, fmt::format("/Root {} 0 R /Prev {}", root, previous));
  return out + fmt::format("startxref\n{}\n%%EOF\n", xref);
}

}  // namespace sanitize::formats::pdf::testing
