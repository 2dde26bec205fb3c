#include "formats/odf/odf_rebuild.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "formats/common/pictures.hpp"
#include "formats/common/xml_part.hpp"
#include "formats/odf/odf_findings.hpp"
#include "formats/odf/odf_manifest.hpp"
#include "formats/odf/odf_parts.hpp"
#include "formats/zip/central_directory.hpp"
#include "formats/zip/entry_names.hpp"
#include "formats/zip/zip_reader.hpp"
#include "formats/zip/zip_writer.hpp"

namespace sanitize::formats::odf {
namespace {

using zip::DosTimestamp;

constexpr std::string_view kMimetype = "mimetype";
constexpr std::string_view kManifest = "META-INF/manifest.xml";
constexpr std::string_view kXmlMediaType = "text/xml";

struct XmlPartName {
  std::string_view name;
  PartRole role;
};
constexpr std::array<XmlPartName, 4> kXmlParts{{
    {"content.xml", PartRole::content},
    {"styles.xml", PartRole::styles},
    {"meta.xml", PartRole::meta},
    {"settings.xml", PartRole::settings},
}};

// Folders of a document whose every entry is active content, with the kind that names it.
struct ActiveFolder {
  std::string_view folder;
  std::string_view kind;
};
constexpr std::array<ActiveFolder, 4> kActiveFolders{{
    {"Basic/", "odf.basic_macro"},
    {"Dialogs/", "odf.basic_macro"},
    {"Scripts/", "odf.script"},
    {"Configurations2/", "odf.ui_configuration"},
}};

constexpr std::array<std::string_view, 3> kSignatureParts{"META-INF/documentsignatures.xml",
                                                          "META-INF/macrosignatures.xml",
                                                          "META-INF/packagesignatures.xml"};

bool starts_with_ole2(std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t kMagic[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  return bytes.size() >= sizeof kMagic &&
         std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin());
}

std::string trimmed(std::span<const std::uint8_t> bytes) {
  std::string text(bytes.begin(), bytes.end());
  const auto last = text.find_last_not_of(" \t\r\n");
  text.erase(last == std::string::npos ? 0 : last + 1);
  return text;
}

Hyperlinks hyperlinks_option(std::string_view value) {
  if (value == "text") return Hyperlinks::text;
  if (value == "remove") return Hyperlinks::remove;
  return Hyperlinks::keep;
}

struct Item {
  std::size_t index = 0;
  const zip::DirectoryEntry* entry = nullptr;
  std::string name;
  DosTimestamp time;
};

struct Output {
  std::string name;
  std::vector<std::uint8_t> data;
  DosTimestamp time;
  zip::Compression compression = zip::Compression::deflate;
  std::string media_type;
  std::optional<PartRole> role;  // XML parts, rewritten once every entry is decided
  std::string folder;            // the document it belongs to
};

class Rebuild {
 public:
  Rebuild(const DocumentKind& kind, Context& ctx)
      : kind_(kind), ctx_(ctx), findings_(ctx), input_(ctx.input()) {}

  void run() {
    const zip::Directory directory = zip::read_directory(input_);
    ctx_.charge_entries(directory.entries.size(), "package");
    reader_.emplace(input_);
    if (reader_->entry_count() != directory.entries.size()) {
      throw Blocked(BlockReason::corrupt,
                    "odf: libzip and the central directory count differently");
    }
    for (std::size_t i = 0; i < directory.entries.size(); ++i) admit(i, directory.entries[i]);
    read_package_files();
    find_subdocuments();
    for (const Item& item : items_) {
      ctx_.check_deadline();
      if (!is_directory(item) && item.name != kMimetype && item.name != kManifest) classify(item);
    }
    account_for_directories();
    rewrite_xml_parts();
    findings_.finish();
    write();
  }

 private:
  static bool is_directory(const Item& item) { return item.name.back() == '/'; }

