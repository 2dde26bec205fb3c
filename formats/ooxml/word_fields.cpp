#include "formats/ooxml/word_fields.hpp"

#include <algorithm>
#include <array>

#include "formats/common/charset.hpp"
#include "formats/ooxml/namespaces.hpp"
#include "formats/ooxml/rules.hpp"

namespace sanitize::formats::ooxml {
namespace {

// Fields that only compute, number, refer inside the document or format text.
constexpr std::string_view kAllowedFields[] = {"=",
                                               "ADDIN",
                                               "ADDRESSBLOCK",
                                               "ADVANCE",
                                               "ASK",
                                               "AUTHOR",
                                               "AUTONUM",
                                               "AUTONUMLGL",
                                               "AUTONUMOUT",
                                               "BARCODE",
                                               "BIBLIOGRAPHY",
                                               "BIDIOUTLINE",
                                               "CITATION",
                                               "COMMENTS",
                                               "COMPARE",
                                               "CREATEDATE",
                                               "DATE",
                                               "DISPLAYBARCODE",
                                               "DOCPROPERTY",
                                               "DOCVARIABLE",
                                               "EDITTIME",
                                               "EQ",
                                               "FILENAME",
                                               "FILESIZE",
                                               "FILLIN",
                                               "FORMCHECKBOX",
                                               "FORMDROPDOWN",
                                               "FORMTEXT",
                                               "GOTOBUTTON",
                                               "GREETINGLINE",
                                               "IF",
                                               "INDEX",
                                               "INFO",
                                               "KEYWORDS",
                                               "LASTSAVEDBY",
                                               "LISTNUM",
                                               "MERGEFIELD",
                                               "MERGEREC",
                                               "MERGESEQ",
                                               "NEXT",
                                               "NEXTIF",
                                               "NOTEREF",
                                               "NUMCHARS",
                                               "NUMPAGES",
                                               "NUMWORDS",
                                               "PAGE",
                                               "PAGEREF",
                                               "PRINTDATE",
                                               "PRIVATE",
                                               "QUOTE",
                                               "REF",
                                               "REVNUM",
                                               "SAVEDATE",
                                               "SECTION",
                                               "SECTIONPAGES",
                                               "SEQ",
                                               "SET",
                                               "SHAPE",
                                               "SKIPIF",
                                               "STYLEREF",
                                               "SUBJECT",
                                               "SYMBOL",
                                               "TA",
                                               "TC",
                                               "TEMPLATE",
                                               "TIME",
                                               "TITLE",
                                               "TOA",
                                               "TOC",
                                               "USERADDRESS",
                                               "USERINITIALS",
                                               "USERNAME",
                                               "XE"};

constexpr std::array<std::string_view, 2> kDdeFields{"DDE", "DDEAUTO"};
constexpr std::array<std::string_view, 6> kIncludeFields{
    "INCLUDETEXT", "INCLUDEPICTURE", "LINK", "IMPORT", "RD", "DATABASE"};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\xA0';
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

struct Word {
  std::string text;
  bool quoted = false;
};

// The words of a field code: "quoted strings" are one word, without their quotes.
std::vector<Word> words_of(std::string_view code) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < code.size()) {
    while (i < code.size() && is_space(code[i])) ++i;
    if (i >= code.size()) break;
    Word word;
    if (code[i] == '"') {
      word.quoted = true;
      for (++i; i < code.size() && code[i] != '"'; ++i) word.text.push_back(code[i]);
      ++i;
    } else {
      while (i < code.size() && !is_space(code[i])) word.text.push_back(code[i++]);
    }
    words.push_back(std::move(word));
  }
  return words;
}

// A switch: \l, \o, \* MERGEFORMAT... (a doubled backslash starts a path, not a switch).
bool is_switch(const Word& word) {
  if (word.quoted || word.text.size() < 2 || word.text[0] != '\\') return false;
  const char c = word.text[1];
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '*' || c == '#' || c == '@';
}

std::string keyword_of(std::string_view code) {
  code = trimmed(code);
  if (code.starts_with('=')) return "=";
  const auto words = words_of(code);
  if (words.empty()) return {};
  std::string_view first = words.front().text;
  if (const auto backslash = first.find('\\'); backslash != std::string_view::npos) {
    first = first.substr(0, backslash);
  }
  return ascii_upper(first);
}

// The target of a HYPERLINK code: its first argument that is not a switch or a switch's
// argument. Empty for a link to a bookmark only (\l).
std::string hyperlink_target(std::string_view code) {
  const auto words = words_of(code);
  for (std::size_t i = 1; i < words.size(); ++i) {
    if (is_switch(words[i])) {
      const char option = static_cast<char>(words[i].text[1] | 0x20);
      if ((option == 'l' || option == 'o' || option == 't') && words[i].text.size() == 2) ++i;
      continue;
    }
    return words[i].text;
  }
  return {};
}

template <class List>
bool listed(const List& list, std::string_view word) {
  return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

}  // namespace

FieldVerdict classify_field(std::string_view code, bool assembled, LinkPolicy links) {
  if (assembled) return FieldVerdict::not_allowed;
  const std::string keyword = keyword_of(code);
  if (listed(kDdeFields, keyword)) return FieldVerdict::dde;
  if (listed(kIncludeFields, keyword)) return FieldVerdict::include;
  if (keyword == "HYPERLINK") {
    const std::string target = hyperlink_target(code);
    if (target.empty()) return FieldVerdict::keep;
    if (target.find('\x01') != std::string::npos || !is_safe_link(target)) {
      return FieldVerdict::unsafe_link;
    }
    switch (links) {
      case LinkPolicy::keep:
        return FieldVerdict::keep;
      case LinkPolicy::text:
        return FieldVerdict::link_text;
      case LinkPolicy::remove:
        return FieldVerdict::link_remove;
    }
  }
  if (keyword.empty() || !listed(kAllowedFields, keyword)) return FieldVerdict::not_allowed;
  return FieldVerdict::keep;
}

