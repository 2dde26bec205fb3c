#include "formats/odf/odf_builder.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace sanitize::formats::odf::testing {
namespace {

constexpr std::string_view kNamespaces =
    " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
    " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
    " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
    " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""
    " xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\""
    " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""
    " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
    " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""
    " xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\""
    " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""
    " xmlns:chart=\"urn:oasis:names:tc:opendocument:xmlns:chart:1.0\""
    " xmlns:form=\"urn:oasis:names:tc:opendocument:xmlns:form:1.0\""
    " xmlns:script=\"urn:oasis:names:tc:opendocument:xmlns:script:1.0\""
    " xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\""
    " xmlns:config=\"urn:oasis:names:tc:opendocument:xmlns:config:1.0\""
    " xmlns:of=\"urn:oasis:names:tc:opendocument:xmlns:of:1.2\""
    " xmlns:dom=\"http://www.w3.org/2001/xml-events\""
    " xmlns:xforms=\"http://www.w3.org/2002/xforms\""
    " office:version=\"1.3\"";

constexpr std::string_view kDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

std::string part(std::string_view root, std::string_view inner) {
  return std::string(kDeclaration) + "<office:" + std::string(root) + std::string(kNamespaces) +
         ">" + std::string(inner) + "</office:" + std::string(root) + ">";
}

void put32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(value >> shift));
}

void png_chunk(std::string& out, std::string_view type, const std::string& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  std::string body = std::string(type) + data;
  out += body;
  put32(out, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                              static_cast<uInt>(body.size()))));
}

