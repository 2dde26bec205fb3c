#include "formats/zip/zip_writer.hpp"

#include <algorithm>
#include <stdexcept>

#include "formats/common/charset.hpp"

namespace sanitize::formats::zip {
namespace {

constexpr std::uint32_t kMax32 = 0xFFFFFFFF;
constexpr std::uint16_t kMax16 = 0xFFFF;
constexpr std::uint16_t kVersionMadeBy = (3 << 8) | 45;  // Unix, spec 4.5
constexpr std::uint16_t kVersionDeflate = 20;
constexpr std::uint16_t kVersionZip64 = 45;
constexpr std::uint16_t kUtf8Flag = 0x0800;
constexpr std::uint32_t kFileAttributes = 0100644u << 16;
constexpr std::uint32_t kDirectoryAttributes = (040755u << 16) | 0x10;

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v));
  put16(out, static_cast<std::uint16_t>(v >> 16));
}
void put64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  put32(out, static_cast<std::uint32_t>(v));
  put32(out, static_cast<std::uint32_t>(v >> 32));
}
void put_bytes(std::vector<std::uint8_t>& out, std::string_view bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
}
std::uint32_t narrow(std::uint64_t v) {
  return v >= kMax32 ? kMax32 : static_cast<std::uint32_t>(v);
}

}  // namespace

DosTimestamp DosTimestamp::checked(std::uint16_t time, std::uint16_t date) {
  const unsigned day = date & 0x1F;
  const unsigned month = (date >> 5) & 0x0F;
  const unsigned second2 = time & 0x1F;
  const unsigned minute = (time >> 5) & 0x3F;
  const unsigned hour = time >> 11;
  if (day == 0 || month == 0 || month > 12 || second2 > 29 || minute > 59 || hour > 23) {
    return DosTimestamp{};
  }
  return DosTimestamp{time, date};
}

Deflater::Deflater(int level) {
  level = std::clamp(level, 0, 12);
  if (level > 0) {
    compressor_.reset(libdeflate_alloc_compressor(level));
    if (!compressor_) throw std::bad_alloc();
  }
}

PreparedData Deflater::prepare(std::span<const std::uint8_t> data, Compression compression) const {
  PreparedData prepared;
  prepared.crc32 = static_cast<std::uint32_t>(libdeflate_crc32(0, data.data(), data.size()));
  prepared.uncompressed_size = data.size();
  if (compression == Compression::deflate && compressor_ && !data.empty()) {
    prepared.stored.resize(libdeflate_deflate_compress_bound(compressor_.get(), data.size()));
    const std::size_t size =
        libdeflate_deflate_compress(compressor_.get(), data.data(), data.size(),
                                    prepared.stored.data(), prepared.stored.size());
    if (size > 0 && size < data.size()) {
      prepared.stored.resize(size);
      prepared.stored.shrink_to_fit();
      prepared.method = 8;
      return prepared;
    }
  }
  prepared.stored.assign(data.begin(), data.end());
  return prepared;
}

ZipWriter::ZipWriter(std::vector<std::uint8_t>& out, int level) : out_(out), deflater_(level) {}

void ZipWriter::add_file(std::string_view name, std::span<const std::uint8_t> data,
                         DosTimestamp time, Compression compression) {
  add(name, data, time, compression, kFileAttributes);
}

void ZipWriter::add_directory(std::string_view name, DosTimestamp time) {
  std::string directory(name);
  if (directory.empty() || directory.back() != '/') directory.push_back('/');
  add(directory, {}, time, Compression::store, kDirectoryAttributes);
}

void ZipWriter::add_precompressed(std::string_view name, std::span<const std::uint8_t> stored,
                                  std::uint16_t method, std::uint32_t crc32,
                                  std::uint64_t uncompressed_size, DosTimestamp time) {
  if (method != 0 && method != 8) throw std::invalid_argument("zip method must be 0 or 8");
  write_entry(name, stored, method, crc32, uncompressed_size, time, kFileAttributes);
}

void ZipWriter::add(std::string_view name, std::span<const std::uint8_t> data, DosTimestamp time,
                    Compression compression, std::uint32_t external_attributes) {
  const PreparedData prepared = deflater_.prepare(data, compression);
  write_entry(name, prepared.stored, prepared.method, prepared.crc32, prepared.uncompressed_size,
              time, external_attributes);
}

