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

// An entry's data ready to be written: compressed (method 8) or as it is (method 0).
struct PreparedData {
  std::vector<std::uint8_t> stored;
  std::uint16_t method = 0;
  std::uint32_t crc32 = 0;
  std::uint64_t uncompressed_size = 0;
};

// Deflates entry data with libdeflate at one level, 0 (store everything) to 12.
class Deflater {
 public:
  explicit Deflater(int level);
  // The data compressed, or stored as it is when compressing does not make it smaller.
  PreparedData prepare(std::span<const std::uint8_t> data,
                       Compression compression = Compression::deflate) const;

 private:
  struct CompressorFree {
    void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
  };
  std::unique_ptr<libdeflate_compressor, CompressorFree> compressor_;
};

class ZipWriter {
 public:
  // level: libdeflate compression level, 0 (store everything) to 12.
  ZipWriter(std::vector<std::uint8_t>& out, int level);

  void add_file(std::string_view name, std::span<const std::uint8_t> data, DosTimestamp time,
                Compression compression = Compression::deflate);
  void add_directory(std::string_view name, DosTimestamp time);
  // Copies data compressed elsewhere as it is (method 0 or 8), with its CRC-32 and size.
  // The caller has inflated it once to prove that both are true.
  void add_precompressed(std::string_view name, std::span<const std::uint8_t> stored,
                         std::uint16_t method, std::uint32_t crc32, std::uint64_t uncompressed_size,
                         DosTimestamp time);
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
  void add(std::string_view name, std::span<const std::uint8_t> data, DosTimestamp time,
           Compression compression, std::uint32_t external_attributes);
  void write_entry(std::string_view name, std::span<const std::uint8_t> stored,
                   std::uint16_t method, std::uint32_t crc32, std::uint64_t uncompressed_size,
                   DosTimestamp time, std::uint32_t external_attributes);

  std::vector<std::uint8_t>& out_;
  Deflater deflater_;
  std::vector<Written> entries_;
  bool finished_ = false;
};

}  // namespace sanitize::formats::zip
