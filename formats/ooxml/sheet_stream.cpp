#include "formats/ooxml/sheet_stream.hpp"

#include <expat.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "formats/common/charset.hpp"
#include "formats/common/xml_part.hpp"
#include "formats/ooxml/formulas.hpp"
#include "formats/ooxml/namespaces.hpp"
#include "formats/ooxml/rules.hpp"

namespace sanitize::formats::ooxml {
namespace {

// Stands in for the rows while the rest of the sheet goes through the DOM.
constexpr std::string_view kMarker = "sanitize-streamed-rows";

struct ParserFree {
  void operator()(XML_Parser parser) const { XML_ParserFree(parser); }
};

// Only UTF-8 parts stream (byte offsets of the input are then offsets of its text).
bool utf8_part(std::span<const std::uint8_t> bytes) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()),
                              std::min<std::size_t>(bytes.size(), 200));
  if (text.size() >= 2 && (static_cast<unsigned char>(text[0]) >= 0xFE)) return false;
  if (!text.starts_with("<?xml")) return !text.empty() && text[0] != '\0';
  const auto end = text.find("?>");
  const std::string declaration = ascii_lower(text.substr(0, end));
  const auto encoding = declaration.find("encoding");
  if (encoding == std::string::npos) return true;
  const auto value = declaration.find_first_of("\"'", encoding);
  return value != std::string::npos && declaration.compare(value + 1, 5, "utf-8") == 0;
}

class RowStreamer {
 public:
  RowStreamer(const PlannedPart& part, Findings& findings, WorkbookFacts& facts)
      : part_(part), findings_(findings), facts_(facts) {
    if (const auto it = facts.sheet_id_of_part.find(part.name);
        it != facts.sheet_id_of_part.end()) {
      sheet_id_ = it->second;
    }
  }

