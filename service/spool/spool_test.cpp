// Unit tests of the gateway's parts that need no daemon: safe names, the journal, the
// audit chain and its verification, the configuration.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "audit_log.hpp"
#include "journal.hpp"
#include "notice.hpp"
#include "safe_names.hpp"
#include "spool_config.hpp"

namespace fs = std::filesystem;
using namespace sanitize::spool;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path path =
      fs::temp_directory_path() / ("spool-test-" + std::to_string(getpid())) / name;
  fs::remove_all(path);
  fs::create_directories(path);
  return path;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

fs::path hmac_key(const fs::path& folder) {
  write(folder / "key", std::string(48, 'k'));
  return folder / "key";
}

AuditLog open_log(const fs::path& folder, std::uint64_t rotate = 1 << 20) {
  return AuditLog(folder / "audit", "gw1", AuditKey::load(hmac_key(folder)), rotate);
}

void add_records(AuditLog& log, int count) {
  for (int i = 0; i < count; ++i) {
    AuditRecord record;
    record["event"] = "file";
    record["id"] = "id-" + std::to_string(i);
    record["input"] = "section/file " + std::to_string(i) + ".txt";
    log.append(record);
    log.commit();
  }
}

}  // namespace

TEST_CASE("unsafe names are made safe for the Windows side") {
  CHECK(safe_name("report.docx") == "report.docx");
  CHECK(safe_name("報告書.xlsx") == "報告書.xlsx");
  CHECK(safe_name("a\x01"
                  "b\x7f.txt") == "a_b_.txt");
  CHECK(safe_name("a\\b:c*d?.txt") == "a_b_c_d_.txt");
  CHECK(safe_name("CON") == "_CON");
  CHECK(safe_name("nul.txt") == "_nul.txt");
  CHECK(safe_name("com1.log") == "_com1.log");
  CHECK(safe_name("console.txt") == "console.txt");
  CHECK(safe_name("name. . ") == "name");
  CHECK(safe_name(".hidden") == "_.hidden");
  CHECK(safe_name("") == "unnamed");
  CHECK(safe_name("..") == "unnamed");
  // A right-to-left override would show "invoice_exe.txt" as something else.
  CHECK(safe_name("invoice\xE2\x80\xAEtxt.exe") == "invoice_txt.exe");
  // CP932 from a Windows client that does not speak UTF-8: 報告 is 95 F1 8D 90.
  CHECK(safe_name("\x95\xF1\x8D\x90.txt") == "報告.txt");
  CHECK(safe_name("\xFF\xFE.txt") == "__.txt");
  const std::string long_name = std::string(300, 'a') + ".pdf";
  const std::string shortened = safe_name(long_name);
  CHECK(shortened.size() <= kMaxSafeNameBytes);
  CHECK(shortened.ends_with(".pdf"));
  // Shortening never splits a character.
  std::string japanese;
  for (int i = 0; i < 100; ++i) japanese += "あ";
  const std::string cut = safe_name(japanese + ".txt");
  CHECK(cut.size() <= kMaxSafeNameBytes);
  CHECK((cut.size() - 4) % 3 == 0);
}

TEST_CASE("temporary names are not picked up") {
  CHECK(is_temporary_name("~$report.docx"));
  CHECK(is_temporary_name("download.PART"));
  CHECK(is_temporary_name("x.tmp"));
  CHECK(is_temporary_name(".spool-1.tmp"));
  CHECK(is_temporary_name(".DS_Store"));
  CHECK_FALSE(is_temporary_name("report.docx"));
  CHECK_FALSE(is_temporary_name("partial.txt"));
}

TEST_CASE("the journal cuts a torn last line and keeps what came before") {
  const fs::path folder = scratch("journal");
  sanitize::UniqueFd dir(open(folder.c_str(), O_RDONLY | O_DIRECTORY));
  {
    Journal journal(dir.get());
    journal.append({{"op", "claim"}, {"id", "a"}});
    journal.append({{"op", "done"}, {"id", "a"}});
    journal.sync();
  }
  std::ofstream(folder / "journal", std::ios::app) << "{\"op\":\"cla";
  Journal journal(dir.get());
  std::uint64_t torn = 0;
  const auto records = journal.load(torn);
  CHECK(records.size() == 2);
  CHECK(torn == 10);
  journal.append({{"op", "claim"}, {"id", "b"}});
  CHECK(journal.load(torn).size() == 3);
  CHECK(torn == 0);
  journal.rewrite({});
  CHECK(journal.load(torn).empty());
}

TEST_CASE("an untouched audit log verifies, across rotated files") {
  const fs::path folder = scratch("audit-ok");
  {
    AuditLog log = open_log(folder, 4096);
    add_records(log, 60);
    log.rotate_if_due();
    add_records(log, 5);
  }
  CHECK(audit_files(folder / "audit").size() >= 2);
  const AuditKey key = AuditKey::load(folder / "key");
  const auto result = verify_audit(folder / "audit", &key);
  CAPTURE(result.problems);
  CHECK(result.problems.empty());
  CHECK(result.first_seq == 1);
  CHECK(result.records == result.last_seq);
  // Reopened, the chain goes on where it stopped.
  {
    AuditLog log = open_log(folder, 4096);
    add_records(log, 2);
  }
  CHECK(verify_audit(folder / "audit", &key).problems.empty());
}