void ZipWriter::write_entry(std::string_view name, std::span<const std::uint8_t> stored,
                            std::uint16_t method, std::uint32_t crc32,
                            std::uint64_t uncompressed_size, DosTimestamp time,
                            std::uint32_t external_attributes) {
  if (finished_) throw std::logic_error("zip writer already finished");
  if (name.size() > kMax16) throw std::invalid_argument("zip entry name too long");
  Written entry{
      std::string(name),  method, time, crc32, stored.size(), uncompressed_size, out_.size(),
      external_attributes};
  const bool zip64 = entry.uncompressed_size >= kMax32 || entry.compressed_size >= kMax32;
  put32(out_, 0x04034b50);
  put16(out_, zip64 ? kVersionZip64 : kVersionDeflate);
  put16(out_, is_ascii(name) ? 0 : kUtf8Flag);
  put16(out_, method);
  put16(out_, time.time);
  put16(out_, time.date);
  put32(out_, crc32);
  put32(out_, zip64 ? kMax32 : narrow(entry.compressed_size));
  put32(out_, zip64 ? kMax32 : narrow(entry.uncompressed_size));
  put16(out_, static_cast<std::uint16_t>(name.size()));
  put16(out_, zip64 ? 20 : 0);
  put_bytes(out_, name);
  if (zip64) {
    put16(out_, 0x0001);
    put16(out_, 16);
    put64(out_, entry.uncompressed_size);
    put64(out_, entry.compressed_size);
  }
  out_.insert(out_.end(), stored.begin(), stored.end());
  entries_.push_back(std::move(entry));
}

void ZipWriter::finish() {
  if (finished_) return;
  finished_ = true;
  const std::uint64_t directory_offset = out_.size();
  for (const auto& e : entries_) {
    const bool wide_sizes = e.uncompressed_size >= kMax32 || e.compressed_size >= kMax32;
    const bool wide_offset = e.offset >= kMax32;
    const std::uint16_t extra = (wide_sizes ? 16 : 0) + (wide_offset ? 8 : 0);
    put32(out_, 0x02014b50);
    put16(out_, kVersionMadeBy);
    put16(out_, extra > 0 ? kVersionZip64 : kVersionDeflate);
    put16(out_, is_ascii(e.name) ? 0 : kUtf8Flag);
    put16(out_, e.method);
    put16(out_, e.time.time);
    put16(out_, e.time.date);
    put32(out_, e.crc32);
    put32(out_, wide_sizes ? kMax32 : narrow(e.compressed_size));
    put32(out_, wide_sizes ? kMax32 : narrow(e.uncompressed_size));
    put16(out_, static_cast<std::uint16_t>(e.name.size()));
    put16(out_, extra > 0 ? static_cast<std::uint16_t>(extra + 4) : 0);
    put16(out_, 0);  // comment
    put16(out_, 0);  // disk
    put16(out_, 0);  // internal attributes
    put32(out_, e.external_attributes);
    put32(out_, narrow(e.offset));
    put_bytes(out_, e.name);
    if (extra > 0) {
      put16(out_, 0x0001);
      put16(out_, extra);
      if (wide_sizes) {
        put64(out_, e.uncompressed_size);
        put64(out_, e.compressed_size);
      }
      if (wide_offset) put64(out_, e.offset);
    }
  }
  const std::uint64_t directory_size = out_.size() - directory_offset;
  const std::uint64_t count = entries_.size();
  const bool zip64 = count >= kMax16 || directory_offset >= kMax32 || directory_size >= kMax32;
  if (zip64) {
    const std::uint64_t record_offset = out_.size();
    put32(out_, 0x06064b50);
    put64(out_, 44);
    put16(out_, kVersionMadeBy);
    put16(out_, kVersionZip64);
    put32(out_, 0);
    put32(out_, 0);
    put64(out_, count);
    put64(out_, count);
    put64(out_, directory_size);
    put64(out_, directory_offset);
    put32(out_, 0x07064b50);
    put32(out_, 0);
    put64(out_, record_offset);
    put32(out_, 1);
  }
  put32(out_, 0x06054b50);
  put16(out_, 0);
  put16(out_, 0);
  put16(out_, zip64 ? kMax16 : static_cast<std::uint16_t>(count));
  put16(out_, zip64 ? kMax16 : static_cast<std::uint16_t>(count));
  put32(out_, zip64 ? kMax32 : narrow(directory_size));
  put32(out_, zip64 ? kMax32 : narrow(directory_offset));
  put16(out_, 0);
}

}  // namespace sanitize::formats::zip
