// META-INF/manifest.xml: read to learn media types, sub-documents and encryption; written
// afresh to list exactly the entries the rebuilt package holds.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace sanitize::formats::odf {

struct ManifestEntry {
  std::string media_type;
  std::string version;  // manifest:version, empty when absent
};

struct Manifest {
  std::string version;  // manifest:version of the root element
  std::map<std::string, ManifestEntry, std::less<>> entries;  // by full-path ("/" = root)
  std::vector<std::string> encrypted;  // paths carrying manifest:encryption-data
  bool had_doctype = false;
  unsigned processing_instructions = 0;
};

// Throws Blocked(corrupt) when the part is not well-formed or is not a manifest.
Manifest read_manifest(std::span<const std::uint8_t> bytes);

struct ListedEntry {
  std::string path;
  std::string media_type;
  std::string version;
};

// The root entry ("/") comes first, then `entries` in their order.
std::vector<std::uint8_t> write_manifest(const std::string& version, const ListedEntry& root,
                                         const std::vector<ListedEntry>& entries);

}  // namespace sanitize::formats::odf
