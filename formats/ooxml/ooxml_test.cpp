#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>

#include "formats/common/xml_part.hpp"
#include "formats/ooxml/cleaning.hpp"
#include "formats/ooxml/formulas.hpp"
#include "formats/ooxml/namespaces.hpp"
#include "formats/ooxml/ooxml_format.hpp"
#include "formats/ooxml/opc.hpp"
#include "formats/ooxml/samples.hpp"
#include "formats/ooxml/word_fields.hpp"
#include "formats/unsupported/unsupported_format.hpp"
#include "formats/zip/central_directory.hpp"
#include "formats/zip/zip_format.hpp"
#include "sanitize/engine.hpp"

namespace {

using namespace sanitize;
using namespace sanitize::formats::ooxml::testing;
namespace oo = sanitize::formats::ooxml;

using Entries = std::map<std::string, std::string>;

std::span<const std::uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

Result run(const std::string& input, std::string_view name,
           const Policy& policy = Policy::defaults()) {
  const Engine engine(
      policy, {&formats::ooxml_format(), &formats::unsupported_format(), &formats::zip_format()});
  return engine.sanitize(bytes_of(input), name);
}

Policy with_option(const std::string& key, const std::string& value) {
  Policy policy = Policy::defaults();
  policy.format_options["ooxml"][key] = value;
  return policy;
}

Entries entries_of(const std::vector<std::uint8_t>& archive) {
  Entries entries;
  for (const auto& entry : formats::zip::read_directory(archive).entries) {
    const auto data = oo::read_small_entry(archive, entry, 64 * 1024 * 1024);
    REQUIRE(data);
    entries[entry.raw_name] = std::string(data->begin(), data->end());
  }
  return entries;
}

std::string output_text(const Result& result) {
  return std::string(result.output.begin(), result.output.end());
}

void collect(const Report& report, std::string_view kind, std::vector<const Finding*>& out) {
  for (const auto& finding : report.findings) {
    if (finding.kind == kind) out.push_back(&finding);
  }
  for (const auto& child : report.children) collect(child, kind, out);
}

std::vector<const Finding*> findings(const Result& result, std::string_view kind) {
  std::vector<const Finding*> found;
  collect(result.report, kind, found);
  return found;
}

bool found_at(const Result& result, std::string_view kind, std::string_view location) {
  for (const Finding* finding : findings(result, kind)) {
    if (finding->location == location) return true;
  }
  return false;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// Every relationship target exists, every r:id of every XML part resolves, every part has a
// content type: the package is whole.
void check_package(const Entries& entries) {
  REQUIRE(entries.contains("[Content_Types].xml"));
  const oo::ContentTypes types =
      oo::parse_content_types(bytes_of(entries.at("[Content_Types].xml")), "types");
  for (const auto& entry : entries) {
    const std::string& name = entry.first;
    const std::string& data = entry.second;
    if (name == "[Content_Types].xml") continue;
    CAPTURE(name);
    CHECK(!types.of(name).empty());
    if (const auto source = oo::source_of_rels(name)) {
      for (const auto& relationship : oo::parse_relationships(bytes_of(data), name)) {
        if (relationship.external) continue;
        const auto target = oo::resolve_target(*source, relationship.target);
        REQUIRE(target);
        CHECK(entries.contains(*target));
      }
      continue;
    }
    if (!name.ends_with(".xml") && !name.ends_with(".vml")) continue;
    std::set<std::string> ids;
    if (const auto rels = entries.find(oo::rels_name_of(name)); rels != entries.end()) {
      for (const auto& relationship : oo::parse_relationships(bytes_of(rels->second), name)) {
        ids.insert(relationship.id);
      }
    }
    const auto part = formats::xml::parse(bytes_of(data), name);
    oo::walk(part->document.document_element(),
             [&](pugi::xml_node node, const formats::xml::ExpandedName&, const oo::Scope& scope) {
               for (pugi::xml_attribute attribute : node.attributes()) {
                 const auto attribute_name = scope.attribute_name(attribute);
                 if (attribute_name.uri == oo::ns::relationships && *attribute.value() != '\0') {
                   CAPTURE(attribute.value());
                   CHECK(ids.contains(attribute.value()));
                 }
               }
             });
  }
}

// A delivered file: valid, and a second pass changes nothing and finds nothing.
Entries delivered(const Result& result, const Policy& policy = Policy::defaults()) {
  REQUIRE(result.verdict != Verdict::blocked);
  const Entries entries = entries_of(result.output);
  check_package(entries);
  const std::string output = output_text(result);
  const Result again = run(output, result.output_name, policy);
  CHECK(again.verdict == Verdict::clean);
  CHECK(again.output == result.output);
  return entries;
}

}  // namespace

TEST_CASE("Word, Excel and PowerPoint files are claimed by their main part") {
  CHECK(run(word_benign().build(), "a.docx").report.detected_type == "ooxml_word");
  CHECK(run(excel_benign().build(), "a.xlsx").report.detected_type == "ooxml_excel");
  CHECK(run(powerpoint_benign().build(), "a.pptx").report.detected_type == "ooxml_powerpoint");
  CHECK(run(word_vba().build(), "a.docm").report.format == "ooxml");

  Package binary;
  binary.part("xl/workbook.bin", "application/vnd.ms-excel.sheet.binary.macroEnabled.main", "bin")
      .relate("", "rId1", "officeDocument", "xl/workbook.bin");
  const Result xlsb = run(binary.build(), "a.xlsb");
  CHECK(xlsb.report.detected_type == "xlsb");
  CHECK(xlsb.report.block_reason == BlockReason::unsupported_format);

  Package unknown;
  unknown.part("word/document.xml", "application/x-something+xml", "<x/>")
      .relate("", "rId1", "officeDocument", "word/document.xml");
  const Result other = run(unknown.build(), "a.docx");
  CHECK(other.report.detected_type == "ooxml_other");
  CHECK(other.report.block_reason == BlockReason::unsupported_format);

  Package strict;
  strict.part("word/document.xml", ct::word_main, "<x/>")
      .relate("", "rId1", "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
              "word/document.xml");
  const Result strict_result = run(strict.build(), "a.docx");
  CHECK(strict_result.report.detected_type == "ooxml_strict");
  CHECK(strict_result.report.block_reason == BlockReason::unsupported_format);

  Package addin;
  addin.part("xl/workbook.xml", "application/vnd.ms-excel.addin.macroEnabled.main+xml", "<x/>")
      .relate("", "rId1", "officeDocument", "xl/workbook.xml");
  CHECK(run(addin.build(), "a.xlam").report.block_reason == BlockReason::dangerous_type);
}

TEST_CASE("benign documents come out whole, the same every time") {
  for (const auto& sample :
       {std::pair{word_benign(), "a.docx"}, std::pair{excel_benign(), "a.xlsx"},
        std::pair{powerpoint_benign(), "a.pptx"}}) {
    const Package& package = sample.first;
    const char* name = sample.second;
    CAPTURE(name);
    const std::string input = package.build();
    const Result result = run(input, name);
    CHECK(result.verdict == Verdict::clean);
    CHECK(result.output_name == name);
    const Entries before = entries_of(std::vector<std::uint8_t>(input.begin(), input.end()));
    const Entries after = delivered(result);
    for (const auto& entry : before) {
      const std::string& part = entry.first;
      const std::string& data = entry.second;
      CAPTURE(part);
      CHECK(after.contains(part));
      if (part.ends_with(".png") || part.ends_with(".gif")) CHECK(after.at(part) == data);
    }
    CHECK(run(input, name).output == result.output);
  }
}

TEST_CASE("a .docm with a VBA project comes out as a .docx") {
  const Result result = run(word_vba().build(), "report.docm");
  CHECK(result.verdict == Verdict::sanitized);
  CHECK(result.output_name == "report.docx");
  const Entries entries = delivered(result);
  CHECK(!entries.contains("word/vbaProject.bin"));
  CHECK(!entries.contains("word/vbaData.xml"));
  CHECK(!entries.contains("word/vbaProjectSignature.bin"));
  CHECK(!entries.contains("word/_rels/vbaProject.bin.rels"));
  CHECK(contains(entries.at("[Content_Types].xml"), ct::word_main));
  CHECK(!contains(entries.at("[Content_Types].xml"), "macroEnabled"));
  CHECK(!contains(entries.at("word/_rels/document.xml.rels"), "vbaProject"));
  CHECK(findings(result, "ooxml.vba").size() == 4);  // the parts and the relationships part
  const auto converted = findings(result, "ooxml.macro_enabled");
  REQUIRE(converted.size() == 1);
  CHECK(converted.front()->action == Action::converted);

  CHECK(run(excel_vba().build(), "book.xlsm").output_name == "book.xlsx");
  CHECK(run(powerpoint_vba().build(), "deck.pptm").output_name == "deck.pptx");
}

TEST_CASE("a policy that blocks a kind blocks the file holding it") {
  Policy policy = Policy::defaults();
  policy.elements["ooxml.vba"] = ElementAction::block;
  const Result result = run(word_vba().build(), "a.docm", policy);
  CHECK(result.verdict == Verdict::blocked);
  CHECK(result.report.block_reason == BlockReason::active_content);

  policy = Policy::defaults();
  policy.elements["ooxml.macro_enabled"] = ElementAction::block;
  CHECK(run(word_vba().build(), "a.docm", policy).report.block_reason ==
        BlockReason::active_content);
}

TEST_CASE("field codes lose their code and keep their displayed result") {
  const Result result = run(word_fields().build(), "fields.docx");
  const Entries entries = delivered(result);
  const std::string& document = entries.at("word/document.xml");
  for (const std::string_view result_text : {"結果1", "結果2", "結果3", "結果4", "結果5", "結果6",
                                             "結果7", "結果8", "結果9", "結果10"}) {
    CAPTURE(result_text);
    CHECK(contains(document, result_text));
  }
  for (const std::string_view code : {"DDE", "AUTO", "QUOTE", "INCLUDE", "IMPORT", "LINK",
                                      "MACROBUTTON", "HYPERLINK", "fldSimple"}) {
    CAPTURE(code);
    CHECK(!contains(document, code));
  }
  CHECK(contains(document, " PAGE "));  // allowed fields stay
  CHECK(findings(result, "ooxml.dde_field").size() == 7);
  CHECK(found_at(result, "ooxml.dde_field", "word/header1.xml"));
  CHECK(found_at(result, "ooxml.dde_field", "word/glossary/document.xml"));
  CHECK(contains(entries.at("word/glossary/document.xml"), "定型句"));
  CHECK(findings(result, "ooxml.include_field").size() == 4);
  CHECK(findings(result, "ooxml.field_code").size() == 1);
  CHECK(findings(result, "ooxml.unsafe_hyperlink").size() == 1);
}

TEST_CASE("field codes: classification and QUOTE evaluation") {
  using oo::FieldVerdict;
  using oo::LinkPolicy;
  CHECK(oo::classify_field(" DDEAUTO a b", false, LinkPolicy::keep) == FieldVerdict::dde);
  CHECK(oo::classify_field(" ddeauto a b", false, LinkPolicy::keep) == FieldVerdict::dde);
  CHECK(oo::classify_field(" \"DDE\" a b", false, LinkPolicy::keep) == FieldVerdict::dde);
  CHECK(oo::classify_field(" INCLUDETEXT x", false, LinkPolicy::keep) == FieldVerdict::include);
  CHECK(oo::classify_field(" PAGE \\* MERGEFORMAT", false, LinkPolicy::keep) == FieldVerdict::keep);
  CHECK(oo::classify_field("=SUM(ABOVE)", false, LinkPolicy::keep) == FieldVerdict::keep);
  CHECK(oo::classify_field(" PAGE ", true, LinkPolicy::keep) == FieldVerdict::not_allowed);
  CHECK(oo::classify_field(" PRINT x", false, LinkPolicy::keep) == FieldVerdict::not_allowed);
  CHECK(oo::classify_field("", false, LinkPolicy::keep) == FieldVerdict::not_allowed);
  CHECK(oo::classify_field(" HYPERLINK \\l \"top\"", false, LinkPolicy::remove) ==
        FieldVerdict::keep);
  CHECK(oo::classify_field(" HYPERLINK \"https://a.jp/\" \\o \"tip\"", false, LinkPolicy::keep) ==
        FieldVerdict::keep);
  CHECK(oo::classify_field(" HYPERLINK \"https://a.jp/\"", false, LinkPolicy::text) ==
        FieldVerdict::link_text);
  CHECK(oo::classify_field(" HYPERLINK \\\\\\\\server\\\\x", false, LinkPolicy::keep) ==
        FieldVerdict::unsafe_link);
  CHECK(oo::quote_field_value(" QUOTE 68 68 69 ") == "DDE");
  CHECK(oo::quote_field_value(" QUOTE \"DDE\" ") == "DDE");
  CHECK(!oo::quote_field_value(" PAGE "));
}

TEST_CASE("OLE objects become their preview picture; ActiveX controls go") {
  const Result ole = run(word_ole_object().build(), "ole.docx");
  Entries entries = delivered(ole);
  const std::string& document = entries.at("word/document.xml");
  CHECK(contains(document, "<w:pict>"));
  CHECK(!contains(document, "w:object"));
  CHECK(!contains(document, "OLEObject"));
  CHECK(contains(document, "v:imagedata"));
  CHECK(entries.contains("word/media/image1.png"));
  CHECK(!entries.contains("word/embeddings/oleObject1.bin"));
  CHECK(found_at(ole, "ooxml.ole_object", "word/embeddings/oleObject1.bin"));

  const Result activex = run(word_activex().build(), "activex.docx");
  entries = delivered(activex);
  CHECK(!contains(entries.at("word/document.xml"), "w:control"));
  CHECK(contains(entries.at("word/document.xml"), "<w:pict>"));
  CHECK(found_at(activex, "ooxml.activex", "word/activeX/activeX1.xml"));
  CHECK(found_at(activex, "ooxml.activex", "word/activeX/activeX1.bin"));
}

TEST_CASE("remote templates and external content go with the XML that used them") {
  const Result remote = run(word_remote_template().build(), "t.docx");
  Entries entries = delivered(remote);
  CHECK(!contains(entries.at("word/settings.xml"), "attachedTemplate"));
  CHECK(findings(remote, "ooxml.remote_template").size() == 1);

  const Result external = run(word_external_content().build(), "e.docx");
  entries = delivered(external);
  const std::string& document = entries.at("word/document.xml");
  CHECK(contains(document, "r:embed"));
  CHECK(!contains(document, "r:link"));
  CHECK(!contains(document, "src="));
  CHECK(!contains(document, "subDoc"));
  CHECK(!contains(entries.at("word/webSettings.xml"), "frameset"));
  CHECK(findings(external, "ooxml.external_relationship").size() == 5);
}

TEST_CASE("hyperlinks: kept, made text or removed by policy; unsafe targets always go") {
  const std::string input = word_hyperlinks().build();
  const Result kept = run(input, "h.docx");
  Entries entries = delivered(kept);
  const std::string& rels = entries.at("word/_rels/document.xml.rels");
  CHECK(contains(rels, "https://www.example.jp/a?b=c"));
  CHECK(contains(rels, "mailto:info@example.jp"));
  CHECK(!contains(rels, "calc.exe"));
  CHECK(!contains(rels, "attacker"));
  CHECK(!contains(rels, "payload"));
  CHECK(!contains(rels, "ms-msdt"));
  CHECK(findings(kept, "ooxml.unsafe_hyperlink").size() == 4);
  for (const std::string_view text :
       {"ウェブ Web", "ファイル File", "共有 Share", "プログラム Program"}) {
    CHECK(contains(entries.at("word/document.xml"), text));
  }

  const Policy as_text = with_option("hyperlinks", "text");
  const Result text = run(input, "h.docx", as_text);
  entries = delivered(text, as_text);
  CHECK(!contains(entries.at("word/_rels/document.xml.rels"), "hyperlink"));
  CHECK(!contains(entries.at("word/document.xml"), "w:hyperlink"));
  CHECK(contains(entries.at("word/document.xml"), "ウェブ Web"));
  CHECK(findings(text, "ooxml.hyperlink").size() == 2);

  const Policy remove = with_option("hyperlinks", "remove");
  const Result removed = run(input, "h.docx", remove);
  entries = delivered(removed, remove);
  CHECK(!contains(entries.at("word/document.xml"), "ウェブ Web"));
  CHECK(contains(entries.at("word/document.xml"), "ファイル File"));
}

TEST_CASE("Excel: DDE and calling formulas lose their formula and keep their value") {
  const Result result = run(excel_dde().build(), "dde.xlsx");
  const Entries entries = delivered(result);
  const std::string& sheet = entries.at("xl/worksheets/sheet1.xml");
  CHECK(!contains(sheet, "cmd|"));
  CHECK(!contains(sheet, "MSEXCEL"));
  CHECK(!contains(sheet, "RTD"));
  CHECK(!contains(sheet, "WEBSERVICE"));
  CHECK(!contains(sheet, "si=\"0\""));
  CHECK(!contains(sheet, "_xlbgnm"));
  CHECK(contains(sheet, "<f>SUM(1,2)</f>"));
  CHECK(contains(sheet, "<f>\"a|b\"&amp;'Sheet 1'!A1</f>"));
  CHECK(contains(sheet, "<c r=\"A1\"><v>0</v></c>"));
  CHECK(contains(sheet, "<dataValidations count=\"1\">"));
  CHECK(!contains(sheet, "sqref=\"D1\""));
  CHECK(!entries.contains("xl/externalLinks/externalLink1.xml"));
  CHECK(!contains(entries.at("xl/workbook.xml"), "externalReference"));
  const std::string& chain = entries.at("xl/calcChain.xml");
  CHECK(contains(chain, "<c r=\"B1\" i=\"1\"/>"));
  CHECK(contains(chain, "<c r=\"C2\" i=\"1\"/>"));
  CHECK(!contains(chain, "\"A1\""));
  CHECK(!contains(chain, "\"A4\""));
  CHECK(findings(result, "ooxml.dde_formula").size() == 10);
  CHECK(findings(result, "ooxml.unsafe_hyperlink").size() == 1);
  CHECK(!contains(sheet, "file://"));
  CHECK(contains(sheet, "HYPERLINK(\"https://www.example.jp/\""));
}

TEST_CASE("the formula scanner reads past strings and quoted names") {
  using oo::FormulaRisk;
  CHECK(oo::assess_formula("cmd|' /c calc'!A0").risk == FormulaRisk::dde);
  CHECK(oo::assess_formula("cmd|' /c calc'!A0").what == "cmd");
  CHECK(oo::assess_formula("SUM(A1:A3)").risk == FormulaRisk::none);
  CHECK(oo::assess_formula("\"a|b\"").risk == FormulaRisk::none);
  CHECK(oo::assess_formula("'a|b'!A1").risk == FormulaRisk::none);
  CHECK(oo::assess_formula("HYPERLINK(\"\\\\server\\share\")").risk ==
        FormulaRisk::unsafe_hyperlink);
  CHECK(oo::assess_formula("HYPERLINK(\"https://a.jp/\")").risk == FormulaRisk::none);
  CHECK(oo::assess_formula("rtd(\"x\",,\"y\")").risk == FormulaRisk::external_call);
  CHECK(oo::assess_formula("_xlfn.WEBSERVICE(A1)").risk == FormulaRisk::external_call);
  CHECK(oo::assess_formula("MYRTD(A1)").risk == FormulaRisk::none);
  CHECK(oo::assess_formula("[1]Sheet1!A1").risk == FormulaRisk::external_reference);
  CHECK(oo::assess_formula("'[2]Other'!A1").what == "2");
  CHECK(oo::assess_formula("Table1[Column]").risk == FormulaRisk::none);
  CHECK(oo::assess_formula("[0]!Name").risk == FormulaRisk::none);
}

TEST_CASE("Excel 4.0 macro sheets go with the names that start them; indexes follow") {
  const Result result = run(excel_xlm().build(), "xlm.xlsm");
  CHECK(result.output_name == "xlm.xlsx");
  const Entries entries = delivered(result);
  const std::string& workbook = entries.at("xl/workbook.xml");
  CHECK(!contains(workbook, "Macro1\" sheetId"));
  CHECK(contains(workbook, "activeTab=\"1\""));
  CHECK(contains(workbook, "firstSheet=\"0\""));
  CHECK(!contains(workbook, "Auto_Open"));
  CHECK(!contains(workbook, "Payload"));
  CHECK(!contains(workbook, "FromMacro"));
  CHECK(!contains(workbook, "Macro1!"));
  CHECK(contains(workbook, "localSheetId=\"1\">Sheet2!$A$1:$C$3"));
  CHECK(contains(workbook, "name=\"Total\""));
  CHECK(!entries.contains("xl/macrosheets/sheet1.xml"));
  CHECK(findings(result, "ooxml.xlm_macro_sheet").size() == 4);
  CHECK(findings(result, "ooxml.macro_reference").size() == 1);

  const Result dialog = run(excel_dialog_sheet().build(), "d.xlsx");
  CHECK(!contains(delivered(dialog).at("xl/workbook.xml"), "Dialog1"));
  CHECK(findings(dialog, "ooxml.dialog_sheet").size() == 1);

  Package only_macros = excel_xlm();
  only_macros.replace(
      "xl/workbook.xml",
      "<workbook" + std::string(kSheetNamespaces) +
          R"(><sheets><sheet name="Macro1" sheetId="3" r:id="rIdMacro"/></sheets></workbook>)");
  CHECK(run(only_macros.build(), "m.xlsm").report.block_reason == BlockReason::active_content);
}

TEST_CASE("Excel: links to other workbooks, connections, queries, Power Query, printers") {
  const Result links = run(excel_external_link().build(), "l.xlsx");
  Entries entries = delivered(links);
  CHECK(contains(entries.at("xl/worksheets/sheet1.xml"), "<c r=\"A1\"><v>42</v></c>"));
  CHECK(!contains(entries.at("xl/worksheets/sheet1.xml"), "[1]"));
  CHECK(!contains(entries.at("xl/workbook.xml"), "Remote"));
  CHECK(found_at(links, "ooxml.external_link", "xl/externalLinks/externalLink1.xml"));

  const Result connections = run(excel_connections().build(), "c.xlsx");
  entries = delivered(connections);
  const std::string& table = entries.at("xl/tables/table1.xml");
  CHECK(!contains(table, "queryTable"));
  CHECK(!contains(table, "connectionId"));
  CHECK(contains(table, "tableColumn"));
  CHECK(found_at(connections, "ooxml.data_connection", "xl/connections.xml"));
  CHECK(found_at(connections, "ooxml.query_table", "xl/queryTables/queryTable1.xml"));
  CHECK(found_at(connections, "ooxml.query_table", "xl/tables/table1.xml"));
  CHECK(!contains(entries.at("xl/pivotCache/pivotCacheDefinition1.xml"), "connectionId"));
  CHECK(found_at(connections, "ooxml.data_connection", "xl/pivotCache/pivotCacheDefinition1.xml"));

  const Result mashup = run(excel_power_query().build(), "p.xlsx");
  entries = delivered(mashup);
  CHECK(!entries.contains("customXml/item1.xml"));
  CHECK(!entries.contains("customXml/itemProps1.xml"));
  CHECK(findings(mashup, "ooxml.power_query").size() == 3);

  const Result printer = run(excel_printer_settings().build(), "s.xlsx");
  entries = delivered(printer);
  CHECK(contains(entries.at("xl/worksheets/sheet1.xml"), "<pageSetup"));
  CHECK(!contains(entries.at("xl/worksheets/sheet1.xml"), "r:id"));
  CHECK(findings(printer, "ooxml.printer_settings").size() == 1);
}

TEST_CASE("Excel: OLE objects, controls and macros assigned to shapes") {
  const Result result = run(excel_controls().build(), "x.xlsx");
  const Entries entries = delivered(result);
  const std::string& sheet = entries.at("xl/worksheets/sheet1.xml");
  CHECK(!contains(sheet, "oleObject"));
  CHECK(!contains(sheet, "control"));
  CHECK(!contains(sheet, "AlternateContent"));
  CHECK(contains(sheet, "legacyDrawing"));
  CHECK(!contains(entries.at("xl/drawings/vmlDrawing1.vml"), "FmlaMacro"));
  CHECK(!contains(entries.at("xl/drawings/drawing1.xml"), "macro="));
  CHECK(contains(entries.at("xl/drawings/drawing1.xml"), "実行"));
  CHECK(found_at(result, "ooxml.ole_object", "xl/embeddings/oleObject1.bin"));
  CHECK(found_at(result, "ooxml.activex", "xl/activeX/activeX1.xml"));
  CHECK(findings(result, "ooxml.macro_reference").size() == 2);
}

TEST_CASE("PowerPoint: actions that run programs or macros go, slide jumps stay") {
  const Result result = run(powerpoint_actions().build(), "a.pptx");
  const Entries entries = delivered(result);
  const std::string& slide = entries.at("ppt/slides/slide1.xml");
  CHECK(!contains(slide, "ppaction://program"));
  CHECK(!contains(slide, "ppaction://macro"));
  CHECK(contains(slide, "ppaction://hlinkshowjump"));
  CHECK(contains(slide, "クリック Click"));
  CHECK(findings(result, "ooxml.ppt_action").size() == 3);
  CHECK(findings(result, "ooxml.unsafe_hyperlink").size() == 1);
}

TEST_CASE("PowerPoint: an OLE object goes with its frame and its animation") {
  const Result result = run(powerpoint_ole().build(), "o.pptx");
  const Entries entries = delivered(result);
  const std::string& slide = entries.at("ppt/slides/slide1.xml");
  CHECK(!contains(slide, "graphicFrame"));
  CHECK(!contains(slide, "oleObj"));
  CHECK(!contains(slide, "p:timing"));
  CHECK(contains(slide, "オブジェクト Object"));
  CHECK(found_at(result, "ooxml.ole_object", "ppt/embeddings/oleObject1.bin"));
}

TEST_CASE("pictures are verified before they are copied; EMF and WMF by policy") {
  const std::string input = word_pictures().build();
  const Result result = run(input, "p.docx");
  Entries entries = delivered(result);
  CHECK(entries.contains("word/media/image2.png"));
  CHECK(!entries.contains("word/media/image1.emf"));
  CHECK(!entries.contains("word/media/image3.svg"));
  CHECK(!entries.contains("word/media/image4.png"));
  CHECK(!contains(entries.at("word/document.xml"), "svgBlip"));
  CHECK(found_at(result, "ooxml.emf_wmf", "word/media/image1.emf"));
  CHECK(found_at(result, "ooxml.unverified_media", "word/media/image3.svg"));
  CHECK(found_at(result, "ooxml.bad_picture", "word/media/image4.png"));

  const Policy keep = with_option("emf_wmf", "keep");
  const Result kept = run(input, "p.docx", keep);
  entries = delivered(kept, keep);
  CHECK(entries.contains("word/media/image1.emf"));
  CHECK(findings(kept, "ooxml.emf_wmf").empty());
}

TEST_CASE("unknown, unreachable and missing parts, DOCTYPE, bad names, hidden data") {
  const Result result = run(word_package_oddities().build(), "o.docx");
  const Entries entries = delivered(result);
  CHECK(!entries.contains("word/unknown.xml"));
  CHECK(!entries.contains("word/orphan.xml"));
  CHECK(!contains(entries.at("word/numbering.xml"), "DOCTYPE"));
  CHECK(!contains(entries.at("word/numbering.xml"), "evil"));
  CHECK(found_at(result, "ooxml.unknown_part", "word/unknown.xml"));
  CHECK(found_at(result, "ooxml.unreachable_part", "word/orphan.xml"));
  CHECK(findings(result, "ooxml.dangling_reference").size() == 1);
  CHECK(found_at(result, "ooxml.doctype", "word/numbering.xml"));
  CHECK(found_at(result, "ooxml.processing_instruction", "word/numbering.xml"));
  CHECK(found_at(result, "ooxml.bad_part_name", "../evil.xml"));
  CHECK(findings(result, "ooxml.hidden_data").size() == 1);
}

TEST_CASE("fonts, signatures, ribbons, add-ins, mail merge and altChunk go") {
  struct Case {
    Package package;
    std::string_view kind;
    std::string_view location;
  };
  const Case cases[] = {
      {word_embedded_font(), "ooxml.embedded_font", "word/fonts/font1.odttf"},
      {word_signature(), "ooxml.signature", "_xmlsignatures/sig1.xml"},
      {word_custom_ui(), "ooxml.custom_ui", "customUI/customUI14.xml"},
      {word_custom_ui(), "ooxml.custom_ui", "customUI/images/icon.png"},
      {word_web_extension(), "ooxml.web_extension", "word/webextensions/webextension1.xml"},
      {word_mail_merge(), "ooxml.data_connection", "word/settings.xml"},
      {word_alt_chunk(), "ooxml.alt_chunk", "word/afchunk.htm"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    const Result result = run(c.package.build(), "a.docx");
    delivered(result);
    CHECK(found_at(result, c.kind, c.location));
  }
  const Entries entries = delivered(run(word_alt_chunk().build(), "a.docx"));
  CHECK(!contains(entries.at("word/document.xml"), "altChunk"));
  CHECK(contains(entries.at("word/document.xml"), "後"));
  CHECK(!contains(delivered(run(word_mail_merge().build(), "a.docx")).at("word/settings.xml"),
                  "mailMerge"));
  CHECK(!contains(delivered(run(word_embedded_font().build(), "a.docx")).at("word/fontTable.xml"),
                  "embedRegular"));
}

TEST_CASE("embedded documents: removed by default, sanitized and kept by policy") {
  const std::string input = word_embedded_document(word_vba().build()).build();
  const Result removed = run(input, "e.docx");
  Entries entries = delivered(removed);
  CHECK(
      found_at(removed, "ooxml.embedded_document", "word/embeddings/Microsoft_Word_Document.docm"));
  CHECK(!contains(entries.at("word/document.xml"), "OLEObject"));

  const Policy sanitize_embedded = with_option("embedded_documents", "sanitize");
  const Result kept = run(input, "e.docx", sanitize_embedded);
  entries = delivered(kept, sanitize_embedded);
  REQUIRE(entries.contains("word/embeddings/Microsoft_Word_Document.docx"));
  CHECK(contains(entries.at("word/document.xml"), "OLEObject"));
  CHECK(contains(entries.at("[Content_Types].xml"),
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document\""));
  REQUIRE(kept.report.children.size() == 1);
  CHECK(!findings(kept, "ooxml.vba").empty());
  const std::string& inner = entries.at("word/embeddings/Microsoft_Word_Document.docx");
  const Result inner_again = run(inner, "inner.docx");
  CHECK(inner_again.verdict == Verdict::clean);

  const Result chart = run(word_chart_with_data().build(), "c.docx");
  entries = delivered(chart);
  CHECK(entries.contains("word/charts/chart1.xml"));
  CHECK(!contains(entries.at("word/charts/chart1.xml"), "externalData"));
  CHECK(contains(entries.at("word/charts/chart1.xml"), "東京"));
  CHECK(
      found_at(chart, "ooxml.embedded_document", "word/embeddings/Microsoft_Excel_Worksheet.xlsx"));
}

TEST_CASE("metadata: kept by default, scrubbed by policy") {
  const std::string input = word_benign().build();
  CHECK(contains(delivered(run(input, "m.docx")).at("docProps/core.xml"), "山田 太郎"));
  const Policy scrub = with_option("metadata", "scrub");
  const Result scrubbed = run(input, "m.docx", scrub);
  const Entries entries = delivered(scrubbed, scrub);
  CHECK(!contains(entries.at("docProps/core.xml"), "山田 太郎"));
  CHECK(!contains(entries.at("docProps/core.xml"), "Hanako"));
  CHECK(!contains(entries.at("docProps/core.xml"), "revision"));
  CHECK(contains(entries.at("docProps/core.xml"), "試験文書"));
  CHECK(!contains(entries.at("docProps/app.xml"), "市役所"));
  CHECK(!contains(entries.at("word/comments.xml"), "山田"));
  CHECK(!contains(entries.at("word/comments.xml"), "w:initials"));
  CHECK(contains(entries.at("word/comments.xml"), "金額を確認しました。"));
  CHECK(findings(scrubbed, "ooxml.metadata").size() == 3);

  Package workbook = excel_workbook({"<sheetData/>"});
  workbook.replace(
      "xl/workbook.xml",
      "<workbook" + std::string(kSheetNamespaces) +
          R"(><mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath url="C:\Users\yamada\")"
          R"( xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice>)"
          R"(</mc:AlternateContent><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)");
  const Entries book = delivered(run(workbook.build(), "b.xlsx", scrub), scrub);
  CHECK(!contains(book.at("xl/workbook.xml"), "yamada"));
  CHECK(!contains(book.at("xl/workbook.xml"), "AlternateContent"));
}

TEST_CASE("a VML drawing that is not well-formed goes with the references to it") {
  Package package = excel_controls();
  package.replace("xl/drawings/vmlDrawing1.vml", "<xml><v:shape><br></xml>");
  const Result result = run(package.build(), "v.xlsx");
  const Entries entries = delivered(result);
  CHECK(!entries.contains("xl/drawings/vmlDrawing1.vml"));
  CHECK(!contains(entries.at("xl/worksheets/sheet1.xml"), "legacyDrawing"));
  CHECK(found_at(result, "ooxml.unknown_part", "xl/drawings/vmlDrawing1.vml"));
}

TEST_CASE("packages that cannot be trusted are blocked") {
  Package twice = word_document(paragraph("x"));
  twice.raw_entry("WORD/DOCUMENT.XML", "<x/>");
  CHECK(run(twice.build(), "a.docx").report.block_reason == BlockReason::corrupt);

  Package broken = word_document(paragraph("x"));
  broken.replace("word/styles.xml", "<w:styles><unclosed>");
  CHECK(run(broken.build(), "a.docx").report.block_reason == BlockReason::corrupt);

  Package missing;
  missing.part("word/styles.xml", ct::word_main, "<x/>")
      .relate("", "rId1", "officeDocument", "word/document.xml");
  const Result result = run(missing.build(), "a.docx");
  CHECK(result.verdict == Verdict::blocked);
}

TEST_CASE("relationship targets resolve against their source") {
  CHECK(oo::resolve_target("word/document.xml", "media/image1.png") == "word/media/image1.png");
  CHECK(oo::resolve_target("xl/worksheets/sheet1.xml", "../drawings/d.xml") == "xl/drawings/d.xml");
  CHECK(oo::resolve_target("", "/word/document.xml") == "word/document.xml");
  CHECK(oo::resolve_target("word/document.xml", "media/a%20b.png") == "word/media/a b.png");
  CHECK(oo::resolve_target("word/document.xml", "media\\x.png") == "word/media/x.png");
  CHECK(!oo::resolve_target("word/document.xml", "../../x.png"));
  CHECK(!oo::resolve_target("word/document.xml", "http://example.jp/x.png"));
  CHECK(oo::source_of_rels("word/_rels/document.xml.rels") == "word/document.xml");
  CHECK(oo::source_of_rels("_rels/.rels") == "");
  CHECK(!oo::source_of_rels("word/document.xml"));
  CHECK(oo::rels_name_of("word/document.xml") == "word/_rels/document.xml.rels");
  CHECK(oo::is_safe_link("https://example.jp/"));
  CHECK(oo::is_safe_link("  MAILTO:a@example.jp"));
  CHECK(!oo::is_safe_link("file:///C:/x"));
  CHECK(!oo::is_safe_link("\\\\server\\share"));
  CHECK(!oo::is_safe_link("//server/share"));
  CHECK(!oo::is_safe_link("javascript:alert(1)"));
  CHECK(!oo::is_safe_link("calc.exe"));
}

TEST_CASE("worksheets stream: a large sheet, and a UTF-16 one through the DOM, come out alike") {
  const std::string large = large_workbook(10 * 1024 * 1024).build();
  const Result result = run(large, "large.xlsx");
  CHECK(result.verdict == Verdict::clean);
  const Entries entries = delivered(result);
  const Entries before = entries_of(std::vector<std::uint8_t>(large.begin(), large.end()));
  CHECK(entries.at("xl/worksheets/sheet1.xml").size() >=
        before.at("xl/worksheets/sheet1.xml").size() - 100);
  CHECK(contains(entries.at("xl/worksheets/sheet1.xml"), "<f>C1*1.1</f>"));

  // The same DDE formula in UTF-16: the streaming path declines it, the DOM path cleans it.
  const std::string sheet = "<worksheet" + std::string(kSheetNamespaces) +
                            R"(><sheetData><row r="1"><c r="A1"><f>cmd|'/c calc'!A0</f><v>0</v>)"
                            R"(</c></row></sheetData></worksheet>)";
  std::string utf16 = "\xFF\xFE";
  for (const char c : std::string("<?xml version=\"1.0\" encoding=\"UTF-16\"?>") + sheet) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  Package package = excel_workbook({"<sheetData/>"});
  package.replace("xl/worksheets/sheet1.xml", utf16);
  const Result dde = run(package.build(), "u.xlsx");
  CHECK(findings(dde, "ooxml.dde_formula").size() == 1);
  CHECK(!contains(delivered(dde).at("xl/worksheets/sheet1.xml"), "cmd|"));
}