  // False when the streaming path does not apply.
  bool run(std::span<const std::uint8_t> bytes) {
    std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreate("UTF-8"));
    if (!parser) throw std::bad_alloc();
    parser_ = parser.get();
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &RowStreamer::on_start, &RowStreamer::on_end);
    XML_SetCharacterDataHandler(parser_, &RowStreamer::on_text);
    XML_SetProcessingInstructionHandler(parser_, &RowStreamer::on_instruction);
    XML_SetStartDoctypeDeclHandler(parser_, &RowStreamer::on_doctype);
    out_.reserve(bytes.size() + bytes.size() / 8);
    constexpr std::size_t kChunk = 64 * 1024 * 1024;
    XML_Status status = XML_STATUS_OK;
    for (std::size_t offset = 0; status == XML_STATUS_OK;) {
      const std::size_t size = std::min(kChunk, bytes.size() - offset);
      const bool last = offset + size == bytes.size();
      status = XML_Parse(parser_, reinterpret_cast<const char*>(bytes.data() + offset),
                         static_cast<int>(size), last ? XML_TRUE : XML_FALSE);
      offset += size;
      if (last) break;
    }
    if (too_deep_) {
      throw Blocked(BlockReason::corrupt, part_.name + ": XML nested deeper than " +
                                              std::to_string(xml::max_depth) + " levels");
    }
    if (status != XML_STATUS_OK || refused_ || rows_end_ == 0) return false;
    if (instructions_ > 0) {
      findings_.element(kind::processing_instruction, part_.name,
                        std::to_string(instructions_) + " processing instruction(s)");
    }
    return true;
  }

  std::size_t rows_begin() const { return rows_begin_; }
  std::size_t rows_end() const { return rows_end_; }
  std::string& rows() { return out_; }

 private:
  static RowStreamer& self(void* data) { return *static_cast<RowStreamer*>(data); }

  static void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    RowStreamer& s = self(data);
    s.refused_ = true;  // the DOM path drops it and reports it
    XML_StopParser(s.parser_, XML_FALSE);
  }

  static void on_instruction(void* data, const XML_Char*, const XML_Char*) {
    RowStreamer& s = self(data);
    if (s.inside_) ++s.instructions_;
  }

  static void on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
    self(data).start(name, attributes);
  }
  static void on_end(void* data, const XML_Char* name) { self(data).end(name); }
  static void on_text(void* data, const XML_Char* text, int length) {
    RowStreamer& s = self(data);
    if (!s.inside_) return;
    s.close_pending();
    const std::string_view chunk(text, static_cast<std::size_t>(length));
    if (s.formula_depth_ > 0) s.formula_text_ += chunk;
    append_xml_escaped(s.target(), chunk, false);
  }

  std::string& target() { return formula_depth_ > 0 ? formula_ : out_; }

  void close_pending() {
    if (pending_) {
      target().push_back('>');
      pending_ = false;
    }
  }

  // Prefix bindings: the rows use the prefixes their ancestors declared.
  void declare(const XML_Char** attributes) {
    marks_.push_back(bindings_.size());
    for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
      const std::string_view name = attributes[i];
      if (name == "xmlns") {
        bindings_.emplace_back("", attributes[i + 1]);
      } else if (name.starts_with("xmlns:")) {
        bindings_.emplace_back(std::string(name.substr(6)), attributes[i + 1]);
      }
    }
  }

  xml::ExpandedName resolve(std::string_view qualified) const {
    const auto colon = qualified.find(':');
    const std::string_view prefix =
        colon == std::string_view::npos ? std::string_view{} : qualified.substr(0, colon);
    const std::string_view local =
        colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
    for (auto it = bindings_.rbegin(); it != bindings_.rend(); ++it) {
      if (it->first == prefix) return {it->second, local};
    }
    return {{}, local};
  }

  void start(std::string_view name, const XML_Char** attributes) {
    if (++depth_ > static_cast<int>(xml::max_depth)) {
      too_deep_ = true;
      XML_StopParser(parser_, XML_FALSE);
      return;
    }
    declare(attributes);
    const xml::ExpandedName expanded = resolve(name);
    const bool spreadsheet = expanded.uri == ns::spreadsheetml;
    if (!inside_) {
      if (depth_ == 2 && spreadsheet && expanded.local == "sheetData" && rows_end_ == 0) {
        inside_ = true;
        rows_depth_ = depth_;
        rows_begin_ = static_cast<std::size_t>(XML_GetCurrentByteIndex(parser_));
        start_count_ = static_cast<std::size_t>(XML_GetCurrentByteCount(parser_));
      } else {
        return;
      }
    } else {
      close_pending();
      if (spreadsheet && expanded.local == "c" && formula_depth_ == 0) {
        cell_.clear();
        for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
          if (std::string_view(attributes[i]) == "r") cell_ = attributes[i + 1];
        }
      }
      if (formula_depth_ > 0) {
        ++formula_depth_;
      } else if (spreadsheet && expanded.local == "f") {
        formula_depth_ = 1;
        formula_.clear();
        formula_type_.clear();
        formula_index_.clear();
        formula_text_.clear();
        for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
          const std::string_view attribute = attributes[i];
          if (attribute == "t") formula_type_ = attributes[i + 1];
          if (attribute == "si") formula_index_ = attributes[i + 1];
        }
      }
    }
    std::string& out = target();
    out.push_back('<');
    out += name;
    for (std::size_t i = 0; attributes[i] != nullptr; i += 2) {
      out.push_back(' ');
      out += attributes[i];
      out += "=\"";
      append_xml_escaped(out, attributes[i + 1], true);
      out.push_back('"');
    }
    pending_ = true;
  }

  void end(std::string_view name) {
    if (inside_) {
      std::string& out = target();
      if (pending_) {
        out += "/>";
        pending_ = false;
      } else {
        out += "</";
        out += name;
        out.push_back('>');
      }
      if (formula_depth_ > 0 && --formula_depth_ == 0) finish_formula();
      if (depth_ == rows_depth_) {
        inside_ = false;
        const auto index = static_cast<std::size_t>(XML_GetCurrentByteIndex(parser_));
        const auto count = static_cast<std::size_t>(XML_GetCurrentByteCount(parser_));
        rows_end_ = count == 0 ? rows_begin_ + start_count_ : index + count;
      }
    }
    bindings_.resize(marks_.back());
    marks_.pop_back();
    --depth_;
  }

  // The formula element is held until its end: written when harmless, dropped (the cell
  // keeps its cached value) when it reaches outside the workbook.
  void finish_formula() {
    std::string_view kind;
    std::string detail;
    if (formula_type_ == "shared" && formula_text_.empty()) {
      const auto master = removed_shared_.find(formula_index_);
      if (master != removed_shared_.end()) {
        kind = master->second;
        detail = "shares a removed formula";
      }
    } else {
      const FormulaAssessment formula = assess_formula(formula_text_);
      if (formula.risk != FormulaRisk::none) {
        kind = formula.risk == FormulaRisk::external_reference
                   ? facts_.kind_of_external_reference(formula.what)
                   : formula_kind(formula.risk);
        detail = shortened(formula_text_);
        if (formula_type_ == "shared" && !formula_index_.empty()) {
          removed_shared_[formula_index_] = kind;
        }
      }
    }
    if (kind.empty()) {
      out_ += formula_;
    } else {
      facts_.removed_formulas.emplace(sheet_id_, cell_);
      if (facts_.removed_formula_kind.empty()) facts_.removed_formula_kind = kind;
      findings_.element(kind, part_.name, "cell " + cell_ + ": " + detail);
    }
    formula_.clear();
  }

  const PlannedPart& part_;
  Findings& findings_;
  WorkbookFacts& facts_;
  XML_Parser parser_ = nullptr;
  std::string out_;
  std::vector<std::pair<std::string, std::string>> bindings_;
  std::vector<std::size_t> marks_;
  int depth_ = 0;
  bool too_deep_ = false;
  bool refused_ = false;
  bool inside_ = false;
  bool pending_ = false;
  int rows_depth_ = 0;
  std::size_t rows_begin_ = 0;
  std::size_t rows_end_ = 0;
  std::size_t start_count_ = 0;
  std::size_t instructions_ = 0;
  std::string sheet_id_;
  std::string cell_;
  int formula_depth_ = 0;
  std::string formula_;
  std::string formula_type_;
  std::string formula_index_;
  std::string formula_text_;
  std::map<std::string, std::string_view> removed_shared_;
};

}  // namespace

