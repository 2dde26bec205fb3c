// Test-only: writes zip archives byte by byte, including the lies and malformations that
// real writers refuse to produce, for the corpus generator, the unit tests and fuzz seeds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sanitize::formats::zip::testing {

struct RawEntry {
  std::string name;  // raw bytes as stored
  std::string data;  // uncompressed content
  bool deflate = true;
  std::uint16_t flags = 0;
  std::uint16_t version_made_by = (3 << 8) | 20;  // Unix
  std::uint32_t external_attributes = 0100644u << 16;
  std::uint16_t dos_time = (12 << 11) | (30 << 5);               // 12:30:00
  std::uint16_t dos_date = ((2024 - 1980) << 9) | (4 << 5) | 1;  // 2024-04-01
  std::string comment;
  std::string central_extra;  // raw extra field bytes of the central header

  // Lies and malformations.
  std::optional<std::uint64_t> declared_size;  // uncompressed size written in both headers
  std::optional<std::string> local_name;       // the local header names another file
  std::optional<std::uint32_t> local_crc;      // the local header carries another CRC
  std::optional<std::string> compressed;       // use these bytes as the stored data as is
  std::optional<std::uint32_t> crc;            // CRC written in both headers
};

struct RawArchive {
  std::vector<RawEntry> entries;
  std::string comment;
  std::string prefix;  // bytes before the first entry
  std::string suffix;  // bytes after the end record
};

RawArchive archive_of(std::vector<RawEntry> entries);
std::string build(const RawArchive& archive);

// One local entry, then `count` central entries that all point at it: the bytes of every
// entry overlap.
std::string build_overlapping(const RawEntry& entry, int count);

// Raw deflate of `data`.
std::string deflate_raw(const std::string& data);
// Raw deflate of `size` zero bytes, streamed (bombs), and their CRC-32.
std::string deflate_zeros(std::uint64_t size, std::uint32_t& crc);

std::uint32_t crc32_of(const std::string& data);

}  // namespace sanitize::formats::zip::testing
