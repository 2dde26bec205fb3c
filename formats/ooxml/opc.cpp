#include "formats/ooxml/opc.hpp"
#include "formats/common/charset.hpp"

#include <libdeflate.h>

#include <memory>

#include "formats/common/xml_part.hpp"
#include "formats/ooxml/namespaces.hpp"
#include "formats/zip/entry_names.hpp"

namespace sanitize::formats::ooxml {
namespace {

bool has_scheme(std::string_view target) {
  const auto colon = target.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = target[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!letter && !(i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
      return false;
    }
  }
  return true;
}

const pugi::xml_node root_named(const xml::Part& part, std::string_view uri, std::string_view local,
                                std::string_view location) {
  const pugi::xml_node root = part.document.document_element();
  if (xml::element_name(root) != xml::ExpandedName{uri, local}) {
    throw Blocked(BlockReason::corrupt,
                  std::string(location) + ": the root element is not " + std::string(local));
  }
  return root;
}

void note_oddities(const xml::Part& part, XmlOddities* oddities) {
  if (oddities == nullptr) return;
  oddities->doctype = part.had_doctype;
  oddities->processing_instructions = part.processing_instructions;
}

}  // namespace

std::string part_key(std::string_view part_name) {
  return zip::collision_key(part_name);
}

std::string rels_name_of(std::string_view source_part) {
  if (source_part.empty()) return std::string(kRootRelsName);
  const auto slash = source_part.rfind('/');
  const std::string_view folder =
      slash == std::string_view::npos ? std::string_view{} : source_part.substr(0, slash + 1);
  const std::string_view file =
      slash == std::string_view::npos ? source_part : source_part.substr(slash + 1);
  return std::string(folder) + "_rels/" + std::string(file) + ".rels";
}

std::optional<std::string> source_of_rels(std::string_view name) {
  const std::string lowered = ascii_lower(name);
  if (lowered == "_rels/.rels") return std::string();
  if (!lowered.ends_with(".rels")) return std::nullopt;
  const auto marker = lowered.rfind("_rels/");
  if (marker == std::string::npos || (marker > 0 && lowered[marker - 1] != '/')) {
    return std::nullopt;
  }
  const std::string_view file = name.substr(marker + 6, name.size() - marker - 6 - 5);
  if (file.empty() || file.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(name.substr(0, marker)) + std::string(file);
}

std::string_view extension_of(std::string_view part_name) {
  const auto slash = part_name.rfind('/');
  const auto dot = part_name.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return part_name.substr(dot + 1);
}

void ContentTypes::add_default(std::string_view extension, std::string_view content_type) {
  defaults_.emplace(ascii_lower(extension), std::string(content_type));
}

void ContentTypes::add_override(std::string_view part_name, std::string_view content_type) {
  if (!part_name.empty() && part_name.front() == '/') part_name.remove_prefix(1);
  overrides_.emplace(part_key(part_name), std::string(content_type));
}

std::string_view ContentTypes::of(std::string_view part_name) const {
  if (const auto it = overrides_.find(part_key(part_name)); it != overrides_.end()) {
    return it->second;
  }
  if (const auto it = defaults_.find(ascii_lower(extension_of(part_name))); it != defaults_.end()) {
    return it->second;
  }
  return {};
}

ContentTypes parse_content_types(std::span<const std::uint8_t> bytes, std::string_view location,
                                 XmlOddities* oddities) {
  const auto part = xml::parse(bytes, location);
  note_oddities(*part, oddities);
  const pugi::xml_node root = root_named(*part, ns::content_types, "Types", location);
  ContentTypes types;
  for (pugi::xml_node child = root.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    const xml::ExpandedName name = xml::element_name(child);
    if (name.uri != ns::content_types) continue;
    const std::string_view content_type = child.attribute("ContentType").value();
    if (name.local == "Default") {
      types.add_default(child.attribute("Extension").value(), content_type);
    } else if (name.local == "Override") {
      types.add_override(child.attribute("PartName").value(), content_type);
    }
  }
  return types;
}

std::vector<Relationship> parse_relationships(std::span<const std::uint8_t> bytes,
                                              std::string_view location, XmlOddities* oddities) {
  const auto part = xml::parse(bytes, location);
  note_oddities(*part, oddities);
  const pugi::xml_node root =
      root_named(*part, ns::package_relationships, "Relationships", location);
  std::vector<Relationship> relationships;
  for (pugi::xml_node child = root.first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element ||
        xml::element_name(child) != xml::ExpandedName{ns::package_relationships, "Relationship"}) {
      continue;
    }
    Relationship relationship;
    relationship.id = child.attribute("Id").value();
    relationship.type = child.attribute("Type").value();
    relationship.target = child.attribute("Target").value();
    relationship.external = std::string_view(child.attribute("TargetMode").value()) == "External";
    for (const auto& earlier : relationships) {
      if (!relationship.id.empty() && earlier.id == relationship.id) {
        throw Blocked(BlockReason::corrupt,
                      std::string(location) + ": two relationships have the Id " + earlier.id);
      }
    }
    relationships.push_back(std::move(relationship));
  }
  return relationships;
}

std::optional<std::string> resolve_target(std::string_view source, std::string_view target) {
  if (const auto cut = target.find_first_of("#?"); cut != std::string_view::npos) {
    target = target.substr(0, cut);
  }
  if (target.empty() || has_scheme(target)) return std::nullopt;
  std::string path = percent_decoded(target);
  for (char& c : path) {
    if (c == '\\') c = '/';
  }
  std::string joined;
  if (path.front() == '/') {
    joined = path.substr(1);
  } else {
    const auto slash = source.rfind('/');
    if (slash != std::string_view::npos) joined = std::string(source.substr(0, slash + 1));
    joined += path;
  }
  std::vector<std::string_view> segments;
  std::string_view rest = joined;
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment == "..") {
      if (segments.empty()) return std::nullopt;
      segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (segments.empty()) return std::nullopt;
  std::string resolved;
  for (const auto segment : segments) {
    if (!resolved.empty()) resolved.push_back('/');
    resolved += segment;
  }
  return resolved;
}

std::optional<std::vector<std::uint8_t>> read_small_entry(std::span<const std::uint8_t> archive,
                                                          const zip::DirectoryEntry& entry,
                                                          std::size_t cap) {
  if (entry.encrypted() || entry.uncompressed_size > cap ||
      entry.data_offset + entry.compressed_size > archive.size()) {
    return std::nullopt;
  }
  const auto stored = archive.subspan(entry.data_offset, entry.compressed_size);
  std::vector<std::uint8_t> data(static_cast<std::size_t>(entry.uncompressed_size));
  if (entry.method == 0) {
    if (stored.size() != data.size()) return std::nullopt;
    std::copy(stored.begin(), stored.end(), data.begin());
  } else if (entry.method == 8) {
    struct DecompressorFree {
      void operator()(libdeflate_decompressor* d) const { libdeflate_free_decompressor(d); }
    };
    std::unique_ptr<libdeflate_decompressor, DecompressorFree> decompressor(
        libdeflate_alloc_decompressor());
    if (!decompressor) throw std::bad_alloc();
    std::size_t produced = 0;
    if (libdeflate_deflate_decompress(decompressor.get(), stored.data(), stored.size(), data.data(),
                                      data.size(), &produced) != LIBDEFLATE_SUCCESS ||
        produced != data.size()) {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  if (libdeflate_crc32(0, data.data(), data.size()) != entry.crc32) return std::nullopt;
  return data;
}

InputPackage::InputPackage(
    Context& ctx, const std::function<void(const std::string&, const std::string&)>& bad_name)
    : ctx_(ctx), directory_(zip::read_directory(ctx.input())), reader_(ctx.input()) {
  ctx.charge_entries(directory_.entries.size(), "package");
  if (reader_.entry_count() != directory_.entries.size()) {
    throw Blocked(BlockReason::corrupt, "zip: libzip and the central directory count differently");
  }
  for (std::size_t index = 0; index < directory_.entries.size(); ++index) {
    const zip::DirectoryEntry& entry = directory_.entries[index];
    const zip::DecodedName decoded = zip::decode_entry_name(entry);
    const std::string& name = decoded.utf8;
    if (!name.empty() && name.back() == '/' && entry.uncompressed_size == 0) continue;
    if (entry.encrypted()) {
      throw Blocked(BlockReason::encrypted, "encrypted document: the entry " + name +
                                                " is encrypted and cannot be inspected");
    }
    if (!entry.local_mismatch.empty()) {
      throw Blocked(BlockReason::corrupt, name + ": " + entry.local_mismatch);
    }
    if (const auto why = reader_.disagreement(index, entry); !why.empty()) {
      throw Blocked(BlockReason::corrupt, name + ": " + why);
    }
    if (entry.unicode_path && *entry.unicode_path != name) {
      throw Blocked(BlockReason::corrupt, name + ": its Unicode path field names " +
                                              zip::printable_name(*entry.unicode_path));
    }
    if (decoded.bad_encoding) {
      bad_name(name, "flagged as UTF-8 but is not valid UTF-8");
      continue;
    }
    if (const auto problem = zip::check_entry_name(name)) {
      bad_name(name, problem->detail);
      continue;
    }
    if (const auto problem = zip::check_entry_type(entry)) {
      bad_name(name, problem->detail);
      continue;
    }
    if (!by_key_.emplace(part_key(name), parts_.size()).second) {
      throw Blocked(BlockReason::corrupt,
                    "two parts are named " + name + " when case is ignored (OPC forbids it)");
    }
    parts_.push_back(InputPart{name, index});
  }
}

const InputPart* InputPackage::find(std::string_view part_name) const {
  const auto it = by_key_.find(part_key(part_name));
  return it != by_key_.end() ? &parts_[it->second] : nullptr;
}

std::span<const std::uint8_t> InputPackage::stored_bytes(const InputPart& part) const {
  const zip::DirectoryEntry& e = entry(part);
  return ctx_.input().subspan(e.data_offset, e.compressed_size);
}

std::vector<std::uint8_t> InputPackage::read(const InputPart& part) const {
  std::vector<std::uint8_t> bytes;
  const zip::ReadOutcome outcome = reader_.read(part.entry, entry(part), ctx_, part.name, bytes);
  if (outcome.status != zip::ReadStatus::ok) {
    throw Blocked(BlockReason::corrupt, part.name + ": " + outcome.detail);
  }
  return bytes;
}

}  // namespace sanitize::formats::ooxml
