// Findings in the XML of one ODF rebuild, through the policy. Each kind is listed one by one
// up to a cap; past it, occurrences are counted and one finding per kind says how many more
// there were, so that a document with a million hyperlinks cannot swell its report without
// bound. (Removed entries are reported one by one, outside this sink.)
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "sanitize/format.hpp"

namespace sanitize::formats::odf {

class FindingSink {
 public:
  explicit FindingSink(Context& ctx) : ctx_(ctx) {}

  // A policy element: the policy says remove (returns) or block (throws Blocked).
  void element(std::string_view kind, std::string_view location, std::string_view detail);
  // A kind that only records what was done (an option, not the [elements] table, decides).
  void record(std::string_view kind, std::string_view location, Action action,
              std::string_view detail);
  // Adds the "N more" findings. Call once, at the end.
  void finish();

  Context& context() const { return ctx_; }

 private:
  bool over_cap(std::string_view kind, std::string_view location, Action action);

  struct Unlisted {
    std::uint64_t count = 0;
    std::string first_location;
    Action action = Action::removed;
  };
  Context& ctx_;
  std::map<std::string, std::uint64_t, std::less<>> listed_;
  std::map<std::string, Unlisted, std::less<>> unlisted_;
};

inline constexpr std::uint64_t kListedPerKind = 200;

}  // namespace sanitize::formats::odf
