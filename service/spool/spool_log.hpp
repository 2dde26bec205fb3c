// Log lines a person can read: on stderr (the journal, under systemd) and, when configured,
// to syslog (a unix datagram socket such as /dev/log, or UDP), RFC 5424 formatted.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>

#include "sanitize/unique_fd.hpp"

namespace sanitize::spool {

enum class LogLevel { error = 3, warning = 4, notice = 5, info = 6 };

class SyslogSender {
 public:
  // `target`: "" (off), "unix:PATH" or "udp:HOST:PORT" (numeric host). Throws
  // std::runtime_error for a facility or target that cannot be used.
  SyslogSender(const std::string& target, const std::string& facility, std::string app_name);

  // Sends one message; a failure is counted, never thrown (the log must not stop the
  // gateway).
  void send(LogLevel level, std::string_view message_id, std::string_view text);
  std::uint64_t failures() const { return failures_.load(); }
  bool enabled() const { return socket_.valid(); }

 private:
  UniqueFd socket_;
  int facility_ = 3;
  std::string app_name_;
  std::string host_;
  std::atomic<std::uint64_t> failures_{0};
};

class Logger {
 public:
  explicit Logger(std::string instance);
  void set_syslog(SyslogSender* sender);

  void log(LogLevel level, std::string_view text);
  void error(std::string_view text) { log(LogLevel::error, text); }
  void warning(std::string_view text) { log(LogLevel::warning, text); }
  void info(std::string_view text) { log(LogLevel::info, text); }
  // To syslog only, under its own message id (the audit head).
  void to_syslog(LogLevel level, std::string_view message_id, std::string_view text);

 private:
  std::string instance_;
  bool to_journal_;  // stderr is the systemd journal: levels as <N> prefixes, no time
  std::mutex mutex_;
  std::atomic<SyslogSender*> syslog_{nullptr};
};

}  // namespace sanitize::spool
