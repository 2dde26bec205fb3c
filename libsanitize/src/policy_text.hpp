#pragma once

#include <string>
#include <string_view>

#include "sanitize/policy.hpp"

namespace sanitize::detail {

// The core sections of a policy as TOML; the bodies of [types] and [elements] are given.
std::string policy_toml(const Policy& policy, std::string_view types_body,
                        std::string_view elements_body);

}  // namespace sanitize::detail
