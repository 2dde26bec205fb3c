#include "process.hpp"

namespace sanitize::cli {

Result process_file(const Engine& engine, int input_fd, std::string_view declared_name,
                    const ProcessOptions& /*options*/) {
  // The sandboxed worker runner plugs in here: with options.sandbox it replaces this call.
  return engine.sanitize_fd(input_fd, declared_name);
}

void block_outside_engine(Result& result, BlockReason reason, std::string detail) {
  result.verdict = Verdict::blocked;
  result.output = std::vector<std::uint8_t>();
  result.output_name.clear();
  Report& report = result.report;
  report.verdict = Verdict::blocked;
  report.block_reason = reason;
  report.block_detail = std::move(detail);
  report.output_name.clear();
  report.output_size = 0;
  report.output_sha256.clear();
  report.note_ja =
      "ブロックしました: ファイルを処理できませんでした。（" + report.block_detail + "）";
  report.note_en = "Blocked: the file could not be processed. (" + report.block_detail + ")";
}

Result unprocessed_file(std::string_view declared_name, BlockReason reason, std::string detail) {
  Result result;
  result.report.name = std::string(declared_name);
  block_outside_engine(result, reason, std::move(detail));
  return result;
}

}  // namespace sanitize::cli
