#include "formats/ooxml/ooxml_format.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "formats/common/charset.hpp"
#include "formats/common/xml_part.hpp"
#include "formats/ooxml/cleaning.hpp"
#include "formats/ooxml/namespaces.hpp"
#include "formats/ooxml/opc.hpp"
#include "formats/ooxml/plan.hpp"
#include "formats/ooxml/rules.hpp"
#include "formats/ooxml/sheet_stream.hpp"
#include "formats/ooxml/xml_clean.hpp"
#include "formats/zip/entry_names.hpp"
#include "formats/zip/zip_writer.hpp"

namespace sanitize::formats {
namespace {

using namespace ooxml;

// Detection reads [Content_Types].xml and _rels/.rels before any budget exists; parts
// larger than this are not OOXML as any Office writes it.
constexpr std::size_t kDetectionCap = 4 * 1024 * 1024;
// XML parts larger than this (sheets of hundreds of thousands of rows) are compressed at the
// large-part level: at level 6, deflating them would take longer than everything else.
constexpr std::size_t kLargePart = 8 * 1024 * 1024;
constexpr std::string_view kRelationshipsType =
    "application/vnd.openxmlformats-package.relationships+xml";

const std::vector<TypeSpec> kTypes{
    {"ooxml_word", "Word document (OOXML)", {"docx", "docm", "dotx", "dotm"}},
    {"ooxml_excel", "Excel workbook (OOXML)", {"xlsx", "xlsm", "xltx", "xltm"}},
    {"ooxml_powerpoint",
     "PowerPoint presentation (OOXML)",
     {"pptx", "pptm", "potx", "potm", "ppsx", "ppsm"}},
    {"ooxml_addin",
     "Office add-in (xlam, ppam): a container of macros",
     {"xlam", "ppam"},
     BlockReason::dangerous_type},
    {"ooxml_strict",
     "Strict Office Open XML document (ISO/IEC 29500 Strict), not supported",
     {"docx", "xlsx", "pptx"},
     BlockReason::unsupported_format},
};

FindingKindSpec remove_kind(std::string_view id, std::string en, std::string ja) {
  return FindingKindSpec{std::string(id), std::move(en), std::move(ja)};
}

FindingKindSpec report_kind(std::string_view id, std::string en, std::string ja) {
  return FindingKindSpec{std::string(id),       std::move(en), std::move(ja),
                         ElementAction::remove, false,         false};
}

const std::vector<FindingKindSpec> kKinds{
    remove_kind(kind::vba, "VBA macro project (vbaProject.bin, vbaData.xml, signatures)",
                "VBA マクロ（vbaProject.bin、vbaData.xml、署名）"),
    remove_kind(kind::activex, "ActiveX or form control",
                "ActiveX コントロール・フォームコントロール"),
    remove_kind(kind::ole_object, "embedded or linked OLE object (embeddings, packages)",
                "埋め込み・リンクされた OLE オブジェクト"),
    remove_kind(kind::embedded_document, "embedded Office document or PDF",
                "埋め込まれた Office 文書・PDF"),
    remove_kind(kind::external_relationship,
                "reference to content outside the file (remote image, linked object, frame)",
                "ファイル外の内容への参照（リモート画像、リンクオブジェクト、フレーム）"),
    remove_kind(kind::remote_template, "attached template loaded from outside the file",
                "外部から読み込まれる添付テンプレート"),
    remove_kind(kind::external_link, "link to another workbook", "他のブックへのリンク"),
    remove_kind(kind::custom_ui, "ribbon customization with macro callbacks (customUI)",
                "リボンのカスタマイズ（customUI、マクロ呼び出し）"),
    remove_kind(kind::xlm_macro_sheet, "Excel 4.0 (XLM) macro sheet or its auto-run names",
                "Excel 4.0（XLM）マクロシート・自動実行名"),
    remove_kind(kind::dialog_sheet, "Excel 5.0 dialog sheet", "Excel 5.0 ダイアログシート"),
    remove_kind(kind::data_connection, "external data connection or mail merge data source",
                "外部データ接続・差し込み印刷のデータソース"),
    remove_kind(kind::query_table, "query table (web or database query)",
                "クエリテーブル（Web・データベースのクエリ）"),
    remove_kind(kind::power_query, "Power Query queries (DataMashup)",
                "Power Query のクエリ（DataMashup）"),
    remove_kind(kind::web_extension, "Office add-in (web extension, task pane)",
                "Office アドイン（Web 拡張機能、作業ウィンドウ）"),
    remove_kind(kind::alt_chunk, "imported document part (altChunk)",
                "取り込まれた別形式の文書（altChunk）"),
    remove_kind(kind::dde_field, "DDE or DDEAUTO field (starts a program)",
                "DDE・DDEAUTO フィールド（プログラムを起動）"),
    remove_kind(kind::include_field,
                "field that fetches content (INCLUDETEXT, INCLUDEPICTURE, LINK, IMPORT...)",
                "外部の内容を取り込むフィールド（INCLUDETEXT、INCLUDEPICTURE、LINK、IMPORT など）"),
    remove_kind(kind::field_code, "field code not on the allowlist (result kept)",
                "許可されていないフィールドコード（表示結果は残します）"),
    remove_kind(kind::dde_formula, "DDE or external-calling formula, DDE link",
                "DDE・外部呼び出しの数式、DDE リンク"),
    remove_kind(kind::ppt_action, "PowerPoint action that runs a program, macro or object",
                "プログラム・マクロ等を実行する PowerPoint の動作設定"),
    remove_kind(kind::macro_reference, "macro assigned to a shape, control or name",
                "図形・コントロール・名前に登録されたマクロ"),
    remove_kind(kind::printer_settings, "printer settings (binary)", "プリンター設定（バイナリ）"),
    remove_kind(kind::embedded_font, "embedded font", "埋め込みフォント"),
    remove_kind(kind::emf_wmf, "EMF or WMF picture (no module validates them yet)",
                "EMF・WMF 画像（検証できないため）"),
    remove_kind(kind::unverified_media, "SVG picture, audio or video (not validated)",
                "SVG 画像・音声・動画（検証できないため）"),
    remove_kind(kind::bad_picture, "picture whose bytes are not the type its name says",
                "名前と中身の種類が一致しない画像"),
    report_kind(kind::hyperlink, "hyperlink made text or removed by the policy",
                "ポリシーによりテキスト化・削除したハイパーリンク"),
    remove_kind(kind::unsafe_hyperlink, "hyperlink to a file, share or program (file:, UNC...)",
                "ファイル・共有フォルダ・プログラムへのハイパーリンク（file:、UNC など）"),
    report_kind(kind::metadata, "personal metadata scrubbed (authors, company)",
                "個人情報のメタデータを削除（作成者、会社名）"),
    remove_kind(kind::signature, "digital signature (no longer valid once rebuilt)",
                "デジタル署名（再構築により無効）"),
    remove_kind(kind::unknown_part, "part of an unknown or disallowed type",
                "不明・許可されていない種類のパーツ"),
    remove_kind(kind::unreachable_part, "part that nothing in the document refers to",
                "文書から参照されていないパーツ"),
    report_kind(kind::dangling_reference, "relationship to a part missing from the file",
                "存在しないパーツへの関連付け"),
    remove_kind(kind::doctype, "DOCTYPE or entity declarations in XML",
                "XML の DOCTYPE・エンティティ宣言"),
    remove_kind(kind::processing_instruction, "XML processing instruction", "XML の処理命令"),
    FindingKindSpec{std::string(kind::macro_enabled),
                    "macro-enabled file delivered as its plain type (.docm as .docx)",
                    "マクロ有効形式を通常形式に変換（.docm を .docx に）"},
    remove_kind(kind::bad_part_name, "zip entry name that cannot be a part (traversal, unsafe)",
                "パーツ名として不正な ZIP エントリ名（パストラバーサルなど）"),
    remove_kind(kind::hidden_data, "bytes outside every part, zip comments",
                "どのパーツにも属さないデータ、ZIP コメント"),
};

const std::vector<OptionSpec> kOptions{
    {"compression_level", std::int64_t{6}, {}, "deflate level of rewritten XML parts, 0-12"},
    {"large_part_compression_level",
     std::int64_t{1},
     {},
     "deflate level of rewritten XML parts over 8 MiB (large sheets), 0-12"},
    {"hyperlinks",
     std::string("keep"),
     {"keep", "text", "remove"},
     "http, https and mailto hyperlinks: kept, made text, or removed with their text"},
    {"metadata", std::string("keep"), {"keep", "scrub"}, "authors, company and the like"},
    {"emf_wmf", std::string("remove"), {"remove", "keep"}, "EMF and WMF pictures"},
    {"embedded_documents",
     std::string("remove"),
     {"remove", "sanitize"},
     "embedded Office documents and PDFs: removed, or sanitized and kept"},
};

const zip::DirectoryEntry* find_entry(const zip::Directory& directory, std::string_view name) {
  const std::string key = part_key(name);
  for (const auto& entry : directory.entries) {
    if (part_key(zip::decode_entry_name(entry).utf8) == key) return &entry;
  }
  return nullptr;
}

std::optional<Claim> detect(const Probe& probe) {
  if (probe.family != Family::zip) return std::nullopt;
  try {
    const zip::Directory directory = zip::read_directory(probe.bytes);
    const auto* types_entry = find_entry(directory, kContentTypesName);
    const auto* rels_entry = find_entry(directory, kRootRelsName);
    if (types_entry == nullptr || rels_entry == nullptr) return std::nullopt;
    const auto types_bytes = read_small_entry(probe.bytes, *types_entry, kDetectionCap);
    const auto rels_bytes = read_small_entry(probe.bytes, *rels_entry, kDetectionCap);
    if (!types_bytes || !rels_bytes) return std::nullopt;
    const ContentTypes types = parse_content_types(*types_bytes, kContentTypesName);
    for (const auto& relationship : parse_relationships(*rels_bytes, kRootRelsName)) {
      if (relationship.external) continue;
      if (relationship.type == ns::rel_strict_office_document) {
        return Claim{"ooxml_strict", ClaimStrength::specific, "main part " + relationship.target};
      }
      if (relationship.type != ns::rel_office_document) continue;
      const auto main = resolve_target("", relationship.target);
      if (!main) return std::nullopt;
      const MainPartType* type = main_part_type(types.of(*main));
      if (type == nullptr) return std::nullopt;
      return Claim{std::string(type->type_id), ClaimStrength::specific,
                   std::string(type->content_type)};
    }
  } catch (const Blocked&) {
  }
  return std::nullopt;
}

std::vector<std::uint8_t> relationships_xml(const std::vector<Relationship>& relationships) {
  pugi::xml_document document;
  pugi::xml_node root = document.append_child("Relationships");
  root.append_attribute("xmlns").set_value(std::string(ns::package_relationships).c_str());
  for (const auto& relationship : relationships) {
    pugi::xml_node node = root.append_child("Relationship");
    node.append_attribute("Id").set_value(relationship.id.c_str());
    node.append_attribute("Type").set_value(relationship.type.c_str());
    node.append_attribute("Target").set_value(relationship.target.c_str());
    if (relationship.external) node.append_attribute("TargetMode").set_value("External");
  }
  return xml::serialize(document);
}

// [Content_Types].xml for exactly the entries written: a Default for each extension whose
// every part has the same content type, an Override for every other part.
std::vector<std::uint8_t> content_types_xml(
    const std::vector<std::pair<std::string, std::string>>& entries) {
  std::map<std::string, std::set<std::string>> by_extension;
  for (const auto& [name, type] : entries)
    by_extension[ascii_lower(extension_of(name))].insert(type);
  pugi::xml_document document;
  pugi::xml_node root = document.append_child("Types");
  root.append_attribute("xmlns").set_value(std::string(ns::content_types).c_str());
  std::set<std::string> defaulted;
  for (const auto& [extension, types] : by_extension) {
    if (extension.empty() || types.size() != 1) continue;
    pugi::xml_node node = root.append_child("Default");
    node.append_attribute("Extension").set_value(extension.c_str());
    node.append_attribute("ContentType").set_value(types.begin()->c_str());
    defaulted.insert(extension);
  }
  for (const auto& [name, type] : entries) {
    if (defaulted.contains(ascii_lower(extension_of(name)))) continue;
    pugi::xml_node node = root.append_child("Override");
    node.append_attribute("PartName").set_value(("/" + name).c_str());
    node.append_attribute("ContentType").set_value(type.c_str());
  }
  return xml::serialize(document);
}

class OoxmlRebuild {
 public:
  OoxmlRebuild(const Claim& claim, Context& ctx)
      : claim_(claim), ctx_(ctx), options_(Options::from(ctx)), findings_(ctx) {}

