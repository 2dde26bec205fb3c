#include "audit_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "durable_fs.hpp"
#include "local_time.hpp"

namespace sanitize::spool {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCurrentName = "audit.jsonl";
constexpr const char* kHeadName = "head";
constexpr std::size_t kHeadSlotBytes = 1024;
const std::string kZeroHash(64, '0');

std::string rotated_name(std::uint64_t first_seq) {
  return fmt::format("audit-{:012}.jsonl", first_seq);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The complete lines of `text`, and where the incomplete rest starts.
std::vector<std::string_view> complete_lines(std::string_view text, std::size_t& rest) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find('\n', start);
    if (end == std::string_view::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  rest = start;
  return lines;
}

std::optional<AuditRecord> parse_record(std::string_view line) {
  auto record = AuditRecord::parse(line, nullptr, false);
  if (record.is_discarded() || !record.is_object() || !record.contains("seq") ||
      !record["seq"].is_number_unsigned() || !record.contains("prev") ||
      !record["prev"].is_string()) {
    return std::nullopt;
  }
  return record;
}

// The heads in the two slots of the head file, with their slot number.
std::vector<std::pair<std::uint64_t, AuditHead>> read_heads(const fs::path& folder) {
  const std::string text = read_file(folder / kHeadName);
  std::vector<std::pair<std::uint64_t, AuditHead>> heads;
  for (std::size_t slot = 0; slot * kHeadSlotBytes < text.size(); ++slot) {
    const std::string_view bytes =
        std::string_view(text).substr(slot * kHeadSlotBytes, kHeadSlotBytes);
    if (auto head = AuditHead::parse(bytes.substr(0, bytes.find('\n')))) {
      heads.emplace_back(slot, *head);
    }
  }
  return heads;
}

}  // namespace

std::string AuditHead::signed_text() const {
  return fmt::format("sanitize-audit-head/1 {} {} {} {}", instance, seq, hash, time);
}

std::string AuditHead::to_line() const {
  nlohmann::ordered_json json;
  json["instance"] = instance;
  json["seq"] = seq;
  json["hash"] = hash;
  json["time"] = time;
  json["alg"] = algorithm;
  json["sig"] = signature;
  return json.dump();
}

std::optional<AuditHead> AuditHead::parse(std::string_view line) {
  const auto json = nlohmann::json::parse(line, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  try {
    AuditHead head;
    head.instance = json.at("instance").get<std::string>();
    head.seq = json.at("seq").get<std::uint64_t>();
    head.hash = json.at("hash").get<std::string>();
    head.time = json.at("time").get<std::string>();
    head.algorithm = json.at("alg").get<std::string>();
    head.signature = json.at("sig").get<std::string>();
    return head;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<fs::path> audit_files(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("audit-") && name.ends_with(".jsonl")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (fs::exists(folder / kCurrentName, error)) files.push_back(folder / kCurrentName);
  return files;
}

AuditLog::AuditLog(const fs::path& folder, std::string instance, AuditKey key,
                   std::uint64_t rotate_bytes)
    : folder_(folder),
      instance_(std::move(instance)),
      key_(std::move(key)),
      rotate_bytes_(rotate_bytes) {
  if (!key_.can_sign()) throw AuditKeyError("the audit key must be a private key or a secret");
  folder_fd_ = open_or_create_folder(folder_, 0750);
  head_fd_.reset(
      openat(folder_fd_.get(), kHeadName, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640));
  if (!head_fd_.valid())
    throw_errno("cannot open the audit head " + (folder_ / kHeadName).string());
  // Where the chain stands: the last record of the current file, else of the last rotated one.
  last_hash_ = kZeroHash;
  for (const fs::path& file : audit_files(folder_)) {
    if (file.filename() == kCurrentName) continue;
    std::size_t rest = 0;
    const std::string text = read_file(file);
    const auto lines = complete_lines(text, rest);
    if (lines.empty()) continue;
    if (const auto record = parse_record(lines.back())) {
      last_hash_ = sha256_hex(lines.back());
      next_seq_ = (*record)["seq"].get<std::uint64_t>() + 1;
    }
  }
  open_current();
  for (const auto& [slot, head] : read_heads(folder_)) {
    if (head.seq >= head_.seq && key_.verify(head.signed_text(), head.signature)) {
      head_ = head;
      head_generation_ = slot;  // the next head goes into the other slot
    }
  }
  committed_seq_ = next_seq_ - 1;
}

void AuditLog::open_current() {
  log_fd_.reset(openat(folder_fd_.get(), kCurrentName,
                       O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640));
  if (!log_fd_.valid()) throw_errno("cannot open the audit log in " + folder_.string());
  const std::string text = read_file(folder_ / kCurrentName);
  std::size_t rest = 0;
  const auto lines = complete_lines(text, rest);
  std::size_t good = 0;
  first_seq_ = next_seq_;
  for (const std::string_view line : lines) {
    const auto record = parse_record(line);
    if (!record) break;
    if (good == 0) first_seq_ = (*record)["seq"].get<std::uint64_t>();
    next_seq_ = (*record)["seq"].get<std::uint64_t>() + 1;
    last_hash_ = sha256_hex(line);
    if (record->value("event", "") == "file") file_ids_.insert(record->value("id", ""));
    good += line.size() + 1;
  }
  if (good < text.size()) {
    // A crash tore the last line: it was never committed, so nothing relied on it.
    torn_bytes_ = text.size() - good;
    if (ftruncate(log_fd_.get(), static_cast<off_t>(good)) != 0 || fsync(log_fd_.get()) != 0) {
      throw_errno("cannot cut the torn end of the audit log");
    }
  }
  size_ = good;
  sync_directory(folder_fd_.get());
}

std::uint64_t AuditLog::append(const AuditRecord& fields) {
  AuditRecord record;
  record["seq"] = next_seq_;
  record["time"] = fields.contains("time") ? fields["time"] : AuditRecord(iso_time());
  record["instance"] = instance_;
  for (const auto& [key, value] : fields.items()) {
    if (key != "seq" && key != "time" && key != "instance" && key != "prev") record[key] = value;
  }
  record["prev"] = last_hash_;
  // Names that are not UTF-8 show as U+FFFD; the claim id finds the original bytes.
  const std::string line = record.dump(-1, ' ', false, AuditRecord::error_handler_t::replace);
  const std::string text = line + "\n";
  const ssize_t written = write(log_fd_.get(), text.data(), text.size());
  if (written != static_cast<ssize_t>(text.size())) {
    const int error = written < 0 ? errno : ENOSPC;
    if (ftruncate(log_fd_.get(), static_cast<off_t>(size_)) != 0) {
      // The torn line is cut off at the next start.
    }
    errno = error;
    throw_errno("cannot write the audit log");
  }
  size_ += text.size();
  last_hash_ = sha256_hex(line);
  if (record.value("event", "") == "file") file_ids_.insert(record.value("id", ""));
  return next_seq_++;
}

void AuditLog::commit() {
  if (committed_seq_ + 1 == next_seq_) return;
  if (fdatasync(log_fd_.get()) != 0) throw_errno("cannot flush the audit log");
  committed_seq_ = next_seq_ - 1;
  write_head();
}

void AuditLog::write_head() {
  AuditHead head;
  head.instance = instance_;
  head.seq = committed_seq_;
  head.hash = last_hash_;
  head.time = iso_time();
  head.algorithm = key_.algorithm();
  head.signature = key_.sign(head.signed_text());
  std::string slot = head.to_line() + "\n";
  slot.resize(kHeadSlotBytes - 1, ' ');
  slot += '\n';
  // Two slots written in turn: a write torn by a crash spoils one, the other still holds
  // the previous head.
  const off_t offset = static_cast<off_t>((++head_generation_ % 2) * kHeadSlotBytes);
  if (pwrite(head_fd_.get(), slot.data(), slot.size(), offset) !=
          static_cast<ssize_t>(slot.size()) ||
      fdatasync(head_fd_.get()) != 0) {
    throw_errno("cannot write the audit head");
  }
  head_ = head;
}

void AuditLog::rotate_if_due() {
  if (size_ < rotate_bytes_) return;
  commit();
  const std::string rotated = rotated_name(first_seq_);
  if (renameat(folder_fd_.get(), kCurrentName, folder_fd_.get(), rotated.c_str()) != 0) {
    throw_errno("cannot rotate the audit log");
  }
  sync_directory(folder_fd_.get());
  file_ids_.clear();
  open_current();
  AuditRecord record;
  record["event"] = "rotate";
  record["previous_file"] = rotated;
  append(record);
  commit();
}

bool AuditLog::has_file_record(const std::string& claim_id) const {
  return file_ids_.contains(claim_id);
}

std::vector<AuditRecord> read_audit_records(const fs::path& folder) {
  std::vector<AuditRecord> records;
  for (const fs::path& file : audit_files(folder)) {
    const std::string text = read_file(file);
    std::size_t rest = 0;
    for (const std::string_view line : complete_lines(text, rest)) {
      auto record = parse_record(line);
      if (!record) return records;
      records.push_back(std::move(*record));
    }
  }
  return records;
}

AuditVerification verify_audit(const fs::path& folder, const AuditKey* key) {
  AuditVerification result;
  std::string previous_hash;
  std::string instance;
  std::vector<std::pair<std::uint64_t, std::string>> hashes;  // seq, hash of each record
  const auto files = audit_files(folder);
  if (files.empty()) result.problems.push_back("no audit log in " + folder.string());
  for (const fs::path& file : files) {
    const std::string text = read_file(file);
    std::size_t rest = 0;
    const auto lines = complete_lines(text, rest);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string where = fmt::format("{} line {}", file.filename().string(), i + 1);
      const auto record = parse_record(lines[i]);
      if (!record) {
        result.problems.push_back(where + ": not an audit record");
        return result;
      }
      const auto seq = (*record)["seq"].get<std::uint64_t>();
      const auto prev = (*record)["prev"].get<std::string>();
      if (result.records == 0) {
        result.first_seq = seq;
        instance = record->value("instance", "");
        if (prev != kZeroHash) {
          result.notes.push_back(fmt::format(
              "the chain starts at record {}: earlier files are not in this folder", seq));
        }
      } else if (seq != result.last_seq + 1) {
        result.problems.push_back(fmt::format(
            "{}: record {} follows record {}: records are missing", where, seq, result.last_seq));
        return result;
      } else if (prev != previous_hash) {
        result.problems.push_back(fmt::format(
            "{}: record {} does not chain to record {}: record {} was changed or replaced", where,
            seq, result.last_seq, result.last_seq));
        return result;
      }
      if (record->value("instance", "") != instance) {
        result.problems.push_back(where + ": a record of another instance");
        return result;
      }
      previous_hash = sha256_hex(lines[i]);
      hashes.emplace_back(seq, previous_hash);
      result.last_seq = seq;
      ++result.records;
    }
    if (rest < text.size()) {
      if (file.filename() == kCurrentName) {
        result.notes.push_back(fmt::format(
            "{}: a torn last line ({} bytes) after a crash: the daemon cuts it at its next start",
            file.filename().string(), text.size() - rest));
      } else {
        result.problems.push_back(file.filename().string() + ": ends in the middle of a line");
        return result;
      }
    }
  }

  std::optional<AuditHead> head;
  for (const auto& [slot, candidate] : read_heads(folder)) {
    if (key && !key->verify(candidate.signed_text(), candidate.signature)) continue;
    if (!head || candidate.seq > head->seq) head = candidate;
  }
  if (!head) {
    result.problems.push_back(
        key ? "no head signed with this key: the head file is missing or forged" : "no head file");
    return result;
  }
  if (!key) result.notes.push_back("the head's signature was not checked (no --key given)");
  if (head->instance != instance && result.records > 0) {
    result.problems.push_back("the head belongs to another instance (" + head->instance + ")");
  }
  if (head->seq > result.last_seq) {
    result.problems.push_back(fmt::format(
        "the log ends at record {} but the signed head is at record {}: the last {} record(s) "
        "were cut off",
        result.last_seq, head->seq, head->seq - result.last_seq));
    return result;
  }
  const auto signed_record = std::find_if(
      hashes.begin(), hashes.end(), [&](const auto& entry) { return entry.first == head->seq; });
  if (signed_record == hashes.end()) {
    if (head->seq >= result.first_seq || result.records == 0) {
      result.problems.push_back(
          fmt::format("record {}, signed in the head, is not in the log", head->seq));
    }
  } else if (signed_record->second != head->hash) {
    result.problems.push_back(fmt::format(
        "record {} is not the one the head signed: it or a record before it was changed",
        head->seq));
  }
  if (result.last_seq > head->seq) {
    result.notes.push_back(fmt::format(
        "{} record(s) after the last signed head (written just before a crash or a stop)",
        result.last_seq - head->seq));
  }
  return result;
}

}  // namespace sanitize::spool
