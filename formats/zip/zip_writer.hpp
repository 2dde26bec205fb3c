// A deterministic zip writer: entries in the order added, DOS times and attributes set
// explicitly on every entry, no extra fields unless zip64 needs them, UTF-8 names flagged.
// The same entries give the same bytes on any machine and in any time zone.
#pragma once

#include <libdeflate.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sanitize::formats::zip {

struct DosTimestamp {
  std::uint16_t time = 0;
  std::uint16_t date = (1 << 5) | 1;  // 1980-01-01 00:00:00, the earliest DOS date

  // The stored values when they form a real date and time, the default otherwise.
  static DosTimestamp checked(std::uint16_t time, std::uint16_t date);
  bool operator<(const DosTimestamp& other) const {
    return date != other.date ? date < other.date : time < other.time;
  }
};

enum class Compression { deflate, store };

class ZipWriter {
 public:
  // level: libdeflate compression level, 0 (store everything) to 12.
  ZipWriter(std::vector<std::uint8_t>& out, int level);

  void add_file(std::string_view name, std::span<const std::uint8_t> data, DosTimestamp time,
                Compression compression = Compression::deflate);
  void add_directory(std::string_view name, DosTimestamp time);
  // Writes the central directory and the end records. Nothing may be added afterwards.
  void finish();

 private:
  struct Written {
    std::string name;
    std::uint16_t method;
    DosTimestamp time;
    std::uint32_t crc32;
    std::uint64_t compressed_size;
    std::uint64_t uncompressed_size;
    std::uint64_t offset;
    std::uint32_t external_attributes;
  };
  struct CompressorFree {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
  };

  void add(std::string_view name, std::span<const std::uint8_t> data, DosTimestamp time,
           Compression compression, std::uint32_t external_attributes);

  std::vector<std::uint8_t>& out_;
  int level_;
  std::unique_ptr<libdeflate_compressor, CompressorFree> compressor_;
  std::vector<Written> entries_;
  bool finished_ = false;
};

}  // namespace sanitize::formats::zip