  void run() {
    const InputPackage package(ctx_, [this](const std::string& name, const std::string& why) {
      findings_.element(kind::bad_part_name, name, why);
    });
    report_hidden_data(package);
    const InputPart* types_part = package.find(kContentTypesName);
    if (types_part == nullptr) {
      throw Blocked(BlockReason::corrupt, "the package has no [Content_Types].xml");
    }
    XmlOddities oddities;
    const ContentTypes types =
        parse_content_types(package.read(*types_part), kContentTypesName, &oddities);
    report_oddities(findings_, kContentTypesName, oddities);

    Plan plan = plan_package(ctx_, package, types, options_, findings_, claim_.type_id);
    convert_macro_enabled(plan);
    write(package, plan);
    findings_.finish();
  }

 private:
  void report_hidden_data(const InputPackage& package) {
    const zip::Directory& directory = package.directory();
    if (directory.unaccounted_bytes > 0) {
      findings_.element(kind::hidden_data, "package",
                        std::to_string(directory.unaccounted_bytes) + " bytes outside every part");
    }
    if (directory.has_archive_comment) {
      findings_.element(kind::hidden_data, "package", "zip archive comment");
    }
    for (const auto& entry : directory.entries) {
      if (entry.has_comment) {
        findings_.element(kind::hidden_data, zip::decode_entry_name(entry).utf8,
                          "zip entry comment");
      }
    }
  }