TEST_CASE("an edited record, a cut tail and a forged head are reported") {
  const fs::path folder = scratch("audit-bad");
  {
    AuditLog log = open_log(folder);
    add_records(log, 30);
  }
  const fs::path file = folder / "audit" / "audit.jsonl";
  const std::string original = read(file);
  const AuditKey key = AuditKey::load(folder / "key");

  SUBCASE("one record edited") {
    std::string edited = original;
    const auto at = edited.find("file 7.txt");
    REQUIRE(at != std::string::npos);
    edited.replace(at, 10, "file 8.txt");
    write(file, edited);
    const auto result = verify_audit(folder / "audit", &key);
    REQUIRE_FALSE(result.problems.empty());
    CHECK(result.problems.front().find("record 8 was changed") != std::string::npos);
  }
  SUBCASE("the last ten records cut off") {
    std::size_t end = original.size();
    for (int i = 0; i < 11; ++i) end = original.rfind('\n', end - 1);
    write(file, original.substr(0, end + 1));
    const auto result = verify_audit(folder / "audit", &key);
    REQUIRE_FALSE(result.problems.empty());
    CHECK(result.problems.front().find("the last 10 record(s) were cut off") != std::string::npos);
  }
  SUBCASE("the last record edited") {
    std::string edited = original;
    const auto at = edited.rfind("file 29.txt");
    edited.replace(at, 11, "file 99.txt");
    write(file, edited);
    const auto result = verify_audit(folder / "audit", &key);
    REQUIRE_FALSE(result.problems.empty());
    CHECK(result.problems.front().find("not the one the head signed") != std::string::npos);
  }
  SUBCASE("a head signed with another key") {
    write(folder / "other", std::string(40, 'x'));
    const AuditKey other = AuditKey::load(folder / "other");
    const auto result = verify_audit(folder / "audit", &other);
    REQUIRE_FALSE(result.problems.empty());
    CHECK(result.problems.front().find("no head signed with this key") != std::string::npos);
  }
}

TEST_CASE("a torn audit line is cut off when the log is opened") {
  const fs::path folder = scratch("audit-torn");
  {
    AuditLog log = open_log(folder);
    add_records(log, 3);
  }
  std::ofstream(folder / "audit" / "audit.jsonl", std::ios::app) << "{\"seq\":4,\"ti";
  AuditLog log = open_log(folder);
  CHECK(log.torn_bytes() == 12);
  add_records(log, 1);
  const AuditKey key = AuditKey::load(folder / "key");
  CHECK(verify_audit(folder / "audit", &key).problems.empty());
}

TEST_CASE("Ed25519 keys sign the head; the public key verifies it") {
  const fs::path folder = scratch("ed25519");
  REQUIRE(
      std::system(("openssl genpkey -algorithm ed25519 -out " + (folder / "private.pem").string() +
                   " 2>/dev/null && openssl pkey -in " + (folder / "private.pem").string() +
                   " -pubout -out " + (folder / "public.pem").string())
                      .c_str()) == 0);
  {
    AuditLog log(folder / "audit", "gw1", AuditKey::load(folder / "private.pem"), 1 << 20);
    add_records(log, 4);
  }
  const AuditKey public_key = AuditKey::load(folder / "public.pem");
  CHECK_FALSE(public_key.can_sign());
  CHECK(public_key.algorithm() == "ed25519");
  CHECK(verify_audit(folder / "audit", &public_key).problems.empty());
}

TEST_CASE("the configuration refuses unknown keys and bad values") {
  const fs::path folder = scratch("config");
  write(folder / "key", std::string(32, 'k'));
  write(folder / "ok.toml",
        "[spool]\nroot = \"spool\"\ninstance = \"gw1\"\nsettle_ms = 200\n"
        "[audit]\nkey_file = \"key\"\n[sections.somu]\ndir_mode = \"0770\"\n");
  const SpoolConfig config = load_config(folder / "ok.toml");
  CHECK(config.inbox == folder / "spool" / "inbox");
  CHECK(config.settle_ms == 200);
  CHECK(config.access_for("somu").directory_mode == 0770);
  CHECK(config.access_for("other").directory_mode == 0750);
  write(folder / "typo.toml",
        "[spool]\nroot = \"spool\"\nsettle = 200\n[audit]\nkey_file = \"key\"\n");
  CHECK_THROWS_WITH_AS(load_config(folder / "typo.toml"), "spool.settle: unknown key", ConfigError);
  write(folder / "mode.toml",
        "[spool]\nroot = \"spool\"\ndir_mode = \"999\"\n[audit]\nkey_file = \"key\"\n");
  CHECK_THROWS_AS(load_config(folder / "mode.toml"), ConfigError);
  write(folder / "nokey.toml", "[spool]\nroot = \"spool\"\n");
  CHECK_THROWS_WITH_AS(load_config(folder / "nokey.toml"),
                       "audit.key_file: is required: the audit head is signed with it",
                       ConfigError);
}

TEST_CASE("the example configuration is valid") {
  const SpoolConfig config = load_config(SPOOL_SOURCE_DIR "/gateway.example.toml");
  CHECK(config.instance == "gw1");
  CHECK(config.min_free_bytes == 1073741824);
  CHECK(config.access_for("somu").file_mode == 0660);
  CHECK(config.syslog_target == "unix:/dev/log");
}

TEST_CASE("the notice names the file, the reason and the reference in both languages") {
  const std::string text = notice_text({"報告.docm", "2026-11-22T08:00:00.000+09:00", "マクロ",
                                        "macros", "gw1-ab-1", "情報政策課", true});
  CHECK(text.starts_with("\xEF\xBB\xBF"));
  CHECK(text.find("報告.docm") != std::string::npos);
  CHECK(text.find("gw1-ab-1") != std::string::npos);
  CHECK(text.find("情報政策課") != std::string::npos);
  CHECK(text.find("could not be sanitized") != std::string::npos);
  CHECK(text.find("\r\n") != std::string::npos);
  CHECK(notice_name("a.docm") == "a.docm.blocked.txt");
}
