// The PDF module: qpdf opens the file from memory, our walk removes every kind of active
// content and reports it, and QPDFWriter writes a fresh file (mode rebuild); or poppler
// renders the rebuilt file's pages into a new picture-only PDF (mode rasterize). This file
// is the module's C++20 side: its types, kinds and options, and the context as a pdf::Host.
#include "formats/pdf/pdf_format.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "formats/pdf/pdf_host.hpp"
#include "formats/pdf/pdf_options.hpp"
#include "formats/pdf/pdf_rebuild.hpp"
#include "formats/pdf/poppler_pages.hpp"

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

const std::vector<OptionSpec> kOptions{
    {"mode",
     std::string("rebuild"),
     {"rebuild", "rasterize"},
     "rebuild: structural rewrite with qpdf; rasterize: every page becomes a picture with an "
     "invisible text layer"},
    {"uri",
     std::string("keep"),
     {"keep", "neutralize", "remove"},
     "web links (/URI actions): kept, neutralized (the address stays as the link's note, not "
     "clickable) or removed; file: and UNC targets are always removed"},
    {"embedded_files",
     std::string("remove"),
     {"remove", "sanitize"},
     "embedded files, file attachment annotations and associated files: removed, or sanitized "
     "through the engine and re-embedded"},
    {"max_warnings", std::int64_t{50}, {}, "qpdf repair warnings above which the file is blocked"},
    {"object_streams",
     std::string("preserve"),
     {"preserve", "generate", "disable"},
     "object streams of the rebuilt file"},
    {"compress_streams", true, {}, "Flate-compress streams that are not compressed"},
    {"dpi", std::int64_t{150}, {}, "rasterize: resolution of the page pictures, 36-600"},
    {"raster_format",
     std::string("jpeg"),
     {"jpeg", "flate"},
     "rasterize: page pictures as JPEG (DCT) or lossless Flate"},
    {"jpeg_quality", std::int64_t{85}, {}, "rasterize: JPEG quality, 30-100"},
    {"text_layer", true, {}, "rasterize: add the invisible text layer for search and copy"},
    {"render_threads", std::int64_t{0}, {}, "rasterize: pages rendered at once, 0 = one per core"},
};

int in_range(const Context& ctx, std::string_view key, std::int64_t low, std::int64_t high) {
  const std::int64_t value = ctx.option_int(key);
  if (value < low || value > high) {
    throw Blocked(BlockReason::internal_error,
                  "formats.pdf." + std::string(key) + " = " + std::to_string(value) +
                      " is outside " + std::to_string(low) + "-" + std::to_string(high));
  }
  return static_cast<int>(value);
}

// Reads and range-checks the options; a value out of range blocks the file.
pdf::PdfOptions read_options(const Context& ctx) {
  using namespace pdf;
  PdfOptions o;
  o.mode = ctx.option_string("mode") == "rasterize" ? Mode::rasterize : Mode::rebuild;
  const std::string_view uri = ctx.option_string("uri");
  o.uri = uri == "remove"       ? UriHandling::remove
          : uri == "neutralize" ? UriHandling::neutralize
                                : UriHandling::keep;
  o.sanitize_embedded_files = ctx.option_string("embedded_files") == "sanitize";
  o.max_warnings = in_range(ctx, "max_warnings", 0, 1000000);
  const std::string_view streams = ctx.option_string("object_streams");
  o.object_streams = streams == "generate"  ? ObjectStreams::generate
                     : streams == "disable" ? ObjectStreams::disable
                                            : ObjectStreams::preserve;
  o.compress_streams = ctx.option_bool("compress_streams");
  o.dpi = in_range(ctx, "dpi", 36, 600);
  o.raster_encoding =
      ctx.option_string("raster_format") == "flate" ? RasterEncoding::flate : RasterEncoding::jpeg;
  o.jpeg_quality = in_range(ctx, "jpeg_quality", 30, 100);
  o.text_layer = ctx.option_bool("text_layer");
  o.render_threads = in_range(ctx, "render_threads", 0, 64);
  return o;
}

// The engine's context, for the module's C++17 side.
class ContextHost final : public pdf::Host {
 public:
  explicit ContextHost(Context& ctx) : ctx_(ctx) {}

  void element(const std::string& kind, const std::string& location,
               const std::string& detail) override {
    ctx_.element(kind, location, detail);
  }
  void finding(const std::string& kind, const std::string& location, pdf::Done done,
               const std::string& detail) override {
    const Action action = done == pdf::Done::neutralized ? Action::neutralized
                          : done == pdf::Done::converted ? Action::converted
                                                         : Action::removed;
    ctx_.add_finding({kind, location, action, detail});
  }
  void charge_expanded(std::uint64_t bytes, const std::string& location) override {
    ctx_.charge_expanded(bytes, location);
  }
  void check_ratio(std::uint64_t produced, std::uint64_t compressed,
                   const std::string& location) override {
    ctx_.check_ratio(produced, compressed, location);
  }
  void charge_entries(std::uint64_t count, const std::string& location) override {
    ctx_.charge_entries(count, location);
  }
  void check_deadline() override { ctx_.check_deadline(); }
  pdf::EmbeddedResult sanitize_child(const std::vector<std::uint8_t>& bytes,
                                     const std::string& name) override {
    ChildResult child = ctx_.sanitize_child(bytes, name);
    pdf::EmbeddedResult result;
    result.blocked = child.verdict == Verdict::blocked;
    if (result.blocked) {
      result.why = std::string(to_string(child.block_reason)) + ": " + child.block_detail;
    }
    result.output = std::move(child.output);
    result.output_name = std::move(child.output_name);
    return result;
  }
  [[noreturn]] void stop(pdf::StopReason reason, const std::string& detail) override {
    switch (reason) {
      case pdf::StopReason::encrypted:
        throw Blocked(BlockReason::encrypted, detail);
      case pdf::StopReason::corrupt:
        throw Blocked(BlockReason::corrupt, detail);
      case pdf::StopReason::limit:
        throw Blocked(BlockReason::limit, detail);
      case pdf::StopReason::internal_error:
        break;
    }
    throw Blocked(BlockReason::internal_error, detail);
  }

 private:
  Context& ctx_;
};

class PdfFormat final : public Format {
 public:
  std::string_view name() const override { return "pdf"; }
  std::span<const TypeSpec> types() const override { return kTypes; }
  std::span<const FindingKindSpec> finding_kinds() const override { return kKinds; }
  std::span<const OptionSpec> options() const override { return kOptions; }

  std::optional<Claim> claim(const Probe& probe) const override {
    if (probe.family != Family::pdf) return std::nullopt;
    return Claim{"pdf", ClaimStrength::specific, {}};
  }

  void rebuild(const Claim&, Context& ctx) const override {
    const pdf::PdfOptions options = read_options(ctx);
    ContextHost host(ctx);
    const auto input = ctx.input();
    pdf::rebuild(input.data(), input.size(), host, options, ctx.output());
  }

  // Poppler is loaded only where the policy rasterizes (poppler_pages.hpp).
  void preload(const NameMap<OptionValue>& options) const override {
    const auto mode = options.find("mode");
    const auto* value = mode != options.end() ? std::get_if<std::string>(&mode->second) : nullptr;
    if (value != nullptr && *value == "rasterize") pdf::load_poppler();
  }
};

}  // namespace

const Format& pdf_format() {
  static const PdfFormat format;
  return format;
}

}  // namespace sanitize::formats
