// The PDF module: qpdf opens the file from memory, our walk removes every kind of active
// content and reports it, and QPDFWriter writes a fresh file (mode rebuild); or poppler
// renders the rebuilt file's pages into a new picture-only PDF (mode rasterize).
#include "formats/pdf/pdf_format.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "formats/pdf/active_content.hpp"
#include "formats/pdf/pdf_options.hpp"
#include "formats/pdf/qpdf_document.hpp"
#include "formats/pdf/rasterize.hpp"

namespace sanitize::formats {
namespace {

using pdf::Mode;

const std::vector<TypeSpec> kTypes{
    {"pdf", "PDF document", {"pdf"}},
};

// Kinds that only record what was done are not policy elements.
const std::vector<FindingKindSpec> kKinds{
    {"pdf.javascript", "JavaScript (document scripts, actions, /JS entries)",
     "JavaScript（文書スクリプト、アクション、/JS）"},
    {"pdf.open_action", "open action that is not a plain go-to",
     "単純な移動以外のオープンアクション"},
    {"pdf.additional_actions", "additional actions (/AA) run on events",
     "イベントで実行される追加アクション（/AA）"},
    {"pdf.launch", "launch action (runs a program or opens a file)",
     "起動アクション（プログラム実行・ファイルを開く）"},
    {"pdf.submit_form", "form submission to a server", "フォームのサーバ送信"},
    {"pdf.import_data", "form data import from a file", "ファイルからのフォームデータ読み込み"},
    {"pdf.goto_remote", "link into another file (GoToR)", "別ファイルへのリンク（GoToR）"},
    {"pdf.goto_embedded", "link into an embedded file (GoToE)",
     "埋め込みファイルへのリンク（GoToE）"},
    {"pdf.rendition", "media rendition (screen annotation, rendition action)",
     "メディア再生（スクリーン注釈、レンディション）"},
    {"pdf.rich_media", "rich media (Flash, video) annotation or action",
     "リッチメディア（Flash・動画）"},
    {"pdf.movie", "movie annotation or action", "ムービー注釈・アクション"},
    {"pdf.sound", "sound annotation, action or stream", "サウンド注釈・アクション"},
    {"pdf.3d", "3D annotation, view action or artwork", "3D 注釈・3D データ"},
    {"pdf.xfa", "XFA form", "XFA フォーム"},
    {"pdf.needs_rendering", "/NeedsRendering (render the XFA form instead of the pages)",
     "/NeedsRendering（ページの代わりに XFA を描画）"},
    {"pdf.web_capture", "Web Capture data (/SpiderInfo, /IDS, /URLS)",
     "Web キャプチャ情報（/SpiderInfo、/IDS、/URLS）"},
    {"pdf.alternate_presentation", "alternate presentation (slide show)",
     "代替プレゼンテーション（スライドショー）"},
    {"pdf.unknown_action", "action of a type not on the allowlist",
     "許可リストにない種類のアクション"},
    {"pdf.signature", "digital signature (invalid once the file changes)",
     "電子署名（ファイル変更で無効になるため）"},
    {"pdf.unsafe_uri", "link to a local file, network share (UNC) or script scheme",
     "ローカルファイル・共有フォルダ（UNC）・スクリプトへのリンク"},
    {"pdf.uri", "web link, neutralized or removed by formats.pdf.uri",
     "Web リンク（formats.pdf.uri により無効化・削除）", ElementAction::remove, false, false},
    {"pdf.external_stream", "stream whose data comes from an external file",
     "外部ファイルからデータを読むストリーム"},
    {"pdf.postscript", "PostScript XObject", "PostScript XObject"},
    {"pdf.embedded_file", "embedded file", "埋め込みファイル"},
    {"pdf.file_attachment", "file attachment annotation", "添付ファイル注釈"},
    {"pdf.associated_file", "associated files (/AF)", "関連ファイル（/AF）"},
    {"pdf.encryption", "encryption with only an owner password, removed (permissions listed)",
     "所有者パスワードのみの暗号化を解除（元の権限を記録）", ElementAction::remove, false, false},
    {"pdf.incremental_update", "incremental updates merged; earlier revisions dropped",
     "増分更新を統合（以前の版は破棄）", ElementAction::remove, false, false},
    {"pdf.hidden_data", "objects no page or catalog entry refers to",
     "どこからも参照されないオブジェクト", ElementAction::remove, false, false},
    {"pdf.repaired", "damaged structure repaired by qpdf", "破損した構造を qpdf が修復",
     ElementAction::remove, false, false},
    {"pdf.rasterized", "pages rendered as pictures: links, forms and annotations flattened",
     "ページを画像化（リンク・フォーム・注釈は画像の一部か削除）", ElementAction::remove, false,
     false},
};

// Revisions of the file: each ends with its own startxref (a linearized file has one more,
// for its first page).
std::size_t startxref_count(std::span<const std::uint8_t> bytes) {
  constexpr std::string_view kKeyword = "startxref";
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  std::size_t count = 0;
  for (auto at = text.find(kKeyword); at != std::string_view::npos;
       at = text.find(kKeyword, at + kKeyword.size())) {
    ++count;
  }
  return count;
}

class PdfFormat final : public Format {
 public:
  std::string_view name() const override { return "pdf"; }
  std::span<const TypeSpec> types() const override { return kTypes; }
  std::span<const FindingKindSpec> finding_kinds() const override { return kKinds; }
  std::span<const OptionSpec> options() const override { return pdf::option_specs(); }

  std::optional<Claim> claim(const Probe& probe) const override {
    if (probe.family != Family::pdf) return std::nullopt;
    return Claim{"pdf", ClaimStrength::specific, {}};
  }

  void rebuild(const Claim&, Context& ctx) const override {
    const pdf::PdfOptions options = pdf::PdfOptions::from(ctx);
    pdf::QpdfDocument document(ctx.input(), ctx, options);
    const std::size_t revisions =
        startxref_count(ctx.input()) - (document.qpdf().isLinearized() ? 1 : 0);
    if (revisions > 1) {
      ctx.add_finding({"pdf.incremental_update", "file", Action::removed,
                       std::to_string(revisions) +
                           " revisions merged into one; earlier versions of changed objects "
                           "dropped"});
    }
    const bool rasterize = options.mode == Mode::rasterize;
    const pdf::WalkSummary summary = pdf::remove_active_content(
        document, ctx, options, !rasterize && options.sanitize_embedded_files);
    if (!rasterize) {
      document.write(ctx.output());
      document.report_repairs();
      return;
    }
    std::vector<std::uint8_t> clean;
    document.write(clean);
    document.report_repairs();
    pdf::rasterize(clean, ctx, options, ctx.output());
    if (summary.interactive > 0) {
      ctx.add_finding({"pdf.rasterized", "file", Action::converted,
                       std::to_string(summary.pages) + " page(s) rendered at " +
                           std::to_string(options.dpi) + " dpi; " +
                           std::to_string(summary.interactive) +
                           " annotation(s), form field(s) or outline(s) flattened or dropped"});
    }
  }
};

}  // namespace

const Format& pdf_format() {
  static const PdfFormat format;
  return format;
}

}  // namespace sanitize::formats