std::optional<std::string> quote_field_value(std::string_view code) {
  code = trimmed(code);
  if (keyword_of(code) != "QUOTE") return std::nullopt;
  code = trimmed(code.substr(5));
  if (code.find('\x01') != std::string_view::npos) return std::nullopt;
  if (code.starts_with('"')) {
    const auto close = code.find('"', 1);
    return std::string(code.substr(1, close == std::string_view::npos ? code.npos : close - 1));
  }
  // QUOTE 68 68 69: character codes.
  const auto words = words_of(code);
  std::string text;
  for (const auto& word : words) {
    if (word.text.empty() || word.text.size() > 3 ||
        !std::all_of(word.text.begin(), word.text.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
      return std::string(code);
    }
    const int value = std::stoi(word.text);
    if (value <= 0 || value > 255) return std::string(code);
    text.push_back(static_cast<char>(value));
  }
  return text;
}

void FieldCleaner::add_to_open_fields(pugi::xml_node node) {
  for (Field& field : open_) {
    (field.in_result ? field.result_nodes : field.code_nodes).push_back(node);
  }
}

void FieldCleaner::visit(pugi::xml_node node, std::string_view word_local, bool run_child) {
  if (word_local == "fldSimple") return simple_field(node);
  if (!run_child) return;
  if (word_local == "fldChar") {
    const std::string_view type =
        xml::find_attribute(node, ns::wordprocessingml, "fldCharType").value();
    if (type == "begin") {
      const bool starts_code =
          !open_.empty() && !open_.back().in_result && trimmed(open_.back().code).empty();
      add_to_open_fields(node);
      open_.push_back(Field{node, {}, {}, {}, {}, false, false, starts_code});
      return;
    }
    if (type == "separate" || type == "end") {
      if (open_.empty()) {
        edits_.remove(node);
        findings_.element(kind::field_code, part_, "field character without a field");
        return;
      }
      if (type == "end") return end_field(node);
      if (open_.back().in_result) {
        edits_.remove(node);
        findings_.element(kind::field_code, part_, "second separator in one field");
        return;
      }
      Field field = std::move(open_.back());
      open_.pop_back();
      add_to_open_fields(node);
      field.in_result = true;
      field.separate = node;
      open_.push_back(std::move(field));
      return;
    }
  }
  if ((word_local == "instrText" || word_local == "delInstrText") && !open_.empty() &&
      !open_.back().in_result) {
    open_.back().code += text_of(node);
  }
  add_to_open_fields(node);
}

void FieldCleaner::end_field(pugi::xml_node end) {
  Field field = std::move(open_.back());
  open_.pop_back();
  add_to_open_fields(end);
  const FieldVerdict verdict = classify_field(field.code, field.assembled, options_.hyperlinks);
  if (report(verdict, field.code)) strip(field, end, verdict == FieldVerdict::link_remove);
  if (!open_.empty() && !open_.back().in_result) {
    // What a nested field shows becomes part of the code around it: known for a literal
    // QUOTE, unknown for anything else (and then a keyword built from it is unknown too).
    const auto value = quote_field_value(field.code);
    if (value && verdict == FieldVerdict::keep) {
      open_.back().code += *value;
    } else {
      if (field.starts_code) open_.back().assembled = true;
      open_.back().code += " \x01 ";
    }
  }
}

void FieldCleaner::simple_field(pugi::xml_node node) {
  const std::string code = xml::find_attribute(node, ns::wordprocessingml, "instr").value();
  const FieldVerdict verdict = classify_field(code, false, options_.hyperlinks);
  if (!report(verdict, code)) return;
  if (verdict == FieldVerdict::link_remove) {
    edits_.remove(node);
  } else {
    edits_.unwrap(node);
  }
}

bool FieldCleaner::report(FieldVerdict verdict, std::string_view code) {
  const std::string shown = shortened(trimmed(code));
  switch (verdict) {
    case FieldVerdict::keep:
      return false;
    case FieldVerdict::dde:
      findings_.element(kind::dde_field, part_, "field " + shown);
      return true;
    case FieldVerdict::include:
      findings_.element(kind::include_field, part_, "field " + shown);
      return true;
    case FieldVerdict::not_allowed:
      findings_.element(kind::field_code, part_, "field " + (shown.empty() ? "(empty)" : shown));
      return true;
    case FieldVerdict::unsafe_link:
      findings_.element(kind::unsafe_hyperlink, part_, "field " + shown);
      return true;
    case FieldVerdict::link_text:
      findings_.record(kind::hyperlink, part_, Action::neutralized, "field " + shown);
      return true;
    case FieldVerdict::link_remove:
      findings_.record(kind::hyperlink, part_, Action::removed, "field " + shown);
      return true;
  }
  return false;
}

void FieldCleaner::strip(const Field& field, pugi::xml_node end, bool with_result) {
  edits_.remove(field.begin);
  for (pugi::xml_node node : field.code_nodes) edits_.remove(node);
  edits_.remove(field.separate);
  edits_.remove(end);
  if (with_result) {
    for (pugi::xml_node node : field.result_nodes) edits_.remove(node);
  }
}

void FieldCleaner::finish() {
  while (!open_.empty()) {
    Field field = std::move(open_.back());
    open_.pop_back();
    findings_.element(kind::field_code, part_,
                      "field without an end: " + shortened(trimmed(field.code)));
    strip(field, {}, false);
  }
}

}  // namespace sanitize::formats::ooxml
