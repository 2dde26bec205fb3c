#include "local_time.hpp"

#include <ctime>

#include <fmt/format.h>

namespace sanitize::spool {
namespace {

std::tm local_tm(SystemClock::time_point when) {
  const std::time_t seconds = SystemClock::to_time_t(when);
  std::tm parts{};
  localtime_r(&seconds, &parts);
  return parts;
}

}  // namespace

std::string iso_time(SystemClock::time_point when) {
  const std::tm parts = local_tm(when);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(when.time_since_epoch()).count() % 1000;
  const long offset_minutes = parts.tm_gmtoff / 60;
  const long magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{}{:02}:{:02}", parts.tm_year + 1900,
                     parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec,
                     millis, offset_minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
}

std::string local_date(SystemClock::time_point when) {
  const std::tm parts = local_tm(when);
  return fmt::format("{:04}-{:02}-{:02}", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday);
}

std::string compact_time(SystemClock::time_point when) {
  const std::tm parts = local_tm(when);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}", parts.tm_year + 1900, parts.tm_mon + 1,
                     parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec);
}

}  // namespace sanitize::spool
