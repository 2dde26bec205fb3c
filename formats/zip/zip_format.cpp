// The ZIP module: every entry is checked, inflated under the budget, sent back through the
// engine, and the survivors are written into a fresh, deterministic archive.
#include "formats/zip/zip_format.hpp"

#include <map>
#include <set>

#include "formats/zip/central_directory.hpp"
#include "formats/zip/entry_names.hpp"
#include "formats/zip/zip_reader.hpp"
#include "formats/zip/zip_writer.hpp"

namespace sanitize::formats {
namespace {

using zip::DirectoryEntry;
using zip::DosTimestamp;

constexpr std::string_view kNoticeName = "SANITIZE-NOTICE.txt";

const std::vector<TypeSpec> kTypes{
    {"zip", "ZIP archive", {"zip"}},
};

const std::vector<FindingKindSpec> kKinds{
    {"zip.path_traversal", "entry whose path leaves the folder (../, ..\\, drive letter)",
     "展開先の外を指すパスのエントリ（../、..\\、ドライブ名）"},
    {"zip.absolute_path", "entry with an absolute path", "絶対パスのエントリ"},
    {"zip.symlink", "symbolic link or reparse point entry", "シンボリックリンクのエントリ"},
    {"zip.device_entry", "device, FIFO or socket entry", "デバイス等の特殊エントリ"},
    {"zip.ntfs_stream", "entry name with ':' (NTFS alternate data stream)",
     "「:」を含むエントリ名（NTFS 代替データストリーム）"},
    {"zip.unsafe_name",
     "unsafe entry name (trailing dot or space, device name, control or bidi character)",
     "危険なエントリ名（末尾のドット・空白、予約デバイス名、制御文字など）"},
    {"zip.duplicate_name", "second entry with the same name", "同じ名前の重複エントリ"},
    {"zip.name_collision", "entry name that collides with another ignoring case or normalization",
     "大文字・小文字や Unicode 正規化で他と衝突するエントリ名"},
    {"zip.header_mismatch", "entry whose local and central headers disagree",
     "ローカルヘッダと中央ディレクトリが食い違うエントリ"},
    {"zip.size_mismatch", "entry whose real size differs from its headers",
     "サイズを偽ったエントリ"},
    {"zip.corrupt_entry", "damaged entry (checksum, unknown compression)",
     "破損したエントリ（チェックサム不一致、未知の圧縮方式）"},
    {"zip.encrypted_entry", "encrypted entry (cannot be inspected)",
     "暗号化されたエントリ（検査できません）"},
    {"zip.entry_blocked", "entry blocked (forbidden type or content)",
     "ブロックしたエントリ（禁止された種類・内容）"},
    {"zip.comment", "archive or entry comment", "アーカイブ・エントリのコメント"},
    {"zip.hidden_data", "bytes outside every entry (prepended, appended or in between)",
     "どのエントリにも属さない隠しデータ"},
    {"zip.name_rewritten", "entry name rewritten ('\\' separators made '/')",
     "エントリ名の区切り文字「\\」を「/」に変更", ElementAction::remove, false, false},
};

const std::vector<OptionSpec> kOptions{
    {"compression_level", std::int64_t{6}, {}, "deflate level of the rebuilt archive, 0-12"},
    {"notice", true, {}, "add SANITIZE-NOTICE.txt listing the entries that were removed"},
};

const FindingKindSpec& kind_spec(std::string_view id) {
  for (const auto& kind : kKinds) {
    if (kind.id == id) return kind;
  }
  throw std::logic_error("undeclared zip finding kind");
}

struct KeptEntry {
  std::string name;
  bool directory = false;
  std::vector<std::uint8_t> data;
  DosTimestamp time;
};

struct DroppedEntry {
  std::string name;
  std::string kind;
  std::string detail;
};

class ZipRebuild {
 public:
  explicit ZipRebuild(Context& ctx) : ctx_(ctx) {}

  void run() {
    const auto input = ctx_.input();
    const zip::Directory directory = zip::read_directory(input);
    ctx_.charge_entries(directory.entries.size(), "archive");
    check_all_encrypted(directory);
    const zip::ArchiveReader reader(input);
    if (reader.entry_count() != directory.entries.size()) {
      throw Blocked(BlockReason::corrupt,
                    "zip: libzip and the central directory count differently");
    }
    for (std::size_t i = 0; i < directory.entries.size(); ++i) {
      ctx_.check_deadline();
      take_entry(reader, i, directory.entries[i]);
    }
    if (directory.has_archive_comment) ctx_.element("zip.comment", "archive", "archive comment");
    if (directory.unaccounted_bytes > 0) {
      ctx_.element("zip.hidden_data", "archive",
                   std::to_string(directory.unaccounted_bytes) + " bytes outside every entry");
    }
    write();
  }

 private:
  void check_all_encrypted(const zip::Directory& directory) {
    std::size_t files = 0;
    std::size_t encrypted = 0;
    for (const auto& entry : directory.entries) {
      if (entry.raw_name.empty() || entry.raw_name.back() != '/') {
        ++files;
        if (entry.encrypted()) ++encrypted;
      }
    }
    if (files > 0 && encrypted == files) {
      throw Blocked(BlockReason::encrypted, "encrypted archive, cannot be inspected");
    }
  }

  void drop(std::string_view kind, const std::string& name, const std::string& detail) {
    ctx_.element(kind, name, detail);
    dropped_.push_back(DroppedEntry{name, std::string(kind), detail});
  }

  // The output name for `name`, made unique when a renamed child would take another's.
  bool claim_name(const std::string& name) {
    std::string key = name;
    if (!key.empty() && key.back() == '/') key.pop_back();
    return taken_.insert(zip::collision_key(key)).second;
  }

