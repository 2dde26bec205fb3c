#include "sanitize/format.hpp"

#include <stdexcept>

namespace sanitize {

Blocked::Blocked(BlockReason reason, std::string detail)
    : reason_(reason), detail_(std::move(detail)) {}

std::string_view Context::option_string(std::string_view key) const {
  return std::get<std::string>(option(key));
}

bool Context::option_bool(std::string_view key) const {
  return std::get<bool>(option(key));
}

std::int64_t Context::option_int(std::string_view key) const {
  return std::get<std::int64_t>(option(key));
}

void Format::rebuild(const Claim& claim, Context&) const {
  throw std::logic_error("module " + std::string(name()) + " cannot rebuild " + claim.type_id);
}

}  // namespace sanitize
