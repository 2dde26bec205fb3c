#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>
#include <set>

#include "formats/zip/central_directory.hpp"
#include "formats/zip/entry_names.hpp"
#include "formats/zip/raw_zip.hpp"
#include "formats/zip/zip_reader.hpp"
#include "formats/zip/zip_writer.hpp"
#include "sanitize/defaults.hpp"

namespace zipmod = sanitize::formats::zip;
using zipmod::testing::archive_of;
using zipmod::testing::RawArchive;
using zipmod::testing::RawEntry;

namespace {

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

RawEntry entry(std::string name, std::string data = "hello\r\n") {
  RawEntry e;
  e.name = std::move(name);
  e.data = std::move(data);
  return e;
}

sanitize::Result run(const std::string& archive, std::string_view name = "test.zip") {
  static const auto engine = sanitize::make_default_engine();
  return engine->sanitize(bytes_of(archive), name);
}

std::set<std::string> names_in(const std::vector<std::uint8_t>& archive) {
  std::set<std::string> names;
  for (const auto& e : zipmod::read_directory(archive).entries) names.insert(e.raw_name);
  return names;
}

std::set<std::string> finding_kinds(const sanitize::Report& report) {
  std::set<std::string> kinds;
  for (const auto& f : report.findings) kinds.insert(f.kind);
  for (const auto& c : report.children) {
    const auto inner = finding_kinds(c);
    kinds.insert(inner.begin(), inner.end());
  }
  return kinds;
}

sanitize::BlockReason blocked_reason(const std::string& archive) {
  try {
    zipmod::read_directory(bytes_of(archive));
  } catch (const sanitize::Blocked& blocked) {
    return blocked.reason();
  }
  return sanitize::BlockReason::none;
}

}  // namespace

TEST_CASE("the directory walk finds every entry and its data") {
  const std::string archive =
      build(archive_of({entry("a.txt", "alpha"), entry("b/c.txt", "beta")}));
  const auto directory = zipmod::read_directory(bytes_of(archive));
  REQUIRE(directory.entries.size() == 2);
  CHECK(directory.entries[0].raw_name == "a.txt");
  CHECK(directory.entries[1].uncompressed_size == 4);
  CHECK(directory.entries[0].local_mismatch.empty());
  CHECK(directory.unaccounted_bytes == 0);
}

TEST_CASE("structures that cannot be trusted are corrupt") {
  const std::string good = build(archive_of({entry("a.txt")}));
  CHECK(blocked_reason(good.substr(0, good.size() - 5)) == sanitize::BlockReason::corrupt);
  CHECK(blocked_reason("PK\x03\x04 not a zip at all") == sanitize::BlockReason::corrupt);
  CHECK(blocked_reason(zipmod::testing::build_overlapping(entry("x.txt"), 3)) ==
        sanitize::BlockReason::corrupt);
  // Bytes glued in front of an archive shift every offset.
  CHECK(blocked_reason("junk" + good) == sanitize::BlockReason::corrupt);
}

TEST_CASE("bytes outside every entry are counted") {
  RawArchive prefixed = archive_of({entry("a.txt")});
  prefixed.prefix = "hidden prefix";
  prefixed.suffix = "and a tail";
  const auto directory = zipmod::read_directory(bytes_of(build(prefixed)));
  CHECK(directory.unaccounted_bytes == 23);
}

TEST_CASE("local headers that disagree with the central directory are noticed") {
  RawEntry renamed = entry("shown.txt");
  renamed.local_name = "hidden.exe";
  const auto directory = zipmod::read_directory(bytes_of(build(archive_of({renamed}))));
  CHECK_FALSE(directory.entries[0].local_mismatch.empty());
}

