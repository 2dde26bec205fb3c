// The gateway's counters, written as a Prometheus text file (for node_exporter's textfile
// collector) every metrics_interval_ms and at exit.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>

namespace sanitize::spool {

class Metrics {
 public:
  void count_file(const std::string& verdict, std::uint64_t bytes_in, std::uint64_t bytes_out,
                  double seconds);
  void count_sandbox_failure() { sandbox_failures_.fetch_add(1); }
  void count_retry() { retries_.fetch_add(1); }
  void set_queue_depth(std::uint64_t depth) { queue_depth_.store(depth); }
  void set_paused(bool paused) { paused_.store(paused); }
  void set_syslog_failures(std::uint64_t failures) { syslog_failures_.store(failures); }

  std::string text() const;
  // Atomically replaces `file`; errors are returned as text, empty on success.
  std::string write(const std::filesystem::path& file) const;

 private:
  static constexpr std::array<double, 10> kBuckets = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  static constexpr std::array<const char*, 4> kVerdicts = {"clean", "sanitized", "blocked",
                                                           "refused"};

  std::array<std::atomic<std::uint64_t>, kVerdicts.size()> files_{};
  std::atomic<std::uint64_t> bytes_in_{0};
  std::atomic<std::uint64_t> bytes_out_{0};
  std::array<std::atomic<std::uint64_t>, kBuckets.size()> latency_buckets_{};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> latency_micros_{0};
  std::atomic<std::uint64_t> sandbox_failures_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> queue_depth_{0};
  std::atomic<bool> paused_{false};
  std::atomic<std::uint64_t> syslog_failures_{0};
};

}  // namespace sanitize::spool