  void convert_macro_enabled(const Plan& plan) {
    const MainPartType& main = *plan.main;
    if (main.macro_enabled) {
      const std::string detail = "content type " + std::string(main.content_type) + " made " +
                                 std::string(main.plain_type);
      const auto policy = ctx_.policy().elements.find(kind::macro_enabled);
      if (policy != ctx_.policy().elements.end() && policy->second == ElementAction::block) {
        ctx_.element(kind::macro_enabled, plan.parts.front().name, detail);
      }
      findings_.record(kind::macro_enabled, plan.parts.front().name, Action::converted, detail);
    }
    if (ctx_.probe().declared_extension != main.extension) {
      ctx_.set_output_extension(main.extension);
    }
  }

  struct Deflaters {
    zip::Deflater normal;
    zip::Deflater large;
    zip::PreparedData prepare(std::span<const std::uint8_t> data) const {
      return (data.size() > kLargePart ? large : normal).prepare(data);
    }
  };

  struct Written {
    std::size_t part;
    zip::PreparedData data;
  };

  void write(const InputPackage& package, Plan& plan) {
    zip::ZipWriter writer(ctx_.output(), options_.compression_level);
    const Deflaters deflaters{zip::Deflater(options_.compression_level),
                              zip::Deflater(options_.large_part_compression_level)};
    WorkbookFacts facts;
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < plan.parts.size(); ++i) {
      if (!is_calc_chain(plan.parts[i].content_type)) order.push_back(i);
    }
    for (std::size_t i = 0; i < plan.parts.size(); ++i) {
      if (is_calc_chain(plan.parts[i].content_type)) order.push_back(i);
    }
    std::vector<Written> written;
    for (const std::size_t index : order) {
      ctx_.check_deadline();
      PlannedPart& part = plan.parts[index];
      switch (part.source) {
        case PartSource::copy: {
          const zip::DirectoryEntry& entry = package.entry(*part.input);
          if (entry.method != 0 && entry.method != 8) {
            // Verified, but compressed in a way our writer does not copy (bzip2, LZMA...).
            written.push_back(Written{index, deflaters.prepare(package.read(*part.input))});
            break;
          }
          const auto stored = package.stored_bytes(*part.input);
          written.push_back(Written{
              index, zip::PreparedData{std::vector<std::uint8_t>(stored.begin(), stored.end()),
                                       entry.method, entry.crc32, entry.uncompressed_size}});
          break;
        }
        case PartSource::replaced:
          written.push_back(Written{index, deflaters.prepare(part.bytes)});
          part.bytes.clear();
          break;
        case PartSource::xml:
          if (auto data = clean(package, part, facts, deflaters)) {
            written.push_back(Written{index, std::move(*data)});
          } else {
            drop_part(plan, part, facts);
          }
          break;
      }
    }

