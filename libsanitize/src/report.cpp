// Report JSON: the versioned schema of docs/report-schema.md, written and read back.
#include "sanitize/report.hpp"

#include <nlohmann/json.hpp>

namespace sanitize {
namespace {

using json = nlohmann::ordered_json;

json finding_to_json(const Finding& f) {
  return json{{"kind", f.kind},
              {"location", f.location},
              {"action", to_string(f.action)},
              {"detail", f.detail}};
}

json report_to_json(const Report& r, bool top) {
  json j;
  if (top) j["schema_version"] = kReportSchemaVersion;
  j["name"] = r.name;
  j["declared_extension"] = r.declared_extension;
  j["detected_type"] = r.detected_type;
  j["format"] = r.format;
  j["description"] = r.description;
  j["input"] = json{{"size", r.input_size}, {"sha256", r.input_sha256}};
  j["verdict"] = to_string(r.verdict);
  if (r.verdict == Verdict::blocked) {
    j["block"] = json{{"reason", to_string(r.block_reason)}, {"detail", r.block_detail}};
  } else {
    j["output"] =
        json{{"name", r.output_name}, {"size", r.output_size}, {"sha256", r.output_sha256}};
  }
  json findings = json::array();
  for (const auto& f : r.findings) findings.push_back(finding_to_json(f));
  j["findings"] = std::move(findings);
  json limits = json::array();
  for (const auto& l : r.limits_hit) {
    limits.push_back(json{{"limit", l.limit},
                          {"allowed", l.allowed},
                          {"observed", l.observed},
                          {"location", l.location}});
  }
  j["limits_hit"] = std::move(limits);
  json children = json::array();
  for (const auto& c : r.children) children.push_back(report_to_json(c, false));
  j["children"] = std::move(children);
  j["elapsed_ms"] = r.elapsed_ms;
  if (top) {
    j["sandbox"] = r.sandbox;
    j["note"] = json{{"ja", r.note_ja}, {"en", r.note_en}};
  }
  return j;
}

template <class T>
T enum_or_throw(std::optional<T> value) {
  if (!value) throw std::invalid_argument("bad enum value");
  return *value;
}

Report report_from_json(const json& j) {
  Report r;
  r.name = j.at("name").get<std::string>();
  r.declared_extension = j.at("declared_extension").get<std::string>();
  r.detected_type = j.at("detected_type").get<std::string>();
  r.format = j.at("format").get<std::string>();
  r.description = j.at("description").get<std::string>();
  r.input_size = j.at("input").at("size").get<std::uint64_t>();
  r.input_sha256 = j.at("input").at("sha256").get<std::string>();
  r.verdict = enum_or_throw(verdict_from_string(j.at("verdict").get<std::string>()));
  if (r.verdict == Verdict::blocked) {
    const auto& block = j.at("block");
    r.block_reason = enum_or_throw(block_reason_from_string(block.at("reason").get<std::string>()));
    r.block_detail = block.at("detail").get<std::string>();
  } else {
    const auto& output = j.at("output");
    r.output_name = output.at("name").get<std::string>();
    r.output_size = output.at("size").get<std::uint64_t>();
    r.output_sha256 = output.at("sha256").get<std::string>();
  }
  for (const auto& f : j.at("findings")) {
    r.findings.push_back(
        Finding{f.at("kind").get<std::string>(), f.at("location").get<std::string>(),
                enum_or_throw(action_from_string(f.at("action").get<std::string>())),
                f.at("detail").get<std::string>()});
  }
  for (const auto& l : j.at("limits_hit")) {
    r.limits_hit.push_back(
        LimitHit{l.at("limit").get<std::string>(), l.at("allowed").get<std::uint64_t>(),
                 l.at("observed").get<std::uint64_t>(), l.at("location").get<std::string>()});
  }
  for (const auto& c : j.at("children")) r.children.push_back(report_from_json(c));
  r.elapsed_ms = j.at("elapsed_ms").get<double>();
  if (j.contains("sandbox")) r.sandbox = j.at("sandbox").get<std::string>();
  if (j.contains("note")) {
    r.note_ja = j.at("note").at("ja").get<std::string>();
    r.note_en = j.at("note").at("en").get<std::string>();
  }
  return r;
}

}  // namespace

std::string Report::to_json(int indent) const {
  // Names inside files may hold bytes that are not UTF-8: replace them rather than fail.
  return report_to_json(*this, true).dump(indent, ' ', false, json::error_handler_t::replace);
}

std::optional<Report> Report::from_json(std::string_view text) {
  try {
    const json j = json::parse(text);
    if (j.at("schema_version").get<int>() != kReportSchemaVersion) return std::nullopt;
    return report_from_json(j);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::size_t Report::total_findings() const {
  std::size_t total = findings.size();
  for (const auto& child : children) total += child.total_findings();
  return total;
}

}  // namespace sanitize
