#include "metrics.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <system_error>

#include <fmt/format.h>

namespace sanitize::spool {

void Metrics::count_file(const std::string& verdict, std::uint64_t bytes_in,
                         std::uint64_t bytes_out, double seconds) {
  for (std::size_t i = 0; i < kVerdicts.size(); ++i) {
    if (verdict == kVerdicts[i]) files_[i].fetch_add(1);
  }
  bytes_in_.fetch_add(bytes_in);
  bytes_out_.fetch_add(bytes_out);
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) latency_buckets_[i].fetch_add(1);
  }
  latency_count_.fetch_add(1);
  latency_micros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6));
}

std::string Metrics::text() const {
  std::string out;
  out += "# HELP sanitize_spool_files_total Files finished, by verdict.\n";
  out += "# TYPE sanitize_spool_files_total counter\n";
  for (std::size_t i = 0; i < kVerdicts.size(); ++i) {
    out += fmt::format("sanitize_spool_files_total{{verdict=\"{}\"}} {}\n", kVerdicts[i],
                       files_[i].load());
  }
  out += "# HELP sanitize_spool_bytes_total Bytes taken from the inbox and delivered.\n";
  out += "# TYPE sanitize_spool_bytes_total counter\n";
  out += fmt::format("sanitize_spool_bytes_total{{direction=\"in\"}} {}\n", bytes_in_.load());
  out += fmt::format("sanitize_spool_bytes_total{{direction=\"out\"}} {}\n", bytes_out_.load());
  out += "# HELP sanitize_spool_file_seconds Time from claim to delivery.\n";
  out += "# TYPE sanitize_spool_file_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    out += fmt::format("sanitize_spool_file_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i],
                       latency_buckets_[i].load());
  }
  out +=
      fmt::format("sanitize_spool_file_seconds_bucket{{le=\"+Inf\"}} {}\n", latency_count_.load());
  out += fmt::format("sanitize_spool_file_seconds_sum {:.6f}\n", latency_micros_.load() / 1e6);
  out += fmt::format("sanitize_spool_file_seconds_count {}\n", latency_count_.load());
  out += "# HELP sanitize_spool_queue_depth Files claimed and not yet finished.\n";
  out += "# TYPE sanitize_spool_queue_depth gauge\n";
  out += fmt::format("sanitize_spool_queue_depth {}\n", queue_depth_.load());
  out +=
      "# HELP sanitize_spool_sandbox_failures_total Files blocked because their worker "
      "crashed, hung or misbehaved.\n";
  out += "# TYPE sanitize_spool_sandbox_failures_total counter\n";
  out += fmt::format("sanitize_spool_sandbox_failures_total {}\n", sandbox_failures_.load());
  out += "# HELP sanitize_spool_retries_total Steps retried after an I/O error (a full disk).\n";
  out += "# TYPE sanitize_spool_retries_total counter\n";
  out += fmt::format("sanitize_spool_retries_total {}\n", retries_.load());
  out += "# HELP sanitize_spool_paused 1 while free space is below min_free_bytes.\n";
  out += "# TYPE sanitize_spool_paused gauge\n";
  out += fmt::format("sanitize_spool_paused {}\n", paused_.load() ? 1 : 0);
  out += "# HELP sanitize_spool_syslog_failures_total Messages syslog did not take.\n";
  out += "# TYPE sanitize_spool_syslog_failures_total counter\n";
  out += fmt::format("sanitize_spool_syslog_failures_total {}\n", syslog_failures_.load());
  return out;
}

std::string Metrics::write(const std::filesystem::path& file) const {
  const std::string temporary = file.string() + ".tmp";
  const std::string body = text();
  std::FILE* out = std::fopen(temporary.c_str(), "we");
  if (out == nullptr) return "cannot write " + temporary;
  const bool written = std::fwrite(body.data(), 1, body.size(), out) == body.size();
  if (std::fclose(out) != 0 || !written || std::rename(temporary.c_str(), file.c_str()) != 0) {
    std::remove(temporary.c_str());
    return "cannot write " + file.string();
  }
  return {};
}

}  // namespace sanitize::spool
