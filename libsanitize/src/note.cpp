#include "note.hpp"

#include <map>

namespace sanitize::detail {
namespace {

struct ReasonText {
  BlockReason reason;
  std::string_view ja;
  std::string_view en;
};

constexpr ReasonText kReasonTexts[] = {
    {BlockReason::none, "", ""},
    {BlockReason::unknown_type, "種類を判別できないファイルです", "the file type is unknown"},
    {BlockReason::unsupported_format, "この形式にはまだ対応していません",
     "this format is not supported yet"},
    {BlockReason::dangerous_type, "プログラムなど受け付けられない種類のファイルです",
     "this type is never delivered (programs, scripts, shortcuts, disk images)"},
    {BlockReason::extension_not_allowed, "ファイル名の拡張子が内容と一致しません",
     "the file name's extension does not match its content"},
    {BlockReason::encrypted, "暗号化されていて中身を検査できません",
     "it is encrypted and cannot be inspected"},
    {BlockReason::corrupt, "ファイルが壊れていて解析できません",
     "it is damaged and cannot be parsed"},
    {BlockReason::limit, "サイズ・展開量・入れ子の上限を超えました",
     "it exceeds a size, expansion or nesting limit"},
    {BlockReason::timeout, "処理が制限時間内に終わりませんでした",
     "processing did not finish in time"},
    {BlockReason::internal_error, "内部エラーが発生しました", "an internal error occurred"},
    {BlockReason::disabled_format, "この種類のファイルはポリシーで受け付けない設定です",
     "this type is switched off by the policy"},
    {BlockReason::active_content, "ポリシーで禁止された要素が含まれています",
     "it holds content the policy blocks"},
    {BlockReason::sandbox_failure, "検査用プロセスが異常終了しました",
     "the inspecting worker failed"},
    {BlockReason::output_rejected, "無害化結果の検証に失敗しました",
     "the sanitized output failed verification"},
};

const ReasonText& reason_text(BlockReason reason) {
  for (const auto& text : kReasonTexts) {
    if (text.reason == reason) return text;
  }
  return kReasonTexts[0];
}

void count_kinds(const Report& report, std::map<std::string, std::size_t>& counts) {
  for (const auto& finding : report.findings) ++counts[finding.kind];
  for (const auto& child : report.children) count_kinds(child, counts);
}

}  // namespace

std::string_view reason_text_ja(BlockReason reason) {
  return reason_text(reason).ja;
}
std::string_view reason_text_en(BlockReason reason) {
  return reason_text(reason).en;
}

Notes compose_notes(const Report& report, const KindLookup& kind_of) {
  Notes notes;
  switch (report.verdict) {
    case Verdict::clean:
      notes.ja = "問題となる要素は見つかりませんでした（ファイルは再構成済みです）。";
      notes.en = "Nothing active was found; the file was rebuilt.";
      break;
    case Verdict::sanitized: {
      std::map<std::string, std::size_t> counts;
      count_kinds(report, counts);
      notes.ja = "無害化しました。除去・無効化した要素: ";
      notes.en = "Sanitized. Removed or neutralized: ";
      bool first = true;
      for (const auto& [kind, count] : counts) {
        const FindingKindSpec* spec = kind_of(kind);
        const std::string ja = spec != nullptr ? spec->summary_ja : kind;
        const std::string en = spec != nullptr ? spec->summary_en : kind;
        notes.ja += (first ? "" : "、") + ja + " " + std::to_string(count) + "件";
        notes.en += (first ? "" : "; ") + en + " (" + std::to_string(count) + ")";
        first = false;
      }
      notes.ja += "。";
      notes.en += ".";
      break;
    }
    case Verdict::blocked: {
      const ReasonText& text = reason_text(report.block_reason);
      notes.ja = "ブロックしました: " + std::string(text.ja) + "。";
      notes.en = "Blocked: " + std::string(text.en) + ".";
      if (!report.block_detail.empty()) {
        notes.ja += "（" + report.block_detail + "）";
        notes.en += " (" + report.block_detail + ")";
      }
      break;
    }
  }
  return notes;
}

}  // namespace sanitize::detail
