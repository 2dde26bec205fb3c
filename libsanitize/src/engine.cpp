// The engine: detection, policy, the shared budget and recursion into embedded content.
#include "sanitize/engine.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <sstream>

#include "detect.hpp"
#include "engine_internal.hpp"
#include "file_names.hpp"
#include "mapped_file.hpp"
#include "note.hpp"
#include "policy_text.hpp"
#include "sha256.hpp"

namespace sanitize {

using detail::extension_of;

struct Engine::Impl {
  Policy policy;
  FormatTable formats;
  struct TypeEntry {
    const Format* format;
    const TypeSpec* spec;
  };
  std::map<std::string, TypeEntry, std::less<>> types;
  std::map<std::string, const FindingKindSpec*, std::less<>> kinds;
  // Per format: every option with the policy's value or the module's default.
  std::map<std::string, NameMap<OptionValue>, std::less<>> options;
  bool hash_top_level = true;

  void index_formats();
  void validate_policy() const;
  const FindingKindSpec* kind(std::string_view id) const {
    const auto it = kinds.find(id);
    return it != kinds.end() ? it->second : nullptr;
  }
};

namespace {

using Clock = std::chrono::steady_clock;

// Findings the engine itself reports.
const std::vector<FindingKindSpec>& engine_kinds() {
  static const std::vector<FindingKindSpec> kinds{
      {"file.extension_renamed", "file renamed to match its content",
       "内容に合わせて拡張子を変更したファイル", ElementAction::remove, false, false},
  };
  return kinds;
}

bool option_type_matches(const OptionValue& value, const OptionValue& model) {
  return value.index() == model.index();
}

std::string option_text(const OptionValue& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  return "\"" + std::get<std::string>(value) + "\"";
}

// One file's share of the limits, shared by every nesting level.
struct Budget {
  const Limits& limits;
  Clock::time_point deadline;
  std::uint64_t input_size;
  std::uint64_t expanded = 0;
  std::uint64_t entries = 0;
};

void finish_report(Report& report, const detail::KindLookup& kind_of) {
  const auto notes = detail::compose_notes(report, kind_of);
  report.note_ja = notes.ja;
  report.note_en = notes.en;
  report.sandbox = "none";
}

bool is_fatal(BlockReason reason) {
  return reason == BlockReason::limit || reason == BlockReason::timeout;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item.empty() ? "(none)" : item;
  }
  return out;
}

// One nesting level: detects, applies the policy and runs the module for one file.
class Level final : public Context {
 public:
  Level(const Engine::Impl& engine, Budget& budget, unsigned depth, Report& report,
        bool identify_only = false)
      : engine_(engine),
        budget_(budget),
        depth_(depth),
        report_(report),
        identify_only_(identify_only) {}

  // Fills the report; on a block leaves the output empty. Rethrows blocks that end the
  // whole top-level file (limits, timeout) after recording them.
  void process(std::span<const std::uint8_t> bytes, std::string_view name);

  std::vector<std::uint8_t> take_output() { return std::move(output_); }

  const Probe& probe() const override { return probe_; }
  std::vector<std::uint8_t>& output() override { return output_; }
  void set_output_extension(std::string_view extension) override {
    output_extension_ = std::string(extension);
  }
  const Policy& policy() const override { return engine_.policy; }
  const OptionValue& option(std::string_view key) const override;
  void add_finding(Finding finding) override { report_.findings.push_back(std::move(finding)); }
  ElementAction element(std::string_view kind, std::string_view location,
                        std::string_view detail) override;
  void charge_expanded(std::uint64_t bytes, std::string_view location) override;
  void check_ratio(std::uint64_t produced, std::uint64_t compressed,
                   std::string_view location) override;
  void charge_entries(std::uint64_t count, std::string_view location) override;
  void check_deadline() override;
  unsigned depth() const override { return depth_; }
  ChildResult sanitize_child(std::span<const std::uint8_t> bytes, std::string_view name) override;

