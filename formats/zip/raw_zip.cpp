#include "formats/zip/raw_zip.hpp"

#include <zlib.h>

#include <stdexcept>

namespace sanitize::formats::zip::testing {
namespace {

void put16(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

struct Prepared {
  std::string stored;
  std::uint32_t crc;
  std::uint64_t size;
  std::uint16_t method;
};

Prepared prepare(const RawEntry& entry) {
  Prepared p;
  p.method = entry.deflate ? 8 : 0;
  p.stored = entry.compressed ? *entry.compressed
             : entry.deflate  ? deflate_raw(entry.data)
                              : entry.data;
  p.crc = entry.crc ? *entry.crc : crc32_of(entry.data);
  p.size = entry.declared_size ? *entry.declared_size : entry.data.size();
  return p;
}

void local_header(std::string& out, const RawEntry& entry, const Prepared& p) {
  const std::string& name = entry.local_name ? *entry.local_name : entry.name;
  put32(out, 0x04034b50);
  put16(out, 20);
  put16(out, entry.flags);
  put16(out, p.method);
  put16(out, entry.dos_time);
  put16(out, entry.dos_date);
  put32(out, entry.local_crc ? *entry.local_crc : p.crc);
  put32(out, static_cast<std::uint32_t>(p.stored.size()));
  put32(out, static_cast<std::uint32_t>(p.size));
  put16(out, static_cast<std::uint32_t>(name.size()));
  put16(out, 0);
  out += name;
}

void central_header(std::string& out, const RawEntry& entry, const Prepared& p,
                    std::uint32_t offset) {
  put32(out, 0x02014b50);
  put16(out, entry.version_made_by);
  put16(out, 20);
  put16(out, entry.flags);
  put16(out, p.method);
  put16(out, entry.dos_time);
  put16(out, entry.dos_date);
  put32(out, p.crc);
  put32(out, static_cast<std::uint32_t>(p.stored.size()));
  put32(out, static_cast<std::uint32_t>(p.size));
  put16(out, static_cast<std::uint32_t>(entry.name.size()));
  put16(out, static_cast<std::uint32_t>(entry.central_extra.size()));
  put16(out, static_cast<std::uint32_t>(entry.comment.size()));
  put16(out, 0);
  put16(out, 0);
  put32(out, entry.external_attributes);
  put32(out, offset);
  out += entry.name;
  out += entry.central_extra;
  out += entry.comment;
}

void end_record(std::string& out, std::size_t count, std::size_t directory_size,
                std::size_t directory_offset, const std::string& comment) {
  put32(out, 0x06054b50);
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(count));
  put16(out, static_cast<std::uint32_t>(count));
  put32(out, static_cast<std::uint32_t>(directory_size));
  put32(out, static_cast<std::uint32_t>(directory_offset));
  put16(out, static_cast<std::uint32_t>(comment.size()));
  out += comment;
}

}  // namespace

std::uint32_t crc32_of(const std::string& data) {
  return static_cast<std::uint32_t>(
      ::crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

std::string deflate_raw(const std::string& data) {
  z_stream stream{};
  if (deflateInit2(&stream, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  std::string out(deflateBound(&stream, data.size()), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate");
  return out;
}

std::string deflate_zeros(std::uint64_t size, std::uint32_t& crc) {
  z_stream stream{};
  if (deflateInit2(&stream, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2");
  }
  const std::string zeros(1 << 20, '\0');
  std::string chunk(1 << 16, '\0');
  std::string out;
  uLong running_crc = ::crc32(0, nullptr, 0);
  std::uint64_t left = size;
  int status = Z_OK;
  do {
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
    running_crc =
        ::crc32(running_crc, reinterpret_cast<const Bytef*>(zeros.data()), static_cast<uInt>(take));
    left -= take;
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    stream.avail_in = static_cast<uInt>(take);
    const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    do {
      stream.next_out = reinterpret_cast<Bytef*>(chunk.data());
      stream.avail_out = static_cast<uInt>(chunk.size());
      status = deflate(&stream, flush);
      out.append(chunk.data(), chunk.size() - stream.avail_out);
    } while (stream.avail_out == 0);
  } while (left > 0);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw std::runtime_error("deflate");
  crc = static_cast<std::uint32_t>(running_crc);
  return out;
}

RawArchive archive_of(std::vector<RawEntry> entries) {
  RawArchive archive;
  archive.entries = std::move(entries);
  return archive;
}

std::string build(const RawArchive& archive) {
  std::string out = archive.prefix;
  std::vector<Prepared> prepared;
  std::vector<std::uint32_t> offsets;
  for (const auto& entry : archive.entries) {
    prepared.push_back(prepare(entry));
    offsets.push_back(static_cast<std::uint32_t>(out.size()));
    local_header(out, entry, prepared.back());
    out += prepared.back().stored;
  }
  const std::size_t directory_offset = out.size();
  for (std::size_t i = 0; i < archive.entries.size(); ++i) {
    central_header(out, archive.entries[i], prepared[i], offsets[i]);
  }
  end_record(out, archive.entries.size(), out.size() - directory_offset, directory_offset,
             archive.comment);
  out += archive.suffix;
  return out;
}

std::string build_overlapping(const RawEntry& entry, int count) {
  std::string out;
  const Prepared p = prepare(entry);
  local_header(out, entry, p);
  out += p.stored;
  const std::size_t directory_offset = out.size();
  for (int i = 0; i < count; ++i) central_header(out, entry, p, 0);
  end_record(out, static_cast<std::size_t>(count), out.size() - directory_offset, directory_offset,
             "");
  return out;
}

}  // namespace sanitize::formats::zip::testing
