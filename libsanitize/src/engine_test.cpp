// The engine with formats written for the test: claims, policy, budget, recursion.
#include <doctest/doctest.h>

#include <string>

#include "file_names.hpp"
#include "sanitize/engine.hpp"

using namespace sanitize;

namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Claims text; "ACTIVE" in it is an element; "NEST:" sends the rest through the engine;
// "THROW" is a bug; "SAME" reports a removal but returns the input unchanged.
class FakeText final : public Format {
 public:
  std::string_view name() const override { return "fake"; }
  std::span<const TypeSpec> types() const override { return types_; }
  std::span<const FindingKindSpec> finding_kinds() const override { return kinds_; }
  std::span<const OptionSpec> options() const override { return options_; }
  std::optional<Claim> claim(const Probe& probe) const override {
    if (probe.family != Family::text) return std::nullopt;
    return Claim{"fake_text", ClaimStrength::generic, {}};
  }
  void rebuild(const Claim&, Context& ctx) const override {
    const std::string text(ctx.input().begin(), ctx.input().end());
    if (text.starts_with("THROW")) throw std::runtime_error("module bug");
    if (text.starts_with("SAME")) {
      ctx.element("fake.active", "start", "");
      ctx.output().assign(ctx.input().begin(), ctx.input().end());
      return;
    }
    if (text.starts_with("NEST:")) {
      const auto child = ctx.sanitize_child(ctx.input().subspan(5), "inner.txt");
      ctx.output() = child.output;
      return;
    }
    if (text.starts_with("BIG")) ctx.charge_expanded(1000, "big");
    std::string out = text;
    if (const auto at = out.find("ACTIVE"); at != std::string::npos) {
      if (ctx.element("fake.active", "offset " + std::to_string(at), "ACTIVE") ==
          ElementAction::neutralize) {
        out.replace(at, 6, "active");
      } else {
        out.erase(at, 6);
      }
    }
    if (ctx.option_bool("shout")) out += "!";
    ctx.output().assign(out.begin(), out.end());
  }

 private:
  std::vector<TypeSpec> types_{{"fake_text", "fake text", {"txt", ""}}};
  std::vector<FindingKindSpec> kinds_{
      {"fake.active", "active thing", "有効な要素", ElementAction::remove, true}};
  std::vector<OptionSpec> options_{{"shout", false, {}, "append !"}};
};

// Claims every text file specifically, as another type: makes claims ambiguous.
class Greedy final : public Format {
 public:
  explicit Greedy(std::string type) : types_{{std::move(type), "greedy", {"txt"}}} {}
  std::string_view name() const override { return types_[0].id; }
  std::span<const TypeSpec> types() const override { return types_; }
  std::optional<Claim> claim(const Probe& probe) const override {
    if (probe.family != Family::text) return std::nullopt;
    return Claim{types_[0].id, ClaimStrength::specific, {}};
  }
  void rebuild(const Claim&, Context& ctx) const override {
    ctx.output().assign(ctx.input().begin(), ctx.input().end());
  }

 private:
  std::vector<TypeSpec> types_;
};

const FakeText fake;

Result run(std::string_view input, std::string_view name, Policy policy = Policy::defaults()) {
  const Engine engine(std::move(policy), {&fake});
  return engine.sanitize(bytes_of(input), name);
}

}  // namespace