    std::vector<std::pair<std::string, std::string>> listing;
    listing.emplace_back(std::string(kRootRelsName), std::string(kRelationshipsType));
    for (const auto& entry : written) {
      const PlannedPart& part = plan.parts[entry.part];
      listing.emplace_back(part.name, part.content_type);
      if (part.had_relationships_part || !part.relationships.empty()) {
        listing.emplace_back(rels_name_of(part.name), std::string(kRelationshipsType));
      }
    }
    const zip::DosTimestamp time;
    writer.add_file(kContentTypesName, content_types_xml(listing), time);
    writer.add_file(kRootRelsName, relationships_xml(plan.package_relationships), time);
    for (auto& entry : written) {
      const PlannedPart& part = plan.parts[entry.part];
      writer.add_precompressed(part.name, entry.data.stored, entry.data.method, entry.data.crc32,
                               entry.data.uncompressed_size, time);
      entry.data.stored = {};
      if (part.had_relationships_part || !part.relationships.empty()) {
        writer.add_file(rels_name_of(part.name), relationships_xml(part.relationships), time);
      }
    }
    writer.finish();
  }

  std::optional<zip::PreparedData> clean(const InputPackage& package, PlannedPart& part,
                                         WorkbookFacts& facts, const Deflaters& deflaters) {
    std::vector<std::uint8_t> bytes =
        part.bytes.empty() ? package.read(*part.input) : std::move(part.bytes);
    part.bytes.clear();
    if (is_worksheet(part.content_type)) {
      if (auto streamed = clean_worksheet_streaming(bytes, part, options_, findings_, facts)) {
        bytes = {};
        return deflaters.prepare(*streamed);
      }
    }
    auto parsed = xml::parse(bytes, part.name);
    bytes = {};
    report_oddities(findings_, part.name,
                    XmlOddities{parsed->had_doctype, parsed->processing_instructions});
    if (!clean_xml_part(parsed->document, part, options_, findings_, facts)) return std::nullopt;
    const std::vector<std::uint8_t> serialized = xml::serialize(parsed->document);
    parsed.reset();
    return deflaters.prepare(serialized);
  }

