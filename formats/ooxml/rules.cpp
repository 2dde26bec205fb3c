#include "formats/ooxml/rules.hpp"
#include "formats/common/charset.hpp"

#include <array>
#include <map>

namespace sanitize::formats::ooxml {
namespace {

constexpr std::string_view kTransitional =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
constexpr std::string_view kPackage =
    "http://schemas.openxmlformats.org/package/2006/relationships/";
constexpr std::string_view kOffice2006 = "http://schemas.microsoft.com/office/2006/relationships/";
constexpr std::string_view kOffice2007 = "http://schemas.microsoft.com/office/2007/relationships/";
constexpr std::string_view kOffice2011 = "http://schemas.microsoft.com/office/2011/relationships/";

constexpr std::string_view kOfficeDocumentCt = "application/vnd.openxmlformats-officedocument.";
constexpr std::string_view kWordCt =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.";
constexpr std::string_view kExcelCt =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.";
constexpr std::string_view kPowerPointCt =
    "application/vnd.openxmlformats-officedocument.presentationml.";
constexpr std::string_view kDrawingCt = "application/vnd.openxmlformats-officedocument.drawingml.";

std::string cat(std::string_view a, std::string_view b) {
  return std::string(a) + std::string(b);
}

struct RuleTable {
  std::map<std::string, RelationshipRule, std::less<>> rules;

