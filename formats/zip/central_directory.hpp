// Our own walk of a zip archive's structure: the end record, the central directory and
// every local header. libzip reads the data, but it does not expose entry offsets, so the
// checks that need them (local/central agreement, overlapping entries, hidden bytes) are
// made here, before a single byte is inflated.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sanitize::formats::zip {

struct DirectoryEntry {
  std::string raw_name;  // bytes as stored in the central directory
  std::uint16_t version_made_by = 0;
  std::uint16_t flags = 0;
  std::uint16_t method = 0;
  std::uint16_t dos_time = 0;
  std::uint16_t dos_date = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint32_t external_attributes = 0;
  std::uint64_t local_header_offset = 0;
  std::uint64_t data_offset = 0;  // first byte of the entry's data
  std::uint64_t span_end = 0;     // end of data (and data descriptor)
  bool has_comment = false;
  // The Info-ZIP Unicode Path extra field (0x7075), which some extractors prefer.
  std::optional<std::string> unicode_path;
  // Why the local header does not agree with the central one; empty when it does.
  std::string local_mismatch;

  bool encrypted() const { return (flags & 0x0001) != 0 || method == 99; }
  bool utf8_flag() const { return (flags & 0x0800) != 0; }
  std::uint8_t host_system() const { return static_cast<std::uint8_t>(version_made_by >> 8); }
};

struct Directory {
  std::vector<DirectoryEntry> entries;
  bool has_archive_comment = false;
  std::uint64_t unaccounted_bytes = 0;  // bytes no entry, directory or end record covers
};

// Throws sanitize::Blocked(corrupt) when the structure cannot be trusted: no end record,
// a directory outside the file, a count that disagrees, multi-disk archives, or entries
// whose bytes overlap (the overlapping-entry bomb).
Directory read_directory(std::span<const std::uint8_t> archive);

}  // namespace sanitize::formats::zip
