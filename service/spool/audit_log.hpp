// The audit log of one daemon instance: audit/<instance>/audit.jsonl, JSON lines with a
// sequence number, each carrying the SHA-256 of the line before it (a hash chain that
// continues across rotated files audit-<first seq>.jsonl), and a head file holding the last
// committed record's number and hash, signed with a key the workers never see. Cutting
// records off the end, or editing one, no longer verifies (docs/spool.md, "Audit log").
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit_key.hpp"
#include "sanitize/unique_fd.hpp"

namespace sanitize::spool {

using AuditRecord = nlohmann::ordered_json;

// What the head file says: the last record made durable, signed.
struct AuditHead {
  std::string instance;
  std::uint64_t seq = 0;
  std::string hash;
  std::string time;
  std::string algorithm;
  std::string signature;

  std::string signed_text() const;
  std::string to_line() const;
  static std::optional<AuditHead> parse(std::string_view line);
};

class AuditLog {
 public:
  // Opens the log in `folder` (created), cutting off a torn last line (torn_bytes() says
  // how long it was). Throws std::system_error or AuditKeyError.
  AuditLog(const std::filesystem::path& folder, std::string instance, AuditKey key,
           std::uint64_t rotate_bytes);

  std::uint64_t torn_bytes() const { return torn_bytes_; }

  // Appends a record: "seq", "time" (unless given), "instance" are put first, "prev" last.
  // Returns its sequence number. A failed write leaves the file as it was and throws
  // std::system_error. Durable at the next commit().
  std::uint64_t append(const AuditRecord& fields);
  // Flushes what was appended and writes the signed head. Throws std::system_error.
  void commit();
  // Starts a new file when the current one has grown past the rotation size; call it only
  // when no file record is waiting to be released.
  void rotate_if_due();

  // Whether the current file holds a record of the file claimed as `claim_id`.
  bool has_file_record(const std::string& claim_id) const;
  const AuditHead& head() const { return head_; }

 private:
  void open_current();
  void write_head();

  std::filesystem::path folder_;
  std::string instance_;
  AuditKey key_;
  std::uint64_t rotate_bytes_;
  UniqueFd folder_fd_;
  UniqueFd log_fd_;
  UniqueFd head_fd_;
  std::uint64_t size_ = 0;
  std::uint64_t first_seq_ = 1;  // of the current file
  std::uint64_t next_seq_ = 1;
  std::string last_hash_;
  std::uint64_t committed_seq_ = 0;
  std::uint64_t head_generation_ = 0;
  std::uint64_t torn_bytes_ = 0;
  std::set<std::string> file_ids_;
  AuditHead head_;
};

// `sanitize audit verify`: the first broken link, a cut tail, a head that does not match.
struct AuditVerification {
  std::uint64_t records = 0;
  std::uint64_t first_seq = 0;
  std::uint64_t last_seq = 0;
  std::vector<std::string> problems;  // any: the log does not verify
  std::vector<std::string> notes;     // worth knowing, not a failure
};

// `folder` is one instance's folder (audit/<instance>). Without a key the head's signature
// is not checked (a note says so).
AuditVerification verify_audit(const std::filesystem::path& folder, const AuditKey* key);

// Every record of the chain in order, across rotated files; stops at a line that is not a
// record.
std::vector<AuditRecord> read_audit_records(const std::filesystem::path& folder);

// The log files of one instance folder in chain order.
std::vector<std::filesystem::path> audit_files(const std::filesystem::path& folder);

}  // namespace sanitize::spool
