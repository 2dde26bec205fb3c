// The ODF module: OpenDocument text, spreadsheets, presentations and drawings (and their
// templates), rebuilt from an allowlist of parts and markup.
#include "formats/odf/odf_format.hpp"

#include <libdeflate.h>

#include <memory>

#include "formats/odf/odf_names.hpp"
#include "formats/odf/odf_rebuild.hpp"
#include "formats/zip/central_directory.hpp"

namespace sanitize::formats {
namespace {

using odf::document_kinds;

constexpr BlockReason kUnsupported = BlockReason::unsupported_format;
// A mimetype entry longer than this is no ODF media type.
constexpr std::uint64_t kMaxMimetypeBytes = 256;

std::vector<TypeSpec> make_types() {
  std::vector<TypeSpec> types;
  for (const auto& kind : document_kinds()) {
    types.push_back(TypeSpec{std::string(kind.type_id),
                             std::string(kind.display_name),
                             {std::string(kind.type_id)},
                             BlockReason::none,
                             false});
  }
  types.push_back(TypeSpec{"odf_other",
                           "OpenDocument file of a kind without a module (formula, chart, image, "
                           "master document, database, web page)",
                           {"odf", "odc", "odi", "odm", "oth", "odb", "otc", "oti"},
                           kUnsupported,
                           false});
  types.push_back(TypeSpec{"odf_package",
                           "OpenDocument-like package without a readable mimetype entry",
                           {},
                           kUnsupported,
                           false});
  types.push_back(TypeSpec{"staroffice",
                           "StarOffice / OpenOffice.org 1.x document",
                           {"sxw", "stw", "sxc", "stc", "sxi", "sti", "sxd", "std", "sxg", "sxm"},
                           kUnsupported,
                           false});
  return types;
}

const std::vector<TypeSpec> kTypes = make_types();

const std::vector<FindingKindSpec> kKinds{
    {"odf.basic_macro", "StarBasic macro library or dialog (Basic/, Dialogs/)",
     "StarBasic マクロライブラリ・ダイアログ（Basic/、Dialogs/）"},
    {"odf.script",
     "script library or inline script (Scripts/: JavaScript, BeanShell, Python; office:script, "
     "text:script)",
     "スクリプト（Scripts/ の JavaScript・BeanShell・Python、文書内のスクリプト）"},
    {"odf.event_listener",
     "event that runs a macro, a script or a program (document, shape and slide events)",
     "マクロ・スクリプト・プログラムを実行するイベント（文書・図形・スライド）"},
    {"odf.form_event", "script event of a form control (button, field)",
     "フォームコントロールのスクリプトイベント（ボタン・入力欄）"},
    {"odf.form_submit", "form that sends what is typed into it to a URL",
     "入力内容を URL へ送信するフォーム"},
    {"odf.macro_link",
     "link, button, field or attribute that runs a macro or script (vnd.sun.star.script:, "
     "macro:, .uno:, javascript:)",
     "マクロ・スクリプトを実行するリンク・ボタン・フィールド・属性"},
    {"odf.ole_object",
     "embedded OLE object: its binary storage, its replacement picture and the draw:object-ole "
     "that shows it",
     "埋め込み OLE オブジェクト（バイナリ、代替画像、表示する要素）"},
    {"odf.applet", "Java applet", "Java アプレット"},
    {"odf.plugin", "plugin object", "プラグインオブジェクト"},
    {"odf.floating_frame", "floating frame showing another document or a URL",
     "他の文書や URL を表示するフローティングフレーム"},
    {"odf.dde_link", "DDE link, DDE field, or a DDE or RTD formula",
     "DDE リンク・DDE フィールド・DDE/RTD 数式"},
    {"odf.data_source", "connection to a database or an external data source",
     "データベース・外部データソースへの接続"},
    {"odf.remote_resource",
     "content loaded from outside the document: remote or linked picture, linked section or "
     "sheet, external data range, WEBSERVICE formula, automatic reload",
     "文書の外から読み込む内容（リモート・リンク画像、リンクされたセクション・シート、外部データ範"
     "囲、"
     "WEBSERVICE 関数、自動再読み込み）"},
    {"odf.template_link", "link to the template the document was made from (meta:template)",
     "作成元テンプレートへのリンク（meta:template）"},
    {"odf.unsafe_link",
     "link to a local file, a network share (UNC) or a scheme that can start programs",
     "ローカルファイル・ネットワーク共有（UNC）・プログラムを起動しうるスキームへのリンク"},
    {"odf.hyperlink", "hyperlink kept as plain text or removed (option hyperlinks)",
     "ハイパーリンクを文字列化または削除（オプション hyperlinks）", ElementAction::remove, false,
     false},
    {"odf.metadata",
     "personal metadata scrubbed: authors, dates, editing time, generator, comment and change "
     "authors (option metadata)",
     "個人に関わるメタデータを削除（作成者・日時・編集時間・生成アプリ・コメントや変更履歴の作成者"
     "）",
     ElementAction::remove, false, false},
    {"odf.signature", "digital signature (it cannot stay valid over a rebuilt package)",
     "デジタル署名（再構築したパッケージでは有効でありえない）"},
    {"odf.ui_configuration",
     "user interface configuration (Configurations2/: menus, toolbars and key bindings that can "
     "call macros)",
     "UI 設定（Configurations2/：マクロを呼び出せるメニュー・ツールバー・ショートカット）"},
    {"odf.printer_settings", "printer settings (printer name and driver data)",
     "プリンタ設定（プリンタ名・ドライバデータ）"},
    {"odf.metafile",
     "EMF, WMF or SVM picture: no module validates them yet (option keep_metafiles)",
     "EMF・WMF・SVM 画像（検証するモジュールがまだないため削除。オプション keep_metafiles）"},
    {"odf.picture_mismatch",
     "picture whose bytes are not the type its name or media type says, or no picture at all",
     "名前・メディアタイプと中身が一致しない画像、または画像でないデータ"},
    {"odf.picture_blocked", "picture the engine blocked (an SVG while no module checks SVG)",
     "エンジンがブロックした画像（SVG など）"},
    {"odf.foreign_markup",
     "element or attribute in a namespace that ODF does not define (applications ignore it)",
     "ODF が定義しない名前空間の要素・属性"},
    {"odf.unknown_entry",
     "entry or inline data that is no part of an ODF document (layout cache, media, fonts, old "
     "versions...)",
     "ODF "
     "文書の構成要素でないエントリ・埋め込みデータ（レイアウトキャッシュ、メディア、フォント、旧版"
     "など）"},
    {"odf.unsafe_entry",
     "entry with an unsafe or duplicate name, a link or device type, or headers that disagree",
     "危険・重複した名前、リンクやデバイスの種別、ヘッダの食い違いがあるエントリ"},
    {"odf.doctype", "DOCTYPE (with its entity declarations) in an XML part",
     "XML パートの DOCTYPE（エンティティ宣言）"},
    {"odf.processing_instruction", "processing instruction in an XML part", "XML パートの処理命令"},
    {"odf.package_repaired",
     "package structure repaired: mimetype made first, stored and exact; manifest root type",
     "パッケージ構造を修復（mimetype を先頭・無圧縮・正確に、マニフェストのルート種別）",
     ElementAction::remove, false, false},
};

const std::vector<OptionSpec> kOptions{
    {std::string(odf::kHyperlinksOption),
     std::string("keep"),
     {"keep", "text", "remove"},
     "web and relative hyperlinks: keep them, keep their text only, or remove them with their "
     "text (links to files, shares and scripts are always removed)"},
    {std::string(odf::kMetadataOption),
     std::string("keep"),
     {"keep", "scrub"},
     "document metadata: keep it, or scrub authors, dates, editing time, generator and the "
     "authors of comments and changes"},
    {std::string(odf::kKeepMetafilesOption),
     false,
     {},
     "keep EMF, WMF and SVM pictures after checking their signature"},
    {std::string(odf::kCompressionOption),
     std::int64_t{6},
     {},
     "deflate level of the rebuilt package, 0-12"},
};

// The mimetype entry's text, read straight from the archive bytes (it is tiny: stored, or
// deflated to at most kMaxMimetypeBytes); nullopt when it cannot be read.
std::optional<std::string> mimetype_text(std::span<const std::uint8_t> bytes,
                                         const zip::DirectoryEntry& entry) {
  if (entry.encrypted() || entry.uncompressed_size > kMaxMimetypeBytes ||
      entry.data_offset + entry.compressed_size > bytes.size()) {
    return std::nullopt;
  }
  const auto data = bytes.subspan(entry.data_offset, entry.compressed_size);
  std::string text(entry.uncompressed_size, '\0');
  if (entry.method == 0) {
    if (entry.compressed_size != entry.uncompressed_size) return std::nullopt;
    text.assign(data.begin(), data.end());
  } else if (entry.method == 8) {
    std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> inflater(
        libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
    if (!inflater ||
        libdeflate_deflate_decompress(inflater.get(), data.data(), data.size(), text.data(),
                                      text.size(), nullptr) != LIBDEFLATE_SUCCESS) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  const auto last = text.find_last_not_of(" \t\r\n");
  text.erase(last == std::string::npos ? 0 : last + 1);
  return text;
}

class OdfFormat final : public Format {
 public:
  std::string_view name() const override { return "odf"; }
  std::span<const TypeSpec> types() const override { return kTypes; }
  std::span<const FindingKindSpec> finding_kinds() const override { return kKinds; }
  std::span<const OptionSpec> options() const override { return kOptions; }

  // A zip whose mimetype entry names an ODF media type; a package with a manifest but no
  // mimetype is claimed too, and refused.
  std::optional<Claim> claim(const Probe& probe) const override {
    if (probe.family != Family::zip) return std::nullopt;
    zip::Directory directory;
    try {
      directory = zip::read_directory(probe.bytes);
    } catch (const Blocked&) {
      return std::nullopt;  // the zip module blocks it as corrupt
    }
    const zip::DirectoryEntry* mimetype = nullptr;
    bool has_manifest = false;
    for (const auto& entry : directory.entries) {
      if (entry.raw_name == "mimetype" && mimetype == nullptr) mimetype = &entry;
      if (entry.raw_name == "META-INF/manifest.xml") has_manifest = true;
    }
    if (mimetype == nullptr) {
      if (!has_manifest) return std::nullopt;
      return Claim{"odf_package", ClaimStrength::specific, "META-INF/manifest.xml, no mimetype"};
    }
    const auto text = mimetype_text(probe.bytes, *mimetype);
    if (!text) {
      return Claim{"odf_package", ClaimStrength::specific, "the mimetype entry cannot be read"};
    }
    if (const auto* kind = odf::document_kind_of_mimetype(*text)) {
      return Claim{std::string(kind->type_id), ClaimStrength::specific, {}};
    }
    if (text->starts_with("application/vnd.oasis.opendocument.")) {
      return Claim{"odf_other", ClaimStrength::specific, *text};
    }
    if (text->starts_with("application/vnd.sun.xml.")) {
      return Claim{"staroffice", ClaimStrength::specific, *text};
    }
    return std::nullopt;
  }

  void rebuild(const Claim& claim, Context& ctx) const override {
    const auto* kind = odf::document_kind_of_type(claim.type_id);
    if (kind == nullptr) throw std::logic_error("odf: rebuild of a refused type");
    odf::rebuild_package(*kind, ctx);
  }
};

}  // namespace

const Format& odf_format() {
  static const OdfFormat format;
  return format;
}

}  // namespace sanitize::formats
