// The messages between the parent, the zygote and the worker children, versioned.
//   control socket (SOCK_SEQPACKET, parent <-> zygote): one message per packet, descriptors
//     passed with SCM_RIGHTS;
//   result pipe (child -> parent): one result record, then end of file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sanitize/unique_fd.hpp"

namespace sanitize::detail {

inline constexpr std::uint16_t kProtocolVersion = 1;

enum class ControlType : std::uint16_t {
  init = 1,     // parent -> zygote: the policy as TOML
  ready = 2,    // zygote -> parent: engine built; payload: confinement probe description
  run = 3,      // parent -> zygote: one file; descriptors: input, output, result pipe
  started = 4,  // zygote -> parent: the child runs; descriptor: its pidfd
  exited = 5,   // zygote -> parent: the child ended; status: its wait status
  failure = 6,  // either way: something could not be done; payload: why
};

struct ControlMessage {
  ControlType type = ControlType::failure;
  std::uint32_t mode = 0;  // WorkerMode for run
  std::int32_t status = 0;
  std::string payload;
  std::vector<UniqueFd> fds;
};

// Both return false when the peer is gone or the packet is malformed.
bool send_control(int socket, const ControlMessage& message, const std::vector<int>& fds = {});
bool receive_control(int socket, ControlMessage& message);

// The record a child writes to its result pipe.
struct WorkerResult {
  std::uint64_t output_size = 0;
  std::string report_json;
};

std::string encode_result(const WorkerResult& result);
// nullopt for anything that is not exactly one well-formed record.
std::optional<WorkerResult> decode_result(std::string_view bytes);

// Largest record the parent accepts (a report of a huge archive, with room to spare).
inline constexpr std::size_t kMaxResultBytes = 64 * 1024 * 1024;

}  // namespace sanitize::detail
