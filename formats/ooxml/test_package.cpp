#include "formats/ooxml/test_package.hpp"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <map>
#include <memory>
#include <stdexcept>

#include "formats/ooxml/cleaning.hpp"
#include "formats/zip/raw_zip.hpp"

namespace sanitize::formats::ooxml::testing {
namespace {

constexpr std::string_view kTransitional =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

std::string rels_name(const std::string& source) {
  if (source.empty()) return "_rels/.rels";
  const auto slash = source.rfind('/');
  const std::string folder = slash == std::string::npos ? "" : source.substr(0, slash + 1);
  return folder + "_rels/" + source.substr(slash == std::string::npos ? 0 : slash + 1) + ".rels";
}

std::string escaped(std::string_view text) {
  std::string out;
  append_xml_escaped(out, text, true);
  return out;
}

constexpr std::string_view kDeclaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";

std::string xml(std::string_view body) {
  return std::string(kDeclaration) + std::string(body);
}

const std::string kCoreProperties = xml(
    R"(<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties")"
    R"( xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/")"
    R"( xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>試験文書 Test</dc:title>)"
    R"(<dc:creator>山田 太郎</dc:creator><cp:lastModifiedBy>Hanako Suzuki</cp:lastModifiedBy>)"
    R"(<cp:revision>3</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2024-04-01T09:00:00Z</dcterms:created>)"
    R"(</cp:coreProperties>)");

const std::string kAppProperties = xml(
    R"(<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">)"
    R"(<Application>Microsoft Office</Application><Company>〇〇市役所</Company></Properties>)");

const std::string kTheme = xml(
    R"(<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office">)"
    R"(<a:themeElements><a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>)"
    R"(<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2>)"
    R"(<a:lt2><a:srgbClr val="EEECE1"/></a:lt2><a:accent1><a:srgbClr val="4F81BD"/></a:accent1>)"
    R"(<a:accent2><a:srgbClr val="C0504D"/></a:accent2><a:accent3><a:srgbClr val="9BBB59"/></a:accent3>)"
    R"(<a:accent4><a:srgbClr val="8064A2"/></a:accent4><a:accent5><a:srgbClr val="4BACC6"/></a:accent5>)"
    R"(<a:accent6><a:srgbClr val="F79646"/></a:accent6><a:hlink><a:srgbClr val="0000FF"/></a:hlink>)"
    R"(<a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme>)"
    R"(<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>)"
    R"(<a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>)"
    R"(<a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>)"
    R"(<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst>)"
    R"(<a:lnStyleLst><a:ln w="9525"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>)"
    R"(<a:ln w="25400"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>)"
    R"(<a:ln w="38100"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst>)"
    R"(<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>)"
    R"(<a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst>)"
    R"(<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>)"
    R"(<a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme>)"
    R"(</a:themeElements></a:theme>)");

const std::string kExcelStyles = xml(
    R"(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>)"
    R"(<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>)"
    R"(<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>)"
    R"(<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>)"
    R"(<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>)"
    R"(<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>)");

void add_properties(Package& package) {
  package
      .part("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml",
            kCoreProperties)
      .part("docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml", kAppProperties)
      .relate("", "rIdCore",
              "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
              "core-properties",
              "docProps/core.xml")
      .relate("", "rIdApp", "extended-properties", "docProps/app.xml");
}

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

void put32le(std::string& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>(v >> shift));
}

void png_chunk(std::string& out, std::string_view type, const std::string& data) {
  put32(out, static_cast<std::uint32_t>(data.size()));
  const std::string typed = std::string(type) + data;
  out += typed;
  put32(out, static_cast<std::uint32_t>(
                 crc32(0, reinterpret_cast<const Bytef*>(typed.data()), typed.size())));
}

constexpr std::size_t kLargeEntry = 1024 * 1024;

std::string fast_deflate(const std::string& data) {
  const std::unique_ptr<libdeflate_compressor, decltype(&libdeflate_free_compressor)> compressor(
      libdeflate_alloc_compressor(6), &libdeflate_free_compressor);
  if (!compressor) throw std::bad_alloc();
  std::string out(libdeflate_deflate_compress_bound(compressor.get(), data.size()), '\0');
  out.resize(libdeflate_deflate_compress(compressor.get(), data.data(), data.size(), out.data(),
                                         out.size()));
  return out;
}

}  // namespace