  void keep(std::string type, std::vector<std::string> content_types) {
    add(std::move(type), Handling::keep, kind::unknown_part, std::move(content_types));
  }
  void add(std::string type, Handling handling, std::string_view kind,
           std::vector<std::string> content_types = {}) {
    RelationshipRule rule{type, handling, kind, std::move(content_types)};
    rules.emplace(std::move(type), std::move(rule));
  }
};

const RuleTable& table() {
  static const RuleTable built = [] {
    RuleTable t;
    const auto T = [](std::string_view suffix) { return cat(kTransitional, suffix); };
    const auto ct = [](std::string_view prefix, std::string_view suffix) {
      return cat(prefix, suffix);
    };

    // Document properties, themes, custom XML.
    t.keep(cat(kPackage, "metadata/core-properties"),
           {"application/vnd.openxmlformats-package.core-properties+xml"});
    t.keep(T("extended-properties"), {ct(kOfficeDocumentCt, "extended-properties+xml")});
    t.add(T("custom-properties"), Handling::custom_props, kind::metadata,
          {ct(kOfficeDocumentCt, "custom-properties+xml")});
    t.add(cat(kPackage, "metadata/thumbnail"), Handling::picture, kind::unknown_part);
    t.add(T("image"), Handling::picture, kind::unknown_part);
    t.keep(T("theme"), {ct(kOfficeDocumentCt, "theme+xml")});
    t.keep(T("themeOverride"), {ct(kOfficeDocumentCt, "themeOverride+xml")});
    t.add(T("customXml"), Handling::custom_xml, kind::unknown_part,
          {"application/xml", "text/xml"});
    t.keep(T("customXmlProps"), {ct(kOfficeDocumentCt, "customXmlProperties+xml")});

    // DrawingML: charts, diagrams, drawings.
    t.keep(T("chart"), {ct(kDrawingCt, "chart+xml")});
    t.keep(T("chartUserShapes"), {ct(kDrawingCt, "chartshapes+xml")});
    t.keep(cat(kOffice2011, "chartStyle"), {"application/vnd.ms-office.chartstyle+xml"});
    t.keep(cat(kOffice2011, "chartColorStyle"), {"application/vnd.ms-office.chartcolorstyle+xml"});
    t.keep(T("diagramData"), {ct(kDrawingCt, "diagramData+xml")});
    t.keep(T("diagramLayout"), {ct(kDrawingCt, "diagramLayout+xml")});
    t.keep(T("diagramQuickStyle"), {ct(kDrawingCt, "diagramStyle+xml")});
    t.keep(T("diagramColors"), {ct(kDrawingCt, "diagramColors+xml")});
    t.keep(cat(kOffice2007, "diagramDrawing"),
           {"application/vnd.ms-office.drawingml.diagramDrawing+xml"});
    t.keep(T("drawing"), {ct(kOfficeDocumentCt, "drawing+xml")});
    t.keep(T("vmlDrawing"), {ct(kOfficeDocumentCt, "vmlDrawing")});

    // Word.
    t.keep(T("styles"), {ct(kWordCt, "styles+xml"), ct(kExcelCt, "styles+xml")});
    t.keep(cat(kOffice2007, "stylesWithEffects"),
           {"application/vnd.ms-word.stylesWithEffects+xml"});
    t.keep(T("numbering"), {ct(kWordCt, "numbering+xml")});
    t.keep(T("settings"), {ct(kWordCt, "settings+xml")});
    t.keep(T("webSettings"), {ct(kWordCt, "webSettings+xml")});
    t.keep(T("fontTable"), {ct(kWordCt, "fontTable+xml")});
    t.keep(T("footnotes"), {ct(kWordCt, "footnotes+xml")});
    t.keep(T("endnotes"), {ct(kWordCt, "endnotes+xml")});
    t.keep(T("header"), {ct(kWordCt, "header+xml")});
    t.keep(T("footer"), {ct(kWordCt, "footer+xml")});
    t.keep(T("comments"), {ct(kWordCt, "comments+xml"), ct(kExcelCt, "comments+xml"),
                           ct(kPowerPointCt, "comments+xml")});
    t.keep(T("glossaryDocument"), {ct(kWordCt, "document.glossary+xml")});
    t.keep(cat(kOffice2011, "commentsExtended"), {ct(kWordCt, "commentsExtended+xml")});
    t.keep("http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
           {ct(kWordCt, "commentsIds+xml")});
    t.keep("http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
           {ct(kWordCt, "commentsExtensible+xml")});
    t.keep(cat(kOffice2011, "people"), {ct(kWordCt, "people+xml")});

    // Excel.
    t.keep(T("worksheet"), {ct(kExcelCt, "worksheet+xml")});
    t.keep(T("chartsheet"), {ct(kExcelCt, "chartsheet+xml")});
    t.keep(T("sharedStrings"), {ct(kExcelCt, "sharedStrings+xml")});
    t.keep(T("calcChain"), {ct(kExcelCt, "calcChain+xml")});
    t.keep(T("table"), {ct(kExcelCt, "table+xml")});
    t.keep(T("pivotTable"), {ct(kExcelCt, "pivotTable+xml")});
    t.keep(T("pivotCacheDefinition"), {ct(kExcelCt, "pivotCacheDefinition+xml")});
    t.keep(T("pivotCacheRecords"), {ct(kExcelCt, "pivotCacheRecords+xml")});
    t.keep(T("sheetMetadata"), {ct(kExcelCt, "sheetMetadata+xml")});
    t.keep("http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
           {"application/vnd.ms-excel.threadedcomments+xml"});
    t.keep("http://schemas.microsoft.com/office/2017/10/relationships/person",
           {"application/vnd.ms-excel.person+xml"});
    t.keep(cat(kOffice2007, "slicer"), {"application/vnd.ms-excel.slicer+xml"});
    t.keep(cat(kOffice2007, "slicerCache"), {"application/vnd.ms-excel.slicerCache+xml"});

    // PowerPoint.
    t.keep(T("slide"), {ct(kPowerPointCt, "slide+xml")});
    t.keep(T("slideLayout"), {ct(kPowerPointCt, "slideLayout+xml")});
    t.keep(T("slideMaster"), {ct(kPowerPointCt, "slideMaster+xml")});
    t.keep(T("notesSlide"), {ct(kPowerPointCt, "notesSlide+xml")});
    t.keep(T("notesMaster"), {ct(kPowerPointCt, "notesMaster+xml")});
    t.keep(T("handoutMaster"), {ct(kPowerPointCt, "handoutMaster+xml")});
    t.keep(T("presProps"), {ct(kPowerPointCt, "presProps+xml")});
    t.keep(T("viewProps"), {ct(kPowerPointCt, "viewProps+xml")});
    t.keep(T("tableStyles"), {ct(kPowerPointCt, "tableStyles+xml")});
    t.keep(T("commentAuthors"), {ct(kPowerPointCt, "commentAuthors+xml")});
    t.keep(T("tags"), {ct(kPowerPointCt, "tags+xml")});
    t.keep("http://schemas.microsoft.com/office/2018/10/relationships/authors",
           {"application/vnd.ms-powerpoint.authors+xml"});
    t.keep("http://schemas.microsoft.com/office/2018/10/relationships/comments",
           {"application/vnd.ms-powerpoint.comments+xml"});

    // Removed: active content, links out of the file, and what nothing validates.
    for (const auto* vba :
         {"vbaProject", "wordVbaData", "vbaProjectSignature", "vbaProjectSignatureAgile",
          "keyMapCustomizations", "attachedToolbars"}) {
      t.add(cat(kOffice2006, vba), Handling::remove, kind::vba);
    }
    t.add("http://schemas.microsoft.com/office/2020/07/relationships/vbaProjectSignatureV3",
          Handling::remove, kind::vba);
    t.add(T("control"), Handling::remove, kind::activex);
    t.add(cat(kOffice2006, "activeXControlBinary"), Handling::remove, kind::activex);
    t.add(T("ctrlProp"), Handling::remove, kind::activex);
    t.add(T("oleObject"), Handling::embedded, kind::ole_object);
    t.add(T("package"), Handling::embedded, kind::embedded_document);
    t.add(T("attachedTemplate"), Handling::remove, kind::remote_template);
    t.add(cat(kOffice2006, "ui/extensibility"), Handling::remove, kind::custom_ui);
    t.add(cat(kOffice2007, "ui/extensibility"), Handling::remove, kind::custom_ui);
    t.add(cat(kOffice2006, "ui/userCustomization"), Handling::remove, kind::custom_ui);
    t.add(cat(kOffice2007, "ui/userCustomization"), Handling::remove, kind::custom_ui);
    t.add(cat(kOffice2006, "xlMacrosheet"), Handling::remove, kind::xlm_macro_sheet);
    t.add(cat(kOffice2006, "xlIntlMacrosheet"), Handling::remove, kind::xlm_macro_sheet);
    t.add(T("dialogsheet"), Handling::remove, kind::dialog_sheet);
    for (const auto* data : {"connections", "mailMergeSource", "mailMergeHeaderSource",
                             "recipientData", "volatileDependencies", "xmlMaps"}) {
      t.add(T(data), Handling::remove, kind::data_connection);
    }
    t.add(T("queryTable"), Handling::remove, kind::query_table);
    t.add(cat(kOffice2011, "webextension"), Handling::remove, kind::web_extension);
    t.add(cat(kOffice2011, "webextensiontaskpanes"), Handling::remove, kind::web_extension);
    t.add(T("aFChunk"), Handling::remove, kind::alt_chunk);
    t.add(T("printerSettings"), Handling::remove, kind::printer_settings);
    t.add(T("externalLink"), Handling::external_link, kind::external_link);
    t.add(T("externalLinkPath"), Handling::remove, kind::external_link);
    t.add(T("font"), Handling::remove, kind::embedded_font);
    t.add(cat(kPackage, "digital-signature/origin"), Handling::remove, kind::signature);
    t.add(cat(kPackage, "digital-signature/signature"), Handling::remove, kind::signature);
    t.add(cat(kPackage, "digital-signature/certificate"), Handling::remove, kind::signature);
    t.add(T("subDocument"), Handling::remove, kind::external_relationship);
    t.add(T("frame"), Handling::remove, kind::external_relationship);
    t.add(T("audio"), Handling::remove, kind::unverified_media);
    t.add(T("video"), Handling::remove, kind::unverified_media);
    t.add(cat(kOffice2007, "media"), Handling::remove, kind::unverified_media);
    return t;
  }();
  return built;
}

constexpr std::array<MainPartType, 16> kMainTypes{{
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
     "ooxml_word",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "docx",
     false},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
     "ooxml_word",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", "dotx",
     false},
    {"application/vnd.ms-word.document.macroEnabled.main+xml", "ooxml_word",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "docx",
     true},
    {"application/vnd.ms-word.template.macroEnabledTemplate.main+xml", "ooxml_word",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", "dotx",
     true},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "ooxml_excel",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xlsx", false},
    {"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", "ooxml_excel",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", "xltx",
     false},
    {"application/vnd.ms-excel.sheet.macroEnabled.main+xml", "ooxml_excel",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xlsx", true},
    {"application/vnd.ms-excel.template.macroEnabled.main+xml", "ooxml_excel",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml", "xltx", true},
    {"application/vnd.ms-excel.addin.macroEnabled.main+xml", "ooxml_addin", "", "xlam", true},
    {"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
     "ooxml_powerpoint",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "pptx",
     false},
    {"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
     "ooxml_powerpoint",
     "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml", "potx",
     false},
    {"application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
     "ooxml_powerpoint",
     "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml", "ppsx",
     false},
    {"application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml", "ooxml_powerpoint",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", "pptx",
     true},
    {"application/vnd.ms-powerpoint.template.macroEnabled.main+xml", "ooxml_powerpoint",
     "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml", "potx",
     true},
    {"application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml", "ooxml_powerpoint",
     "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml", "ppsx",
     true},
    {"application/vnd.ms-powerpoint.addin.macroEnabled.main+xml", "ooxml_addin", "", "ppam", true},
}};

}  // namespace

const RelationshipRule* rule_for(std::string_view relationship_type) {
  const auto& rules = table().rules;
  const auto it = rules.find(relationship_type);
  return it != rules.end() ? &it->second : nullptr;
}

const MainPartType* main_part_type(std::string_view content_type) {
  for (const auto& type : kMainTypes) {
    if (type.content_type == content_type) return &type;
  }
  return nullptr;
}

std::optional<std::string_view> kind_of_content(std::string_view content_type,
                                                std::string_view part_name) {
  struct ByContent {
    std::string_view fragment;  // of the content type, or of the lower-case part name
    std::string_view kind;
  };
  static constexpr std::array<ByContent, 18> kByContentType{{
      {"vbaproject", kind::vba},
      {"vbadata", kind::vba},
      {"activex", kind::activex},
      {"controlproperties", kind::activex},
      {"oleobject", kind::ole_object},
      {"macrosheet", kind::xlm_macro_sheet},
      {"dialogsheet", kind::dialog_sheet},
      {"connections", kind::data_connection},
      {"querytable", kind::query_table},
      {"webextension", kind::web_extension},
      {"printersettings", kind::printer_settings},
      {"externallink", kind::external_link},
      {"obfuscatedfont", kind::embedded_font},
      {"application/x-font", kind::embedded_font},
      {"digital-signature", kind::signature},
      {"customui", kind::custom_ui},
      {"image/x-emf", kind::emf_wmf},
      {"image/x-wmf", kind::emf_wmf},
  }};
  static constexpr std::array<ByContent, 12> kByName{{
      {"vbaproject", kind::vba},
      {"vbadata", kind::vba},
      {"activex", kind::activex},
      {"ctrlprops/", kind::activex},
      {"embeddings/", kind::ole_object},
      {"macrosheets/", kind::xlm_macro_sheet},
      {"dialogsheets/", kind::dialog_sheet},
      {"customui/", kind::custom_ui},
      {"printersettings", kind::printer_settings},
      {"externallinks/", kind::external_link},
      {"_xmlsignatures/", kind::signature},
      {"webextensions/", kind::web_extension},
  }};
  const std::string type = ascii_lower(content_type);
  for (const auto& entry : kByContentType) {
    if (type.find(entry.fragment) != std::string::npos) return entry.kind;
  }
  const std::string name = ascii_lower(part_name);
  for (const auto& entry : kByName) {
    if (name.find(entry.fragment) != std::string::npos) return entry.kind;
  }
  return std::nullopt;
}

bool is_workbook(std::string_view ct) {
  const MainPartType* main = main_part_type(ct);
  return main != nullptr && main->type_id == "ooxml_excel";
}
bool is_worksheet(std::string_view ct) {
  return ct == cat(kExcelCt, "worksheet+xml") || ct == cat(kExcelCt, "chartsheet+xml");
}
bool is_calc_chain(std::string_view ct) {
  return ct == cat(kExcelCt, "calcChain+xml");
}
bool is_table(std::string_view ct) {
  return ct == cat(kExcelCt, "table+xml");
}
bool is_pivot_cache_definition(std::string_view ct) {
  return ct == cat(kExcelCt, "pivotCacheDefinition+xml");
}
bool is_vml(std::string_view ct) {
  return ct == cat(kOfficeDocumentCt, "vmlDrawing");
}

std::optional<std::string_view> embedded_content_type(std::string_view extension) {
  static const std::map<std::string, std::string_view, std::less<>> kByExtension{
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"dotx", "application/vnd.openxmlformats-officedocument.wordprocessingml.template"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"xltx", "application/vnd.openxmlformats-officedocument.spreadsheetml.template"},
      {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"potx", "application/vnd.openxmlformats-officedocument.presentationml.template"},
      {"ppsx", "application/vnd.openxmlformats-officedocument.presentationml.slideshow"},
      {"sldx", "application/vnd.openxmlformats-officedocument.presentationml.slide"},
      {"docm", "application/vnd.ms-word.document.macroEnabled.12"},
      {"dotm", "application/vnd.ms-word.template.macroEnabled.12"},
      {"xlsm", "application/vnd.ms-excel.sheet.macroEnabled.12"},
      {"xltm", "application/vnd.ms-excel.template.macroEnabled.12"},
      {"pptm", "application/vnd.ms-powerpoint.presentation.macroEnabled.12"},
      {"potm", "application/vnd.ms-powerpoint.template.macroEnabled.12"},
      {"ppsm", "application/vnd.ms-powerpoint.slideshow.macroEnabled.12"},
      {"pdf", "application/pdf"},
  };
  const auto it = kByExtension.find(ascii_lower(extension));
  if (it == kByExtension.end()) return std::nullopt;
  return it->second;
}

}  // namespace sanitize::formats::ooxml
