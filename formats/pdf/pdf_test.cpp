#include <doctest/doctest.h>

#include <fmt/format.h>

#include <fstream>
#include <set>
#include <string>

#include "formats/pdf/qpdf_testing.hpp"
#include "formats/pdf/raw_pdf.hpp"
#include "sanitize/defaults.hpp"

using sanitize::formats::pdf::testing::encrypted;
using sanitize::formats::pdf::testing::flate;
using sanitize::formats::pdf::testing::RawPdf;
using sanitize::formats::pdf::testing::read_facts;
using sanitize::formats::pdf::testing::TextDocument;

namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::string text_of(const std::vector<std::uint8_t>& bytes) {
  return {bytes.begin(), bytes.end()};
}

sanitize::Result run(const std::string& pdf, std::string_view policy_toml = {},
                     std::string_view name = "test.pdf") {
  const auto engine =
      sanitize::make_default_engine(policy_toml.empty() ? sanitize::Policy::defaults()
                                                        : sanitize::Policy::from_toml(policy_toml));
  return engine->sanitize(bytes_of(pdf), name);
}

std::set<std::string> kinds_of(const sanitize::Report& report) {
  std::set<std::string> kinds;
  for (const auto& finding : report.findings) kinds.insert(finding.kind);
  for (const auto& child : report.children) kinds.merge(kinds_of(child));
  return kinds;
}

std::string link_document(const std::string& uri) {
  TextDocument doc({"Links"});
  doc.annotation(0, fmt::format("<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI "
                                "/URI ({}) >> >>",
                                uri));
  return doc.build();
}