  // Entry-level hygiene: names and types that cannot be parts of a package are dropped.
  void admit(std::size_t index, const zip::DirectoryEntry& entry) {
    const zip::DecodedName decoded = zip::decode_entry_name(entry);
    const std::string& name = decoded.utf8;
    const auto unsafe = [&](std::string_view detail) {
      ctx_.element("odf.unsafe_entry", name, detail);
    };
    if (entry.encrypted()) {
      throw Blocked(BlockReason::encrypted,
                    "encrypted document: zip entry " + name + " is encrypted");
    }
    if (!entry.local_mismatch.empty()) return unsafe(entry.local_mismatch);
    if (auto why = reader_->disagreement(index, entry); !why.empty()) return unsafe(why);
    if (auto problem = zip::check_entry_type(entry)) return unsafe(problem->detail);
    if (decoded.bad_encoding) return unsafe("flagged as UTF-8 but is not valid UTF-8");
    if (decoded.backslashes) return unsafe("'\\' used as a separator: no ODF part is named so");
    if (auto problem = zip::check_entry_name(name)) return unsafe(problem->detail);
    if (!names_.insert(zip::collision_key(name)).second) {
      return unsafe("an earlier entry has the same name (ignoring case and Unicode form)");
    }
    if (name.back() == '/' && entry.uncompressed_size > 0) return unsafe("a folder with data");
    item_index_.emplace(name, items_.size());
    items_.push_back(
        Item{index, &entry, name, DosTimestamp::checked(entry.dos_time, entry.dos_date)});
    if (name == kMimetype && items_.size() > 1) repaired("mimetype is not the first entry");
  }

  const Item* find_item(std::string_view name) const {
    const auto it = item_index_.find(name);
    return it == item_index_.end() ? nullptr : &items_[it->second];
  }

  std::vector<std::uint8_t> read(const Item& item) {
    std::vector<std::uint8_t> data;
    const zip::ReadOutcome outcome = reader_->read(item.index, *item.entry, ctx_, item.name, data);
    if (outcome.status != zip::ReadStatus::ok) {
      throw Blocked(BlockReason::corrupt, "odf: entry " + item.name + ": " + outcome.detail);
    }
    return data;
  }

  void repaired(std::string_view detail) {
    findings_.record("odf.package_repaired", "package", Action::converted, detail);
  }

  void read_package_files() {
    const Item* mimetype = find_item(kMimetype);
    if (mimetype == nullptr) throw Blocked(BlockReason::corrupt, "odf: no mimetype entry");
    mimetype_time_ = mimetype->time;
    if (mimetype->entry->method != 0) repaired("mimetype was compressed");
    const std::vector<std::uint8_t> declared = read(*mimetype);
    if (trimmed(declared) != kind_.mimetype) {
      throw Blocked(BlockReason::corrupt, "odf: the mimetype entry changed while reading");
    }
    if (declared.size() != kind_.mimetype.size()) repaired("whitespace after the mimetype");

    const Item* manifest = find_item(kManifest);
    if (manifest == nullptr) throw Blocked(BlockReason::corrupt, "odf: no META-INF/manifest.xml");
    manifest_time_ = manifest->time;
    manifest_ = read_manifest(read(*manifest));
    if (!manifest_.encrypted.empty()) {
      throw Blocked(BlockReason::encrypted, "encrypted document: " + manifest_.encrypted.front() +
                                                " carries manifest:encryption-data");
    }
    report_markup(std::string(kManifest), manifest_.had_doctype, manifest_.processing_instructions);
    const auto root = manifest_.entries.find("/");
    if (root != manifest_.entries.end()) {
      root_version_ = root->second.version;
      if (root->second.media_type != kind_.mimetype) {
        repaired("the manifest's root media type " + root->second.media_type +
                 " is not the mimetype " + std::string(kind_.mimetype));
      }
    }
  }

  void report_markup(const std::string& location, bool doctype, unsigned instructions) {
    if (doctype) findings_.element("odf.doctype", location, "DOCTYPE with its declarations");
    if (instructions > 0) {
      findings_.element("odf.processing_instruction", location,
                        std::to_string(instructions) + " processing instruction(s)");
    }
  }

  // Sub-documents are folders the manifest gives an ODF media type and that hold a
  // content.xml or styles.xml.
  void find_subdocuments() {
    for (const auto& [path, entry] : manifest_.entries) {
      if (path.size() < 2 || path.back() != '/' || !is_subdocument_media_type(entry.media_type)) {
        continue;
      }
      if (find_item(path + "content.xml") != nullptr || find_item(path + "styles.xml") != nullptr) {
        subdocuments_.insert(path);
      }
    }
  }

  // The folder of the innermost document holding `name`: "" or "Object 1/".
  std::string folder_of(std::string_view name) const {
    std::string folder;
    for (const auto& subdocument : subdocuments_) {
      if (name.starts_with(subdocument) && subdocument.size() > folder.size()) folder = subdocument;
    }
    return folder;
  }

