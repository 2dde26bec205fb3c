// The corpus writer: format modules' generators add test files with what the engine must
// do with each. The checkers in tests/ read the manifest it writes; they do not link
// libsanitize.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sanitize::corpus {

struct Expectation {
  // The verdict the engine must reach: "clean", "sanitized" or "blocked".
  std::string verdict;
  // When blocked: the reason code (docs/report-schema.md); empty accepts any.
  std::string block_reason;
  // Finding kinds that must appear somewhere in the report tree.
  std::vector<std::string> findings;
  // Names of independent checks the checker runs on the output (tests/checkers.py),
  // e.g. "zip_names_safe", "csv_no_formula", "same_bytes".
  std::vector<std::string> checks;
};

// A file the engine must deliver with `verdict` and at least these findings; the checker
// runs the module's usual `checks` on the output, then the case's `extra` ones.
Expectation delivered(std::string verdict, std::vector<std::string> findings,
                      const std::vector<std::string>& checks,
                      const std::vector<std::string>& extra = {});
// A file the engine must block, for `reason` (empty: any).
Expectation blocked(std::string reason);

class Writer {
 public:
  explicit Writer(std::filesystem::path root);
  // Writes `bytes` to root/path (path uses '/', may have folders) and records the case.
  void add(std::string_view path, std::span<const std::uint8_t> bytes, Expectation expectation,
           std::string_view description);
  void add(std::string_view path, std::string_view text, Expectation expectation,
           std::string_view description);
  // Writes root/manifest.json. Called once, after every generator ran.
  void finish() const;

 private:
  struct Case {
    std::string path;
    Expectation expectation;
    std::string description;
  };
  std::filesystem::path root_;
  std::vector<Case> cases_;
};

}  // namespace sanitize::corpus
