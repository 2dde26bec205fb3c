#include "sandbox/protocol.hpp"

#include <sys/socket.h>

#include <array>
#include <cstring>

namespace sanitize::detail {
namespace {

constexpr std::uint32_t kControlMagic = 0x435a4e53;  // "SNZC"
constexpr std::uint32_t kResultMagic = 0x525a4e53;   // "SNZR"
constexpr std::size_t kMaxControlBytes = 256 * 1024;
constexpr std::size_t kMaxFds = 4;

struct ControlHeader {
  std::uint32_t magic;
  std::uint16_t version;
  std::uint16_t type;
  std::uint32_t mode;
  std::int32_t status;
  std::uint32_t payload_size;
};

template <class T>
void append(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

template <class T>
bool take(std::string_view& in, T& value) {
  if (in.size() < sizeof value) return false;
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return true;
}

}  // namespace

bool send_control(int socket, const ControlMessage& message, const std::vector<int>& fds) {
  if (fds.size() > kMaxFds) return false;
  std::string packet;
  const ControlHeader header{
      kControlMagic, kProtocolVersion, static_cast<std::uint16_t>(message.type),
      message.mode,  message.status,   static_cast<std::uint32_t>(message.payload.size())};
  append(packet, header);
  packet += message.payload;
  if (packet.size() > kMaxControlBytes) return false;

  iovec io{packet.data(), packet.size()};
  msghdr msg{};
  msg.msg_iov = &io;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFds)> control{};
  if (!fds.empty()) {
    msg.msg_control = control.data();
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(cmsg), fds.data(), sizeof(int) * fds.size());
  }
  ssize_t sent;
  do {
    sent = sendmsg(socket, &msg, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  return sent == static_cast<ssize_t>(packet.size());
}

bool receive_control(int socket, ControlMessage& message) {
  // One buffer per thread, zeroed once: a fresh one per message would clear 256 KiB each
  // time, and in a zygote every page it touches after a fork is a copy.
  thread_local std::vector<char> packet(kMaxControlBytes);
  iovec io{packet.data(), packet.size()};
  msghdr msg{};
  msg.msg_iov = &io;
  msg.msg_iovlen = 1;
  alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(int) * kMaxFds)> control{};
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  ssize_t received;
  do {
    received = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
  } while (received < 0 && errno == EINTR);
  message.fds.clear();
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&msg); cmsg != nullptr; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_RIGHTS) {
      const std::size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (std::size_t i = 0; i < count; ++i) {
        int fd;
        std::memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof fd);
        message.fds.emplace_back(fd);
      }
    }
  }
  if (received <= 0 || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) return false;
  std::string_view in(packet.data(), static_cast<std::size_t>(received));
  ControlHeader header{};
  if (!take(in, header) || header.magic != kControlMagic || header.version != kProtocolVersion ||
      header.payload_size != in.size()) {
    return false;
  }
  message.type = static_cast<ControlType>(header.type);
  message.mode = header.mode;
  message.status = header.status;
  message.payload = std::string(in);
  return true;
}

std::string encode_result(const WorkerResult& result) {
  std::string out;
  append(out, kResultMagic);
  append(out, kProtocolVersion);
  append(out, result.output_size);
  append(out, static_cast<std::uint64_t>(result.report_json.size()));
  out += result.report_json;
  return out;
}

std::optional<WorkerResult> decode_result(std::string_view in) {
  std::uint32_t magic = 0;
  std::uint16_t version = 0;
  WorkerResult result;
  std::uint64_t report_size = 0;
  if (!take(in, magic) || magic != kResultMagic || !take(in, version) ||
      version != kProtocolVersion || !take(in, result.output_size) || !take(in, report_size) ||
      report_size != in.size()) {
    return std::nullopt;
  }
  result.report_json = std::string(in);
  return result;
}

}  // namespace sanitize::detail
