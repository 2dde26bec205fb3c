#include <doctest/doctest.h>

#include <string>

#include "formats/unsupported/unsupported_format.hpp"
#include "formats/zip/raw_zip.hpp"
#include "formats/zip/zip_format.hpp"
#include "sanitize/engine.hpp"

using sanitize::formats::zip::testing::RawArchive;
using sanitize::formats::zip::testing::RawEntry;

namespace {

sanitize::Result run(const std::string& bytes, std::string_view name) {
  static const sanitize::Engine engine(
      sanitize::Policy::defaults(),
      {&sanitize::formats::unsupported_format(), &sanitize::formats::zip_format()});
  return engine.sanitize({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, name);
}

std::string zip_of(std::vector<std::string> names, std::string first_stored = {}) {
  RawArchive archive;
  if (!first_stored.empty()) {
    RawEntry mimetype;
    mimetype.name = "mimetype";
    mimetype.data = first_stored;
    mimetype.deflate = false;
    archive.entries.push_back(mimetype);
  }
  for (auto& name : names) {
    RawEntry e;
    e.name = std::move(name);
    e.data = "<x/>";
    archive.entries.push_back(e);
  }
  return build(archive);
}

}  // namespace

TEST_CASE("zip-based containers are never treated as plain zips") {
  struct Case {
    std::string bytes;
    const char* type;
  };
  const Case cases[] = {
      {zip_of({"[Content_Types].xml", "word/document.xml"}), "ooxml_other"},
      {zip_of({"[Content_Types].xml", "xl/workbook.xml"}), "ooxml_other"},
      {zip_of({"[Content_Types].xml", "xl/workbook.bin"}), "xlsb"},
      {zip_of({"[Content_Types].xml", "ppt/presentation.xml"}), "ooxml_other"},
      {zip_of({"[Content_Types].xml", "visio/document.xml"}), "ooxml_visio"},
      {zip_of({"[Content_Types].xml", "FixedDocSeq.fdseq"}), "xps"},
      {zip_of({"OEBPS/content.opf"}, "application/epub+zip"), "epub"},
      {zip_of({"META-INF/MANIFEST.MF", "a.class"}), "jar"},
      {zip_of({"AndroidManifest.xml", "classes.dex"}), "apk"},
      {zip_of({"[Content_Types].xml", "AppxManifest.xml"}), "msix"},
      {zip_of({"[Content_Types].xml", "extension.vsixmanifest"}), "vsix"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.type);
    const auto result = run(c.bytes, "file.zip");
    CHECK(result.verdict == sanitize::Verdict::blocked);
    CHECK(result.report.detected_type == c.type);
    CHECK(result.report.format == "unsupported");
  }
  CHECK(run(zip_of({"[Content_Types].xml", "word/document.xml"}), "a.docx").report.block_reason ==
        sanitize::BlockReason::unsupported_format);
  CHECK(run(zip_of({"META-INF/MANIFEST.MF"}), "a.jar").report.block_reason ==
        sanitize::BlockReason::dangerous_type);
}

TEST_CASE("a zip that is only a zip goes to the zip module") {
  CHECK(run(zip_of({"a.xml"}), "a.zip").report.format == "zip");
}

TEST_CASE("text that is really mail, RTF or HTML is claimed by name of its format") {
  CHECK(run("From: a@example.jp\r\nTo: b@example.jp\r\nSubject: hi\r\n\r\nbody\r\n", "m.eml")
            .report.detected_type == "eml");
  CHECK(run("{\\rtf1\\ansi hello}", "a.rtf").report.detected_type == "rtf");
  CHECK(run("{\\rt malformed}", "a.rtf").report.detected_type == "rtf");
  CHECK(run("  <!DOCTYPE html><html><body>x</body></html>", "a.txt").report.detected_type ==
        "html");
  CHECK(run("<script>alert(1)</script>", "a.txt").report.detected_type == "html");
  CHECK(run("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>", "a.svg")
            .report.detected_type == "svg");
}

TEST_CASE("ordinary text is not claimed") {
  const std::string csv = "name,mail\r\nA,a@example.jp\r\n";
  CHECK(run(csv, "a.csv").report.block_reason == sanitize::BlockReason::unknown_type);
  CHECK(run("Subject: only one header line\r\n\r\nbody\r\n", "a.txt").report.block_reason ==
        sanitize::BlockReason::unknown_type);
}
