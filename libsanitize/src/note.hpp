// The short note for people, in Japanese and English.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sanitize/format.hpp"
#include "sanitize/report.hpp"

namespace sanitize::detail {

using KindLookup = std::function<const FindingKindSpec*(std::string_view)>;

struct Notes {
  std::string ja;
  std::string en;
};

Notes compose_notes(const Report& report, const KindLookup& kind_of);

std::string_view reason_text_ja(BlockReason reason);
std::string_view reason_text_en(BlockReason reason);

}  // namespace sanitize::detail