  // A part that cleaning emptied: it goes with the relationships that lead to it.
  void drop_part(Plan& plan, const PlannedPart& dropped, const WorkbookFacts& facts) {
    for (PlannedPart& source : plan.parts) {
      std::erase_if(source.relationships, [&](const Relationship& relationship) {
        const auto target = source.targets.find(relationship.id);
        return target != source.targets.end() && target->second == dropped.name;
      });
    }
    findings_.element(
        facts.removed_formula_kind.empty() ? kind::dde_formula : facts.removed_formula_kind,
        dropped.name, "calculation chain of removed formulas");
  }

  const Claim& claim_;
  Context& ctx_;
  Options options_;
  Findings findings_;
};

class OoxmlFormat final : public Format {
 public:
  std::string_view name() const override { return "ooxml"; }
  std::span<const TypeSpec> types() const override { return kTypes; }
  std::span<const FindingKindSpec> finding_kinds() const override { return kKinds; }
  std::span<const OptionSpec> options() const override { return kOptions; }

  std::optional<Claim> claim(const Probe& probe) const override { return detect(probe); }

  void rebuild(const Claim& claim, Context& ctx) const override { OoxmlRebuild(claim, ctx).run(); }
};

}  // namespace

const Format& ooxml_format() {
  static const OoxmlFormat format;
  return format;
}

}  // namespace sanitize::formats
