#include "formats/zip/zip_reader.hpp"

#include <algorithm>

namespace sanitize::formats::zip {
namespace {

constexpr std::size_t kChunkBytes = 256 * 1024;
constexpr std::size_t kMaxReserveBytes = 64 * 1024 * 1024;

struct SourceFree {
  void operator()(zip_source_t* source) const { zip_source_free(source); }
};
struct FileClose {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

std::string error_text(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

}  // namespace

ArchiveReader::ArchiveReader(std::span<const std::uint8_t> archive) {
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, SourceFree> source(
      zip_source_buffer_create(archive.data(), archive.size(), 0, &error));
  if (!source) {
    zip_error_fini(&error);
    throw std::bad_alloc();
  }
  archive_.reset(zip_open_from_source(source.get(), ZIP_RDONLY, &error));
  if (!archive_) {
    const std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Blocked(BlockReason::corrupt, "zip: libzip cannot open the archive: " + text);
  }
  source.release();  // owned by the archive now
  zip_error_fini(&error);
}

std::uint64_t ArchiveReader::entry_count() const {
  return static_cast<std::uint64_t>(zip_get_num_entries(archive_.get(), 0));
}

std::string ArchiveReader::disagreement(std::uint64_t index, const DirectoryEntry& entry) const {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(archive_.get(), index, ZIP_FL_ENC_RAW, &stat) != 0) {
    return "libzip cannot read the entry";
  }
  if (stat.name == nullptr || entry.raw_name != stat.name) return "libzip reads another name";
  if (stat.size != entry.uncompressed_size || stat.comp_size != entry.compressed_size ||
      stat.crc != entry.crc32 || stat.comp_method != entry.method) {
    return "libzip reads other sizes, checksum or method";
  }
  return {};
}

ReadOutcome ArchiveReader::read(std::uint64_t index, const DirectoryEntry& entry, Context& ctx,
                                std::string_view location, std::vector<std::uint8_t>& out) const {
  out.clear();
  // A declared ratio beyond the limit is a bomb before a byte is inflated; a smaller
  // declaration cannot hide one, since inflating past it is a size mismatch.
  ctx.check_ratio(entry.uncompressed_size, entry.compressed_size, location);
  std::unique_ptr<zip_file_t, FileClose> file(zip_fopen_index(archive_.get(), index, 0));
  if (!file) {
    const int code = zip_error_code_zip(zip_get_error(archive_.get()));
    if (code == ZIP_ER_COMPNOTSUPP) {
      return {ReadStatus::unsupported_method,
              "compression method " + std::to_string(entry.method) + " is not supported"};
    }
    return {ReadStatus::damaged, error_text(code)};
  }
  out.reserve(
      static_cast<std::size_t>(std::min<std::uint64_t>(entry.uncompressed_size, kMaxReserveBytes)));
  std::vector<std::uint8_t> chunk(kChunkBytes);
  std::uint64_t produced = 0;
  while (true) {
    const zip_int64_t got = zip_fread(file.get(), chunk.data(), chunk.size());
    if (got < 0) {
      const int code = zip_error_code_zip(zip_file_get_error(file.get()));
      if (code == ZIP_ER_CRC) return {ReadStatus::checksum_mismatch, "CRC-32 does not match"};
      return {ReadStatus::damaged, error_text(code)};
    }
    if (got == 0) break;
    produced += static_cast<std::uint64_t>(got);
    ctx.charge_expanded(static_cast<std::uint64_t>(got), location);
    ctx.check_ratio(produced, entry.compressed_size, location);
    if (produced > entry.uncompressed_size) {
      return {ReadStatus::size_mismatch, "inflates to more than the " +
                                             std::to_string(entry.uncompressed_size) +
                                             " bytes its headers declare"};
    }
    out.insert(out.end(), chunk.begin(), chunk.begin() + got);
    ctx.check_deadline();
  }
  if (produced != entry.uncompressed_size) {
    return {ReadStatus::size_mismatch, "inflates to " + std::to_string(produced) +
                                           " bytes, its headers declare " +
                                           std::to_string(entry.uncompressed_size)};
  }
  return {};
}

}  // namespace sanitize::formats::zip
