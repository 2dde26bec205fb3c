// Test archives for every finding kind of the ZIP module, with what the engine must do.
#include "formats/zip/raw_zip.hpp"
#include "formats/zip/zip_format.hpp"

namespace sanitize::formats {
namespace {

using corpus::blocked;
using corpus::Expectation;
using zip::testing::archive_of;
using zip::testing::RawArchive;
using zip::testing::RawEntry;

constexpr std::uint16_t kUtf8Flag = 0x0800;
const std::vector<std::string> kDeliveredChecks{"zip_valid", "zip_names_safe",
                                                "zip_entries_accounted"};

RawEntry text_entry(std::string name, std::string data = "hello\r\n") {
  RawEntry entry;
  entry.name = std::move(name);
  entry.data = std::move(data);
  return entry;
}

Expectation sanitized(std::vector<std::string> findings, std::vector<std::string> extra = {}) {
  return corpus::delivered("sanitized", std::move(findings), kDeliveredChecks, extra);
}

void add(corpus::Writer& writer, std::string_view path, const std::string& bytes,
         Expectation expectation, std::string_view description) {
  writer.add(path, std::string_view(bytes), std::move(expectation), description);
}

void benign(corpus::Writer& writer) {
  RawArchive plain;
  plain.entries.push_back(text_entry("readme.txt", "Quarterly figures attached.\r\n"));
  plain.entries.push_back(
      text_entry("data/figures.csv", "region,amount\r\nTokyo,-12\r\nOsaka,+81-3-1234-5678\r\n"));
  RawEntry folder = text_entry("data/", "");
  folder.external_attributes = (040755u << 16) | 0x10;
  folder.deflate = false;
  plain.entries.insert(plain.entries.begin() + 1, folder);
  add(writer, "zip/benign/plain.zip", build(plain),
      Expectation{"clean", "", {}, {"zip_valid", "zip_names_safe", "zip_entries_accounted"}},
      "text files and a folder; nothing to remove");

  RawArchive nested;
  nested.entries.push_back(text_entry("outer.txt"));
  nested.entries.push_back(text_entry("inner.zip", build(plain)));
  add(writer, "zip/benign/nested.zip", build(nested),
      Expectation{"clean", "", {}, {"zip_valid", "zip_names_safe", "zip_entries_accounted"}},
      "a zip inside a zip");

  // Made on Japanese Windows: CP932 names, no UTF-8 flag.
  RawArchive japanese;
  japanese.entries.push_back(text_entry("\x95\xf1\x8d\x90\x8f\x91.txt", "report\r\n"));  // 報告書
  japanese.entries.push_back(
      text_entry("\x83\x74\x83\x48\x83\x8b\x83\x5f/\x8e\x91\x97\xbf\x87\x40.csv",  // フォルダ/資料①
                 "a,b\r\n1,2\r\n"));
  add(writer, "zip/benign/cp932-names.zip", build(japanese),
      Expectation{"clean",
                  "",
                  {},
                  {"zip_valid", "zip_names_safe", "zip_entries_accounted",
                   "zip_contains=報告書.txt", "zip_contains=フォルダ/資料①.csv"}},
      "names in CP932 without the UTF-8 flag, as Japanese Windows writes them");

  RawArchive utf8;
  RawEntry flagged = text_entry("議事録.txt");
  flagged.flags = kUtf8Flag;
  utf8.entries.push_back(flagged);
  add(writer, "zip/benign/utf8-names.zip", build(utf8),
      Expectation{"clean", "", {}, {"zip_valid", "zip_names_safe", "zip_contains=議事録.txt"}},
      "UTF-8 names with the flag");

  add(writer, "zip/benign/empty.zip", build(RawArchive{}),
      Expectation{"clean", "", {}, {"zip_valid"}}, "an archive without entries");
}

void hostile_names(corpus::Writer& writer) {
  RawArchive hostile;
  hostile.entries.push_back(text_entry("good.txt"));
  hostile.entries.push_back(text_entry("../../evil.txt"));
  hostile.entries.push_back(text_entry("..\\..\\evil.txt"));
  hostile.entries.push_back(text_entry("C:\\Windows\\evil.txt"));
  hostile.entries.push_back(text_entry("/etc/evil.txt"));
  RawEntry link = text_entry("link.txt", "/etc/passwd");
  link.external_attributes = 0120777u << 16;
  hostile.entries.push_back(link);
  RawEntry device = text_entry("dev.txt", "");
  device.external_attributes = 0020666u << 16;
  hostile.entries.push_back(device);
  hostile.entries.push_back(text_entry("name.txt:stream"));
  hostile.entries.push_back(text_entry("a.txt"));
  hostile.entries.push_back(text_entry("A.TXT", "other\r\n"));
  hostile.entries.push_back(text_entry("trailing.txt."));
  hostile.entries.push_back(text_entry("space.txt "));
  hostile.entries.push_back(text_entry("CON.txt"));
  RawEntry rlo = text_entry(
      "invoice\xE2\x80\xAE"
      "fdp.txt");
  rlo.flags = kUtf8Flag;
  hostile.entries.push_back(rlo);
  RawEntry lying = text_entry("lying.txt", std::string(4096, 'x'));
  lying.declared_size = 10;
  hostile.entries.push_back(lying);
  add(writer, "zip/hostile/names.zip", build(hostile),
      sanitized(
          {"zip.path_traversal", "zip.absolute_path", "zip.symlink", "zip.device_entry",
           "zip.ntfs_stream", "zip.name_collision", "zip.unsafe_name", "zip.size_mismatch"},
          {"zip_contains=good.txt", "zip_contains=a.txt", "zip_contains=SANITIZE-NOTICE.txt"}),
      "traversal, absolute, drive letter, symlink, device, stream, case collision, trailing "
      "dot and space, device name, bidi override and a lying size, beside one good file");

  RawArchive duplicate;
  duplicate.entries.push_back(text_entry("World.txt", "first\r\n"));
  duplicate.entries.push_back(text_entry("World.txt", "second\r\n"));
  add(writer, "zip/hostile/duplicate.zip", build(duplicate), sanitized({"zip.duplicate_name"}),
      "two entries with the same name and different content");

  RawArchive normalization;
  RawEntry composed = text_entry("caf\xC3\xA9.txt");  // é as one code point
  composed.flags = kUtf8Flag;
  RawEntry decomposed = text_entry("cafe\xCC\x81.txt", "other\r\n");  // e + combining acute
  decomposed.flags = kUtf8Flag;
  normalization.entries = {composed, decomposed};
  add(writer, "zip/hostile/normalization.zip", build(normalization),
      sanitized({"zip.name_collision"}), "names equal after Unicode normalization");

  RawArchive backslash;
  backslash.entries.push_back(text_entry("folder\\file.txt"));
  add(writer, "zip/hostile/backslash.zip", build(backslash),
      Expectation{"sanitized",
                  "",
                  {"zip.name_rewritten"},
                  {"zip_valid", "zip_names_safe", "zip_contains=folder/file.txt"}},
      "'\\' used as the folder separator");
}

void hostile_structure(corpus::Writer& writer) {
  RawArchive mismatch;
  mismatch.entries.push_back(text_entry("good.txt"));
  RawEntry other = text_entry("shown.txt");
  other.local_name = "hidden.exe";
  mismatch.entries.push_back(other);
  RawEntry crc = text_entry("crc.txt");
  crc.local_crc = 0xDEADBEEF;
  mismatch.entries.push_back(crc);
  add(writer, "zip/hostile/header-mismatch.zip", build(mismatch),
      sanitized({"zip.header_mismatch"}),
      "local headers that name another file or carry another checksum");

  RawArchive bad_crc;
  bad_crc.entries.push_back(text_entry("good.txt"));
  RawEntry broken = text_entry("broken.txt", "some content\r\n");
  broken.crc = 0x12345678;
  bad_crc.entries.push_back(broken);
  add(writer, "zip/hostile/bad-crc.zip", build(bad_crc), sanitized({"zip.corrupt_entry"}),
      "an entry whose data does not match its CRC-32");

  RawArchive commented;
  commented.comment = "archive comment";
  RawEntry with_comment = text_entry("a.txt");
  with_comment.comment = "entry comment";
  commented.entries.push_back(with_comment);
  commented.prefix = "JUNK BEFORE THE FIRST ENTRY";
  // Content detection does not see a zip behind a prefix: unknown bytes, blocked.
  add(writer, "zip/hostile/comments-and-prefix.zip", build(commented), blocked("unknown_type"),
      "comments, and bytes hidden before the first entry (offsets adjusted to them)");
  add(writer, "zip/hostile/glued.zip", "GLUED IN FRONT" + build(archive_of({text_entry("a.txt")})),
      blocked("unknown_type"), "bytes glued in front of an archive: every offset is off");

  RawArchive appended;
  appended.entries.push_back(with_comment);
  appended.comment = "archive comment";
  appended.suffix = std::string(64, 'Z');
  add(writer, "zip/hostile/appended.zip", build(appended),
      sanitized({"zip.comment", "zip.hidden_data"}), "comments and bytes after the end record");

  RawArchive encrypted;
  RawEntry locked = text_entry("secret.txt");
  locked.flags = 0x0001;
  locked.deflate = false;
  encrypted.entries.push_back(locked);
  add(writer, "zip/hostile/encrypted.zip", build(encrypted), blocked("encrypted"),
      "every entry encrypted (PPAP): cannot be inspected");

  RawArchive partly;
  partly.entries.push_back(text_entry("open.txt"));
  partly.entries.push_back(locked);
  add(writer, "zip/hostile/partly-encrypted.zip", build(partly), sanitized({"zip.encrypted_entry"}),
      "one encrypted entry beside an open one");

  const std::string good = build(archive_of({text_entry("a.txt"), text_entry("b.txt")}));
  add(writer, "zip/hostile/truncated.zip", good.substr(0, good.size() - 30), blocked("corrupt"),
      "cut short: the end record is gone");
}

void forbidden_content(corpus::Writer& writer) {
  RawArchive scripts;
  scripts.entries.push_back(text_entry("letter.txt"));
  scripts.entries.push_back(
      text_entry("invoice.vbs", "CreateObject(\"WScript.Shell\").Run \"calc\"\r\n"));
  scripts.entries.push_back(
      text_entry("run.js", "new ActiveXObject('WScript.Shell').Run('calc');\r\n"));
  std::string elf =
      "\x7F"
      "ELF";
  elf.append(60, '\0');
  scripts.entries.push_back(text_entry("report.pdf", elf));
  add(writer, "zip/forbidden/scripts.zip", build(scripts),
      sanitized({"zip.entry_blocked"},
                {"zip_contains=letter.txt", "zip_contains=SANITIZE-NOTICE.txt"}),
      "a VBScript, a JScript and an ELF named .pdf beside a letter");

  RawArchive formula;
  formula.entries.push_back(text_entry("list.csv", "name,value\r\nx,=cmd|' /C calc'!A0\r\n"));
  add(writer, "zip/forbidden/formula-inside.zip", build(formula),
      sanitized({"csv.formula"}, {"zip_contains=list.csv"}), "a CSV formula inside a zip");

  const std::string inner = build(archive_of({text_entry("deep.vbs", "MsgBox 1\r\n")}));
  RawArchive nested;
  nested.entries.push_back(text_entry("top.txt"));
  nested.entries.push_back(text_entry("inner.zip", inner));
  add(writer, "zip/forbidden/nested-script.zip", build(nested), sanitized({"zip.entry_blocked"}),
      "a script two levels down");
}

void bombs(corpus::Writer& writer) {
  std::uint32_t crc = 0;
  constexpr std::uint64_t kGiB = 1024ull * 1024 * 1024;
  RawEntry zeros;
  zeros.name = "zeros.bin";
  zeros.compressed = zip::testing::deflate_zeros(kGiB, crc);
  zeros.crc = crc;
  zeros.declared_size = kGiB;
  add(writer, "zip/bomb/one-gib-of-zeros.zip", build(archive_of({zeros})), blocked("limit"),
      "one entry that inflates to 1 GiB of zeros");

  // 42.zip in miniature: 16 x 16 x 16 entries of 64 MiB zeros each (256 GiB in all).
  RawEntry block;
  block.compressed = zip::testing::deflate_zeros(64ull << 20, crc);
  block.crc = crc;
  block.declared_size = 64ull << 20;
  RawArchive level1;
  for (int i = 0; i < 16; ++i) {
    block.name = std::to_string(i) + ".bin";
    level1.entries.push_back(block);
  }
  std::string level = build(level1);
  for (int depth = 2; depth <= 3; ++depth) {
    RawArchive next;
    for (int i = 0; i < 16; ++i)
      next.entries.push_back(text_entry(std::to_string(i) + ".zip", level));
    level = build(next);
  }
  add(writer, "zip/bomb/nested-42.zip", level, blocked("limit"),
      "three levels of 16 archives each, 256 GiB when fully inflated");

  RawEntry overlapped;
  overlapped.name = "overlap.bin";
  overlapped.compressed = zip::testing::deflate_zeros(16ull << 20, crc);
  overlapped.crc = crc;
  overlapped.declared_size = 16ull << 20;
  add(writer, "zip/bomb/overlapping.zip", zip::testing::build_overlapping(overlapped, 2000),
      blocked("corrupt"), "2000 central entries sharing the bytes of one (overlapping-entry bomb)");

  RawArchive deep;
  std::string nest = build(archive_of({text_entry("bottom.txt")}));
  for (int i = 0; i < 12; ++i) nest = build(archive_of({text_entry("level.zip", nest)}));
  add(writer, "zip/bomb/too-deep.zip", nest, blocked("limit"), "13 levels of archives");
}

}  // namespace

void generate_zip_corpus(corpus::Writer& writer) {
  benign(writer);
  hostile_names(writer);
  hostile_structure(writer);
  forbidden_content(writer);
  bombs(writer);
}

}  // namespace sanitize::formats