bool poppler_mapped() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    if (line.find("libpoppler") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

// First in the file, before any test rasterizes in this process.
TEST_CASE("poppler is loaded by a preload that rasterizes, and by nothing else") {
  REQUIRE_FALSE(poppler_mapped());
  sanitize::make_default_engine(sanitize::Policy::defaults())->preload();
  run(link_document("https://www.city.example.jp/"));
  CHECK_FALSE(poppler_mapped());
  sanitize::make_default_engine(
      sanitize::Policy::from_toml("[formats.pdf]\nmode = \"rasterize\"\n"))
      ->preload();
  CHECK(poppler_mapped());
}

TEST_CASE("an open action script and a hex-escaped one are removed, the page stays") {
  TextDocument doc({"Hello"});
  doc.catalog_entry("/OpenAction << /#53 /J#61vaScript /JS (app.alert\\(1\\)) >>");
  const auto result = run(doc.build());
  REQUIRE(result.verdict == sanitize::Verdict::sanitized);
  CHECK(kinds_of(result.report) == std::set<std::string>{"pdf.javascript"});
  const auto out = read_facts(result.output);
  CHECK_FALSE(out.has_open_action);
  CHECK(out.pages == 1);
}

TEST_CASE("a go-to open action stays while its /Next chain goes") {
  TextDocument doc({"Hello"});
  doc.catalog_entry(
      fmt::format("/OpenAction << /S /GoTo /D [{} 0 R /Fit] /Next << /S /JavaScript /JS (1) >> >>",
                  doc.page(0)));
  const auto result = run(doc.build());
  CHECK(kinds_of(result.report) == std::set<std::string>{"pdf.javascript"});
  const auto out = read_facts(result.output);
  CHECK(out.open_action_type == "/GoTo");
  CHECK_FALSE(out.open_action_has_next);
}

TEST_CASE("rebuild is deterministic and idempotent") {
  TextDocument doc({"One", "Two"});
  doc.page_entry(0, "/AA << /O << /S /JavaScript /JS (x) >> >>");
  const auto first = run(doc.build());
  const auto second = run(doc.build());
  REQUIRE(first.verdict == sanitize::Verdict::sanitized);
  CHECK(first.output == second.output);
  const auto again = run(text_of(first.output));
  CHECK(again.verdict == sanitize::Verdict::clean);
  CHECK(again.output == first.output);
}

TEST_CASE("links: kept by default, neutralized or removed by policy; file: and UNC always go") {
  const std::string web = link_document("https://www.example.lg.jp/");
  CHECK(run(web).verdict == sanitize::Verdict::clean);

  const auto neutralized = run(web, "[formats.pdf]\nuri = \"neutralize\"\n");
  REQUIRE(neutralized.report.findings.size() == 1);
  CHECK(neutralized.report.findings[0].action == sanitize::Action::neutralized);
  const auto out = read_facts(neutralized.output);
  CHECK(out.first_page_annotation_actions == std::vector<std::string>{""});
  CHECK(out.first_page_annotation_contents ==
        std::vector<std::string>{"https://www.example.lg.jp/"});

  const auto removed = run(web, "[formats.pdf]\nuri = \"remove\"\n");
  CHECK(kinds_of(removed.report) == std::set<std::string>{"pdf.uri"});

  for (const char* target : {"file:///etc/passwd", "\\\\\\\\host\\\\share", "JavaScript:x"}) {
    CAPTURE(target);
    CHECK(kinds_of(run(link_document(target)).report) == std::set<std::string>{"pdf.unsafe_uri"});
  }
}

TEST_CASE("owner-password-only files are decrypted, with their permissions reported") {
  const auto result = run(encrypted(TextDocument({"Secret"}).build(), "", "owner"));
  REQUIRE(result.verdict == sanitize::Verdict::sanitized);
  REQUIRE(result.report.findings.size() == 1);
  CHECK(result.report.findings[0].kind == "pdf.encryption");
  CHECK(result.report.findings[0].detail.find("print low resolution") != std::string::npos);
  CHECK(result.report.findings[0].detail.find("modify no") != std::string::npos);
  CHECK(result.report.findings[0].detail.find("copy no") != std::string::npos);
  CHECK_FALSE(read_facts(result.output).encrypted);
}

TEST_CASE("a file that needs a user password is blocked") {
  const auto result = run(encrypted(TextDocument({"Secret"}).build(), "user", "owner"));
  CHECK(result.verdict == sanitize::Verdict::blocked);
  CHECK(result.report.block_reason == sanitize::BlockReason::encrypted);
  CHECK(result.report.block_detail == "encrypted PDF, cannot be inspected");
}

TEST_CASE("filter bombs stop at the budget") {
  TextDocument doc({"Bomb"});
  std::string pairs;
  for (int i = 0; i < (1 << 18); ++i) pairs += std::string("\x81\x00", 2);
  const int bomb = doc.pdf().add_stream("/Filter [/FlateDecode /RunLengthDecode]", flate(pairs));
  doc.page_entry(0, fmt::format("/PieceInfo << /B {} 0 R >>", bomb));
  const auto result = run(doc.build(), "[limits]\nmax_expanded_bytes = 4194304\n");
  CHECK(result.verdict == sanitize::Verdict::blocked);
  CHECK(result.report.block_reason == sanitize::BlockReason::limit);
  REQUIRE_FALSE(result.report.limits_hit.empty());
}

TEST_CASE("a page tree loop and a page tree too deep are blocked") {
  RawPdf loop;
  const int catalog = loop.add("<< /Type /Catalog /Pages 2 0 R >>");
  loop.add("<< /Type /Pages /Kids [2 0 R] /Count 1 >>");
  CHECK(run(loop.build(catalog)).report.block_reason == sanitize::BlockReason::corrupt);

  RawPdf deep;
  const int root = deep.add("<< /Type /Catalog /Pages 2 0 R >>");
  for (int level = 0; level < 80; ++level) {
    deep.add(fmt::format("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", deep.next_number() + 1));
  }
  deep.add("<< /Type /Page /MediaBox [0 0 10 10] >>");
  CHECK(run(deep.build(root)).report.block_reason == sanitize::BlockReason::limit);
}

TEST_CASE("qpdf's warnings block past the threshold") {
  TextDocument doc({"Damaged"});
  std::string refs;
  for (int i = 0; i < 30; ++i) refs += fmt::format("{} 0 R ", doc.pdf().add("<< /X (open >>"));
  doc.catalog_entry("/PieceInfo << /J [" + refs + "] >>");
  std::string damaged = doc.build();
  damaged.insert(damaged.find("1 0 obj"), "%\n");
  CHECK(run(damaged, "[formats.pdf]\nmax_warnings = 5\n").report.block_reason ==
        sanitize::BlockReason::corrupt);
  const auto lenient = run(damaged, "[formats.pdf]\nmax_warnings = 1000\n");
  CHECK(lenient.verdict == sanitize::Verdict::sanitized);
  CHECK(kinds_of(lenient.report).contains("pdf.repaired"));
}

TEST_CASE("signatures are removed, or block the file by policy") {
  TextDocument doc({"Signed"});
  const int sig = doc.pdf().add("<< /Type /Sig /Filter /Adobe.PPKLite /Contents <00> >>");
  const int field = doc.annotation(
      0, fmt::format("<< /Subtype /Widget /FT /Sig /T (s) /V {} 0 R /Rect [0 0 0 0] >>", sig));
  doc.catalog_entry(fmt::format("/AcroForm << /Fields [{} 0 R] /SigFlags 3 >>", field));
  const std::string bytes = doc.build();
  const auto removed = run(bytes);
  CHECK(kinds_of(removed.report) == std::set<std::string>{"pdf.signature"});
  CHECK_FALSE(read_facts(removed.output).acroform_has_sig_flags);
  CHECK(run(bytes, "[elements]\n\"pdf.signature\" = \"block\"\n").report.block_reason ==
        sanitize::BlockReason::active_content);
}

TEST_CASE("embedded files: removed by default, or sanitized and re-embedded") {
  TextDocument doc({"Attachments"});
  const int note = doc.pdf().add_stream("/Type /EmbeddedFile", "meeting at 10:00\r\n");
  const int program = doc.pdf().add_stream("/Type /EmbeddedFile", "MZ\x90");
  doc.catalog_entry(fmt::format(
      "/Names << /EmbeddedFiles << /Names [(note.txt) << /Type /Filespec /F (note.txt) /EF << "
      "/F {} 0 R >> >> (run.exe) << /Type /Filespec /F (run.exe) /EF << /F {} 0 R >> >>] >> >>",
      note, program));
  const std::string bytes = doc.build();
  CHECK(kinds_of(run(bytes).report) == std::set<std::string>{"pdf.embedded_file"});

  const auto kept = run(bytes, "[formats.pdf]\nembedded_files = \"sanitize\"\n");
  REQUIRE(kept.verdict == sanitize::Verdict::sanitized);
  CHECK(kept.report.children.size() == 2);
  const auto files = read_facts(kept.output).embedded_files;
  REQUIRE(files.size() == 1);
  CHECK(files[0].first == "note.txt");
  CHECK(files[0].second == "meeting at 10:00\r\n");
}

TEST_CASE("rasterize keeps page count and sizes, and the words as invisible text") {
  TextDocument doc({"Alpha beta", "Gamma delta"});
  doc.page_entry(1, "/Rotate 90");
  doc.catalog_entry("/OpenAction << /S /JavaScript /JS (1) >>");
  const auto result =
      run(doc.build(), "[formats.pdf]\nmode = \"rasterize\"\ndpi = 36\nrender_threads = 2\n");
  REQUIRE(result.verdict == sanitize::Verdict::sanitized);
  CHECK(kinds_of(result.report).contains("pdf.javascript"));
  const auto out = read_facts(result.output);
  REQUIRE(out.pages == 2);
  CHECK(out.page_sizes[0].first == doctest::Approx(612));
  CHECK(out.page_sizes[1].first == doctest::Approx(792));  // turned: displayed landscape
  CHECK(out.page_sizes[1].second == doctest::Approx(612));
  CHECK(out.first_page_content.find("3 Tr") != std::string::npos);
  CHECK(out.first_page_content.find("/Im0 Do") != std::string::npos);
}