Package& Package::part(std::string name, std::string_view content_type, std::string data) {
  parts_.push_back(Part{std::move(name), std::string(content_type), std::move(data)});
  return *this;
}

Package& Package::file(std::string name, std::string data) {
  parts_.push_back(Part{std::move(name), {}, std::move(data)});
  return *this;
}

Package& Package::default_type(std::string extension, std::string_view content_type) {
  defaults_.emplace_back(std::move(extension), std::string(content_type));
  return *this;
}

Package& Package::relate(std::string source, std::string id, std::string_view type,
                         std::string target, bool external) {
  std::string full = type.find("://") == std::string_view::npos
                         ? std::string(kTransitional) + std::string(type)
                         : std::string(type);
  relations_.push_back(
      Relation{std::move(source), std::move(id), std::move(full), std::move(target), external});
  return *this;
}

Package& Package::replace(std::string_view name, std::string data) {
  const auto it = std::find_if(parts_.begin(), parts_.end(),
                               [name](const Part& part) { return part.name == name; });
  if (it == parts_.end()) throw std::invalid_argument("no part " + std::string(name));
  it->data = std::move(data);
  return *this;
}

Package& Package::raw_entry(std::string name, std::string data) {
  raw_.emplace_back(std::move(name), std::move(data));
  return *this;
}

Package& Package::comment(std::string text) {
  comment_ = std::move(text);
  return *this;
}

std::string Package::build() const {
  std::string types =
      std::string(kDeclaration) +
      R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)";
  for (const auto& [extension, type] : defaults_) {
    types += "<Default Extension=\"" + extension + "\" ContentType=\"" + type + "\"/>";
  }
  for (const auto& part : parts_) {
    if (part.content_type.empty()) continue;
    types +=
        "<Override PartName=\"/" + part.name + "\" ContentType=\"" + part.content_type + "\"/>";
  }
  types += "</Types>";

  std::vector<zip::testing::RawEntry> entries;
  const auto add = [&entries](std::string name, std::string data) {
    zip::testing::RawEntry entry;
    entry.name = std::move(name);
    if (data.size() > kLargeEntry) {
      // The test builder's zlib at level 9 is too slow for benchmark-sized parts.
      entry.crc = static_cast<std::uint32_t>(libdeflate_crc32(0, data.data(), data.size()));
      entry.declared_size = data.size();
      entry.compressed = fast_deflate(data);
    } else {
      entry.data = std::move(data);
    }
    entries.push_back(std::move(entry));
  };
  add("[Content_Types].xml", types);
  std::map<std::string, std::string> rels;
  std::vector<std::string> order;
  for (const auto& relation : relations_) {
    const std::string name = rels_name(relation.source);
    if (!rels.contains(name)) {
      order.push_back(name);
      rels[name] =
          std::string(kDeclaration) +
          R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)";
    }
    rels[name] += "<Relationship Id=\"" + relation.id + "\" Type=\"" + relation.type +
                  "\" Target=\"" + escaped(relation.target) + "\"" +
                  (relation.external ? " TargetMode=\"External\"" : "") + "/>";
  }
  for (const auto& name : order) add(name, rels[name] + "</Relationships>");
  for (const auto& part : parts_) add(part.name, part.data);
  for (const auto& [name, data] : raw_) add(name, data);
  zip::testing::RawArchive archive = zip::testing::archive_of(std::move(entries));
  archive.comment = comment_;
  return zip::testing::build(archive);
}

Package word_document(std::string_view body, bool macro_enabled) {
  Package package;
  package.part("word/document.xml", macro_enabled ? ct::word_macro_main : ct::word_main,
               xml("<w:document" + std::string(kWordNamespaces) + "><w:body>" + std::string(body) +
                   "</w:body></w:document>"));
  package.relate("", "rId1", "officeDocument", "word/document.xml");
  add_properties(package);
  package
      .part(
          "word/styles.xml",
          "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
          xml(R"(<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
              R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>)"
              R"(</w:styles>)"))
      .relate("word/document.xml", "rIdStyles", "styles", "styles.xml")
      .part("word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml",
            kTheme)
      .relate("word/document.xml", "rIdTheme", "theme", "theme/theme1.xml");
  return package;
}