  std::string media_type_in_manifest(const std::string& name) const {
    const auto it = manifest_.entries.find(name);
    return it == manifest_.entries.end() ? std::string() : it->second.media_type;
  }

  // Every entry that is not delivered is named, uncapped: max_entries bounds their number.
  void drop(std::string_view kind, const std::string& name, std::string_view detail) {
    ctx_.element(kind, name, detail);
  }

  void keep(const Item& item, std::vector<std::uint8_t> data, std::string media_type,
            zip::Compression compression = zip::Compression::deflate) {
    Output output;
    output.name = item.name;
    output.data = std::move(data);
    output.time = item.time;
    output.compression = compression;
    output.media_type = std::move(media_type);
    output.folder = folder_of(item.name);
    kept_.insert(item.name);
    outputs_.push_back(std::move(output));
  }

  void classify(const Item& item) {
    const std::string folder = folder_of(item.name);
    const std::string_view relative = std::string_view(item.name).substr(folder.size());
    for (const auto& part : kXmlParts) {
      if (relative == part.name) {
        Output output;
        output.name = item.name;
        output.data = read(item);
        output.time = item.time;
        output.role = part.role;
        output.folder = folder;
        const std::string listed = media_type_in_manifest(item.name);
        output.media_type = listed.empty() ? std::string(kXmlMediaType) : listed;
        kept_.insert(item.name);
        outputs_.push_back(std::move(output));
        return;
      }
    }
    for (const auto& active : kActiveFolders) {
      if (relative.starts_with(active.folder))
        return drop(active.kind, item.name, "removed with its folder");
    }
    if (folder.empty() && std::find(kSignatureParts.begin(), kSignatureParts.end(), relative) !=
                              kSignatureParts.end()) {
      return drop("odf.signature", item.name, "a signature over the original package");
    }
    if (relative == "manifest.rdf") return keep_rdf(item);
    std::vector<std::uint8_t> data = read(item);
    const std::string listed = media_type_in_manifest(item.name);
    if (relative.starts_with("ObjectReplacements/")) {
      const std::string object = folder + std::string(relative.substr(19));
      if (!subdocuments_.contains(object + "/") && find_item(object) != nullptr) {
        return drop("odf.ole_object", item.name, "replacement picture of the OLE object " + object);
      }
      return picture(item, std::move(data), listed);
    }
    if (relative.starts_with("Pictures/") || relative.starts_with("Thumbnails/") ||
        listed.starts_with("image/")) {
      return picture(item, std::move(data), listed);
    }
    if (starts_with_ole2(data) || listed.find("oleobject") != std::string::npos) {
      return drop("odf.ole_object", item.name,
                  "embedded OLE object (" + (listed.empty() ? "no media type" : listed) + ")");
    }
    drop("odf.unknown_entry", item.name,
         listed.empty() ? "not a part of an ODF document"
                        : "not a part of an ODF document (" + listed + ")");
  }

  void keep_rdf(const Item& item) {
    const auto part = xml::parse(read(item), item.name);
    report_markup(item.name, part->had_doctype, part->processing_instructions);
    keep(item, xml::serialize(part->document), "application/rdf+xml");
  }

  void picture(const Item& item, std::vector<std::uint8_t> data, const std::string& listed) {
    const Picture declared = declared_picture(item.name, listed);
    const Picture actual = sniff_picture(data);
    const auto mismatch = [&] {
      drop("odf.picture_mismatch", item.name,
           "named " + std::string(picture_name(declared)) + ", the bytes are " +
               std::string(picture_name(actual)));
    };
    const std::string media_type =
        declared == actual && !listed.empty() ? listed : std::string(picture_media_type(actual));
    if (is_raster(actual)) {
      if (declared != Picture::unknown && declared != actual) return mismatch();
      return keep(item, std::move(data), media_type,
                  is_compressed(actual) ? zip::Compression::store : zip::Compression::deflate);
    }
    if (is_metafile(actual)) {
      if (declared != Picture::unknown && !is_metafile(declared)) return mismatch();
      if (!ctx_.option_bool(kKeepMetafilesOption)) {
        return drop("odf.metafile", item.name,
                    std::string(picture_name(actual)) + " picture, not validated");
      }
      return keep(item, std::move(data), media_type);
    }
    if (actual == Picture::svg) {
      ChildResult child = ctx_.sanitize_child(data, item.name);
      if (child.verdict == Verdict::blocked) {
        return drop(
            "odf.picture_blocked", item.name,
            "SVG: " + std::string(to_string(child.block_reason)) + ": " + child.block_detail);
      }
      return keep(item, std::move(child.output), media_type);
    }
    mismatch();
  }

