// Test documents for every finding kind of the OOXML module, with what the engine must do
// and the independent checks (tests/corpus/ooxml_checkers.py) each output must pass.
#include "formats/ooxml/ooxml_format.hpp"
#include "formats/ooxml/samples.hpp"

namespace sanitize::formats {
namespace {

using corpus::blocked;
using corpus::Expectation;
using namespace ooxml::testing;

const std::vector<std::string> kDeliveredChecks{"ooxml_valid", "ooxml_inert",
                                                "ooxml_parts_accounted"};

Expectation clean() {
  return corpus::delivered("clean", {}, kDeliveredChecks,
                           {"ooxml_same_text", "ooxml_pictures_kept"});
}

Expectation sanitized(std::vector<std::string> findings, std::vector<std::string> extra = {}) {
  return corpus::delivered("sanitized", std::move(findings), kDeliveredChecks, extra);
}

void add(corpus::Writer& writer, std::string_view path, const Package& package,
         Expectation expectation, std::string_view description) {
  const std::string bytes = package.build();
  writer.add(path, std::string_view(bytes), std::move(expectation), description);
}

void benign(corpus::Writer& writer) {
  add(writer, "ooxml/benign/report.docx", word_benign(), clean(),
      "Japanese and English text, a table, PNG and GIF pictures, header, footer with a PAGE "
      "field, a comment, a chart, a web hyperlink");
  add(writer, "ooxml/benign/budget.xlsx", excel_benign(), clean(),
      "shared strings in Japanese, numbers, a SUM formula, a chart and a picture, a hyperlink");
  add(writer, "ooxml/benign/plan.pptx", powerpoint_benign(), clean(),
      "two slides of Japanese and English text, a picture, a web hyperlink");
}

void word(corpus::Writer& writer) {
  const std::vector<std::string> plain{"ooxml_plain_type", "ooxml_same_text"};
  add(writer, "ooxml/word/vba.docm", word_vba(),
      sanitized({"ooxml.vba", "ooxml.macro_enabled"}, plain),
      "a .docm with vbaProject.bin, vbaData.xml and a VBA signature: delivered as .docx");
  add(writer, "ooxml/word/activex.docx", word_activex(), sanitized({"ooxml.activex"}),
      "an ActiveX command button in a w:object");
  add(writer, "ooxml/word/ole-package.docx", word_ole_object(), sanitized({"ooxml.ole_object"}),
      "an OLE package object with its preview picture");
  add(writer, "ooxml/word/remote-template.docx", word_remote_template(),
      sanitized({"ooxml.remote_template"}, {"ooxml_same_text"}),
      "attachedTemplate to an http URL (TargetMode=External)");
  add(writer, "ooxml/word/external-content.docx", word_external_content(),
      sanitized({"ooxml.external_relationship"}),
      "a linked picture, a sub-document on C:, a frameset page, a VML picture from a share");
  add(writer, "ooxml/word/altchunk.docx", word_alt_chunk(), sanitized({"ooxml.alt_chunk"}),
      "an altChunk importing HTML with a script");
  add(writer, "ooxml/word/fields.docx", word_fields(),
      sanitized(
          {"ooxml.dde_field", "ooxml.include_field", "ooxml.field_code", "ooxml.unsafe_hyperlink"}),
      "DDEAUTO split across runs, DDE assembled from a nested QUOTE field, a fldSimple under "
      "another prefix, INCLUDETEXT, INCLUDEPICTURE, LINK, IMPORT, MACROBUTTON, HYPERLINK to "
      "file:, DDE in both branches of alternate content, in a header and in the glossary");
  add(writer, "ooxml/word/custom-ui.docx", word_custom_ui(), sanitized({"ooxml.custom_ui"}),
      "a customUI ribbon with onLoad and onAction callbacks and an icon");
  add(writer, "ooxml/word/web-extension.docx", word_web_extension(),
      sanitized({"ooxml.web_extension"}), "a task pane add-in (web extension)");
  add(writer, "ooxml/word/mail-merge.docx", word_mail_merge(), sanitized({"ooxml.data_connection"}),
      "a mail merge with an OLE DB connection string, a query and a data source on a share");
  add(writer, "ooxml/word/hyperlinks.docx", word_hyperlinks(),
      sanitized({"ooxml.unsafe_hyperlink"}, {"ooxml_same_text"}),
      "http and mailto links kept; file:, UNC, relative and ms-msdt: links removed, text kept");
  add(writer, "ooxml/word/pictures.docx", word_pictures(),
      sanitized({"ooxml.emf_wmf", "ooxml.unverified_media", "ooxml.bad_picture"}),
      "an EMF picture, an SVG with a script, GIF bytes named .png");
  add(writer, "ooxml/word/embedded-font.docx", word_embedded_font(),
      sanitized({"ooxml.embedded_font"}), "an obfuscated embedded font");
  add(writer, "ooxml/word/signature.docx", word_signature(), sanitized({"ooxml.signature"}),
      "an XML digital signature");
  add(writer, "ooxml/word/package-oddities.docx", word_package_oddities(),
      sanitized({"ooxml.unknown_part", "ooxml.unreachable_part", "ooxml.dangling_reference",
                 "ooxml.doctype", "ooxml.processing_instruction", "ooxml.bad_part_name",
                 "ooxml.hidden_data"}),
      "a part of an unknown relationship type, an orphan part, a missing target, a DOCTYPE "
      "with an entity and a processing instruction, an entry named ../evil.xml, a zip comment");
  add(writer, "ooxml/word/embedded-document.docx", word_embedded_document(word_vba().build()),
      sanitized({"ooxml.embedded_document"}), "an embedded .docm package (removed by default)");
  add(writer, "ooxml/word/chart-data.docx", word_chart_with_data(),
      sanitized({"ooxml.embedded_document"}, {"ooxml_pictures_kept"}),
      "a chart whose data is an embedded workbook: the chart stays with its cached values");
  add(writer, "ooxml/word/strict.docx",
      Package()
          .part("word/document.xml", ct::word_main, "<x/>")
          .relate("", "rId1",
                  "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
                  "word/document.xml"),
      blocked("unsupported_format"), "Strict OOXML (ISO/IEC 29500 Strict) is not supported");
  add(writer, "ooxml/word/duplicate-parts.docx",
      word_document(paragraph("x")).raw_entry("WORD/DOCUMENT.XML", "<x/>"), blocked("corrupt"),
      "two parts whose names differ only in case");
}

void excel(corpus::Writer& writer) {
  add(writer, "ooxml/excel/vba.xlsm", excel_vba(),
      sanitized({"ooxml.vba", "ooxml.macro_enabled"}, {"ooxml_plain_type"}),
      "an .xlsm with a VBA project: delivered as .xlsx");
  add(writer, "ooxml/excel/xlm-macro-sheet.xlsm", excel_xlm(),
      sanitized({"ooxml.xlm_macro_sheet", "ooxml.macro_reference", "ooxml.macro_enabled"},
                {"ooxml_plain_type", "ooxml_same_text"}),
      "an Excel 4.0 macro sheet between two sheets, _xlnm.Auto_Open, a macro name, print "
      "areas by sheet index");
  add(writer, "ooxml/excel/dialog-sheet.xlsx", excel_dialog_sheet(),
      sanitized({"ooxml.dialog_sheet"}), "an Excel 5.0 dialog sheet");
  add(writer, "ooxml/excel/dde-formulas.xlsx", excel_dde(),
      sanitized({"ooxml.dde_formula", "ooxml.unsafe_hyperlink"}, {"ooxml_same_text"}),
      "cmd| and MSEXCEL| DDE formulas (one shared), RTD and WEBSERVICE, a DDE validation "
      "list, a DDE link; the calculation chain follows");
  add(writer, "ooxml/excel/external-link.xlsx", excel_external_link(),
      sanitized({"ooxml.external_link"}), "formulas and a name referring to a workbook on a share");
  add(writer, "ooxml/excel/connections.xlsx", excel_connections(),
      sanitized({"ooxml.data_connection", "ooxml.query_table"}),
      "a web connection, a query table and the table it fills");
  add(writer, "ooxml/excel/power-query.xlsx", excel_power_query(), sanitized({"ooxml.power_query"}),
      "Power Query (DataMashup) in custom XML");
  add(writer, "ooxml/excel/printer-settings.xlsx", excel_printer_settings(),
      sanitized({"ooxml.printer_settings"}), "a binary printer settings part");
  add(writer, "ooxml/excel/controls.xlsx", excel_controls(),
      sanitized({"ooxml.ole_object", "ooxml.activex", "ooxml.macro_reference"}),
      "an OLE object in alternate content, an ActiveX control, a form button running a "
      "macro, a shape with an assigned macro");
}

void powerpoint(corpus::Writer& writer) {
  add(writer, "ooxml/powerpoint/vba.pptm", powerpoint_vba(),
      sanitized({"ooxml.vba", "ooxml.macro_enabled"}, {"ooxml_plain_type", "ooxml_same_text"}),
      "a .pptm with a VBA project: delivered as .pptx");
  add(writer, "ooxml/powerpoint/actions.pptx", powerpoint_actions(),
      sanitized({"ooxml.ppt_action", "ooxml.unsafe_hyperlink"}, {"ooxml_same_text"}),
      "ppaction://program on click and mouse-over, ppaction://macro, a slide jump kept");
  add(writer, "ooxml/powerpoint/ole-object.pptx", powerpoint_ole(),
      sanitized({"ooxml.ole_object"}, {"ooxml_same_text"}),
      "an OLE package in a graphic frame, started by an animation");
  add(writer, "ooxml/powerpoint/addin.ppam",
      Package()
          .part("ppt/presentation.xml", "application/vnd.ms-powerpoint.addin.macroEnabled.main+xml",
                "<x/>")
          .relate("", "rId1", "officeDocument", "ppt/presentation.xml"),
      blocked("dangerous_type"), "a PowerPoint add-in: a container of macros");
}

}  // namespace

void generate_ooxml_corpus(corpus::Writer& writer) {
  benign(writer);
  word(writer);
  excel(writer);
  powerpoint(writer);
}

}  // namespace sanitize::formats