 private:
  [[noreturn]] void limit_hit(std::string_view limit, std::uint64_t allowed, std::uint64_t observed,
                              std::string_view location);
  void run(std::span<const std::uint8_t> bytes);
  void select_claim();
  void check_output(std::span<const std::uint8_t> bytes);

  const Engine::Impl& engine_;
  Budget& budget_;
  unsigned depth_;
  Report& report_;
  Probe probe_;
  const Format* format_ = nullptr;
  const TypeSpec* type_ = nullptr;
  Claim claim_;
  std::vector<std::uint8_t> output_;
  std::string output_extension_;
  bool renamed_ = false;
  bool identify_only_;
};

const OptionValue& Level::option(std::string_view key) const {
  const auto format = engine_.options.find(format_ != nullptr ? format_->name() : "");
  if (format != engine_.options.end()) {
    const auto it = format->second.find(key);
    if (it != format->second.end()) return it->second;
  }
  throw std::logic_error("option not declared by the module: " + std::string(key));
}

ElementAction Level::element(std::string_view kind, std::string_view location,
                             std::string_view detail) {
  const FindingKindSpec* spec = engine_.kind(kind);
  if (spec == nullptr) throw std::logic_error("finding kind not declared: " + std::string(kind));
  ElementAction action = spec->default_action;
  if (const auto it = engine_.policy.elements.find(kind); it != engine_.policy.elements.end()) {
    action = it->second;
  }
  Finding finding{std::string(kind), std::string(location), Action::removed, std::string(detail)};
  switch (action) {
    case ElementAction::remove:
      break;
    case ElementAction::neutralize:
      finding.action = Action::neutralized;
      break;
    case ElementAction::block:
      finding.action = Action::blocked;
      report_.findings.push_back(std::move(finding));
      throw Blocked(BlockReason::active_content, std::string(kind) + " at " +
                                                     std::string(location) +
                                                     " (the policy blocks files holding it)");
  }
  report_.findings.push_back(std::move(finding));
  return action;
}

void Level::limit_hit(std::string_view limit, std::uint64_t allowed, std::uint64_t observed,
                      std::string_view location) {
  report_.limits_hit.push_back(
      LimitHit{std::string(limit), allowed, observed, std::string(location)});
  std::ostringstream detail;
  detail << limit << " exceeded at " << (location.empty() ? report_.name : location) << " ("
         << observed << " > " << allowed << ")";
  throw Blocked(limit == "deadline_ms" ? BlockReason::timeout : BlockReason::limit, detail.str());
}

void Level::charge_expanded(std::uint64_t bytes, std::string_view location) {
  budget_.expanded += bytes;
  const Limits& limits = budget_.limits;
  if (budget_.expanded > limits.max_expanded_bytes) {
    limit_hit("max_expanded_bytes", limits.max_expanded_bytes, budget_.expanded, location);
  }
  const std::uint64_t whole_file_allowed =
      std::max<std::uint64_t>(budget_.input_size, 1) * limits.max_expansion_ratio;
  if (budget_.expanded > limits.ratio_grace_bytes && budget_.expanded > whole_file_allowed) {
    limit_hit("max_expansion_ratio", limits.max_expansion_ratio,
              budget_.expanded / std::max<std::uint64_t>(budget_.input_size, 1), location);
  }
}

void Level::check_ratio(std::uint64_t produced, std::uint64_t compressed,
                        std::string_view location) {
  const Limits& limits = budget_.limits;
  if (produced <= limits.ratio_grace_bytes) return;
  const std::uint64_t base = std::max<std::uint64_t>(compressed, 1);
  if (produced / base >= limits.max_expansion_ratio) {
    limit_hit("max_expansion_ratio", limits.max_expansion_ratio, produced / base, location);
  }
}

void Level::charge_entries(std::uint64_t count, std::string_view location) {
  budget_.entries += count;
  if (budget_.entries > budget_.limits.max_entries) {
    limit_hit("max_entries", budget_.limits.max_entries, budget_.entries, location);
  }
}

void Level::check_deadline() {
  const auto now = Clock::now();
  if (now > budget_.deadline) {
    limit_hit(
        "deadline_ms", budget_.limits.deadline_ms,
        budget_.limits.deadline_ms +
            std::chrono::duration_cast<std::chrono::milliseconds>(now - budget_.deadline).count(),
        report_.name);
  }
}

ChildResult Level::sanitize_child(std::span<const std::uint8_t> bytes, std::string_view name) {
  Report child_report;
  Level child(engine_, budget_, depth_ + 1, child_report);
  try {
    child.process(bytes, name);
  } catch (const Blocked&) {
    report_.children.push_back(std::move(child_report));
    throw;
  }
  ChildResult result;
  result.verdict = child_report.verdict;
  result.block_reason = child_report.block_reason;
  result.block_detail = child_report.block_detail;
  result.detected_type = child_report.detected_type;
  result.output_name = child_report.output_name;
  result.output = child.take_output();
  report_.children.push_back(std::move(child_report));
  return result;
}

void Level::select_claim() {
  const Claim* specific = nullptr;
  const Format* specific_format = nullptr;
  std::optional<std::pair<const Format*, Claim>> generic;
  std::vector<std::pair<const Format*, Claim>> claims;
  for (const Format* format : engine_.formats) {
    if (auto claim = format->claim(probe_)) claims.emplace_back(format, std::move(*claim));
  }
  for (const auto& [format, claim] : claims) {
    if (claim.strength == ClaimStrength::specific) {
      if (specific != nullptr && specific->type_id != claim.type_id) {
        throw Blocked(BlockReason::unknown_type,
                      "ambiguous content: both " + specific->type_id + " and " + claim.type_id);
      }
      specific = &claim;
      specific_format = format;
    } else if (!generic) {
      generic.emplace(format, claim);
    }
  }
  if (specific != nullptr) {
    format_ = specific_format;
    claim_ = *specific;
  } else if (generic) {
    format_ = generic->first;
    claim_ = generic->second;
  } else {
    report_.description = probe_.description();
    throw Blocked(
        BlockReason::unknown_type,
        "unknown type: " + (probe_.description().empty() ? probe_.mime : probe_.description()));
  }
  const auto type = engine_.types.find(claim_.type_id);
  if (type == engine_.types.end() || type->second.format != format_) {
    throw std::logic_error("module " + std::string(format_->name()) +
                           " claimed an undeclared type " + claim_.type_id);
  }
  type_ = type->second.spec;
  report_.detected_type = type_->id;
  report_.format = std::string(format_->name());
  report_.description =
      claim_.detail.empty() ? type_->display_name : type_->display_name + ": " + claim_.detail;
}

void Level::run(std::span<const std::uint8_t> bytes) {
  if (depth_ > budget_.limits.max_depth) {
    limit_hit("max_depth", budget_.limits.max_depth, depth_, report_.name);
  }
  if (depth_ == 0 && bytes.size() > budget_.limits.max_input_bytes) {
    limit_hit("max_input_bytes", budget_.limits.max_input_bytes, bytes.size(), report_.name);
  }
  check_deadline();

  detail::Detection detection = detail::detect_family(bytes);
  probe_.bytes = bytes;
  probe_.family = detection.family;
  probe_.mime = std::move(detection.mime);
  probe_.declared_name = report_.name;
  probe_.declared_extension = report_.declared_extension;
  select_claim();

  const std::string declared =
      report_.declared_extension.empty() ? "no extension" : "." + report_.declared_extension;
  if (type_->refuse != BlockReason::none) {
    const bool listed = std::find(type_->extensions.begin(), type_->extensions.end(),
                                  report_.declared_extension) != type_->extensions.end();
    throw Blocked(type_->refuse,
                  report_.description + (listed ? "" : " (declared as " + declared + ")"));
  }
  const std::string format_name(format_->name());
  if (const auto it = engine_.policy.format_enabled.find(format_name);
      it != engine_.policy.format_enabled.end() && !it->second) {
    throw Blocked(BlockReason::disabled_format, "format " + format_name + " is disabled");
  }
  if (const auto it = engine_.policy.types.find(type_->id);
      it != engine_.policy.types.end() && it->second == TypeAction::block) {
    throw Blocked(BlockReason::disabled_format, "type " + type_->id + " is blocked by the policy");
  }
  const auto& allowed = type_->extensions;
  if (std::find(allowed.begin(), allowed.end(), report_.declared_extension) == allowed.end()) {
    if (engine_.policy.extension_mismatch == ExtensionMismatch::block || allowed.empty()) {
      throw Blocked(BlockReason::extension_not_allowed,
                    "declared as " + declared + " but the content is " + type_->display_name +
                        " (allowed: " + join(allowed, ", ") + ")");
    }
    renamed_ = true;
  }
  if (identify_only_) return;

  format_->rebuild(claim_, *this);
  check_deadline();
}

void Level::check_output(std::span<const std::uint8_t> bytes) {
  // A module that reports a removal but hands back the input unchanged has failed.
  const bool changed_content =
      std::any_of(report_.findings.begin(), report_.findings.end(), [](const Finding& f) {
        return f.action == Action::removed || f.action == Action::neutralized;
      });
  if (changed_content && output_.size() == bytes.size() &&
      std::equal(output_.begin(), output_.end(), bytes.begin())) {
    throw Blocked(BlockReason::output_rejected,
                  "the output is identical to the input although content was removed");
  }
}

void Level::process(std::span<const std::uint8_t> bytes, std::string_view name) {
  const auto started = Clock::now();
  report_.name = std::string(name);
  report_.declared_extension = extension_of(name);
  report_.input_size = bytes.size();
  const bool hashed = depth_ > 0 || engine_.hash_top_level;
  if (hashed) report_.input_sha256 = detail::sha256_hex(bytes);
  try {
    try {
      run(bytes);
      check_output(bytes);
    } catch (const std::bad_alloc&) {
      throw Blocked(BlockReason::limit, "out of memory");
    } catch (const Blocked&) {
      throw;
    } catch (const std::exception& error) {
      throw Blocked(BlockReason::internal_error, error.what());
    }
  } catch (const Blocked& blocked) {
    output_.clear();
    report_.verdict = Verdict::blocked;
    report_.block_reason = blocked.reason();
    report_.block_detail = blocked.detail();
    report_.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    if (is_fatal(blocked.reason())) throw;
    return;
  }
  if (renamed_) {
    const std::string& canonical = type_->extensions.front();
    output_extension_ = canonical;
    report_.findings.push_back(
        Finding{"file.extension_renamed", report_.name, Action::converted,
                "the content is " + type_->display_name + ": ." + canonical + " appended"});
  }
  report_.output_name = renamed_ ? report_.name + "." + output_extension_
                                 : detail::with_extension(report_.name, output_extension_);
  report_.output_size = output_.size();
  if (hashed) report_.output_sha256 = detail::sha256_hex(output_);
  report_.verdict = report_.total_findings() > 0 ? Verdict::sanitized : Verdict::clean;
  report_.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
}

}  // namespace

