#include "formats/zip/central_directory.hpp"

#include <algorithm>

#include "sanitize/format.hpp"

namespace sanitize::formats::zip {
namespace {

constexpr std::uint32_t kLocalHeaderSignature = 0x04034b50;
constexpr std::uint32_t kCentralHeaderSignature = 0x02014b50;
constexpr std::uint32_t kEndSignature = 0x06054b50;
constexpr std::uint32_t kZip64EndSignature = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr std::uint32_t kDataDescriptorSignature = 0x08074b50;
constexpr std::size_t kEndRecordSize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kCentralHeaderSize = 46;
constexpr std::size_t kLocalHeaderSize = 30;
constexpr std::uint16_t kZip64ExtraId = 0x0001;
constexpr std::uint16_t kUnicodePathExtraId = 0x7075;

[[noreturn]] void corrupt(const std::string& why) {
  throw Blocked(BlockReason::corrupt, "zip: " + why);
}

// Little-endian reads with bounds checks; running off the end is corruption.
class Cursor {
 public:
  Cursor(std::span<const std::uint8_t> bytes, std::uint64_t offset, const char* what)
      : bytes_(bytes), offset_(offset), what_(what) {}

  std::uint16_t u16() { return static_cast<std::uint16_t>(read(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(read(4)); }
  std::uint64_t u64() { return read(8); }
  std::span<const std::uint8_t> take(std::uint64_t size) {
    need(size);
    const auto out = bytes_.subspan(offset_, size);
    offset_ += size;
    return out;
  }
  std::uint64_t offset() const { return offset_; }

 private:
  void need(std::uint64_t size) const {
    if (offset_ > bytes_.size() || size > bytes_.size() - offset_) {
      corrupt(std::string(what_) + " runs past the end of the file");
    }
  }
  std::uint64_t read(int size) {
    need(static_cast<std::uint64_t>(size));
    std::uint64_t value = 0;
    for (int i = size - 1; i >= 0; --i) value = (value << 8) | bytes_[offset_ + i];
    offset_ += static_cast<std::uint64_t>(size);
    return value;
  }

  std::span<const std::uint8_t> bytes_;
  std::uint64_t offset_;
  const char* what_;
};

std::string as_string(std::span<const std::uint8_t> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

struct EndRecord {
  std::uint64_t position = 0;  // of the classic end record
  std::uint64_t entries = 0;
  std::uint64_t directory_size = 0;
  std::uint64_t directory_offset = 0;
  std::uint64_t directory_end = 0;  // where the directory must end: the first end record
  std::uint64_t end = 0;            // end of the classic record and its comment
  bool has_comment = false;
};

EndRecord find_end_record(std::span<const std::uint8_t> archive) {
  if (archive.size() < kEndRecordSize) corrupt("too short for an end of central directory record");
  // The last record wins, as in most extractors; bytes after its comment are reported.
  const std::uint64_t lowest =
      archive.size() > kEndRecordSize + 0xFFFF ? archive.size() - kEndRecordSize - 0xFFFF : 0;
  std::optional<std::uint64_t> found;
  for (std::uint64_t pos = archive.size() - kEndRecordSize + 1; pos-- > lowest;) {
    if (Cursor(archive, pos, "end record").u32() == kEndSignature) {
      found = pos;
      break;
    }
  }
  if (!found) corrupt("no end of central directory record");
  EndRecord end;
  end.position = *found;
  Cursor cursor(archive, *found + 4, "end record");
  const std::uint16_t disk = cursor.u16();
  const std::uint16_t directory_disk = cursor.u16();
  const std::uint16_t entries_on_disk = cursor.u16();
  const std::uint16_t entries = cursor.u16();
  const std::uint32_t size = cursor.u32();
  const std::uint32_t offset = cursor.u32();
  const std::uint16_t comment_length = cursor.u16();
  cursor.take(comment_length);
  end.end = cursor.offset();
  end.has_comment = comment_length > 0;
  end.entries = entries;
  end.directory_size = size;
  end.directory_offset = offset;
  end.directory_end = end.position;

  const bool zip64 = entries == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF ||
                     (end.position >= kZip64LocatorSize &&
                      Cursor(archive, end.position - kZip64LocatorSize, "zip64 locator").u32() ==
                          kZip64LocatorSignature);
  if (zip64) {
    if (end.position < kZip64LocatorSize) corrupt("zip64 locator missing");
    Cursor locator(archive, end.position - kZip64LocatorSize, "zip64 locator");
    if (locator.u32() != kZip64LocatorSignature) corrupt("zip64 locator missing");
    const std::uint32_t locator_disk = locator.u32();
    const std::uint64_t record_offset = locator.u64();
    const std::uint32_t total_disks = locator.u32();
    if (locator_disk != 0 || total_disks > 1) corrupt("multi-disk archives are not supported");
    Cursor record(archive, record_offset, "zip64 end record");
    if (record.u32() != kZip64EndSignature) corrupt("zip64 end record missing");
    const std::uint64_t record_size = record.u64();
    record.u16();  // version made by
    record.u16();  // version needed
    const std::uint32_t disk64 = record.u32();
    const std::uint32_t directory_disk64 = record.u32();
    const std::uint64_t entries_on_disk64 = record.u64();
    end.entries = record.u64();
    end.directory_size = record.u64();
    end.directory_offset = record.u64();
    if (disk64 != 0 || directory_disk64 != 0 || entries_on_disk64 != end.entries) {
      corrupt("multi-disk archives are not supported");
    }
    if (record_size < 44 || record_offset + 12 + record_size != end.position - kZip64LocatorSize) {
      corrupt("zip64 end record and locator disagree");
    }
    end.directory_end = record_offset;
  } else if (disk != 0 || directory_disk != 0 || entries_on_disk != entries) {
    corrupt("multi-disk archives are not supported");
  }
  if (end.directory_offset > end.directory_end ||
      end.directory_size != end.directory_end - end.directory_offset) {
    corrupt("the central directory is not where the end record says");
  }
  return end;
}

// Reads the zip64 extended information extra field into the entry's wide fields.
void apply_zip64_extra(std::span<const std::uint8_t> extra, bool need_uncompressed,
                       bool need_compressed, bool need_offset, std::uint64_t& uncompressed,
                       std::uint64_t& compressed, std::uint64_t* offset) {
  Cursor cursor(extra, 0, "zip64 extra field");
  if (need_uncompressed) uncompressed = cursor.u64();
  if (need_compressed) compressed = cursor.u64();
  if (need_offset && offset != nullptr) *offset = cursor.u64();
}

struct ExtraFields {
  std::optional<std::span<const std::uint8_t>> zip64;
  std::optional<std::span<const std::uint8_t>> unicode_path;
};

ExtraFields parse_extra(std::span<const std::uint8_t> extra) {
  ExtraFields fields;
  Cursor cursor(extra, 0, "extra field");
  while (cursor.offset() + 4 <= extra.size()) {
    const std::uint16_t id = cursor.u16();
    const std::uint16_t size = cursor.u16();
    const auto data = cursor.take(size);
    if (id == kZip64ExtraId && !fields.zip64) fields.zip64 = data;
    if (id == kUnicodePathExtraId && !fields.unicode_path) fields.unicode_path = data;
  }
  return fields;
}

void read_local_header(std::span<const std::uint8_t> archive, DirectoryEntry& entry) {
  Cursor local(archive, entry.local_header_offset, "local header");
  if (local.u32() != kLocalHeaderSignature) corrupt("an entry points to no local header");
  local.u16();  // version needed
  const std::uint16_t flags = local.u16();
  const std::uint16_t method = local.u16();
  local.u16();  // time
  local.u16();  // date
  const std::uint32_t crc = local.u32();
  std::uint64_t compressed = local.u32();
  std::uint64_t uncompressed = local.u32();
  const std::uint16_t name_length = local.u16();
  const std::uint16_t extra_length = local.u16();
  const std::string name = as_string(local.take(name_length));
  const auto extra = local.take(extra_length);
  entry.data_offset = local.offset();
  if (entry.data_offset > archive.size() ||
      entry.compressed_size > archive.size() - entry.data_offset) {
    corrupt("entry data runs past the end of the file");
  }
  entry.span_end = entry.data_offset + entry.compressed_size;

  if (name != entry.raw_name) {
    entry.local_mismatch = "the local header names another file";
  } else if (method != entry.method) {
    entry.local_mismatch = "compression methods differ";
  } else if ((flags & 0x0809) != (entry.flags & 0x0809)) {
    entry.local_mismatch = "flags differ";
  }
  const bool descriptor = (entry.flags & 0x0008) != 0;
  if (!descriptor && entry.local_mismatch.empty()) {
    if (compressed == 0xFFFFFFFF || uncompressed == 0xFFFFFFFF) {
      const auto fields = parse_extra(extra);
      if (!fields.zip64) corrupt("zip64 sizes without a zip64 extra field");
      apply_zip64_extra(*fields.zip64, uncompressed == 0xFFFFFFFF, compressed == 0xFFFFFFFF, false,
                        uncompressed, compressed, nullptr);
    }
    if (crc != entry.crc32 || compressed != entry.compressed_size ||
        uncompressed != entry.uncompressed_size) {
      entry.local_mismatch = "sizes or checksum differ";
    }
  }
  if (descriptor) {
    // Optional signature, CRC, then 4- or 8-byte sizes; count the longest form that fits.
    std::uint64_t end = entry.span_end;
    if (end + 4 <= archive.size() &&
        Cursor(archive, end, "data descriptor").u32() == kDataDescriptorSignature) {
      end += 4;
    }
    const bool wide = entry.compressed_size >= 0xFFFFFFFF || entry.uncompressed_size >= 0xFFFFFFFF;
    entry.span_end = std::min<std::uint64_t>(end + (wide ? 20 : 12), archive.size());
  }
}

}  // namespace

Directory read_directory(std::span<const std::uint8_t> archive) {
  const EndRecord end = find_end_record(archive);
  Directory directory;
  directory.has_archive_comment = end.has_comment;
  // Each central header is at least 46 bytes: a count that cannot fit is a lie.
  if (end.entries > end.directory_size / kCentralHeaderSize + 1) {
    corrupt("the entry count does not fit in the central directory");
  }
  directory.entries.reserve(end.entries);
  Cursor cursor(archive, end.directory_offset, "central directory");
  while (cursor.offset() < end.directory_end) {
    DirectoryEntry entry;
    if (cursor.u32() != kCentralHeaderSignature) corrupt("bad central directory header");
    entry.version_made_by = cursor.u16();
    cursor.u16();  // version needed
    entry.flags = cursor.u16();
    entry.method = cursor.u16();
    entry.dos_time = cursor.u16();
    entry.dos_date = cursor.u16();
    entry.crc32 = cursor.u32();
    entry.compressed_size = cursor.u32();
    entry.uncompressed_size = cursor.u32();
    const std::uint16_t name_length = cursor.u16();
    const std::uint16_t extra_length = cursor.u16();
    const std::uint16_t comment_length = cursor.u16();
    const std::uint16_t disk = cursor.u16();
    cursor.u16();  // internal attributes
    entry.external_attributes = cursor.u32();
    entry.local_header_offset = cursor.u32();
    entry.raw_name = as_string(cursor.take(name_length));
    const auto extra = cursor.take(extra_length);
    cursor.take(comment_length);
    entry.has_comment = comment_length > 0;
    if (cursor.offset() > end.directory_end) corrupt("a central header crosses the end record");

    const auto fields = parse_extra(extra);
    const bool need_uncompressed = entry.uncompressed_size == 0xFFFFFFFF;
    const bool need_compressed = entry.compressed_size == 0xFFFFFFFF;
    const bool need_offset = entry.local_header_offset == 0xFFFFFFFF;
    if (need_uncompressed || need_compressed || need_offset || disk == 0xFFFF) {
      if (!fields.zip64) corrupt("zip64 values without a zip64 extra field");
      apply_zip64_extra(*fields.zip64, need_uncompressed, need_compressed, need_offset,
                        entry.uncompressed_size, entry.compressed_size, &entry.local_header_offset);
    } else if (disk != 0) {
      corrupt("multi-disk archives are not supported");
    }
    if (fields.unicode_path && fields.unicode_path->size() > 5) {
      entry.unicode_path = as_string(fields.unicode_path->subspan(5));
    }
    if (entry.local_header_offset >= end.directory_offset) {
      corrupt("an entry's local header lies inside or after the central directory");
    }
    read_local_header(archive, entry);
    if (entry.span_end > end.directory_offset)
      corrupt("entry data runs into the central directory");
    directory.entries.push_back(std::move(entry));
  }
  if (directory.entries.size() != end.entries) {
    corrupt("the end record counts " + std::to_string(end.entries) +
            " entries, the directory holds " + std::to_string(directory.entries.size()));
  }

  // Entries must not share bytes: overlap is how a few kilobytes inflate to terabytes.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  spans.reserve(directory.entries.size());
  for (const auto& entry : directory.entries) {
    spans.emplace_back(entry.local_header_offset, entry.span_end);
  }
  std::sort(spans.begin(), spans.end());
  std::uint64_t covered = 0;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (i > 0 && spans[i].first < spans[i - 1].second) {
      throw Blocked(BlockReason::corrupt,
                    "zip: entries overlap (an overlapping-entry bomb or a crafted archive)");
    }
    covered += spans[i].second - spans[i].first;
  }
  covered += end.end - end.directory_offset;
  directory.unaccounted_bytes = archive.size() - std::min<std::uint64_t>(covered, archive.size());
  return directory;
}

}  // namespace sanitize::formats::zip
