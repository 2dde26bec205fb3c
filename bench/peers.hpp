// The tools a user would pick instead of the gateway, doing the same work on the same file,
// so that every figure can be read as a ratio (DESIGN.md section 10).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bench/child_process.hpp"

namespace sanitize::bench {

class Peer {
 public:
  // The peers of a detected type, none when no tool does comparable work. Their programs
  // are looked up on PATH; `scratch_dir` is theirs to write into.
  static std::vector<Peer> for_type(std::string_view type,
                                    const std::filesystem::path& scratch_dir);

  const std::string& label() const { return label_; }
  // The first of its programs missing from PATH; empty when it can run.
  const std::string& missing_program() const { return missing_program_; }

  // One run over `file`, whose report description names its text encoding. Wall time of
  // every program it takes together, the highest peak RSS among them; ok() only when each
  // exited 0. Cleaning up after a run is not timed.
  ChildEnd run(const std::filesystem::path& file, std::string_view description) const;

 private:
  enum class Kind { iconv_to_utf8, unzip_then_zip, qpdf_rewrite, mat2 };
  Peer(Kind kind, std::string label, const std::vector<std::string_view>& programs,
       std::filesystem::path scratch_dir);

  ChildEnd run_iconv(const std::filesystem::path& file, std::string_view description) const;
  ChildEnd run_unzip_then_zip(const std::filesystem::path& file) const;
  ChildEnd run_mat2(const std::filesystem::path& file) const;

  Kind kind_;
  std::string label_;
  std::vector<std::filesystem::path> programs_;  // full paths, in the order of the constructor's
  std::string missing_program_;
  std::filesystem::path scratch_dir_;
};

// The iconv name of the encoding a text report's description names after ": "
// ("CSV text: CP932" -> "CP932", "Plain text: UTF-8 (BOM)" -> "UTF-8"); UTF-8 without one.
std::string iconv_encoding_of(std::string_view description);

}  // namespace sanitize::bench