void Engine::Impl::index_formats() {
  for (const auto& kind : engine_kinds()) kinds.emplace(kind.id, &kind);
  std::map<std::string, const Format*, std::less<>> names;
  for (const Format* format : formats) {
    if (format == nullptr) throw std::logic_error("null format in the table");
    const std::string name(format->name());
    if (!names.emplace(name, format).second) {
      throw std::logic_error("two formats are named " + name);
    }
    for (const auto& type : format->types()) {
      if (!types.emplace(type.id, TypeEntry{format, &type}).second) {
        throw std::logic_error("two formats declare the type " + type.id);
      }
    }
    for (const auto& kind : format->finding_kinds()) {
      if (!kinds.emplace(kind.id, &kind).second) {
        throw std::logic_error("two formats declare the finding kind " + kind.id);
      }
    }
    auto& values = options[name];
    for (const auto& option : format->options()) values[option.key] = option.default_value;
  }
}

void Engine::Impl::validate_policy() const {
  for (const auto& [name, enabled] : policy.format_enabled) {
    if (!options.contains(name)) throw PolicyError("formats." + name, "unknown format");
  }
  for (const auto& [name, values] : policy.format_options) {
    const auto format = std::find_if(formats.begin(), formats.end(),
                                     [&name = name](const Format* f) { return f->name() == name; });
    if (format == formats.end()) throw PolicyError("formats." + name, "unknown format");
    for (const auto& [key, value] : values) {
      const std::string full = "formats." + name + "." + key;
      const auto specs = (*format)->options();
      const auto spec = std::find_if(specs.begin(), specs.end(),
                                     [&key = key](const OptionSpec& s) { return s.key == key; });
      if (spec == specs.end()) throw PolicyError(full, "unknown option");
      if (!option_type_matches(value, spec->default_value)) {
        throw PolicyError(
            full, "must be of the same type as its default " + option_text(spec->default_value));
      }
      if (const auto* text = std::get_if<std::string>(&value);
          text != nullptr && !spec->choices.empty() &&
          std::find(spec->choices.begin(), spec->choices.end(), *text) == spec->choices.end()) {
        std::vector<std::string> quoted;
        for (const auto& choice : spec->choices) quoted.push_back("\"" + choice + "\"");
        throw PolicyError(full, "must be one of " + join(quoted, ", ") + ", not \"" + *text + "\"");
      }
    }
  }
  for (const auto& [id, action] : policy.types) {
    const auto type = types.find(id);
    if (type == types.end()) throw PolicyError("types." + id, "unknown type");
    if (action == TypeAction::convert && !type->second.spec->convertible) {
      throw PolicyError("types." + id, "this type cannot be converted");
    }
  }
  for (const auto& [id, action] : policy.elements) {
    const FindingKindSpec* spec = kind(id);
    if (spec == nullptr) throw PolicyError("elements." + id, "unknown finding kind");
    if (!spec->policy_element) {
      throw PolicyError("elements." + id, "is only reported, it is not a policy element");
    }
    if (action == ElementAction::neutralize && !spec->neutralizable) {
      throw PolicyError("elements." + id, "cannot be neutralized, only removed or blocked");
    }
  }
}