Package excel_workbook(const std::vector<std::string>& sheets, bool macro_enabled) {
  Package package;
  std::string workbook = "<workbook" + std::string(kSheetNamespaces) + "><sheets>";
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    workbook += "<sheet name=\"Sheet" + n + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    package.part(
        "xl/worksheets/sheet" + n + ".xml", ct::worksheet,
        xml("<worksheet" + std::string(kSheetNamespaces) + ">" + sheets[i] + "</worksheet>"));
    package.relate("xl/workbook.xml", "rId" + n, "worksheet", "worksheets/sheet" + n + ".xml");
  }
  workbook += "</sheets></workbook>";
  package.part("xl/workbook.xml", macro_enabled ? ct::excel_macro_main : ct::excel_main,
               xml(workbook));
  package.relate("", "rId1", "officeDocument", "xl/workbook.xml");
  add_properties(package);
  package
      .part("xl/styles.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml", kExcelStyles)
      .relate("xl/workbook.xml", "rIdStyles", "styles", "styles.xml")
      .part("xl/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml",
            kTheme)
      .relate("xl/workbook.xml", "rIdTheme", "theme", "theme/theme1.xml");
  return package;
}

Package powerpoint_presentation(const std::vector<std::string>& shapes, bool macro_enabled) {
  const std::string group =
      R"(<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>)";
  Package package;
  std::string presentation =
      "<p:presentation" + std::string(kSlideNamespaces) +
      R"(><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rIdMaster"/></p:sldMasterIdLst><p:sldIdLst>)";
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    const std::string name = "ppt/slides/slide" + n + ".xml";
    presentation += "<p:sldId id=\"" + std::to_string(256 + i) + "\" r:id=\"rId" + n + "\"/>";
    package.part(
        name, ct::slide,
        xml("<p:sld" + std::string(kSlideNamespaces) + "><p:cSld><p:spTree>" + group + shapes[i] +
            "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"));
    package.relate("ppt/presentation.xml", "rId" + n, "slide", "slides/slide" + n + ".xml");
    package.relate(name, "rIdLayout", "slideLayout", "../slideLayouts/slideLayout1.xml");
  }
  presentation +=
      R"(</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>)";
  package.part("ppt/presentation.xml",
               macro_enabled ? ct::powerpoint_macro_main : ct::powerpoint_main, xml(presentation));
  package.relate("", "rId1", "officeDocument", "ppt/presentation.xml");
  add_properties(package);
  package
      .part(
          "ppt/slideMasters/slideMaster1.xml",
          "application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml",
          xml("<p:sldMaster" + std::string(kSlideNamespaces) + "><p:cSld><p:spTree>" + group +
              R"(</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1")"
              R"( accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6")"
              R"( hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst>)"
              R"(<p:sldLayoutId id="2147483649" r:id="rIdLayout"/></p:sldLayoutIdLst></p:sldMaster>)"))
      .relate("ppt/presentation.xml", "rIdMaster", "slideMaster", "slideMasters/slideMaster1.xml")
      .relate("ppt/slideMasters/slideMaster1.xml", "rIdLayout", "slideLayout",
              "../slideLayouts/slideLayout1.xml")
      .relate("ppt/slideMasters/slideMaster1.xml", "rIdTheme", "theme", "../theme/theme1.xml")
      .part(
          "ppt/slideLayouts/slideLayout1.xml",
          "application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml",
          xml("<p:sldLayout" + std::string(kSlideNamespaces) +
              R"( type="blank"><p:cSld name="Blank"><p:spTree>)" + group +
              R"(</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>)"))
      .relate("ppt/slideLayouts/slideLayout1.xml", "rIdMaster", "slideMaster",
              "../slideMasters/slideMaster1.xml")
      .part("ppt/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml",
            kTheme)
      .relate("ppt/presentation.xml", "rIdTheme", "theme", "theme/theme1.xml");
  return package;
}

std::string paragraph(std::string_view text) {
  return "<w:p><w:r><w:t xml:space=\"preserve\">" + std::string(text) + "</w:t></w:r></w:p>";
}