TEST_CASE("clean text is rebuilt and reported clean") {
  const auto result = run("hello\n", "a.txt");
  CHECK(result.verdict == Verdict::clean);
  CHECK(std::string(result.output.begin(), result.output.end()) == "hello\n");
  CHECK(result.output_name == "a.txt");
  CHECK(result.report.detected_type == "fake_text");
  CHECK(result.report.input_sha256 ==
        "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
  CHECK(result.report.output_sha256 == result.report.input_sha256);
  CHECK_FALSE(result.report.note_ja.empty());
  CHECK_FALSE(result.report.note_en.empty());
}

TEST_CASE("an element is removed, neutralized or blocks the file, as the policy says") {
  const auto removed = run("x ACTIVE y", "a.txt");
  CHECK(removed.verdict == Verdict::sanitized);
  CHECK(std::string(removed.output.begin(), removed.output.end()) == "x  y");

  Policy neutralize;
  neutralize.elements["fake.active"] = ElementAction::neutralize;
  const auto neutralized = run("x ACTIVE y", "a.txt", neutralize);
  CHECK(std::string(neutralized.output.begin(), neutralized.output.end()) == "x active y");
  CHECK(neutralized.report.findings.at(0).action == Action::neutralized);

  Policy block;
  block.elements["fake.active"] = ElementAction::block;
  const auto blocked = run("x ACTIVE y", "a.txt", block);
  CHECK(blocked.verdict == Verdict::blocked);
  CHECK(blocked.report.block_reason == BlockReason::active_content);
  CHECK(blocked.output.empty());
  CHECK(blocked.report.findings.at(0).action == Action::blocked);
}

TEST_CASE("a declared extension outside the type's list blocks, or renames by policy") {
  const auto blocked = run("MsgBox 1\n", "invoice.vbs");
  CHECK(blocked.verdict == Verdict::blocked);
  CHECK(blocked.report.block_reason == BlockReason::extension_not_allowed);
  CHECK(blocked.report.block_detail.find(".vbs") != std::string::npos);

  CHECK(run("x\n", "INVOICE.TXT").verdict == Verdict::clean);
  CHECK(run("x\n", "no-extension").verdict == Verdict::clean);
  CHECK(run("x\n", "trailing.vbs. ").report.block_reason == BlockReason::extension_not_allowed);

  Policy rename;
  rename.extension_mismatch = ExtensionMismatch::rename;
  const auto renamed = run("MsgBox 1\n", "invoice.vbs", rename);
  CHECK(renamed.verdict == Verdict::sanitized);
  CHECK(renamed.output_name == "invoice.vbs.txt");
}

TEST_CASE("unknown content is blocked, never passed through") {
  const std::string binary("\x00\x01\x02\x03\xff\xfe binary", 13);
  const auto result = run(binary, "a.txt");
  CHECK(result.verdict == Verdict::blocked);
  CHECK(result.report.block_reason == BlockReason::unknown_type);
  CHECK(result.output.empty());
}

TEST_CASE("a module's exception becomes an internal-error block") {
  const auto result = run("THROW now", "a.txt");
  CHECK(result.verdict == Verdict::blocked);
  CHECK(result.report.block_reason == BlockReason::internal_error);
  CHECK(result.report.block_detail == "module bug");
}

TEST_CASE("an output identical to an input with removals is rejected") {
  const auto result = run("SAME input", "a.txt");
  CHECK(result.verdict == Verdict::blocked);
  CHECK(result.report.block_reason == BlockReason::output_rejected);
}

TEST_CASE("two specific claims for different types make the file ambiguous") {
  const Greedy one("one");
  const Greedy two("two");
  const Engine engine(Policy::defaults(), {&one, &two, &fake});
  const auto result = engine.sanitize(bytes_of("text\n"), "a.txt");
  CHECK(result.report.block_reason == BlockReason::unknown_type);
  CHECK(result.report.block_detail.find("ambiguous") != std::string::npos);
  const Engine single(Policy::defaults(), {&fake, &one});
  CHECK(single.sanitize(bytes_of("text\n"), "a.txt").report.detected_type == "one");
}

TEST_CASE("the kill switch and the type action disable a format") {
  Policy off;
  off.format_enabled["fake"] = false;
  CHECK(run("x\n", "a.txt", off).report.block_reason == BlockReason::disabled_format);
  Policy type_off;
  type_off.types["fake_text"] = TypeAction::block;
  CHECK(run("x\n", "a.txt", type_off).report.block_reason == BlockReason::disabled_format);
}

TEST_CASE("format options reach the module") {
  Policy shout;
  shout.format_options["fake"]["shout"] = true;
  const auto result = run("x", "a.txt", shout);
  CHECK(std::string(result.output.begin(), result.output.end()) == "x!");
}

TEST_CASE("the policy is checked against the formats") {
  Policy unknown_format;
  unknown_format.format_enabled["nope"] = false;
  CHECK_THROWS_AS(Engine(unknown_format, {&fake}), PolicyError);
  Policy unknown_option;
  unknown_option.format_options["fake"]["volume"] = std::int64_t{3};
  CHECK_THROWS_WITH_AS(Engine(unknown_option, {&fake}), "formats.fake.volume: unknown option",
                       PolicyError);
  Policy wrong_type;
  wrong_type.format_options["fake"]["shout"] = std::string("yes");
  CHECK_THROWS_AS(Engine(wrong_type, {&fake}), PolicyError);
  Policy unknown_kind;
  unknown_kind.elements["fake.nothing"] = ElementAction::block;
  CHECK_THROWS_AS(Engine(unknown_kind, {&fake}), PolicyError);
  Policy unknown_type;
  unknown_type.types["exe"] = TypeAction::sanitize;
  CHECK_THROWS_AS(Engine(unknown_type, {&fake}), PolicyError);
  Policy no_convert;
  no_convert.types["fake_text"] = TypeAction::convert;
  CHECK_THROWS_AS(Engine(no_convert, {&fake}), PolicyError);
}

TEST_CASE("recursion goes one level deeper and stops at the depth limit") {
  const auto nested = run("NEST:inner ACTIVE", "a.txt");
  CHECK(nested.verdict == Verdict::sanitized);
  REQUIRE(nested.report.children.size() == 1);
  CHECK(nested.report.children[0].name == "inner.txt");
  CHECK(nested.report.children[0].findings.size() == 1);

  Policy shallow;
  shallow.limits.max_depth = 2;
  const auto deep = run("NEST:NEST:NEST:x", "a.txt", shallow);
  CHECK(deep.verdict == Verdict::blocked);
  CHECK(deep.report.block_reason == BlockReason::limit);
  CHECK(deep.output.empty());
}

TEST_CASE("the budget blocks the whole file") {
  Policy tight;
  tight.limits.max_expanded_bytes = 500;
  const auto result = run("NEST:BIG", "a.txt", tight);
  CHECK(result.verdict == Verdict::blocked);
  CHECK(result.report.block_reason == BlockReason::limit);
  CHECK(result.report.children.at(0).limits_hit.at(0).limit == "max_expanded_bytes");

  Policy small_input;
  small_input.limits.max_input_bytes = 4;
  CHECK(run("too long", "a.txt", small_input).report.block_reason == BlockReason::limit);
}

TEST_CASE("the report survives a JSON round trip") {
  const auto result = run("NEST:x ACTIVE", "a.txt");
  const auto parsed = Report::from_json(result.report.to_json());
  REQUIRE(parsed.has_value());
  CHECK(parsed->to_json() == result.report.to_json());
  CHECK_FALSE(Report::from_json("{\"schema_version\": 99}").has_value());
  CHECK_FALSE(Report::from_json("not json").has_value());
}

TEST_CASE("file names follow Windows rules") {
  CHECK(detail::extension_of("a/b/Report.PDF") == "pdf");
  CHECK(detail::extension_of("evil.exe. . ") == "exe");
  CHECK(detail::extension_of("C:\\x\\file") == "");
  CHECK(detail::with_extension("dir/a.docm", "docx") == "dir/a.docx");
  CHECK(detail::with_extension("noext", "txt") == "noext.txt");
  CHECK(detail::with_extension("a.docm", "") == "a.docm");
}

TEST_CASE("policy files name the key they get wrong") {
  CHECK_THROWS_WITH_AS(Policy::from_toml("[limits]\nmax_depht = 3\n"),
                       "limits.max_depht: unknown limit", PolicyError);
  CHECK_THROWS_WITH_AS(Policy::from_toml("[limits]\nmax_depth = -1\n"),
                       "limits.max_depth: must be at least 0", PolicyError);
  CHECK_THROWS_WITH_AS(Policy::from_toml("[limits]\nmax_entries = \"many\"\n"),
                       "limits.max_entries: must be an integer", PolicyError);
  CHECK_THROWS_WITH_AS(Policy::from_toml("[files]\nextension_mismatch = \"pass\"\n"),
                       "files.extension_mismatch: must be \"block\" or \"rename\", not \"pass\"",
                       PolicyError);
  CHECK_THROWS_WITH_AS(Policy::from_toml("[elements]\n\"a.b\" = \"keep\"\n"),
                       "elements.a.b: must be remove, neutralize or block, not \"keep\"",
                       PolicyError);
  CHECK_THROWS_WITH_AS(Policy::from_toml("colour = 1\n"), "colour: unknown key", PolicyError);
  CHECK_THROWS_AS(Policy::from_toml("[limits\n"), PolicyError);

  const Policy policy = Policy::from_toml(
      "[limits]\nmax_depth = 3\n[sandbox]\nallow_unsandboxed = true\n[formats.zip]\n"
      "enabled = false\nnotice = false\n");
  CHECK(policy.limits.max_depth == 3);
  CHECK(policy.allow_unsandboxed);
  CHECK_FALSE(policy.format_enabled.at("zip"));
  CHECK(std::get<bool>(policy.format_options.at("zip").at("notice")) == false);
  // The default policy text is itself a valid policy equal to the defaults.
  CHECK(Policy::from_toml(default_policy_toml()).limits.max_depth == Limits{}.max_depth);
}