Engine::Engine(Policy policy, FormatTable formats) : impl_(std::make_unique<Impl>()) {
  impl_->policy = std::move(policy);
  impl_->formats = std::move(formats);
  impl_->index_formats();
  impl_->validate_policy();
  for (const auto& [name, values] : impl_->policy.format_options) {
    for (const auto& [key, value] : values) impl_->options[name][key] = value;
  }
}

Engine::~Engine() = default;

const Policy& Engine::policy() const {
  return impl_->policy;
}
const FormatTable& Engine::formats() const {
  return impl_->formats;
}
const FindingKindSpec* Engine::finding_kind(std::string_view id) const {
  return impl_->kind(id);
}

namespace {

Result run_top(const Engine::Impl& impl, std::span<const std::uint8_t> input, std::string_view name,
               bool identify_only) {
  Result result;
  Budget budget{impl.policy.limits,
                Clock::now() + std::chrono::milliseconds(impl.policy.limits.deadline_ms),
                input.size()};
  Level top(impl, budget, 0, result.report, identify_only);
  try {
    top.process(input, name);
  } catch (const Blocked&) {
    // Recorded in the report by the level that blocked.
  }
  result.verdict = result.report.verdict;
  if (result.verdict != Verdict::blocked && !identify_only) {
    result.output = top.take_output();
    result.output_name = result.report.output_name;
  }
  finish_report(result.report, [&impl](std::string_view id) { return impl.kind(id); });
  return result;
}

// Blocks before the engine saw the bytes: unreadable descriptor, input too large.
Result blocked_early(const Engine::Impl& impl, std::string_view name, BlockReason reason,
                     std::string detail) {
  Result result;
  result.report.name = std::string(name);
  result.report.declared_extension = extension_of(name);
  result.report.block_reason = reason;
  result.report.block_detail = std::move(detail);
  finish_report(result.report, [&impl](std::string_view id) { return impl.kind(id); });
  return result;
}

template <class Run>
Result run_fd(const Engine::Impl& impl, int fd, std::string_view name, Run run) {
  const auto size = detail::regular_file_size(fd);
  if (!size) {
    return blocked_early(impl, name, BlockReason::internal_error, "not a readable regular file");
  }
  const std::uint64_t allowed = impl.policy.limits.max_input_bytes;
  if (*size > allowed) {
    Result result = blocked_early(impl, name, BlockReason::limit,
                                  "max_input_bytes exceeded (" + std::to_string(*size) + " > " +
                                      std::to_string(allowed) + ")");
    result.report.input_size = *size;
    result.report.limits_hit.push_back(
        LimitHit{"max_input_bytes", allowed, *size, std::string(name)});
    return result;
  }
  const auto mapping = detail::MappedFile::map(fd);
  if (!mapping)
    return blocked_early(impl, name, BlockReason::internal_error, "cannot map the file");
  return run(mapping->bytes());
}

}  // namespace