  // Folder entries are not written: a package needs none. One whose folder keeps nothing
  // is reported like the entries it held.
  void account_for_directories() {
    for (const Item& item : items_) {
      if (!is_directory(item)) continue;
      const auto first_inside = kept_.lower_bound(item.name);
      const bool holds_kept = first_inside != kept_.end() && first_inside->starts_with(item.name);
      if (holds_kept || subdocuments_.contains(item.name)) continue;
      const std::string folder = folder_of(item.name);
      const std::string_view relative = std::string_view(item.name).substr(folder.size());
      std::string_view kind = "odf.unknown_entry";
      for (const auto& active : kActiveFolders) {
        if (relative.starts_with(active.folder)) kind = active.kind;
      }
      drop(kind, item.name, "folder entry");
    }
  }

  bool holds(std::string_view path) const {
    return kept_.contains(path) || subdocuments_.contains(std::string(path) + "/");
  }

  void rewrite_xml_parts() {
    const bool has_root_part = std::any_of(outputs_.begin(), outputs_.end(), [](const Output& o) {
      return o.name == "content.xml" || o.name == "styles.xml";
    });
    if (!has_root_part) throw Blocked(BlockReason::corrupt, "odf: no content.xml or styles.xml");
    PartSetup setup;
    setup.hyperlinks = hyperlinks_option(ctx_.option_string(kHyperlinksOption));
    setup.scrub_metadata = ctx_.option_string(kMetadataOption) == "scrub";
    setup.keep_metafiles = ctx_.option_bool(kKeepMetafilesOption);
    setup.holds = [this](std::string_view path) { return holds(path); };
    for (Output& output : outputs_) {
      if (!output.role) continue;
      ctx_.check_deadline();
      const auto part = xml::parse(output.data, output.name);
      std::vector<std::uint8_t>().swap(output.data);  // the tree holds its own copy
      report_markup(output.name, part->had_doctype, part->processing_instructions);
      setup.role = *output.role;
      setup.location = output.name;
      setup.folder = output.folder;
      sanitize_part(part->document, setup, findings_);
      output.data = xml::serialize(part->document);
    }
  }

  std::vector<std::uint8_t> manifest_bytes() const {
    std::vector<ListedEntry> listed;
    std::set<std::string> listed_folders;
    for (const Output& output : outputs_) {
      if (!output.folder.empty() && listed_folders.insert(output.folder).second) {
        const auto it = manifest_.entries.find(output.folder);
        listed.push_back(ListedEntry{output.folder, it->second.media_type, it->second.version});
      }
      listed.push_back(ListedEntry{output.name, output.media_type, {}});
    }
    return write_manifest(manifest_.version,
                          ListedEntry{"/", std::string(kind_.mimetype), root_version_}, listed);
  }

  void write() {
    zip::ZipWriter writer(ctx_.output(), static_cast<int>(ctx_.option_int(kCompressionOption)));
    const std::string_view mimetype = kind_.mimetype;
    writer.add_file(
        kMimetype,
        std::span(reinterpret_cast<const std::uint8_t*>(mimetype.data()), mimetype.size()),
        mimetype_time_, zip::Compression::store);
    for (const Output& output : outputs_) {
      writer.add_file(output.name, output.data, output.time, output.compression);
    }
    writer.add_file(kManifest, manifest_bytes(), manifest_time_);
    writer.finish();
  }

  const DocumentKind& kind_;
  Context& ctx_;
  FindingSink findings_;
  std::span<const std::uint8_t> input_;
  std::optional<zip::ArchiveReader> reader_;
  std::vector<Item> items_;
  std::map<std::string, std::size_t, std::less<>> item_index_;
  std::set<std::string> names_;
  Manifest manifest_;
  std::string root_version_;
  std::set<std::string, std::less<>> subdocuments_;
  std::set<std::string, std::less<>> kept_;
  std::vector<Output> outputs_;
  DosTimestamp mimetype_time_;
  DosTimestamp manifest_time_;
};

}  // namespace

void rebuild_package(const DocumentKind& kind, Context& ctx) {
  Rebuild(kind, ctx).run();
}

}  // namespace sanitize::formats::odf
