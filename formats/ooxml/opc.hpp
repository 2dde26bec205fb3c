// The Open Packaging Conventions layer of an OOXML file: the parts of the zip package,
// [Content_Types].xml, relationship parts and how their targets resolve to part names.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "formats/zip/central_directory.hpp"
#include "formats/zip/zip_reader.hpp"
#include "sanitize/format.hpp"

namespace sanitize::formats::ooxml {

inline constexpr std::string_view kContentTypesName = "[Content_Types].xml";
inline constexpr std::string_view kRootRelsName = "_rels/.rels";

// Part names compare without regard to case (OPC), and the way Windows compares them.
std::string part_key(std::string_view part_name);

// "word/document.xml" -> "word/_rels/document.xml.rels"; "" (the package) -> "_rels/.rels".
std::string rels_name_of(std::string_view source_part);
// Whether `name` is a relationship part, and of which source ("" for the package).
std::optional<std::string> source_of_rels(std::string_view name);

std::string_view extension_of(std::string_view part_name);  // lower case is not implied

class ContentTypes {
 public:
  void add_default(std::string_view extension, std::string_view content_type);
  void add_override(std::string_view part_name, std::string_view content_type);
  // The part's content type: its Override, else the Default of its extension; "" if none.
  std::string_view of(std::string_view part_name) const;

 private:
  std::map<std::string, std::string, std::less<>> defaults_;   // lower-case extension
  std::map<std::string, std::string, std::less<>> overrides_;  // part_key
};

struct Relationship {
  std::string id;
  std::string type;
  std::string target;
  bool external = false;
};

// What an XML part of the package structure held that does not survive a rebuild.
struct XmlOddities {
  bool doctype = false;
  unsigned processing_instructions = 0;
};

// Both throw Blocked(corrupt) naming `location` when the XML is not what OPC says.
ContentTypes parse_content_types(std::span<const std::uint8_t> bytes, std::string_view location,
                                 XmlOddities* oddities = nullptr);
std::vector<Relationship> parse_relationships(std::span<const std::uint8_t> bytes,
                                              std::string_view location,
                                              XmlOddities* oddities = nullptr);

// The part name an internal relationship of `source` points at: the target resolved against
// the source's folder, percent-escapes decoded, '\' read as '/'. nullopt when it leaves the
// package or names nothing.
std::optional<std::string> resolve_target(std::string_view source, std::string_view target);

// The bytes of a small entry without a budget, for detection: nullopt when it is larger
// than `cap`, damaged, or stored with a method other than store and deflate.
std::optional<std::vector<std::uint8_t>> read_small_entry(std::span<const std::uint8_t> archive,
                                                          const zip::DirectoryEntry& entry,
                                                          std::size_t cap);

struct InputPart {
  std::string name;  // as UTF-8, without the leading '/'
  std::size_t entry = 0;
};

// The input package: every entry checked once, named, and read on demand under the budget.
class InputPackage {
 public:
  // Reports entries that cannot be parts (through `bad_name` with the entry name and why)
  // and blocks what OPC and our zip rules cannot accept: encrypted entries, headers that
  // disagree, two parts whose names differ only in case.
  InputPackage(Context& ctx,
               const std::function<void(const std::string&, const std::string&)>& bad_name);

  const std::vector<InputPart>& parts() const { return parts_; }
  const InputPart* find(std::string_view part_name) const;
  const zip::Directory& directory() const { return directory_; }
  const zip::DirectoryEntry& entry(const InputPart& part) const {
    return directory_.entries.at(part.entry);
  }
  // The entry's data as stored (compressed), for copying verified binary parts.
  std::span<const std::uint8_t> stored_bytes(const InputPart& part) const;
  // Inflates the part under the budget; Blocked(corrupt) when it is damaged.
  std::vector<std::uint8_t> read(const InputPart& part) const;

 private:
  Context& ctx_;
  zip::Directory directory_;
  zip::ArchiveReader reader_;
  std::vector<InputPart> parts_;
  std::map<std::string, std::size_t, std::less<>> by_key_;
};

}  // namespace sanitize::formats::ooxml
