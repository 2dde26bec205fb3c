// Entry data through libzip, inflated under the shared budget: sizes are counted while
// inflating, never taken from the headers.
#pragma once

#include <zip.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "formats/zip/central_directory.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats::zip {

enum class ReadStatus { ok, size_mismatch, checksum_mismatch, unsupported_method, damaged };

struct ReadOutcome {
  ReadStatus status = ReadStatus::ok;
  std::string detail;
};

class ArchiveReader {
 public:
  // Throws Blocked(corrupt) when libzip cannot open the archive.
  explicit ArchiveReader(std::span<const std::uint8_t> archive);

  std::uint64_t entry_count() const;
  // Why libzip's view of entry `index` differs from our walk's; empty when it agrees.
  std::string disagreement(std::uint64_t index, const DirectoryEntry& entry) const;
  // Inflates entry `index` into `out`, charging the budget as bytes come out.
  ReadOutcome read(std::uint64_t index, const DirectoryEntry& entry, Context& ctx,
                   std::string_view location, std::vector<std::uint8_t>& out) const;

 private:
  struct ArchiveDiscard {
    void operator()(zip_t* archive) const { zip_discard(archive); }
  };
  std::unique_ptr<zip_t, ArchiveDiscard> archive_;
};

}  // namespace sanitize::formats::zip