std::string complex_field(std::string_view code, std::string_view result) {
  std::string out = R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r>)";
  std::size_t start = 0;
  while (true) {
    const auto bar = code.find('|', start);
    out +=
        "<w:r><w:instrText xml:space=\"preserve\">" +
        std::string(code.substr(start, bar == std::string_view::npos ? code.npos : bar - start)) +
        "</w:instrText></w:r>";
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  out += R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">)" +
         std::string(result) + R"(</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>)";
  return out;
}

std::string text_shape(int id, std::string_view text) {
  const std::string n = std::to_string(id);
  return R"(<p:sp><p:nvSpPr><p:cNvPr id=")" + n + R"(" name="Text )" + n +
         R"("/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="457200" y=")" +
         std::to_string(id * 500000) +
         R"("/><a:ext cx="8000000" cy="400000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>)"
         R"(</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="ja-JP"/><a:t>)" +
         std::string(text) + "</a:t></a:r></a:p></p:txBody></p:sp>";
}

std::string tiny_png(unsigned char red, unsigned char green, unsigned char blue) {
  std::string out = "\x89PNG\r\n\x1A\n";
  std::string header;
  put32(header, 2);
  put32(header, 2);
  header += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB
  png_chunk(out, "IHDR", header);
  std::string rows;
  for (int y = 0; y < 2; ++y) {
    rows.push_back('\0');
    for (int x = 0; x < 2; ++x) {
      rows.push_back(static_cast<char>(red));
      rows.push_back(static_cast<char>(green));
      rows.push_back(static_cast<char>(blue));
    }
  }
  uLongf size = compressBound(rows.size());
  std::string compressed(size, '\0');
  compress2(reinterpret_cast<Bytef*>(compressed.data()), &size,
            reinterpret_cast<const Bytef*>(rows.data()), rows.size(), 9);
  compressed.resize(size);
  png_chunk(out, "IDAT", compressed);
  png_chunk(out, "IEND", "");
  return out;
}

std::string noise_png(std::size_t bytes, std::uint64_t seed) {
  std::size_t side = 1;
  while (side * side * 3 < bytes) ++side;
  std::string out = "\x89PNG\r\n\x1A\n";
  std::string header;
  put32(header, static_cast<std::uint32_t>(side));
  put32(header, static_cast<std::uint32_t>(side));
  header += std::string("\x08\x02\x00\x00\x00", 5);
  png_chunk(out, "IHDR", header);
  std::string rows;
  rows.reserve(side * (side * 3 + 1));
  std::uint64_t state = seed;
  for (std::size_t y = 0; y < side; ++y) {
    rows.push_back('\0');
    for (std::size_t x = 0; x < side * 3; ++x) {
      state += 0x9E3779B97F4A7C15ull;  // splitmix64
      std::uint64_t z = state;
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      rows.push_back(static_cast<char>(z ^ (z >> 31)));
    }
  }
  uLongf size = compressBound(rows.size());
  std::string compressed(size, '\0');
  compress2(reinterpret_cast<Bytef*>(compressed.data()), &size,
            reinterpret_cast<const Bytef*>(rows.data()), rows.size(), 1);
  compressed.resize(size);
  png_chunk(out, "IDAT", compressed);
  png_chunk(out, "IEND", "");
  return out;
}

std::string tiny_gif() {
  return std::string(
      "GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xFF\xFF\xFF\x21\xF9\x04\x01\x00\x00\x00"
      "\x00\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3B",
      43);
}

std::string tiny_emf() {
  std::string out;
  put32le(out, 1);                                                // EMR_HEADER
  put32le(out, 88);                                               // record size
  for (int i = 0; i < 8; ++i) put32le(out, i % 4 < 2 ? 0 : 100);  // bounds, frame
  put32le(out, 0x464D4520);                                       // " EMF"
  put32le(out, 0x10000);                                          // version
  put32le(out, 108);                                              // bytes
  put32le(out, 2);                                                // records
  put32le(out, 1);                                                // handles (16 bits) + reserved
  put32le(out, 0);                                                // description length
  put32le(out, 0);                                                // description offset
  put32le(out, 0);                                                // palette entries
  for (int i = 0; i < 4; ++i) put32le(out, 1000);                 // device, millimeters
  put32le(out, 14);                                               // EMR_EOF
  put32le(out, 20);
  put32le(out, 0);
  put32le(out, 16);
  put32le(out, 20);
  return out;
}

}  // namespace sanitize::formats::ooxml::testing
