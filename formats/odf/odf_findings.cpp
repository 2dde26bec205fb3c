#include "formats/odf/odf_findings.hpp"

namespace sanitize::formats::odf {

bool FindingSink::over_cap(std::string_view kind, std::string_view location, Action action) {
  auto listed = listed_.find(kind);
  if (listed == listed_.end()) listed = listed_.emplace(std::string(kind), 0).first;
  if (listed->second < kListedPerKind) {
    ++listed->second;
    return false;
  }
  auto unlisted = unlisted_.find(kind);
  if (unlisted == unlisted_.end()) {
    unlisted =
        unlisted_.emplace(std::string(kind), Unlisted{0, std::string(location), action}).first;
  }
  ++unlisted->second.count;
  return true;
}

void FindingSink::element(std::string_view kind, std::string_view location,
                          std::string_view detail) {
  if (over_cap(kind, location, Action::removed)) return;
  ctx_.element(kind, location, detail);
}

void FindingSink::record(std::string_view kind, std::string_view location, Action action,
                         std::string_view detail) {
  if (over_cap(kind, location, action)) return;
  ctx_.add_finding(Finding{std::string(kind), std::string(location), action, std::string(detail)});
}

void FindingSink::finish() {
  for (const auto& [kind, unlisted] : unlisted_) {
    ctx_.add_finding(Finding{kind, unlisted.first_location, unlisted.action,
                             std::to_string(unlisted.count) + " more of the same kind, from " +
                                 unlisted.first_location + " on, not listed one by one"});
  }
  unlisted_.clear();
}

}  // namespace sanitize::formats::odf
