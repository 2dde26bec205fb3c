// Text names of the public enums, as they appear in reports and policies.
#include <array>
#include <utility>

#include "sanitize/format.hpp"
#include "sanitize/policy.hpp"
#include "sanitize/report.hpp"

namespace sanitize {
namespace {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<Verdict, 3> kVerdicts{{
    {Verdict::clean, "clean"},
    {Verdict::sanitized, "sanitized"},
    {Verdict::blocked, "blocked"},
}};

constexpr NameTable<Action, 4> kActions{{
    {Action::removed, "removed"},
    {Action::neutralized, "neutralized"},
    {Action::converted, "converted"},
    {Action::blocked, "blocked"},
}};

constexpr NameTable<BlockReason, 15> kBlockReasons{{
    {BlockReason::none, "none"},
    {BlockReason::unknown_type, "unknown_type"},
    {BlockReason::unsupported_format, "unsupported_format"},
    {BlockReason::dangerous_type, "dangerous_type"},
    {BlockReason::extension_not_allowed, "extension_not_allowed"},
    {BlockReason::encrypted, "encrypted"},
    {BlockReason::corrupt, "corrupt"},
    {BlockReason::limit, "limit"},
    {BlockReason::timeout, "timeout"},
    {BlockReason::internal_error, "internal_error"},
    {BlockReason::disabled_format, "disabled_format"},
    {BlockReason::active_content, "active_content"},
    {BlockReason::sandbox_failure, "sandbox_failure"},
    {BlockReason::output_rejected, "output_rejected"},
}};

constexpr NameTable<ElementAction, 3> kElementActions{{
    {ElementAction::remove, "remove"},
    {ElementAction::neutralize, "neutralize"},
    {ElementAction::block, "block"},
}};

constexpr NameTable<TypeAction, 3> kTypeActions{{
    {TypeAction::sanitize, "sanitize"},
    {TypeAction::convert, "convert"},
    {TypeAction::block, "block"},
}};

constexpr NameTable<Family, 13> kFamilies{{
    {Family::empty, "empty"},
    {Family::text, "text"},
    {Family::zip, "zip"},
    {Family::ole2, "ole2"},
    {Family::pdf, "pdf"},
    {Family::rtf, "rtf"},
    {Family::html, "html"},
    {Family::xml, "xml"},
    {Family::mail, "mail"},
    {Family::image, "image"},
    {Family::archive, "archive"},
    {Family::executable, "executable"},
    {Family::unknown, "unknown"},
}};

template <class E, std::size_t N>
std::string_view name_of(const NameTable<E, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "?";
}

template <class E, std::size_t N>
std::optional<E> value_of(const NameTable<E, N>& table, std::string_view text) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Verdict v) {
  return name_of(kVerdicts, v);
}
std::string_view to_string(Action a) {
  return name_of(kActions, a);
}
std::string_view to_string(BlockReason r) {
  return name_of(kBlockReasons, r);
}
std::string_view to_string(ElementAction a) {
  return name_of(kElementActions, a);
}
std::string_view to_string(TypeAction a) {
  return name_of(kTypeActions, a);
}
std::string_view to_string(Family f) {
  return name_of(kFamilies, f);
}

std::optional<Verdict> verdict_from_string(std::string_view t) {
  return value_of(kVerdicts, t);
}
std::optional<Action> action_from_string(std::string_view t) {
  return value_of(kActions, t);
}
std::optional<BlockReason> block_reason_from_string(std::string_view t) {
  return value_of(kBlockReasons, t);
}
std::optional<ElementAction> element_action_from_string(std::string_view t) {
  return value_of(kElementActions, t);
}
std::optional<TypeAction> type_action_from_string(std::string_view t) {
  return value_of(kTypeActions, t);
}

}  // namespace sanitize