std::optional<std::vector<std::uint8_t>> clean_worksheet_streaming(
    std::span<const std::uint8_t> bytes, const PlannedPart& part, const Options& options,
    Findings& findings, WorkbookFacts& facts) {
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (!utf8_part(bytes) || text.find(kMarker) != std::string_view::npos) return std::nullopt;
  RowStreamer rows(part, findings, facts);
  if (!rows.run(bytes)) return std::nullopt;

  const std::string marker = "<" + std::string(kMarker) + "/>";
  std::string rest;
  rest.reserve(rows.rows_begin() + marker.size() + (bytes.size() - rows.rows_end()));
  rest.append(text.substr(0, rows.rows_begin()));
  rest += marker;
  rest.append(text.substr(rows.rows_end()));
  auto parsed = xml::parse(
      std::span(reinterpret_cast<const std::uint8_t*>(rest.data()), rest.size()), part.name);
  rest = {};
  if (parsed->had_doctype || parsed->processing_instructions > 0) {
    report_oddities(findings, part.name,
                    XmlOddities{parsed->had_doctype, parsed->processing_instructions});
  }
  clean_xml_part(parsed->document, part, options, findings, facts);
  std::vector<std::uint8_t> head_and_tail = xml::serialize(parsed->document);
  parsed.reset();
  const std::string_view serialized(reinterpret_cast<const char*>(head_and_tail.data()),
                                    head_and_tail.size());
  const auto at = serialized.find(marker);
  if (at == std::string_view::npos) {
    throw Blocked(BlockReason::internal_error, part.name + ": the rows lost their place");
  }
  std::vector<std::uint8_t> out;
  out.reserve(head_and_tail.size() + rows.rows().size());
  out.insert(out.end(), head_and_tail.begin(), head_and_tail.begin() + static_cast<long>(at));
  out.insert(out.end(), rows.rows().begin(), rows.rows().end());
  rows.rows() = {};
  out.insert(out.end(), head_and_tail.begin() + static_cast<long>(at + marker.size()),
             head_and_tail.end());
  return out;
}

}  // namespace sanitize::formats::ooxml
