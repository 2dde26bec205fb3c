// `sanitize audit verify DIR [--key K]` and `sanitize audit export --csv DIR`: the audit
// log of the spool gateway, checked and turned into the monthly report (月次報告).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "audit_log.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace sanitize::cli {
namespace {

namespace fs = std::filesystem;
using spool::AuditRecord;

constexpr int kExitDoesNotVerify = 1;

struct AuditOptions {
  std::string folder;
  std::string key;
  bool csv = false;
  std::string month;  // YYYY-MM
  std::string output;
};

// One instance's folder, or the audit folder holding one folder per instance.
std::vector<fs::path> instance_folders(const std::string& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) throw UsageError("no such folder: " + folder);
  if (fs::exists(fs::path(folder) / "audit.jsonl", error) ||
      fs::exists(fs::path(folder) / "head", error)) {
    return {fs::path(folder)};
  }
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_directory() &&
        (fs::exists(entry.path() / "audit.jsonl") || fs::exists(entry.path() / "head"))) {
      folders.push_back(entry.path());
    }
  }
  std::sort(folders.begin(), folders.end());
  if (folders.empty()) throw UsageError("no audit log in " + folder);
  return folders;
}

int run_verify(const AuditOptions& options) {
  std::optional<spool::AuditKey> key;
  if (!options.key.empty()) {
    try {
      key.emplace(spool::AuditKey::load(options.key));
    } catch (const spool::AuditKeyError& error) {
      throw UsageError(error.what());
    }
  }
  int status = kExitClean;
  for (const fs::path& folder : instance_folders(options.folder)) {
    const auto result = spool::verify_audit(folder, key ? &*key : nullptr);
    const bool ok = result.problems.empty();
    fmt::print("{}: {} ({} record(s), {} to {})\n", folder.string(),
               ok ? "verified" : "DOES NOT VERIFY", result.records, result.first_seq,
               result.last_seq);
    for (const auto& problem : result.problems) fmt::print("  problem: {}\n", problem);
    for (const auto& note : result.notes) fmt::print("  note: {}\n", note);
    if (!ok) status = kExitDoesNotVerify;
  }
  return status;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string text_of(const AuditRecord& record, const char* key) {
  if (!record.contains(key)) return {};
  const auto& value = record[key];
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return value.dump();
}

int run_export(const AuditOptions& options) {
  if (!options.csv) throw UsageError("audit export: choose a format (--csv)");
  static const char* const kColumns[] = {
      "time",          "instance",   "seq",        "id",           "section",      "owner",
      "input",         "input_size", "type",       "verdict",      "block_reason", "findings",
      "finding_kinds", "output",     "quarantine", "input_sha256", "output_sha256"};
  // A BOM so that Excel opens the Japanese names as UTF-8.
  std::string out = "\xEF\xBB\xBF";
  for (const char* column : kColumns)
    out += std::string(column) + (column == kColumns[16] ? "\r\n" : ",");
  for (const fs::path& folder : instance_folders(options.folder)) {
    const auto records = spool::read_audit_records(folder);
    std::map<std::string, std::string> renamed;
    for (const auto& record : records) {
      if (record.value("event", "") == "renamed")
        renamed[text_of(record, "id")] = text_of(record, "output");
    }
    for (auto record : records) {
      if (record.value("event", "") != "file") continue;
      if (!options.month.empty() && !text_of(record, "time").starts_with(options.month)) continue;
      if (const auto found = renamed.find(text_of(record, "id")); found != renamed.end()) {
        record["output"] = found->second;
      }
      std::string row;
      for (const char* column : kColumns) {
        row += csv_field(text_of(record, column)) + (column == kColumns[16] ? "\r\n" : ",");
      }
      out += row;
    }
  }
  if (options.output.empty()) {
    std::fwrite(out.data(), 1, out.size(), stdout);
    return kExitClean;
  }
  std::ofstream file(options.output, std::ios::binary);
  file << out;
  if (!file) throw UsageError("cannot write " + options.output);
  return kExitClean;
}

}  // namespace

Command add_audit_command(CLI::App& program) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* command =
      program.add_subcommand("audit", "Check or export the spool gateway's audit log");
  command->require_subcommand(1);
  CLI::App* verify = command->add_subcommand(
      "verify",
      "Check the hash chain and the signed head: reports the first broken link, a cut tail or "
      "a forged head. Exit status 0 when it verifies, 1 when it does not");
  verify->add_option("folder", options->folder, "The audit folder, or one instance's folder in it")
      ->required()
      ->type_name("DIR");
  verify
      ->add_option("--key", options->key,
                   "The key the head is signed with: the HMAC secret, or the Ed25519 public "
                   "(or private) key in PEM. Without it the signature is not checked")
      ->type_name("KEY");
  CLI::App* exporter = command->add_subcommand(
      "export", "Write the file records as CSV (UTF-8 with BOM): the monthly report");
  exporter->add_flag("--csv", options->csv, "CSV, one row per file")->required();
  exporter
      ->add_option("folder", options->folder, "The audit folder, or one instance's folder in it")
      ->required()
      ->type_name("DIR");
  exporter->add_option("--month", options->month, "Only records of this month")
      ->type_name("YYYY-MM");
  exporter->add_option("-o,--output", options->output, "Write here instead of stdout")
      ->type_name("FILE");
  return {command, [options, verify] {
            return verify->parsed() ? run_verify(*options) : run_export(*options);
          }};
}

}  // namespace sanitize::cli