std::string escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (c == '<') {
      out += "&lt;";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string& entry_data(zip::testing::RawArchive& archive, std::string_view name) {
  for (auto& entry : archive.entries) {
    if (entry.name == name) return entry.data;
  }
  throw std::logic_error("no entry " + std::string(name));
}

void insert_before(std::string& data, std::string_view marker, std::string_view text) {
  const auto at = data.find(marker);
  if (at == std::string::npos) throw std::logic_error("no " + std::string(marker));
  data.insert(at, text);
}

void replace_first(std::string& data, std::string_view from, std::string_view to) {
  const auto at = data.find(from);
  if (at == std::string::npos) throw std::logic_error("no " + std::string(from));
  data.replace(at, from.size(), to);
}

std::string content_xml(std::string_view body_kind, std::string_view body,
                        std::string_view before_body) {
  return part("document-content",
              std::string(before_body) + "<office:body><office:" + std::string(body_kind) + ">" +
                  std::string(body) + "</office:" + std::string(body_kind) + "></office:body>");
}

std::string styles_xml(std::string_view inner) {
  return part("document-styles", inner);
}
std::string meta_xml(std::string_view inner) {
  return part("document-meta", "<office:meta>" + std::string(inner) + "</office:meta>");
}
std::string settings_xml(std::string_view inner) {
  return part("document-settings", "<office:settings>" + std::string(inner) + "</office:settings>");
}

namespace {

// An 8-bit RGB PNG of `rows` (each starts with its filter byte, 0).
std::string png_of(std::uint32_t width, std::uint32_t height, const std::string& rows) {
  std::string png = "\x89PNG\r\n\x1A\n";
  std::string header;
  put32(header, width);
  put32(header, height);
  header += std::string("\x08\x02\x00\x00\x00", 5);
  png_chunk(png, "IHDR", header);
  uLongf size = compressBound(static_cast<uLong>(rows.size()));
  std::string compressed(size, '\0');
  compress(reinterpret_cast<Bytef*>(compressed.data()), &size,
           reinterpret_cast<const Bytef*>(rows.data()), static_cast<uLong>(rows.size()));
  compressed.resize(size);
  png_chunk(png, "IDAT", compressed);
  png_chunk(png, "IEND", "");
  return png;
}

// A photo-like picture: smooth colours with noise, so that it compresses as photos do.
std::string picture_png(std::uint32_t side, std::uint32_t seed) {
  std::string rows;
  std::uint32_t noise = seed * 2654435761u + 1;
  for (std::uint32_t y = 0; y < side; ++y) {
    rows.push_back('\0');
    for (std::uint32_t x = 0; x < side; ++x) {
      noise = noise * 1664525u + 1013904223u;
      rows.push_back(static_cast<char>((x + seed * 40) & 0xFF));
      rows.push_back(static_cast<char>((y * 2) & 0xFF));
      rows.push_back(static_cast<char>(noise >> 26));
    }
  }
  return png_of(side, side, rows);
}

}  // namespace

std::string tiny_png() {
  const std::string rows = std::string("\0\xFF\x00\x00\x00\x00\xFF", 7) +
                           std::string("\0\x00\xFF\x00\xFF\xFF\xFF", 7);  // red blue / green white
  return png_of(2, 2, rows);
}

std::string ole2_storage() {
  std::string storage = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
  storage += std::string(16, '\0');
  storage += std::string("\x3E\x00\x03\x00\xFE\xFF\x09\x00", 8);
  storage.resize(1536, '\0');
  return storage;
}

std::string chart_content() {
  const auto cell = [](std::string_view text) {
    return "<table:table-cell office:value-type=\"string\"><text:p>" + std::string(text) +
           "</text:p></table:table-cell>";
  };
  const auto number = [](std::string_view value) {
    return "<table:table-cell office:value-type=\"float\" office:value=\"" + std::string(value) +
           "\"><text:p>" + std::string(value) + "</text:p></table:table-cell>";
  };
  return content_xml(
      "chart",
      "<chart:chart svg:width=\"8cm\" svg:height=\"6cm\" chart:class=\"chart:bar\">"
      "<chart:title><text:p>売上 Sales</text:p></chart:title>"
      "<chart:plot-area table:cell-range-address=\"local-table.$A$1:.$B$3\" "
      "chart:data-source-has-labels=\"both\">"
      "<chart:axis chart:dimension=\"x\" chart:name=\"primary-x\">"
      "<chart:categories table:cell-range-address=\"local-table.$A$2:.$A$3\"/></chart:axis>"
      "<chart:axis chart:dimension=\"y\" chart:name=\"primary-y\"/>"
      "<chart:series chart:class=\"chart:bar\" "
      "chart:values-cell-range-address=\"local-table.$B$2:.$B$3\" "
      "chart:label-cell-address=\"local-table.$B$1\"/>"
      "</chart:plot-area>"
      "<table:table table:name=\"local-table\">"
      "<table:table-header-columns><table:table-column/></table:table-header-columns>"
      "<table:table-columns><table:table-column/></table:table-columns>"
      "<table:table-header-rows><table:table-row>" +
          cell("") + cell("金額") +
          "</table:table-row></table:table-header-rows>"
          "<table:table-rows><table:table-row>" +
          cell("東京 Tokyo") + number("12") + "</table:table-row><table:table-row>" +
          cell("大阪 Osaka") + number("7") +
          "</table:table-row></table:table-rows></table:table></chart:chart>");
}

namespace {

constexpr std::string_view kImageLink =
    " xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\"";

std::string picture_frame(std::string_view anchor) {
  return "<draw:frame draw:name=\"図1 Picture\" " + std::string(anchor) +
         " svg:width=\"2cm\" svg:height=\"2cm\"><draw:image xlink:href=\"Pictures/tiny.png\"" +
         std::string(kImageLink) + "/></draw:frame>";
}

std::string chart_frame(std::string_view anchor) {
  return "<draw:frame draw:name=\"Chart1\" " + std::string(anchor) +
         " svg:width=\"8cm\" svg:height=\"6cm\"><draw:object xlink:href=\"./Object 1\"" +
         std::string(kImageLink) + "/><draw:image xlink:href=\"./ObjectReplacements/Object 1\"" +
         std::string(kImageLink) + "/></draw:frame>";
}

std::string annotation(std::string_view text) {
  return "<office:annotation><dc:creator>山田 太郎</dc:creator><dc:date>2024-04-01T09:00:00"
         "</dc:date><text:p>" +
         std::string(text) + "</text:p></office:annotation>";
}

std::string string_cell(std::string_view text) {
  return "<table:table-cell office:value-type=\"string\"><text:p>" + std::string(text) +
         "</text:p></table:table-cell>";
}

const std::string kMeta = meta_xml(
    "<meta:generator>sanitize corpus</meta:generator><dc:title>予算資料 Budget</dc:title>"
    "<meta:initial-creator>山田 太郎</meta:initial-creator><dc:creator>Yamada Taro</dc:creator>"
    "<meta:creation-date>2024-04-01T09:00:00</meta:creation-date>"
    "<meta:user-defined meta:name=\"Company\">○○市役所</meta:user-defined>");

// The parts every benign document shares: styles with a page layout, metadata, the picture
// and the chart object with its replacement picture.
Package with_common_parts(std::string_view mimetype, std::string content, std::string styles) {
  Package package(mimetype);
  package.add("content.xml", std::move(content))
      .add("styles.xml", std::move(styles))
      .add("meta.xml", kMeta)
      .add("Pictures/tiny.png", tiny_png(), "image/png", false)
      .list("Object 1/", std::string(kChart))
      .add("Object 1/content.xml", chart_content())
      .add("ObjectReplacements/Object 1", tiny_png(), "image/png", false);
  return package;
}

}  // namespace

Package text_document(std::string_view body_extra, std::string_view before_body,
                      std::string_view prelude) {
  const std::string body =
      std::string(prelude) +
      "<text:h text:outline-level=\"1\">令和6年度 予算資料 Budget report</text:h>"
      "<text:p>市民の皆様へ。This document tests 無害化 (sanitization).</text:p>"
      "<text:p>詳細は<text:a xlink:type=\"simple\" xlink:href=\"https://www.example.jp/\">"
      "市のサイト</text:a>をご覧ください。</text:p>"
      "<text:p>コメント付きの段落" +
      annotation("確認してください Please check") +
      "です。</text:p>"
      "<table:table table:name=\"表1\"><table:table-column table:number-columns-repeated=\"2\"/>"
      "<table:table-row>" +
      string_cell("地区 Area") + string_cell("金額 Amount") +
      "</table:table-row><table:table-row>" + string_cell("東京 Tokyo") +
      "<table:table-cell office:value-type=\"float\" office:value=\"1200\"><text:p>1200</text:p>"
      "</table:table-cell></table:table-row></table:table>"
      "<text:p>図 Picture: " +
      picture_frame("text:anchor-type=\"as-char\"") +
      "</text:p><text:p>グラフ Chart: " + chart_frame("text:anchor-type=\"as-char\"") +
      "</text:p>" + std::string(body_extra);
  const std::string styles = styles_xml(
      "<office:styles><style:style style:name=\"Standard\" style:family=\"paragraph\"/>"
      "</office:styles><office:automatic-styles><style:page-layout style:name=\"pm1\">"
      "<style:page-layout-properties fo:page-width=\"21cm\" fo:page-height=\"29.7cm\"/>"
      "<style:header-style/><style:footer-style/></style:page-layout></office:automatic-styles>"
      "<office:master-styles><style:master-page style:name=\"Standard\" "
      "style:page-layout-name=\"pm1\"><style:header><text:p>ヘッダー Header</text:p></style:header>"
      "<style:footer><text:p>フッター Footer</text:p></style:footer></style:master-page>"
      "</office:master-styles>");
  return with_common_parts(kText, content_xml("text", body, before_body), styles);
}

Package spreadsheet(std::string_view cells_extra, std::string_view before_body) {
  const std::string body =
      "<table:table table:name=\"予算 Budget\"><table:shapes>" +
      picture_frame("svg:x=\"9cm\" svg:y=\"0cm\"") + chart_frame("svg:x=\"9cm\" svg:y=\"3cm\"") +
      "</table:shapes><table:table-column table:number-columns-repeated=\"3\"/>"
      "<table:table-row>" +
      string_cell("地区 Area") + string_cell("金額 Amount") + string_cell("備考 Note") +
      "</table:table-row><table:table-row>" + string_cell("東京 Tokyo") +
      "<table:table-cell office:value-type=\"float\" office:value=\"1200\"><text:p>1200</text:p>"
      "</table:table-cell><table:table-cell office:value-type=\"string\">" +
      annotation("要確認 To check") +
      "<text:p>確認中</text:p></table:table-cell></table:table-row><table:table-row>" +
      string_cell("大阪 Osaka") +
      "<table:table-cell office:value-type=\"float\" office:value=\"700\"><text:p>700</text:p>"
      "</table:table-cell></table:table-row><table:table-row>" +
      string_cell("合計 Total") +
      "<table:table-cell table:formula=\"of:=SUM([.B2:.B3])\" office:value-type=\"float\" "
      "office:value=\"1900\"><text:p>1900</text:p></table:table-cell>" +
      std::string(cells_extra) + "</table:table-row></table:table>";
  return with_common_parts(kSpreadsheet, content_xml("spreadsheet", body, before_body),
                           styles_xml("<office:styles/>"));
}

Package presentation(std::string_view page_extra, std::string_view before_body) {
  const auto text_frame = [](std::string_view y, std::string_view text) {
    return "<draw:frame svg:x=\"2cm\" svg:y=\"" + std::string(y) +
           "\" svg:width=\"20cm\" svg:height=\"3cm\"><draw:text-box><text:p>" + std::string(text) +
           "</text:p></draw:text-box></draw:frame>";
  };
  const std::string body =
      "<presentation:footer-decl presentation:name=\"ftr1\">フッター Footer"
      "</presentation:footer-decl>"
      "<draw:page draw:name=\"page1\" draw:master-page-name=\"Default\" "
      "presentation:use-footer-name=\"ftr1\">" +
      text_frame("1cm", "会議資料 Meeting notes") +
      text_frame("5cm", "日本語と English のテキスト") +
      picture_frame("svg:x=\"2cm\" svg:y=\"10cm\"") +
      "<office:annotation svg:x=\"20cm\" svg:y=\"1cm\"><dc:creator>山田 太郎</dc:creator>"
      "<text:p>コメント Comment</text:p></office:annotation>" +
      std::string(page_extra) +
      "</draw:page><draw:page draw:name=\"page2\" draw:master-page-name=\"Default\">" +
      text_frame("1cm", "グラフ Chart") + chart_frame("svg:x=\"2cm\" svg:y=\"5cm\"") +
      "</draw:page>";
  const std::string styles = styles_xml(
      "<office:automatic-styles><style:page-layout style:name=\"PM1\">"
      "<style:page-layout-properties fo:page-width=\"28cm\" fo:page-height=\"21cm\"/>"
      "</style:page-layout></office:automatic-styles><office:master-styles>"
      "<style:master-page style:name=\"Default\" style:page-layout-name=\"PM1\"/>"
      "</office:master-styles>");
  return with_common_parts(kPresentation, content_xml("presentation", body, before_body), styles);
}

Package drawing(std::string_view page_extra) {
  const std::string body =
      "<draw:page draw:name=\"page1\" draw:master-page-name=\"Default\">"
      "<draw:rect svg:x=\"2cm\" svg:y=\"2cm\" svg:width=\"8cm\" svg:height=\"3cm\">"
      "<text:p>配置図 Floor plan</text:p></draw:rect>"
      "<draw:frame svg:x=\"2cm\" svg:y=\"6cm\" svg:width=\"20cm\" svg:height=\"2cm\">"
      "<draw:text-box><text:p>受付は1階です。Reception is on the ground floor.</text:p>"
      "</draw:text-box></draw:frame>" +
      picture_frame("svg:x=\"2cm\" svg:y=\"9cm\"") +
      "<office:annotation svg:x=\"12cm\" svg:y=\"2cm\"><dc:creator>山田 太郎</dc:creator>"
      "<text:p>確認 Check</text:p></office:annotation>" +
      chart_frame("svg:x=\"12cm\" svg:y=\"9cm\"") + std::string(page_extra) + "</draw:page>";
  const std::string styles = styles_xml(
      "<office:automatic-styles><style:page-layout style:name=\"PM1\">"
      "<style:page-layout-properties fo:page-width=\"29.7cm\" fo:page-height=\"21cm\"/>"
      "</style:page-layout></office:automatic-styles><office:master-styles>"
      "<style:master-page style:name=\"Default\" style:page-layout-name=\"PM1\"/>"
      "</office:master-styles>");
  return with_common_parts(kDrawing, content_xml("drawing", body), styles);
}

zip::testing::RawArchive chart_with_svm_replacement() {
  auto archive = text_document().archive();
  entry_data(archive, "ObjectReplacements/Object 1") = "VCLMTF" + std::string(64, '\0');
  replace_first(entry_data(archive, "META-INF/manifest.xml"),
                "Object 1\" manifest:media-type=\"image/png",
                "Object 1\" manifest:media-type=\"application/x-openoffice-gdimetafile");
  return archive;
}

Package::Package(std::string_view mimetype) : mimetype_(mimetype) {}

Package& Package::add(std::string name, std::string data, std::string media_type, bool deflate) {
  listed_.push_back(Listed{name, std::move(media_type)});
  add_unlisted(std::move(name), std::move(data));
  entries_.back().deflate = deflate;
  return *this;
}

Package& Package::add_unlisted(std::string name, std::string data) {
  zip::testing::RawEntry entry;
  entry.name = std::move(name);
  entry.data = std::move(data);
  entries_.push_back(std::move(entry));
  return *this;
}

Package& Package::list(std::string path, std::string media_type) {
  listed_.push_back(Listed{std::move(path), std::move(media_type)});
  return *this;
}

Package& Package::encrypt(std::string path) {
  encrypted_.push_back(std::move(path));
  return *this;
}

Package& Package::without_manifest() {
  with_manifest_ = false;
  return *this;
}

zip::testing::RawArchive Package::archive() const {
  zip::testing::RawArchive archive;
  zip::testing::RawEntry mimetype;
  mimetype.name = "mimetype";
  mimetype.data = mimetype_;
  mimetype.deflate = false;
  archive.entries.push_back(mimetype);
  archive.entries.insert(archive.entries.end(), entries_.begin(), entries_.end());
  if (with_manifest_) {
    std::string manifest = std::string(kDeclaration) +
                           "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:"
                           "xmlns:manifest:1.0\" manifest:version=\"1.3\">"
                           "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.3\" "
                           "manifest:media-type=\"" +
                           mimetype_ + "\"/>";
    for (const auto& listed : listed_) {
      manifest += "<manifest:file-entry manifest:full-path=\"" + escaped(listed.path) +
                  "\" manifest:media-type=\"" + escaped(listed.media_type) + "\"";
      if (std::find(encrypted_.begin(), encrypted_.end(), listed.path) == encrypted_.end()) {
        manifest += "/>";
      } else {
        manifest +=
            "><manifest:encryption-data manifest:checksum-type=\"SHA1/1K\" "
            "manifest:checksum=\"AAAA\"><manifest:algorithm manifest:algorithm-name=\"Blowfish "
            "CFB\" manifest:initialisation-vector=\"AAAA\"/><manifest:key-derivation "
            "manifest:key-derivation-name=\"PBKDF2\" manifest:iteration-count=\"1024\" "
            "manifest:salt=\"AAAA\"/></manifest:encryption-data></manifest:file-entry>";
      }
    }
    manifest += "</manifest:manifest>";
    zip::testing::RawEntry entry;
    entry.name = "META-INF/manifest.xml";
    entry.data = std::move(manifest);
    archive.entries.push_back(std::move(entry));
  }
  return archive;
}

std::string Package::build() const {
  return zip::testing::build(archive());
}

std::string long_text_document(std::size_t pages) {
  constexpr std::uint32_t kPictures = 30;
  std::string body;
  for (std::size_t page = 0; page < pages; ++page) {
    body += "<text:h text:outline-level=\"1\">第" + std::to_string(page + 1) + "章 Chapter " +
            std::to_string(page + 1) + "</text:h>";
    for (int paragraph = 0; paragraph < 6; ++paragraph) {
      body +=
          "<text:p>令和6年度の予算について、市民の皆様にお知らせします。The council reviewed "
          "the budget of the ward office, the school and the library, and approved the "
          "requests for the water and road works. <text:span>詳細は別紙をご覧ください。"
          "</text:span></text:p>";
    }
    body += "<table:table table:name=\"表" + std::to_string(page + 1) +
            "\"><table:table-column table:number-columns-repeated=\"3\"/>";
    for (int row = 0; row < 5; ++row) {
      body += "<table:table-row>" + string_cell("東京 Tokyo") + string_cell("予算 Budget") +
              "<table:table-cell office:value-type=\"float\" office:value=\"" +
              std::to_string(row * 1000 + page) + "\"><text:p>" +
              std::to_string(row * 1000 + page) + "</text:p></table:table-cell></table:table-row>";
    }
    body += "</table:table><text:p><draw:frame draw:name=\"図" + std::to_string(page + 1) +
            "\" text:anchor-type=\"as-char\" svg:width=\"6cm\" svg:height=\"6cm\"><draw:image "
            "xlink:href=\"Pictures/photo-" +
            std::to_string(page % kPictures) + ".png\"" + std::string(kImageLink) +
            "/></draw:frame></text:p><text:p><text:soft-page-break/></text:p>";
  }
  Package package(kText);
  package.add("content.xml", content_xml("text", body)).add("meta.xml", kMeta);
  for (std::uint32_t picture = 0; picture < std::min<std::size_t>(pages, kPictures); ++picture) {
    package.add("Pictures/photo-" + std::to_string(picture) + ".png", picture_png(256, picture),
                "image/png", false);
  }
  return package.build();
}

std::string large_spreadsheet(std::size_t rows) {
  std::string body =
      "<table:table table:name=\"台帳 Ledger\"><table:table-column "
      "table:number-columns-repeated=\"8\"/>";
  for (std::size_t row = 0; row < rows; ++row) {
    body += "<table:table-row>" + string_cell("住民 " + std::to_string(row)) +
            string_cell(row % 2 == 0 ? "東京都 Tokyo" : "大阪府 Osaka");
    for (int column = 0; column < 5; ++column) {
      const std::string value =
          std::to_string((row * 7919 + static_cast<std::size_t>(column) * 104729) % 100000);
      body += "<table:table-cell office:value-type=\"float\" office:value=\"" + value +
              "\"><text:p>" + value + "</text:p></table:table-cell>";
    }
    body += "<table:table-cell table:formula=\"of:=SUM([.C" + std::to_string(row + 1) + ":.G" +
            std::to_string(row + 1) +
            "])\" office:value-type=\"float\" office:value=\"0\"><text:p>0</text:p>"
            "</table:table-cell></table:table-row>";
  }
  body += "</table:table>";
  Package package(kSpreadsheet);
  package.add("content.xml", content_xml("spreadsheet", body)).add("meta.xml", kMeta);
  return package.build();
}

}  // namespace sanitize::formats::odf::testing
