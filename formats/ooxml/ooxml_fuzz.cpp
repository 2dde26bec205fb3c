// libFuzzer target for the OOXML module, in two modes.
// - A zip ("PK..."): the whole package through an engine holding the module. A delivered
//   output, sanitized again, must come back clean and byte for byte the same.
// - Anything else: the first byte picks a part's content type and the options, the rest is
//   the XML of that part, cleaned as if its relationships rId1-rId3 had been dropped. The
//   result must parse again, and cleaning it again must change nothing.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "formats/common/xml_part.hpp"
#include "formats/ooxml/ooxml_format.hpp"
#include "formats/ooxml/plan.hpp"
#include "formats/ooxml/xml_clean.hpp"
#include "sanitize/engine.hpp"

namespace {

using namespace sanitize;
namespace oo = sanitize::formats::ooxml;

constexpr std::array<std::string_view, 12> kContentTypes{
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
    "application/vnd.openxmlformats-officedocument.presentationml.slide+xml",
    "application/vnd.openxmlformats-officedocument.vmlDrawing",
    "application/vnd.openxmlformats-package.core-properties+xml",
    "application/vnd.ms-powerpoint.authors+xml",
    "application/vnd.openxmlformats-officedocument.drawing+xml",
};

// Just enough of a context for cleaning one part: every element is removed, nothing is
// recursed into, budgets are the engine's business.
class PartContext final : public Context {
 public:
  const Probe& probe() const override { return probe_; }
  std::vector<std::uint8_t>& output() override { return output_; }
  void set_output_extension(std::string_view) override {}
  const Policy& policy() const override { return policy_; }
  const OptionValue& option(std::string_view) const override { return unused_; }
  void add_finding(Finding) override {}
  ElementAction element(std::string_view, std::string_view, std::string_view) override {
    return ElementAction::remove;
  }
  void charge_expanded(std::uint64_t, std::string_view) override {}
  void check_ratio(std::uint64_t, std::uint64_t, std::string_view) override {}
  void charge_entries(std::uint64_t, std::string_view) override {}
  void check_deadline() override {}
  unsigned depth() const override { return 0; }
  ChildResult sanitize_child(std::span<const std::uint8_t>, std::string_view) override {
    return {};
  }

 private:
  Probe probe_;
  std::vector<std::uint8_t> output_;
  Policy policy_ = Policy::defaults();
  OptionValue unused_ = false;
};

std::vector<std::uint8_t> clean(std::span<const std::uint8_t> xml, const oo::PlannedPart& part,
                                const oo::Options& options) {
  PartContext ctx;
  oo::Findings findings(ctx);
  oo::WorkbookFacts facts;
  facts.sheet_id_of_part["part.xml"] = "1";
  facts.removed_formulas.emplace("1", "A1");
  facts.removed_sheet_ids.insert("2");
  const auto parsed = formats::xml::parse(xml, "part.xml");
  if (!oo::clean_xml_part(parsed->document, part, options, findings, facts)) return {};
  return formats::xml::serialize(parsed->document);
}

void fuzz_part(std::uint8_t selector, std::span<const std::uint8_t> xml) {
  oo::PlannedPart part;
  part.name = "part.xml";
  part.content_type = kContentTypes[selector % kContentTypes.size()];
  part.relationships = {
      {"rId4", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image",
       "media/a.png", false},
      {"rId5", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
       "https://example.jp/", true}};
  part.targets.emplace("rId4", "media/a.png");
  part.dropped.emplace("rId1", oo::DroppedRelationship{oo::Dangling::drop_element, "ooxml.vba"});
  part.dropped.emplace("rId2",
                       oo::DroppedRelationship{oo::Dangling::unwrap_link, "ooxml.hyperlink"});
  part.dropped.emplace("rId3",
                       oo::DroppedRelationship{oo::Dangling::drop_link_text, "ooxml.hyperlink"});
  oo::Options options;
  options.hyperlinks = static_cast<oo::LinkPolicy>((selector / kContentTypes.size()) % 3);
  options.scrub_metadata = (selector & 0x80) != 0;
  try {
    const auto once = clean(xml, part, options);
    if (once.empty()) return;
    const auto twice = clean(once, part, options);
    if (twice != once) __builtin_trap();
  } catch (const Blocked&) {
  }
}

void fuzz_package(std::span<const std::uint8_t> bytes) {
  static const Engine engine = [] {
    Policy policy = Policy::defaults();
    policy.limits.max_expanded_bytes = 64 * kMiB;
    policy.limits.deadline_ms = 20000;
    policy.extension_mismatch = ExtensionMismatch::rename;  // any main part under one name
    return Engine(policy, {&formats::ooxml_format()});
  }();
  const Result first = engine.sanitize(bytes, "a.docx");
  if (first.verdict == Verdict::blocked) {
    if (!first.output.empty()) __builtin_trap();
    return;
  }
  const Result second = engine.sanitize(first.output, first.output_name);
  if (second.verdict != Verdict::clean || second.output != first.output) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
    fuzz_package(bytes);
  } else if (size >= 1) {
    fuzz_part(data[0], bytes.subspan(1));
  }
  return 0;
}
