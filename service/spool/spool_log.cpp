#include "spool_log.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "local_time.hpp"

namespace sanitize::spool {
namespace {

int facility_code(const std::string& name) {
  static const std::pair<const char*, int> kFacilities[] = {
      {"kern", 0},      {"user", 1},    {"mail", 2},    {"daemon", 3},  {"auth", 4},
      {"syslog", 5},    {"lpr", 6},     {"news", 7},    {"uucp", 8},    {"cron", 9},
      {"authpriv", 10}, {"ftp", 11},    {"local0", 16}, {"local1", 17}, {"local2", 18},
      {"local3", 19},   {"local4", 20}, {"local5", 21}, {"local6", 22}, {"local7", 23}};
  for (const auto& [facility, code] : kFacilities) {
    if (name == facility) return code;
  }
  throw std::runtime_error("syslog.facility: unknown facility " + name);
}

UniqueFd connect_target(const std::string& target) {
  if (target.starts_with("unix:")) {
    const std::string path = target.substr(5);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof address.sun_path) {
      throw std::runtime_error("syslog.target: bad socket path " + path);
    }
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    UniqueFd fd(socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    // No syslog daemon listening is not fatal: the messages it misses are counted.
    if (fd.valid() &&
        connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      fd.reset();
    }
    return fd;
  }
  const std::string rest = target.substr(4);
  const auto colon = rest.rfind(':');
  sockaddr_in address{};
  address.sin_family = AF_INET;
  int port = 0;
  try {
    port = colon == std::string::npos ? 0 : std::stoi(rest.substr(colon + 1));
  } catch (const std::exception&) {
    port = 0;
  }
  if (port <= 0 || port > 65535 ||
      inet_pton(AF_INET, rest.substr(0, colon).c_str(), &address.sin_addr) != 1) {
    throw std::runtime_error("syslog.target: expected udp:IPv4:PORT, got " + target);
  }
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid() ||
      connect(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("syslog.target: cannot reach " + target);
  }
  return fd;
}

}  // namespace

SyslogSender::SyslogSender(const std::string& target, const std::string& facility,
                           std::string app_name)
    : facility_(facility_code(facility)), app_name_(std::move(app_name)) {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  host_ = host[0] != '\0' ? host : "-";
  if (!target.empty()) socket_ = connect_target(target);
}

void SyslogSender::send(LogLevel level, std::string_view message_id, std::string_view text) {
  if (!socket_.valid()) return;
  const std::string message =
      fmt::format("<{}>1 {} {} {} {} {} - {}", facility_ * 8 + static_cast<int>(level), iso_time(),
                  host_, app_name_, getpid(), message_id, text);
  if (::send(socket_.get(), message.data(), message.size(), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
    failures_.fetch_add(1);
  }
}

Logger::Logger(std::string instance)
    : instance_(std::move(instance)), to_journal_(std::getenv("JOURNAL_STREAM") != nullptr) {}

void Logger::set_syslog(SyslogSender* sender) {
  syslog_.store(sender);
}

void Logger::log(LogLevel level, std::string_view text) {
  {
    const std::lock_guard lock(mutex_);
    const std::string line =
        to_journal_ ? fmt::format("<{}>{}\n", static_cast<int>(level), text)
                    : fmt::format("{} sanitize-spool[{}]: {}\n", iso_time(), instance_, text);
    std::fputs(line.c_str(), stderr);
  }
  if (SyslogSender* sender = syslog_.load()) sender->send(level, "log", text);
}

void Logger::to_syslog(LogLevel level, std::string_view message_id, std::string_view text) {
  if (SyslogSender* sender = syslog_.load()) sender->send(level, message_id, text);
}

}  // namespace sanitize::spool
