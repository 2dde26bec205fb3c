// What the engine did to one file: verdict, findings, child reports, hashes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sanitize {

// clean: nothing found, the file was rebuilt anyway; sanitized: something was removed or
// neutralized; blocked: no output at all.
enum class Verdict { clean, sanitized, blocked };

// What was done to one element.
enum class Action { removed, neutralized, converted, blocked };

// Why a file produced no output. Every path that does not deliver names one of these.
enum class BlockReason {
  none,
  unknown_type,           // content matches no known type
  unsupported_format,     // a known format without a module yet
  dangerous_type,         // executables, scripts, shortcuts, disk images, installers...
  extension_not_allowed,  // the declared extension is not one the detected type may carry
  encrypted,              // content cannot be inspected
  corrupt,                // cannot be parsed
  limit,                  // a limit of the policy was exceeded
  timeout,                // the per-file deadline passed
  internal_error,         // a bug or an unexpected library failure
  disabled_format,        // the policy switched this format or type off
  active_content,         // the policy says to block files holding this kind of content
  sandbox_failure,        // the worker crashed, was killed or sent garbage
  output_rejected,        // the parent's checks refused what the worker produced
};

std::string_view to_string(Verdict verdict);
std::string_view to_string(Action action);
std::string_view to_string(BlockReason reason);
std::optional<Verdict> verdict_from_string(std::string_view text);
std::optional<Action> action_from_string(std::string_view text);
std::optional<BlockReason> block_reason_from_string(std::string_view text);

struct Finding {
  std::string kind;      // stable id, e.g. "zip.path_traversal" (docs/findings.md)
  std::string location;  // where inside the file: entry name, part, object number
  Action action = Action::removed;
  std::string detail;  // free text for people
};

struct LimitHit {
  std::string limit;  // name of the policy limit, e.g. "max_expanded_bytes"
  std::uint64_t allowed = 0;
  std::uint64_t observed = 0;  // the value that went over (or reached) the limit
  std::string location;
};

struct Report {
  std::string name;                // declared name; for children, the name inside the parent
  std::string declared_extension;  // lower case, without the dot
  std::string detected_type;       // type id (docs/formats.md); empty when unknown
  std::string format;              // module that handled it
  std::string description;         // what content detection said, for people
  std::uint64_t input_size = 0;
  std::string input_sha256;

  Verdict verdict = Verdict::blocked;
  BlockReason block_reason = BlockReason::none;
  std::string block_detail;

  std::string output_name;
  std::uint64_t output_size = 0;
  std::string output_sha256;

  std::vector<Finding> findings;
  std::vector<LimitHit> limits_hit;
  std::vector<Report> children;
  double elapsed_ms = 0;

  // Set on the top-level report only.
  std::string sandbox;  // "worker" or "none" (unsandboxed, allowed by policy)
  std::string note_ja;
  std::string note_en;

  // Versioned JSON (docs/report-schema.md). indent < 0 gives one line.
  std::string to_json(int indent = -1) const;
  // Parses what to_json wrote; nullopt on anything else.
  static std::optional<Report> from_json(std::string_view json);

  // All findings of this report and its descendants.
  std::size_t total_findings() const;
};

inline constexpr int kReportSchemaVersion = 1;

}  // namespace sanitize
