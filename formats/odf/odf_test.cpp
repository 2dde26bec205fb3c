#include <doctest/doctest.h>
#include <libdeflate.h>

#include <map>
#include <memory>
#include <pugixml.hpp>
#include <set>
#include <string>

#include "formats/odf/odf_builder.hpp"
#include "formats/odf/odf_findings.hpp"
#include "formats/odf/odf_format.hpp"
#include "formats/odf/odf_links.hpp"
#include "formats/unsupported/unsupported_format.hpp"
#include "formats/zip/central_directory.hpp"
#include "formats/zip/zip_format.hpp"
#include "sanitize/engine.hpp"

namespace odf = sanitize::formats::odf;
using odf::Target;
using odf::testing::Package;
using sanitize::BlockReason;
using sanitize::Verdict;

namespace {

sanitize::Result run(const std::string& bytes, std::string_view name,
                     std::string_view policy_toml = {}) {
  const sanitize::Engine engine(
      sanitize::Policy::from_toml(policy_toml),
      {&sanitize::formats::unsupported_format(), &sanitize::formats::odf_format(),
       &sanitize::formats::zip_format()});
  return engine.sanitize({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, name);
}

struct Unpacked {
  std::vector<std::string> order;
  std::map<std::string, std::string> data;
  std::map<std::string, std::uint16_t> method;
};

Unpacked unpack(const std::vector<std::uint8_t>& archive) {
  Unpacked out;
  const auto directory = sanitize::formats::zip::read_directory(archive);
  std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> inflater(
      libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
  for (const auto& entry : directory.entries) {
    std::string data(entry.uncompressed_size, '\0');
    const auto* start = archive.data() + entry.data_offset;
    if (entry.method == 0) {
      data.assign(start, start + entry.compressed_size);
    } else {
      REQUIRE(libdeflate_deflate_decompress(inflater.get(), start, entry.compressed_size,
                                            data.data(), data.size(),
                                            nullptr) == LIBDEFLATE_SUCCESS);
    }
    out.order.push_back(entry.raw_name);
    out.data[entry.raw_name] = data;
    out.method[entry.raw_name] = entry.method;
  }
  return out;
}

std::set<std::string> kinds_of(const sanitize::Report& report) {
  std::set<std::string> kinds;
  for (const auto& finding : report.findings) kinds.insert(finding.kind);
  return kinds;
}

// The text of every paragraph and heading, in document order.
std::string paragraph_text(const std::string& xml_text) {
  pugi::xml_document document;
  REQUIRE(document.load_string(xml_text.c_str(), pugi::parse_default | pugi::parse_ws_pcdata));
  std::string text;
  for (const auto& node : document.select_nodes("//*[local-name()='p' or local-name()='h']")) {
    for (const auto& piece : node.node().select_nodes(".//text()")) {
      text += piece.node().value();
    }
    text += "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("benign documents come out clean, with mimetype first and stored") {
  struct Case {
    const char* name;
    Package package;
  };
  for (const Case& c : {Case{"report.odt", odf::testing::text_document()},
                        Case{"budget.ods", odf::testing::spreadsheet()},
                        Case{"meeting.odp", odf::testing::presentation()}}) {
    const std::string_view name = c.name;
    const Package& package = c.package;
    CAPTURE(name);
    const std::string input = package.build();
    const auto result = run(input, name);
    REQUIRE(result.verdict == Verdict::clean);
    CHECK(result.report.format == "odf");
    CHECK(result.output_name == name);
    const Unpacked out = unpack(result.output);
    CHECK(out.order.front() == "mimetype");
    CHECK(out.method.at("mimetype") == 0);
    CHECK(out.method.at("Pictures/tiny.png") == 0);
    CHECK(out.data.at("Pictures/tiny.png") == odf::testing::tiny_png());
    CHECK(out.data.contains("Object 1/content.xml"));
    const std::vector<std::uint8_t> bytes(input.begin(), input.end());
    const Unpacked in = unpack(bytes);
    CHECK(paragraph_text(out.data.at("content.xml")) == paragraph_text(in.data.at("content.xml")));
    CHECK(paragraph_text(out.data.at("styles.xml")) == paragraph_text(in.data.at("styles.xml")));
    const std::string manifest = out.data.at("META-INF/manifest.xml");
    CHECK(manifest.find("manifest:full-path=\"Object 1/\"") != std::string::npos);
    CHECK(manifest.find("manifest:full-path=\"mimetype\"") == std::string::npos);
    // A second pass finds nothing and gives the same bytes.
    const std::string again(result.output.begin(), result.output.end());
    const auto second = run(again, name);
    CHECK(second.verdict == Verdict::clean);
    CHECK(second.output == result.output);
  }
}

TEST_CASE("Basic libraries and the event that runs them are removed, the manifest follows") {
  Package package = odf::testing::text_document(
      {},
      "<office:scripts><office:event-listeners><script:event-listener "
      "script:language=\"ooo:script\" script:event-name=\"dom:load\" "
      "xlink:href=\"vnd.sun.star.script:Standard.Module1.Main?language=Basic\"/>"
      "</office:event-listeners></office:scripts>");
  package.add("Basic/Standard/Module1.xml", "<script:module/>").add("Basic/script-lc.xml", "<x/>");
  const auto result = run(package.build(), "macro.odt");
  REQUIRE(result.verdict == Verdict::sanitized);
  CHECK(kinds_of(result.report) == std::set<std::string>{"odf.basic_macro", "odf.event_listener"});
  const Unpacked out = unpack(result.output);
  for (const auto& name : out.order) CHECK_FALSE(name.starts_with("Basic/"));
  CHECK(out.data.at("META-INF/manifest.xml").find("Basic") == std::string::npos);
  CHECK(out.data.at("content.xml").find("office:scripts") == std::string::npos);
  CHECK(out.data.at("content.xml").find("vnd.sun.star.script") == std::string::npos);
}

TEST_CASE("the policy can block a document holding macros") {
  Package package = odf::testing::text_document();
  package.add("Basic/Standard/Module1.xml", "<script:module/>");
  const auto result =
      run(package.build(), "macro.odt", "[elements]\n\"odf.basic_macro\" = \"block\"\n");
  CHECK(result.verdict == Verdict::blocked);
  CHECK(result.report.block_reason == BlockReason::active_content);
}

TEST_CASE("hyperlinks follow the policy; links to files and shares always go") {
  const std::string links =
      "<text:p>A <text:a xlink:href=\"https://example.jp/\">web</text:a> B <text:a "
      "xlink:href=\"file:///C:/x\">file</text:a> C <text:a "
      "xlink:href=\"\\\\server\\share\">unc</text:a></text:p>";
  const std::string input = odf::testing::text_document(links).build();
  const auto content = [](const sanitize::Result& result) {
    return unpack(result.output).data.at("content.xml");
  };

  const auto kept = run(input, "a.odt");
  CHECK(kinds_of(kept.report) == std::set<std::string>{"odf.unsafe_link"});
  CHECK(content(kept).find("https://example.jp/") != std::string::npos);
  CHECK(content(kept).find("file:") == std::string::npos);
  CHECK(paragraph_text(content(kept)).find("A web B file C unc") != std::string::npos);

  const auto text = run(input, "a.odt", "[formats.odf]\nhyperlinks = \"text\"\n");
  CHECK(kinds_of(text.report) == std::set<std::string>{"odf.unsafe_link", "odf.hyperlink"});
  CHECK(content(text).find("https://example.jp/") == std::string::npos);
  CHECK(paragraph_text(content(text)).find("A web B file C unc") != std::string::npos);

  const auto removed = run(input, "a.odt", "[formats.odf]\nhyperlinks = \"remove\"\n");
  CHECK(paragraph_text(content(removed)).find("A  B file C unc") != std::string::npos);
}

TEST_CASE("metadata is kept by default and scrubbed on request") {
  const std::string input = odf::testing::text_document().build();
  const auto kept = run(input, "a.odt");
  CHECK(unpack(kept.output).data.at("meta.xml").find("Yamada Taro") != std::string::npos);
  const auto scrubbed = run(input, "a.odt", "[formats.odf]\nmetadata = \"scrub\"\n");
  CHECK(kinds_of(scrubbed.report) == std::set<std::string>{"odf.metadata"});
  const Unpacked out = unpack(scrubbed.output);
  CHECK(out.data.at("meta.xml").find("Yamada") == std::string::npos);
  CHECK(out.data.at("meta.xml").find("○○市役所") == std::string::npos);
  CHECK(out.data.at("meta.xml").find("予算資料 Budget") != std::string::npos);  // the title stays
  CHECK(out.data.at("content.xml").find("山田") == std::string::npos);  // the comment's author
  CHECK(out.data.at("content.xml").find("確認してください") != std::string::npos);
}

TEST_CASE("metafiles go unless the policy keeps them; a chart survives without its picture") {
  const std::string input =
      sanitize::formats::zip::testing::build(odf::testing::chart_with_svm_replacement());
  const auto removed = run(input, "chart.odt");
  CHECK(kinds_of(removed.report) == std::set<std::string>{"odf.metafile"});
  const Unpacked out = unpack(removed.output);
  CHECK_FALSE(out.data.contains("ObjectReplacements/Object 1"));
  CHECK(out.data.at("content.xml").find("ObjectReplacements") == std::string::npos);
  CHECK(out.data.at("content.xml").find("./Object 1") != std::string::npos);
  const auto kept = run(input, "chart.odt", "[formats.odf]\nkeep_metafiles = true\n");
  CHECK(kept.verdict == Verdict::clean);
}

TEST_CASE("an OLE object goes with its frame and replacement") {
  Package package = odf::testing::text_document(
      "<text:p>x<draw:frame draw:name=\"Object 2\"><draw:object-ole xlink:href=\"./Object 2\"/>"
      "<draw:image xlink:href=\"./ObjectReplacements/Object 2\"/></draw:frame>y</text:p>");
  package.add("Object 2", odf::testing::ole2_storage(), "application/vnd.sun.star.oleobject")
      .add("ObjectReplacements/Object 2", odf::testing::tiny_png(), "image/png");
  const auto result = run(package.build(), "ole.odt");
  CHECK(kinds_of(result.report) == std::set<std::string>{"odf.ole_object"});
  std::set<std::string> locations;
  for (const auto& finding : result.report.findings) locations.insert(finding.location);
  CHECK(locations ==
        std::set<std::string>{"Object 2", "ObjectReplacements/Object 2", "content.xml"});
  const std::string content = unpack(result.output).data.at("content.xml");
  CHECK(content.find("Object 2") == std::string::npos);
  CHECK(content.find("Object 1") != std::string::npos);
}

TEST_CASE("encrypted, legacy, mimetype-less and broken packages are blocked") {
  Package encrypted = odf::testing::text_document();
  encrypted.encrypt("content.xml");
  const auto locked = run(encrypted.build(), "a.odt");
  CHECK(locked.report.block_reason == BlockReason::encrypted);
  CHECK(locked.report.block_detail.find("encrypted document") != std::string::npos);

  Package legacy("application/vnd.sun.xml.writer");
  CHECK(run(legacy.build(), "a.sxw").report.detected_type == "staroffice");
  auto no_mimetype = odf::testing::text_document().archive();
  no_mimetype.entries.erase(no_mimetype.entries.begin());
  const auto bare = run(sanitize::formats::zip::testing::build(no_mimetype), "a.odt");
  CHECK(bare.report.detected_type == "odf_package");
  CHECK(bare.report.block_reason == BlockReason::unsupported_format);

  std::string content = odf::testing::content_xml("text", "<text:p>x</text:p>");
  odf::testing::replace_first(content, "<office:document-content", "<office:document-styles");
  odf::testing::replace_first(content, "</office:document-content", "</office:document-styles");
  Package wrong_root(odf::testing::kText);
  wrong_root.add("content.xml", content);
  const auto wrong = run(wrong_root.build(), "a.odt");
  CHECK(wrong.report.block_reason == BlockReason::corrupt);
  CHECK(wrong.report.block_detail.find("the root element is office:document-styles") !=
        std::string::npos);
}

TEST_CASE("formulas that call DDE or a web service lose the formula, not the value") {
  const std::string cells =
      "<table:table-cell table:formula=\"of:=ORG.OPENOFFICE.DDE(&quot;x&quot;)\" "
      "office:value-type=\"float\" office:value=\"5\"><text:p>5</text:p></table:table-cell>"
      "<table:table-cell table:formula=\"of:=LEN(&quot;WEBSERVICE(&quot;)\" "
      "office:value-type=\"float\" office:value=\"11\"><text:p>11</text:p></table:table-cell>";
  const auto result = run(odf::testing::spreadsheet(cells).build(), "a.ods");
  CHECK(kinds_of(result.report) == std::set<std::string>{"odf.dde_link"});
  const std::string content = unpack(result.output).data.at("content.xml");
  CHECK(content.find("DDE(") == std::string::npos);
  CHECK(content.find("of:=LEN(") != std::string::npos);
  CHECK(content.find("<text:p>5</text:p>") != std::string::npos);
}

TEST_CASE("findings of one kind are capped, with a count of the rest") {
  std::string links;
  for (int i = 0; i < 250; ++i)
    links += "<text:p><text:a xlink:href=\"file:///x\">x</text:a></text:p>";
  const auto result = run(odf::testing::text_document(links).build(), "a.odt");
  REQUIRE(result.report.findings.size() == odf::kListedPerKind + 1);
  CHECK(result.report.findings.back().detail.starts_with("50 more"));
}

TEST_CASE("references are classified by their text") {
  CHECK(odf::classify_reference("#Bookmark", "").target == Target::fragment);
  CHECK(odf::classify_reference("./Object 1", "").package_path == "Object 1");
  CHECK(odf::classify_reference("Pictures/a%20b.png", "Object 1/").package_path ==
        "Object 1/Pictures/a b.png");
  CHECK(odf::classify_reference("../x.odt", "").target == Target::relative);
  CHECK(odf::classify_reference("../Pictures/a.png", "Object 1/").package_path == "Pictures/a.png");
  CHECK(odf::classify_reference("HTTPS://example.jp", "").target == Target::web);
  CHECK(odf::classify_reference(" vnd.sun.star.script:a.b?language=Basic", "").target ==
        Target::script);
  CHECK(odf::classify_reference("Macro:///Standard.Module1.Main", "").target == Target::script);
  CHECK(odf::classify_reference(".uno:OpenUrl", "").target == Target::script);
  for (std::string_view unsafe :
       {"file:///etc/passwd", "\\\\host\\share", "//host/share", "C:\\Windows\\cmd.exe",
        "ms-msdt:/id x", "smb://host/x", "/etc/passwd", "data:text/html,x"}) {
    CAPTURE(unsafe);
    CHECK(odf::classify_reference(unsafe, "").target == Target::unsafe);
  }
}

TEST_CASE("foreign markup goes, its text stays; unknown entries and their folders are named") {
  Package package = odf::testing::text_document(
      "<text:p>before <x:note xmlns:x=\"urn:example\" x:level=\"1\">inside</x:note> after"
      "<text:span x:mark=\"1\" xmlns:x=\"urn:example\">span</text:span></text:p>");
  package.add("layout-cache", "binary", "application/binary")
      .add_unlisted("Media/", "")
      .add_unlisted("Media/clip.mp4", "not a picture")
      .add_unlisted("Pictures/", "");
  const auto result = run(package.build(), "a.odt");
  std::set<std::string> locations;
  for (const auto& finding : result.report.findings) {
    if (finding.kind == "odf.unknown_entry") locations.insert(finding.location);
  }
  CHECK(locations == std::set<std::string>{"layout-cache", "Media/", "Media/clip.mp4"});
  CHECK(kinds_of(result.report) ==
        std::set<std::string>{"odf.foreign_markup", "odf.unknown_entry"});
  const Unpacked out = unpack(result.output);
  CHECK_FALSE(out.data.contains("Pictures/"));  // folder entries are not written
  CHECK(out.data.contains("Pictures/tiny.png"));
  const std::string content = out.data.at("content.xml");
  CHECK(content.find("urn:example\"") != std::string::npos);  // the declaration may stay
  CHECK(content.find("x:note") == std::string::npos);
  CHECK(content.find("x:mark") == std::string::npos);
  CHECK(paragraph_text(content).find("before inside afterspan") != std::string::npos);
}

TEST_CASE("an embedded chart is rebuilt by the same rules and kept") {
  auto archive = odf::testing::text_document().archive();
  odf::testing::insert_before(
      odf::testing::entry_data(archive, "Object 1/content.xml"), "<office:body>",
      "<office:scripts><office:event-listeners><script:event-listener script:event-name="
      "\"dom:load\" xlink:href=\"macro:///Standard.Module1.Main\"/></office:event-listeners>"
      "</office:scripts>");
  const auto result = run(sanitize::formats::zip::testing::build(archive), "a.odt");
  REQUIRE(result.report.findings.size() == 1);
  CHECK(result.report.findings.front().kind == "odf.event_listener");
  CHECK(result.report.findings.front().location == "Object 1/content.xml");
  const Unpacked out = unpack(result.output);
  CHECK(out.data.at("Object 1/content.xml").find("macro:") == std::string::npos);
  CHECK(out.data.at("Object 1/content.xml").find("売上 Sales") != std::string::npos);
}

TEST_CASE("a prefix bound to a look-alike namespace hides nothing") {
  // LibreOffice reads some versioned variants of the ODF namespaces as the 1.0 ones: markup
  // in any namespace the module does not know is dropped, never passed on.
  const std::string listener =
      "<office:scripts><office:event-listeners><s:event-listener "
      "xmlns:s=\"urn:oasis:names:tc:opendocument:xmlns:script:1.2\" s:event-name=\"dom:load\" "
      "xlink:href=\"vnd.sun.star.script:Standard.Module1.Main?language=Basic\"/>"
      "</office:event-listeners></office:scripts>";
  const auto result = run(odf::testing::text_document({}, listener).build(), "a.odt");
  CHECK(kinds_of(result.report).contains("odf.foreign_markup"));
  const std::string content = unpack(result.output).data.at("content.xml");
  CHECK(content.find("event-listener") == std::string::npos);
  CHECK(content.find("vnd.sun.star.script") == std::string::npos);
}