  void take_entry(const zip::ArchiveReader& reader, std::size_t index,
                  const DirectoryEntry& entry) {
    const zip::DecodedName decoded = zip::decode_entry_name(entry);
    const std::string& name = decoded.utf8;
    if (!entry.local_mismatch.empty())
      return drop("zip.header_mismatch", name, entry.local_mismatch);
    if (auto why = reader.disagreement(index, entry); !why.empty()) {
      return drop("zip.header_mismatch", name, why);
    }
    if (entry.unicode_path && *entry.unicode_path != name) {
      return drop("zip.header_mismatch", name,
                  "its Unicode path field names " + zip::printable_name(*entry.unicode_path));
    }
    if (auto problem = zip::check_entry_type(entry))
      return drop(problem->kind, name, problem->detail);
    if (decoded.bad_encoding) {
      return drop("zip.unsafe_name", name, "flagged as UTF-8 but is not valid UTF-8");
    }
    if (auto problem = zip::check_entry_name(name))
      return drop(problem->kind, name, problem->detail);
    if (entry.encrypted())
      return drop("zip.encrypted_entry", name, "encrypted, cannot be inspected");

    const bool directory = name.back() == '/';
    if (exact_names_.contains(name)) {
      return drop("zip.duplicate_name", name, "an earlier entry has the same name");
    }
    if (!claim_name(name)) {
      return drop("zip.name_collision", name,
                  "collides with an earlier entry when case or Unicode form is ignored");
    }
    exact_names_.insert(name);

    KeptEntry kept;
    kept.directory = directory;
    kept.time = DosTimestamp::checked(entry.dos_time, entry.dos_date);
    if (directory) {
      if (entry.uncompressed_size > 0) return drop("zip.corrupt_entry", name, "a folder with data");
      kept.name = name;
    } else {
      std::vector<std::uint8_t> data;
      const zip::ReadOutcome outcome = reader.read(index, entry, ctx_, name, data);
      if (outcome.status == zip::ReadStatus::size_mismatch) {
        return drop("zip.size_mismatch", name, outcome.detail);
      }
      if (outcome.status != zip::ReadStatus::ok)
        return drop("zip.corrupt_entry", name, outcome.detail);
      ChildResult child = ctx_.sanitize_child(data, name);
      if (child.verdict == Verdict::blocked) {
        return drop("zip.entry_blocked", name,
                    std::string(to_string(child.block_reason)) + ": " + child.block_detail);
      }
      kept.name = child.output_name;
      if (kept.name != name && !claim_name(kept.name)) kept.name = unique_name(kept.name);
      kept.data = std::move(child.output);
    }
    if (entry.has_comment) ctx_.element("zip.comment", name, "entry comment");
    if (decoded.backslashes) {
      ctx_.add_finding({"zip.name_rewritten", name, Action::converted, "'\\' separators made '/'"});
    }
    kept_.push_back(std::move(kept));
  }

  std::string unique_name(const std::string& name) {
    const auto slash = name.rfind('/');
    const auto dot = name.rfind('.');
    const bool has_extension =
        dot != std::string::npos && (slash == std::string::npos || dot > slash);
    const std::string stem = has_extension ? name.substr(0, dot) : name;
    const std::string extension = has_extension ? name.substr(dot) : "";
    for (int n = 1;; ++n) {
      std::string candidate = stem + " (" + std::to_string(n) + ")" + extension;
      if (claim_name(candidate)) return candidate;
    }
  }

  std::string notice_text() const {
    std::string text = "\xEF\xBB\xBF";
    text += "無害化通知 / Sanitization notice\r\n\r\n";
    text += "このアーカイブから次のエントリを取り除きました。\r\n";
    text += "The following entries were removed from this archive.\r\n\r\n";
    for (const auto& dropped : dropped_) {
      const FindingKindSpec& spec = kind_spec(dropped.kind);
      text += "- " + dropped.name + "\r\n    " + spec.summary_ja + "\r\n    " + spec.summary_en +
              " (" + dropped.detail + ")\r\n";
    }
    return text;
  }

  void write() {
    zip::ZipWriter writer(ctx_.output(), static_cast<int>(ctx_.option_int("compression_level")));
    DosTimestamp latest;
    for (const auto& kept : kept_) {
      if (latest < kept.time) latest = kept.time;
      if (kept.directory) {
        writer.add_directory(kept.name, kept.time);
      } else {
        writer.add_file(kept.name, kept.data, kept.time);
      }
    }
    if (!dropped_.empty() && ctx_.option_bool("notice")) {
      std::string name(kNoticeName);
      if (!claim_name(name)) name = unique_name(name);
      const std::string text = notice_text();
      writer.add_file(
          name, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), latest);
    }
    writer.finish();
  }

  Context& ctx_;
  std::vector<KeptEntry> kept_;
  std::vector<DroppedEntry> dropped_;
  std::set<std::string> exact_names_;
  std::set<std::string> taken_;
};

class ZipFormat final : public Format {
 public:
  std::string_view name() const override { return "zip"; }
  std::span<const TypeSpec> types() const override { return kTypes; }
  std::span<const FindingKindSpec> finding_kinds() const override { return kKinds; }
  std::span<const OptionSpec> options() const override { return kOptions; }

  // Any zip container that no other module claims more specifically.
  std::optional<Claim> claim(const Probe& probe) const override {
    if (probe.family != Family::zip) return std::nullopt;
    return Claim{"zip", ClaimStrength::generic, {}};
  }

  void rebuild(const Claim&, Context& ctx) const override { ZipRebuild(ctx).run(); }
};

}  // namespace

const Format& zip_format() {
  static const ZipFormat format;
  return format;
}

}  // namespace sanitize::formats
