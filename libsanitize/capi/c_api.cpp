// The C API over the C++ engine. Nothing thrown may cross into C: every entry point
// catches and turns failures into status codes.
#include "sanitize/sanitize.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <new>
#include <string>

#include "sanitize/defaults.hpp"
#include "sanitize/version.hpp"

struct sanitize_engine {
  std::unique_ptr<sanitize::Engine> engine;
};

struct sanitize_result {
  sanitize::Result result;
  std::string report_json;
  std::string block_reason;
};

namespace {

void copy_message(const std::string& message, char* buffer, size_t size) {
  if (buffer == nullptr || size == 0) return;
  const size_t length = std::min(message.size(), size - 1);
  std::memcpy(buffer, message.data(), length);
  buffer[length] = '\0';
}

sanitize_status wrap_result(sanitize::Result result, sanitize_result** out) {
  auto wrapped = std::make_unique<sanitize_result>();
  wrapped->report_json = result.report.to_json();
  if (result.verdict == sanitize::Verdict::blocked) {
    wrapped->block_reason = std::string(sanitize::to_string(result.report.block_reason));
  }
  wrapped->result = std::move(result);
  *out = wrapped.release();
  return SANITIZE_OK;
}

std::string base_name(const char* path) {
  const std::string text(path);
  const auto slash = text.find_last_of('/');
  return slash == std::string::npos ? text : text.substr(slash + 1);
}

}  // namespace

extern "C" {

sanitize_status sanitize_engine_new(const char* policy_toml, sanitize_engine** engine,
                                    char* error_message, size_t error_message_size) {
  if (engine == nullptr) return SANITIZE_E_INVALID_ARGUMENT;
  *engine = nullptr;
  try {
    sanitize::Policy policy = policy_toml != nullptr ? sanitize::Policy::from_toml(policy_toml)
                                                     : sanitize::Policy::defaults();
    auto handle = std::make_unique<sanitize_engine>();
    handle->engine = sanitize::make_default_engine(std::move(policy));
    *engine = handle.release();
    return SANITIZE_OK;
  } catch (const sanitize::PolicyError& error) {
    copy_message(error.what(), error_message, error_message_size);
    return SANITIZE_E_POLICY;
  } catch (const std::bad_alloc&) {
    return SANITIZE_E_NO_MEMORY;
  } catch (const std::exception& error) {
    copy_message(error.what(), error_message, error_message_size);
    return SANITIZE_E_INTERNAL;
  }
}

void sanitize_engine_free(sanitize_engine* engine) {
  delete engine;
}

sanitize_status sanitize_buffer(const sanitize_engine* engine, const void* data, size_t size,
                                const char* name, sanitize_result** result) {
  if (engine == nullptr || result == nullptr || (data == nullptr && size > 0)) {
    return SANITIZE_E_INVALID_ARGUMENT;
  }
  *result = nullptr;
  try {
    return wrap_result(engine->engine->sanitize({static_cast<const std::uint8_t*>(data), size},
                                                name != nullptr ? name : ""),
                       result);
  } catch (const std::bad_alloc&) {
    return SANITIZE_E_NO_MEMORY;
  } catch (const std::exception&) {
    return SANITIZE_E_INTERNAL;
  }
}

sanitize_status sanitize_path(const sanitize_engine* engine, const char* path, const char* name,
                              sanitize_result** result) {
  if (engine == nullptr || path == nullptr || result == nullptr) return SANITIZE_E_INVALID_ARGUMENT;
  *result = nullptr;
  const int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return SANITIZE_E_IO;
  struct CloseFd {
    int fd;
    ~CloseFd() { close(fd); }
  } closer{fd};
  try {
    const std::string declared = name != nullptr ? std::string(name) : base_name(path);
    return wrap_result(engine->engine->sanitize_fd(fd, declared), result);
  } catch (const std::bad_alloc&) {
    return SANITIZE_E_NO_MEMORY;
  } catch (const std::exception&) {
    return SANITIZE_E_INTERNAL;
  }
}

sanitize_verdict sanitize_result_verdict(const sanitize_result* result) {
  if (result == nullptr) return SANITIZE_VERDICT_BLOCKED;
  switch (result->result.verdict) {
    case sanitize::Verdict::clean:
      return SANITIZE_VERDICT_CLEAN;
    case sanitize::Verdict::sanitized:
      return SANITIZE_VERDICT_SANITIZED;
    case sanitize::Verdict::blocked:
      break;
  }
  return SANITIZE_VERDICT_BLOCKED;
}

const void* sanitize_result_output(const sanitize_result* result, size_t* size) {
  if (result == nullptr || result->result.verdict == sanitize::Verdict::blocked) {
    if (size != nullptr) *size = 0;
    return nullptr;
  }
  if (size != nullptr) *size = result->result.output.size();
  return result->result.output.data();
}

const char* sanitize_result_output_name(const sanitize_result* result) {
  return result != nullptr ? result->result.output_name.c_str() : "";
}

const char* sanitize_result_block_reason(const sanitize_result* result) {
  return result != nullptr ? result->block_reason.c_str() : "";
}

const char* sanitize_result_report_json(const sanitize_result* result) {
  return result != nullptr ? result->report_json.c_str() : "";
}

const char* sanitize_result_note(const sanitize_result* result, sanitize_language language) {
  if (result == nullptr) return "";
  return language == SANITIZE_LANG_EN ? result->result.report.note_en.c_str()
                                      : result->result.report.note_ja.c_str();
}

size_t sanitize_result_finding_count(const sanitize_result* result) {
  return result != nullptr ? result->result.report.total_findings() : 0;
}

void sanitize_result_free(sanitize_result* result) {
  delete result;
}

const char* sanitize_status_string(sanitize_status status) {
  switch (status) {
    case SANITIZE_OK:
      return "ok";
    case SANITIZE_E_INVALID_ARGUMENT:
      return "invalid argument";
    case SANITIZE_E_POLICY:
      return "invalid policy";
    case SANITIZE_E_IO:
      return "cannot read the file";
    case SANITIZE_E_NO_MEMORY:
      return "out of memory";
    case SANITIZE_E_INTERNAL:
      return "internal error";
  }
  return "unknown status";
}

const char* sanitize_version(void) {
  return sanitize::kVersion.data();
}

}  // extern "C"
