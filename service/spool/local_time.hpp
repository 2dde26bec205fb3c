// Times as the gateway writes them: local time (TZ; JST at Japanese sites) with its offset.
#pragma once

#include <chrono>
#include <string>

namespace sanitize::spool {

using SystemClock = std::chrono::system_clock;

// "2026-11-22T08:35:00.123+09:00"
std::string iso_time(SystemClock::time_point when = SystemClock::now());
// "2026-11-22": the folder of originals and quarantined files of that local day.
std::string local_date(SystemClock::time_point when = SystemClock::now());
// "20261122T083500"
std::string compact_time(SystemClock::time_point when = SystemClock::now());

}  // namespace sanitize::spool