TEST_CASE("entry names are checked like Windows would extract them") {
  struct Case {
    const char* name;
    const char* kind;  // nullptr: safe
  };
  const Case cases[] = {
      {"a.txt", nullptr},
      {"folder/sub/a.txt", nullptr},
      {"folder/", nullptr},
      {"報告書.txt", nullptr},
      {"../evil.txt", "zip.path_traversal"},
      {"a/../../evil.txt", "zip.path_traversal"},
      {"C:/evil.txt", "zip.path_traversal"},
      {"/etc/passwd", "zip.absolute_path"},
      {"//server/share/x", "zip.absolute_path"},
      {"file.txt:stream", "zip.ntfs_stream"},
      {"file.txt.", "zip.unsafe_name"},
      {"file.txt ", "zip.unsafe_name"},
      {"con.txt", "zip.unsafe_name"},
      {"dir/LPT1", "zip.unsafe_name"},
      {"a\x01.txt", "zip.unsafe_name"},
      {"a//b.txt", "zip.unsafe_name"},
      {"invoice\xE2\x80\xAE"
       "fdp.exe",
       "zip.unsafe_name"},
      {"what?.txt", "zip.unsafe_name"},
      {"", "zip.unsafe_name"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto problem = zipmod::check_entry_name(c.name);
    if (c.kind == nullptr) {
      CHECK_FALSE(problem.has_value());
    } else {
      REQUIRE(problem.has_value());
      CHECK(problem->kind == c.kind);
    }
  }
}

TEST_CASE("names are decoded from the UTF-8 flag, CP932 or CP437") {
  zipmod::DirectoryEntry e;
  e.raw_name = "\x95\xf1\x8d\x90\x8f\x91.txt";
  auto decoded = zipmod::decode_entry_name(e);
  CHECK(decoded.encoding == "cp932");
  CHECK(decoded.utf8 == "報告書.txt");

  e.raw_name = "\x87\x40\x81\x60.txt";  // ① and ～: CP932, not strict Shift_JIS
  CHECK(zipmod::decode_entry_name(e).utf8 == "①～.txt");

  e.raw_name = "議事録.txt";
  CHECK(zipmod::decode_entry_name(e).encoding == "utf-8");

  e.raw_name = "\xff\xfe.txt";
  e.flags = 0x0800;
  CHECK(zipmod::decode_entry_name(e).bad_encoding);

  e.raw_name = "dir\\file.txt";
  e.flags = 0;
  decoded = zipmod::decode_entry_name(e);
  CHECK(decoded.utf8 == "dir/file.txt");
  CHECK(decoded.backslashes);
}

TEST_CASE("collision keys fold case and Unicode form") {
  CHECK(zipmod::collision_key("a.txt") == zipmod::collision_key("A.TXT"));
  CHECK(zipmod::collision_key("caf\xC3\xA9") == zipmod::collision_key("cafe\xCC\x81"));
  CHECK(zipmod::collision_key("a.txt") != zipmod::collision_key("b.txt"));
}

TEST_CASE("links and devices are recognized from the attributes") {
  zipmod::DirectoryEntry e;
  e.version_made_by = 3 << 8;
  e.external_attributes = 0120777u << 16;
  CHECK(zipmod::check_entry_type(e)->kind == "zip.symlink");
  e.external_attributes = 0060600u << 16;
  CHECK(zipmod::check_entry_type(e)->kind == "zip.device_entry");
  e.external_attributes = 0100644u << 16;
  CHECK_FALSE(zipmod::check_entry_type(e).has_value());
}

TEST_CASE("the writer is deterministic and readable") {
  const auto write = [] {
    std::vector<std::uint8_t> out;
    zipmod::ZipWriter writer(out, 6);
    writer.add_directory("docs", zipmod::DosTimestamp{});
    const std::string text(1000, 'a');
    writer.add_file("docs/報告.txt", bytes_of(text), zipmod::DosTimestamp::checked(0x6000, 0x5881));
    writer.finish();
    return out;
  };
  const auto first = write();
  CHECK(first == write());
  const auto directory = zipmod::read_directory(first);
  REQUIRE(directory.entries.size() == 2);
  CHECK(directory.entries[0].raw_name == "docs/");
  CHECK(directory.entries[1].utf8_flag());
  CHECK(directory.entries[1].method == 8);
  CHECK(directory.entries[1].dos_date == 0x5881);
  CHECK(directory.unaccounted_bytes == 0);
}

TEST_CASE("invalid DOS times fall back to 1980-01-01") {
  const auto fixed = zipmod::DosTimestamp::checked(0xFFFF, 0);
  CHECK(fixed.date == ((1 << 5) | 1));
  CHECK(fixed.time == 0);
}

TEST_CASE("a hostile archive comes out with only its good entries") {
  RawEntry link = entry("link", "/etc/passwd");
  link.external_attributes = 0120777u << 16;
  RawEntry lying = entry("lying.txt", std::string(5000, 'x'));
  lying.declared_size = 10;
  const std::string archive = build(archive_of(
      {entry("good.txt"), entry("../evil.txt"), entry("..\\evil.txt"), entry("C:\\evil.txt"),
       entry("/abs.txt"), link, entry("s.txt:x"), entry("a.txt"), entry("A.TXT"), lying}));
  const auto result = run(archive);
  REQUIRE(result.verdict == sanitize::Verdict::sanitized);
  const auto names = names_in(result.output);
  CHECK(names == std::set<std::string>{"good.txt", "a.txt", "SANITIZE-NOTICE.txt"});
  const auto kinds = finding_kinds(result.report);
  for (const char* kind : {"zip.path_traversal", "zip.absolute_path", "zip.symlink",
                           "zip.ntfs_stream", "zip.name_collision", "zip.size_mismatch"}) {
    CAPTURE(kind);
    CHECK(kinds.contains(kind));
  }
}

TEST_CASE("sizes are counted while inflating, never trusted") {
  RawEntry longer = entry("short-claim.txt", std::string(100000, 'y'));
  longer.declared_size = 100;
  RawEntry shorter = entry("long-claim.txt", "tiny");
  shorter.declared_size = 50000;
  const auto result = run(build(archive_of({entry("ok.txt"), longer, shorter})));
  REQUIRE(result.verdict == sanitize::Verdict::sanitized);
  CHECK(names_in(result.output) == std::set<std::string>{"ok.txt", "SANITIZE-NOTICE.txt"});
}

TEST_CASE("a blocked entry is dropped, listed, and the rest delivered") {
  const auto result =
      run(build(archive_of({entry("letter.txt"), entry("invoice.vbs", "MsgBox 1\r\n")})));
  REQUIRE(result.verdict == sanitize::Verdict::sanitized);
  CHECK(names_in(result.output) == std::set<std::string>{"letter.txt", "SANITIZE-NOTICE.txt"});
  bool listed = false;
  for (const auto& f : result.report.findings) {
    if (f.kind == "zip.entry_blocked" && f.location == "invoice.vbs") listed = true;
  }
  CHECK(listed);
}

TEST_CASE("the policy may block the whole archive for one blocked entry") {
  sanitize::Policy policy;
  policy.elements["zip.entry_blocked"] = sanitize::ElementAction::block;
  const auto engine = sanitize::make_default_engine(policy);
  const std::string archive =
      build(archive_of({entry("letter.txt"), entry("invoice.vbs", "MsgBox 1\r\n")}));
  const auto result = engine->sanitize(bytes_of(archive), "a.zip");
  CHECK(result.verdict == sanitize::Verdict::blocked);
  CHECK(result.report.block_reason == sanitize::BlockReason::active_content);
}

TEST_CASE("an archive of encrypted entries is blocked as encrypted") {
  RawEntry locked = entry("secret.txt");
  locked.flags = 1;
  const auto result = run(build(archive_of({locked})));
  CHECK(result.verdict == sanitize::Verdict::blocked);
  CHECK(result.report.block_reason == sanitize::BlockReason::encrypted);
}

TEST_CASE("a high-ratio entry is stopped by the budget, not inflated") {
  std::uint32_t crc = 0;
  RawEntry zeros;
  zeros.name = "zeros.bin";
  zeros.compressed = zipmod::testing::deflate_zeros(256u << 20, crc);
  zeros.crc = crc;
  zeros.declared_size = 256u << 20;
  const auto result = run(build(archive_of({zeros})));
  CHECK(result.verdict == sanitize::Verdict::blocked);
  CHECK(result.report.block_reason == sanitize::BlockReason::limit);
}

TEST_CASE("output is the same in every time zone, and a second pass changes nothing") {
  const std::string archive = build(
      archive_of({entry("a.txt"), entry("../bad.txt"), entry("\x95\xf1\x8d\x90\x8f\x91.txt")}));
  setenv("TZ", "UTC", 1);
  tzset();
  const auto utc = run(archive);
  setenv("TZ", "Asia/Tokyo", 1);
  tzset();
  const auto tokyo = run(archive);
  unsetenv("TZ");
  tzset();
  REQUIRE(utc.verdict == sanitize::Verdict::sanitized);
  CHECK(utc.output == tokyo.output);
  const std::string once(utc.output.begin(), utc.output.end());
  const auto twice = run(once);
  CHECK(twice.verdict == sanitize::Verdict::clean);
  CHECK(twice.output == utc.output);
}

TEST_CASE("comments and hidden bytes follow the policy; a rewritten name is only reported") {
  RawArchive commented = archive_of({entry("a.txt")});
  commented.comment = "archive comment";
  const std::string archive = build(commented);
  CHECK(run(archive).verdict == sanitize::Verdict::sanitized);

  sanitize::Policy strict;
  strict.elements["zip.comment"] = sanitize::ElementAction::block;
  const auto blocked = sanitize::make_default_engine(strict)->sanitize(bytes_of(archive), "c.zip");
  CHECK(blocked.verdict == sanitize::Verdict::blocked);
  CHECK(blocked.report.block_reason == sanitize::BlockReason::active_content);

  sanitize::Policy unusable;
  unusable.elements["zip.name_rewritten"] = sanitize::ElementAction::block;
  CHECK_THROWS_AS(sanitize::make_default_engine(unusable), sanitize::PolicyError);
}