Result Engine::sanitize(std::span<const std::uint8_t> input, std::string_view name) const {
  return run_top(*impl_, input, name, false);
}

Result Engine::identify(std::span<const std::uint8_t> input, std::string_view name) const {
  return run_top(*impl_, input, name, true);
}

Result Engine::sanitize_fd(int fd, std::string_view name) const {
  return run_fd(*impl_, fd, name,
                [&](std::span<const std::uint8_t> bytes) { return sanitize(bytes, name); });
}

Result Engine::identify_fd(int fd, std::string_view name) const {
  return run_fd(*impl_, fd, name,
                [&](std::span<const std::uint8_t> bytes) { return identify(bytes, name); });
}

void detail::leave_top_level_hashes_to_caller(Engine& engine) {
  engine.impl_->hash_top_level = false;
}

void Engine::preload() const {
  detail::preload_detection();
  for (const Format* format : impl_->formats) {
    const auto options = impl_->options.find(format->name());
    format->preload(options != impl_->options.end() ? options->second : NameMap<OptionValue>{});
  }
}

std::string effective_policy_toml(const Engine& engine) {
  const Policy& policy = engine.policy();
  std::ostringstream types;
  for (const auto& [id, action] : policy.types) {
    types << "\"" << id << "\" = \"" << to_string(action) << "\"\n";
  }
  std::ostringstream elements;
  for (const auto& [id, action] : policy.elements) {
    elements << "\"" << id << "\" = \"" << to_string(action) << "\"\n";
  }
  std::ostringstream out;
  out << detail::policy_toml(policy, types.str(), elements.str());
  for (const Format* format : engine.formats()) {
    const std::string name(format->name());
    out << "\n[formats." << name << "]\n";
    const auto enabled = policy.format_enabled.find(name);
    out << "enabled = "
        << ((enabled == policy.format_enabled.end() || enabled->second) ? "true" : "false") << "\n";
    const auto values = policy.format_options.find(name);
    for (const auto& option : format->options()) {
      OptionValue value = option.default_value;
      if (values != policy.format_options.end()) {
        if (const auto v = values->second.find(option.key); v != values->second.end()) {
          value = v->second;
        }
      }
      out << option.key << " = " << option_text(value) << "  # " << option.description << "\n";
    }
  }
  return out.str();
}

}  // namespace sanitize
