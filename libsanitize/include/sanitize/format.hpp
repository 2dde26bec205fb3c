// The interface a format module implements, and the context the engine hands it.
// A module claims the files it understands, rebuilds them from an allowlist, reports every
// removal as a finding and recurses into embedded content through the context.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sanitize/policy.hpp"
#include "sanitize/report.hpp"

namespace sanitize {

// What content detection (libmagic, then signatures) says the bytes are, before any module
// looks closer.
enum class Family {
  empty,
  text,
  zip,
  ole2,
  pdf,
  rtf,
  html,
  xml,
  mail,
  image,
  archive,
  executable,
  unknown,
};
std::string_view to_string(Family family);

struct Probe {
  std::span<const std::uint8_t> bytes;
  Family family = Family::unknown;
  std::string mime;  // libmagic MIME type
  std::string declared_name;
  std::string declared_extension;  // lower case, no dot, empty when none

  // libmagic's description, for people. Worked out on first use: it costs as much as the
  // detection itself, and most types never need it.
  const std::string& description() const;

 private:
  mutable std::optional<std::string> description_;
};

// A type a module may detect. Output of this type may only carry one of `extensions`
// (lower case, no dot, the first is canonical; "" allows a name without extension).
struct TypeSpec {
  std::string id;
  std::string display_name;
  std::vector<std::string> extensions;
  // Types that are never delivered (executables, formats without a module) name the
  // reason; the engine blocks them on sight.
  BlockReason refuse = BlockReason::none;
  bool convertible = false;  // the policy may say `convert` for it
};

// A kind of finding a module reports. Kinds that are policy elements may be switched
// between the actions in `actions`; `block` is always allowed.
struct FindingKindSpec {
  std::string id;  // "<module>.<what>", stable
  std::string summary_en;
  std::string summary_ja;
  ElementAction default_action = ElementAction::remove;
  bool neutralizable = false;  // `neutralize` is a valid action
  // False for kinds that only record what was done (a name rewritten): the policy's
  // [elements] table cannot name them.
  bool policy_element = true;
};

struct OptionSpec {
  std::string key;
  OptionValue default_value;
  std::vector<std::string> choices;  // allowed values of a string option (empty: any)
  std::string description;
};

// How sure a module is that a file is its own. A specific claim (a signature, a marker
// entry) beats a generic one (any text, any zip); two specific claims for different types
// make the file ambiguous, and it is blocked.
enum class ClaimStrength { generic, specific };

struct Claim {
  std::string type_id;
  ClaimStrength strength = ClaimStrength::specific;
  std::string detail;  // for people: why it was claimed, what exactly it is
};

// Thrown inside a module to block the file being rebuilt.
class Blocked : public std::exception {
 public:
  Blocked(BlockReason reason, std::string detail);
  BlockReason reason() const { return reason_; }
  const std::string& detail() const { return detail_; }
  const char* what() const noexcept override { return detail_.c_str(); }

 private:
  BlockReason reason_;
  std::string detail_;
};

// What came back from sanitizing embedded content. Its report is attached to the parent's.
struct ChildResult {
  Verdict verdict = Verdict::blocked;
  BlockReason block_reason = BlockReason::none;
  std::string block_detail;
  std::string detected_type;
  std::vector<std::uint8_t> output;
  std::string output_name;
};

class Context {
 public:
  virtual ~Context() = default;

  virtual const Probe& probe() const = 0;
  std::span<const std::uint8_t> input() const { return probe().bytes; }
  virtual std::vector<std::uint8_t>& output() = 0;
  // For conversions: the output carries this extension instead of the declared one.
  virtual void set_output_extension(std::string_view extension) = 0;

  virtual const Policy& policy() const = 0;
  virtual const OptionValue& option(std::string_view key) const = 0;
  std::string_view option_string(std::string_view key) const;
  bool option_bool(std::string_view key) const;
  std::int64_t option_int(std::string_view key) const;

  // Records a finding as it is.
  virtual void add_finding(Finding finding) = 0;
  // For a policy element: looks up what the policy says about `kind`, records the finding
  // with that action and returns it so the module carries it out. When the policy says
  // `block`, records the finding and throws Blocked(active_content).
  virtual ElementAction element(std::string_view kind, std::string_view location,
                                std::string_view detail) = 0;

  // The shared budget. Each throws Blocked(limit or timeout) when exceeded; such a block
  // ends the whole top-level file, not only the embedded part.
  virtual void charge_expanded(std::uint64_t bytes, std::string_view location) = 0;
  virtual void check_ratio(std::uint64_t produced, std::uint64_t compressed,
                           std::string_view location) = 0;
  virtual void charge_entries(std::uint64_t count, std::string_view location) = 0;
  virtual void check_deadline() = 0;
  virtual unsigned depth() const = 0;

  // Runs embedded content through the engine (detection, policy, its module) one level
  // deeper. The name is the declared name inside this file.
  virtual ChildResult sanitize_child(std::span<const std::uint8_t> bytes,
                                     std::string_view name) = 0;
};

class Format {
 public:
  virtual ~Format() = default;
  virtual std::string_view name() const = 0;
  virtual std::span<const TypeSpec> types() const = 0;
  virtual std::span<const FindingKindSpec> finding_kinds() const { return {}; }
  virtual std::span<const OptionSpec> options() const { return {}; }

  // Whether this module takes the file, and as which of its types.
  virtual std::optional<Claim> claim(const Probe& probe) const = 0;

  // Writes a rebuilt file of the claimed type to ctx.output(). Throws Blocked to block.
  // Not called for types that refuse.
  virtual void rebuild(const Claim& claim, Context& ctx) const;

  // Called by Engine::preload, in a process about to fork sandboxed workers, with this
  // module's options as the policy sets them: loads now what rebuilding under them needs and
  // a confined worker could not load itself. Never throws: what fails fails each file.
  virtual void preload(const NameMap<OptionValue>& options) const { (void)options; }
};

}  // namespace sanitize
