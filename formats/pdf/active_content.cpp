#include "formats/pdf/active_content.hpp"

#include <qpdf/QPDFObjGen.hh>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sanitize::formats::pdf {
namespace {

// Nesting of direct objects inside one object; qpdf's parser stops far earlier.
constexpr unsigned kMaxDirectDepth = 1000;
// Levels of the page tree; real files have a handful.
constexpr unsigned kMaxPageTreeDepth = 64;
// Names listed in one finding about a removed name tree.
constexpr std::size_t kNamesListed = 20;
// Objects visited between two looks at the clock.
constexpr std::uint64_t kDeadlineInterval = 1024;

// Action types that are removed wherever they occur, with their finding kind.
const std::map<std::string, std::string, std::less<>> kForbiddenActions{
    {"/JavaScript", "pdf.javascript"},
    {"/Launch", "pdf.launch"},
    {"/SubmitForm", "pdf.submit_form"},
    {"/ImportData", "pdf.import_data"},
    {"/GoToR", "pdf.goto_remote"},
    {"/GoToE", "pdf.goto_embedded"},
    {"/Rendition", "pdf.rendition"},
    {"/Movie", "pdf.movie"},
    {"/Sound", "pdf.sound"},
    {"/RichMediaExecute", "pdf.rich_media"},
    {"/GoTo3DView", "pdf.3d"},
};
// Actions that only move inside the document or change its view; /URI is kept by policy.
const std::set<std::string, std::less<>> kAllowedActions{
    "/GoTo", "/URI", "/Named", "/Thread", "/Hide", "/SetOCGState", "/Trans", "/ResetForm",
};
const std::set<std::string, std::less<>> kStandardNamedActions{"/NextPage", "/PrevPage",
                                                               "/FirstPage", "/LastPage"};
// Annotation types that play media or run code, with their finding kind.
const std::map<std::string, std::string, std::less<>> kForbiddenAnnotations{
    {"/Movie", "pdf.movie"},          {"/Sound", "pdf.sound"}, {"/Screen", "pdf.rendition"},
    {"/RichMedia", "pdf.rich_media"}, {"/3D", "pdf.3d"},
};
// Keys under which an action sits.
const std::set<std::string, std::less<>> kActionKeys{"/A", "/Next", "/OpenAction", "/PA"};
// Trailer keys a viewer reads; anything else is data nobody sees.
// Those of a cross-reference stream's dictionary, which qpdf gives as the trailer, included.
const std::set<std::string, std::less<>> kTrailerKeys{
    "/Size", "/Root",   "/Info", "/ID",    "/Prev",   "/XRefStm",    "/Encrypt",
    "/Type", "/Length", "/W",    "/Index", "/Filter", "/DecodeParms"};

struct Removal {
  std::string kind;
  std::string detail;
  Done done = Done::removed;
};

std::string object_location(QPDFObjectHandle object) {
  const QPDFObjGen og = object.getObjGen();
  std::string text = "object " + std::to_string(og.getObj());
  if (og.getGen() != 0) text += " " + std::to_string(og.getGen());
  return text;
}

std::string lower_ascii(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Printable, short: for details of findings.
std::string excerpt(const std::string& text, std::size_t limit = 80) {
  std::string out;
  for (const unsigned char c : text) {
    if (out.size() >= limit) return out + "...";
    out += (c >= 0x20 && c < 0x7F) ? static_cast<char>(c) : '?';
  }
  return out;
}

// A link that reaches the local machine or a network share (leaks Windows credentials) or
// runs script: removed whatever the policy says about links.
bool unsafe_uri(const std::string& uri) {
  std::string trimmed = uri;
  trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
  const std::string lower = lower_ascii(trimmed);
  const auto starts = [&lower](std::string_view prefix) { return lower.rfind(prefix, 0) == 0; };
  if (starts("\\\\") || starts("//") || starts("/\\") || starts("\\/")) {
    return true;
  }
  const auto colon = lower.find(':');
  if (colon == std::string::npos) return false;  // relative to the document's base
  const std::string scheme = lower.substr(0, colon);
  return !(scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "ftp" ||
           scheme == "tel");
}

std::string name_of(QPDFObjectHandle dict, const char* key) {
  QPDFObjectHandle value = dict.getKey(key);
  return value.isName() ? value.getName() : std::string();
}

std::string text_of(QPDFObjectHandle value) {
  return value.isString() ? value.getUTF8Value() : std::string();
}

class Walk {
 public:
  Walk(QpdfDocument& document, const PdfOptions& options, bool keep_embedded)
      : document_(document),
        pdf_(document.qpdf()),
        host_(document.host()),
        options_(options),
        keep_embedded_(keep_embedded) {}

  WalkSummary run() {
    QPDFObjectHandle trailer = pdf_.getTrailer();
    QPDFObjectHandle root = trailer.getKey("/Root");
    if (!root.isDictionary()) host_.stop(StopReason::corrupt, "pdf: no document catalog");
    // The catalog and the page tree root must be indirect objects; a broken file may have
    // them direct, which the writer cannot express.
    if (!root.isIndirect()) {
      root = pdf_.makeIndirectObject(root);
      trailer.replaceKey("/Root", root);
    }
    if (QPDFObjectHandle pages = root.getKey("/Pages");
        pages.isDictionary() && !pages.isIndirect()) {
      root.replaceKey("/Pages", pdf_.makeIndirectObject(pages));
    }
    summary_.pages = count_pages(root);
    host_.charge_entries(summary_.pages, "page tree");
    decode_object_streams();

    std::uint64_t extra_trailer_keys = 0;
    for (const std::string& key : trailer.getKeys()) {
      if (!kTrailerKeys.count(key)) {
        drop_key(trailer, key);
        ++extra_trailer_keys;
      }
    }
    // QPDFWriter writes /Size only over an existing key. The file identifier is made anew
    // from the output (qpdf would keep the first half of an old one: not idempotent).
    trailer.replaceKey("/Size", QPDFObjectHandle::newInteger(0));
    trailer.removeKey("/ID");
    strip_catalog(root);
    stack_.push_back({root, root.isIndirect() ? object_location(root) : "catalog", 0, {}});
    QPDFObjectHandle info = trailer.getKey("/Info");
    if (info.isDictionary()) stack_.push_back({info, "document information", 0, {}});
    drain();
    if (signature_removed_) {
      QPDFObjectHandle form = root.getKey("/AcroForm");
      if (form.isDictionary()) form.removeKey("/SigFlags");
    }
    report_hidden(extra_trailer_keys);
    return summary_;
  }

 private:
  struct Node {
    QPDFObjectHandle object;
    std::string location;
    unsigned depth;
    std::string key;  // the key the object sits under in its parent, for arrays of pairs
  };

  // Counts the pages, refusing loops and trees too deep to be real, and repairs what
  // viewers repair silently: missing or wrong /Type entries, direct page objects.
  std::uint64_t count_pages(QPDFObjectHandle root) {
    QPDFObjectHandle pages = root.getKey("/Pages");
    if (!pages.isDictionary()) host_.stop(StopReason::corrupt, "pdf: no page tree");
    std::set<QPDFObjGen> seen;
    std::vector<std::pair<QPDFObjectHandle, unsigned>> todo{{pages, 0}};
    std::uint64_t count = 0;
    while (!todo.empty()) {
      auto [node, depth] = todo.back();
      todo.pop_back();
      if (node.isIndirect() && !seen.insert(node.getObjGen()).second) {
        host_.stop(StopReason::corrupt,
                   "pdf: the page tree has a loop at " + object_location(node));
      }
      if (depth > kMaxPageTreeDepth) {
        host_.stop(StopReason::limit,
                   "pdf: page tree deeper than " + std::to_string(kMaxPageTreeDepth) + " levels");
      }
      QPDFObjectHandle kids = node.getKey("/Kids");
      const bool inner = kids.isArray() && name_of(node, "/Type") != "/Page";
      const char* type = inner ? "/Pages" : "/Page";
      if (name_of(node, "/Type") != type) {
        node.replaceKey("/Type", QPDFObjectHandle::newName(type));
        document_.note_repair(object_location(node) + ": page tree node typed " + type);
      }
      if (!inner) {
        ++count;
        continue;
      }
      for (int i = kids.getArrayNItems() - 1; i >= 0; --i) {
        QPDFObjectHandle kid = kids.getArrayItem(i);
        if (!kid.isDictionary()) continue;
        if (!kid.isIndirect()) {
          kid = pdf_.makeIndirectObject(kid);
          kids.setArrayItem(i, kid);
          document_.note_repair(object_location(node) + ": direct page made indirect");
        }
        todo.emplace_back(kid, depth + 1);
      }
    }
    return count;
  }

  // Decodes every object stream within the budget before qpdf reads objects out of them.
  void decode_object_streams() {
    std::set<int> streams;
    const auto xref = pdf_.getXRefTable();
    for (const auto& [og, entry] : xref) {
      if (entry.getType() == 2) streams.insert(entry.getObjStreamNumber());
    }
    for (const int number : streams) {
      QPDFObjectHandle stream = pdf_.getObjectByID(number, 0);
      if (stream.isStream()) {
        decode_within_budget(stream, host_, "object stream " + std::to_string(number),
                             qpdf_dl_specialized);
      }
    }
    document_.take_warnings();
  }

  void report(const std::string& kind, const std::string& location, const std::string& detail) {
    if (kind == "pdf.signature") signature_removed_ = true;
    host_.element(kind, location, detail);
  }

  void record(const Removal& removal, const std::string& location) {
    if (removal.kind == "pdf.uri") {
      host_.finding(removal.kind, location, removal.done, removal.detail);
    } else {
      report(removal.kind, location, removal.detail);
    }
  }

  // Names of a name tree's leaves, and their values, walked without recursion.
  struct TreeLeaves {
    std::vector<std::string> names;
    std::vector<QPDFObjectHandle> values;
  };
  TreeLeaves tree_leaves(QPDFObjectHandle tree) {
    TreeLeaves leaves;
    std::set<QPDFObjGen> seen;
    std::vector<QPDFObjectHandle> todo{tree};
    while (!todo.empty()) {
      QPDFObjectHandle node = todo.back();
      todo.pop_back();
      if (!node.isDictionary()) continue;
      if (node.isIndirect() && !seen.insert(node.getObjGen()).second) continue;
      host_.check_deadline();
      QPDFObjectHandle names = node.getKey("/Names");
      if (names.isArray()) {
        for (int i = 0; i + 1 < names.getArrayNItems(); i += 2) {
          leaves.names.push_back(text_of(names.getArrayItem(i)));
          leaves.values.push_back(names.getArrayItem(i + 1));
        }
      }
      QPDFObjectHandle kids = node.getKey("/Kids");
      if (kids.isArray()) {
        for (int i = kids.getArrayNItems() - 1; i >= 0; --i) todo.push_back(kids.getArrayItem(i));
      }
    }
    return leaves;
  }

  // Removes a whole name tree, one finding listing its names; its values count as reported.
  void remove_tree(QPDFObjectHandle names_dict, const char* key, const std::string& kind,
                   const std::string& what) {
    QPDFObjectHandle tree = names_dict.getKey(key);
    const TreeLeaves leaves = tree_leaves(tree);
    std::string listed;
    for (std::size_t i = 0; i < leaves.names.size() && i < kNamesListed; ++i) {
      listed += (i == 0 ? "" : ", ") + excerpt(leaves.names[i], 40);
    }
    if (leaves.names.size() > kNamesListed) listed += ", ...";
    for (const QPDFObjectHandle& value : leaves.values) {
      if (value.isIndirect()) {
        intrinsic_.emplace(value.getObjGen(), Removal{std::string(kind), what});
      }
    }
    dropped_.push_back(tree);
    report(kind, std::string("/Names ") + key,
           what + " (" + std::to_string(leaves.names.size()) + ": " + listed + ")");
    names_dict.removeKey(key);
  }

  // Entries of the catalog and its name and form dictionaries that are active in
  // themselves, removed before the generic walk.
  void strip_catalog(QPDFObjectHandle catalog) {
    if (catalog.hasKey("/NeedsRendering")) {
      report("pdf.needs_rendering", "catalog /NeedsRendering",
             "the viewer is told to render the XFA form instead of the page content");
      drop_key(catalog, "/NeedsRendering");
    }
    if (catalog.hasKey("/SpiderInfo")) {
      report("pdf.web_capture", "catalog /SpiderInfo", "Web Capture information");
      drop_key(catalog, "/SpiderInfo");
    }
    if (catalog.hasKey("/Perms")) {
      report("pdf.signature", "catalog /Perms",
             "permission signatures (DocMDP, usage rights): the content changed");
      drop_key(catalog, "/Perms");
    }
    QPDFObjectHandle names = catalog.getKey("/Names");
    if (names.isDictionary()) {
      if (names.hasKey("/JavaScript")) {
        remove_tree(names, "/JavaScript", "pdf.javascript", "document-level JavaScript");
      }
      if (names.hasKey("/EmbeddedFiles") && !keep_embedded_) {
        remove_tree(names, "/EmbeddedFiles", "pdf.embedded_file", "embedded files");
        drop_key(catalog, "/Collection");
      }
      for (const char* key : {"/IDS", "/URLS"}) {
        if (names.hasKey(key)) remove_tree(names, key, "pdf.web_capture", "Web Capture content");
      }
      if (names.hasKey("/AlternatePresentations")) {
        remove_tree(names, "/AlternatePresentations", "pdf.alternate_presentation",
                    "alternate presentations (slide shows)");
      }
    }
    QPDFObjectHandle form = catalog.getKey("/AcroForm");
    if (form.isDictionary() && form.hasKey("/XFA")) {
      report("pdf.xfa", "/AcroForm /XFA", "XFA form (its scripts and data); static fields kept");
      drop_key(form, "/XFA");
    }
  }

  std::optional<Removal> action_removal(QPDFObjectHandle dict) {
    const std::string type = name_of(dict, "/S");
    if (type.empty() || name_of(dict, "/Type") == "/StructElem") return std::nullopt;
    if (const auto it = kForbiddenActions.find(type); it != kForbiddenActions.end()) {
      std::string detail = type.substr(1) + " action";
      if (type == "/JavaScript") detail += ": " + excerpt(script_text(dict.getKey("/JS")));
      if (type == "/Launch" || type == "/GoToR" || type == "/ImportData" || type == "/SubmitForm") {
        // A Launch action may name its program only under /Win.
        std::string target = file_target(dict.getKey("/F"));
        if (target.empty()) target = file_target(dict.getKey("/Win"));
        if (!target.empty()) detail += " to " + excerpt(target);
      }
      return Removal{it->second, detail};
    }
    if (type == "/URI") {
      const std::string uri =
          dict.getKey("/URI").isString() ? dict.getKey("/URI").getStringValue() : std::string();
      if (unsafe_uri(uri)) {
        return Removal{"pdf.unsafe_uri", "link to " + excerpt(uri)};
      }
      if (options_.uri == UriHandling::remove) return Removal{"pdf.uri", "link to " + excerpt(uri)};
      if (options_.uri == UriHandling::neutralize) {
        return Removal{"pdf.uri", "link to " + excerpt(uri) + " no longer opens",
                       Done::neutralized};
      }
    }
    if (type == "/Named" && !kStandardNamedActions.count(name_of(dict, "/N"))) {
      return Removal{"pdf.unknown_action", "named action " + excerpt(name_of(dict, "/N"))};
    }
    return std::nullopt;
  }

  std::string script_text(QPDFObjectHandle js) {
    if (js.isString()) return js.getStringValue();
    return js.isStream() ? "(script in a stream)" : "";
  }

  std::string file_target(QPDFObjectHandle spec) {
    if (spec.isString()) return spec.getStringValue();
    if (spec.isDictionary()) {
      for (const char* key : {"/UF", "/F", "/Unix", "/DOS", "/Mac"}) {
        if (spec.getKey(key).isString()) return spec.getKey(key).getUTF8Value();
      }
    }
    return "";
  }

  // What makes an object unacceptable wherever it is referenced.
  std::optional<Removal> intrinsic(QPDFObjectHandle object, const std::string& location) {
    QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
    if (!dict.isDictionary()) return std::nullopt;
    if (auto action = action_removal(dict)) return action;
    const std::string type = name_of(dict, "/Type");
    const std::string subtype = name_of(dict, "/Subtype");
    const bool annotation = type == "/Annot" || dict.hasKey("/Rect");
    if (annotation) {
      if (const auto it = kForbiddenAnnotations.find(subtype); it != kForbiddenAnnotations.end()) {
        return Removal{it->second, subtype.substr(1) + " annotation"};
      }
      if (subtype == "/FileAttachment" && !keep_embedded_) {
        return Removal{"pdf.file_attachment",
                       "file attachment annotation " + excerpt(file_target(dict.getKey("/FS")))};
      }
    }
    if (type == "/Sig" || type == "/DocTimeStamp") {
      return Removal{"pdf.signature", "digital signature: the content changed"};
    }
    if (object.isStream()) {
      if (dict.hasKey("/F")) {
        return Removal{"pdf.external_stream", "stream data from an external file " +
                                                  excerpt(file_target(dict.getKey("/F")))};
      }
      if (subtype == "/PS") return Removal{"pdf.postscript", "PostScript XObject"};
      if (type == "/3D" || subtype == "/U3D" || subtype == "/PRC") {
        return Removal{"pdf.3d", "3D artwork stream"};
      }
      if (type == "/Sound") return Removal{"pdf.sound", "sound stream"};
      if (type == "/EmbeddedFile") {
        if (!keep_embedded_) return Removal{"pdf.embedded_file", "embedded file stream"};
        return sanitize_embedded(object, "embedded file", location);
      }
    }
    if (dict.hasKey("/EF")) {
      const std::string name = file_target(dict);
      if (!keep_embedded_) return Removal{"pdf.embedded_file", "embedded file " + excerpt(name)};
      return sanitize_file_spec(dict, name, location);
    }
    return std::nullopt;
  }

  // Sends each embedded stream of a file specification through the engine and puts the
  // sanitized bytes back; the specification goes when any of its files is blocked.
  std::optional<Removal> sanitize_file_spec(QPDFObjectHandle spec, const std::string& name,
                                            const std::string& location) {
    QPDFObjectHandle files = spec.getKey("/EF");
    if (!files.isDictionary()) return Removal{"pdf.embedded_file", "malformed /EF"};
    std::string new_name;
    for (const std::string& key : files.getKeys()) {
      QPDFObjectHandle stream = files.getKey(key);
      if (!stream.isStream()) {
        files.removeKey(key);
        continue;
      }
      if (auto removal =
              sanitize_stream(stream, name.empty() ? "embedded file" : name, location, new_name)) {
        return removal;
      }
    }
    if (!new_name.empty() && new_name != name) {
      for (const char* key : {"/F", "/UF"}) {
        if (spec.hasKey(key)) spec.replaceKey(key, QPDFObjectHandle::newUnicodeString(new_name));
      }
    }
    return std::nullopt;
  }

  std::optional<Removal> sanitize_embedded(QPDFObjectHandle stream, const std::string& name,
                                           const std::string& location) {
    std::string ignored;
    return sanitize_stream(stream, name, location, ignored);
  }

  std::optional<Removal> sanitize_stream(QPDFObjectHandle stream, const std::string& name,
                                         const std::string& location, std::string& new_name) {
    if (stream.isIndirect()) {
      if (const auto done = sanitized_.find(stream.getObjGen()); done != sanitized_.end()) {
        new_name = done->second;
        return std::nullopt;
      }
    }
    host_.charge_entries(1, location);
    std::vector<std::uint8_t> bytes;
    if (!decode_within_budget(stream, host_, location, qpdf_dl_all, &bytes).ok) {
      return Removal{"pdf.embedded_file", "embedded file " + excerpt(name) + " does not decode"};
    }
    EmbeddedResult child = host_.sanitize_child(bytes, name);
    if (child.blocked) {
      return Removal{"pdf.embedded_file",
                     "embedded file " + excerpt(name) + " blocked: " + child.why};
    }
    const std::string sanitized(child.output.begin(), child.output.end());
    stream.replaceStreamData(sanitized, QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
    QPDFObjectHandle dict = stream.getDict();
    QPDFObjectHandle params = dict.getKey("/Params");
    if (params.isDictionary()) {
      params.removeKey("/CheckSum");
      params.replaceKey("/Size",
                        QPDFObjectHandle::newInteger(static_cast<long long>(child.output.size())));
    }
    if (child.output_name != name) dict.removeKey("/Subtype");
    new_name = child.output_name;
    if (stream.isIndirect()) sanitized_.emplace(stream.getObjGen(), new_name);
    return std::nullopt;
  }

  // The decision about a child of a container, memoized per indirect object.
  std::optional<Removal> judge(QPDFObjectHandle parent, const std::string& key,
                               QPDFObjectHandle child, const std::string& location,
                               bool& already_reported) {
    already_reported = false;
    std::optional<Removal> removal;
    if (child.isIndirect()) {
      const QPDFObjGen og = child.getObjGen();
      auto memo = intrinsic_.find(og);
      if (memo == intrinsic_.end()) {
        memo = intrinsic_.emplace(og, intrinsic(child, location)).first;
      } else {
        already_reported = memo->second.has_value();
      }
      removal = memo->second;
    } else {
      removal = intrinsic(child, location);
    }
    if (removal) return removal;
    if (!kActionKeys.count(key) || !child.isDictionary()) {
      if (key == "/OpenAction" && parent.isDictionary() && !child.isArray() && !child.isName() &&
          !child.isString() && !child.isNull()) {
        return Removal{"pdf.open_action", "open action that is not a destination"};
      }
      return std::nullopt;
    }
    const std::string type = name_of(child, "/S");
    if (key == "/OpenAction" && type != "/GoTo") {
      return Removal{"pdf.open_action", "open action " + excerpt(type.empty() ? "?" : type)};
    }
    if (!type.empty() && !kAllowedActions.count(type)) {
      return Removal{"pdf.unknown_action", "action " + excerpt(type)};
    }
    return std::nullopt;
  }

  void push(QPDFObjectHandle child, const std::string& location, unsigned depth,
            const std::string& key) {
    if (!(child.isDictionary() || child.isArray() || child.isStream())) {
      if (child.isIndirect()) visited_.insert(child.getObjGen());  // a /Length, say
      return;
    }
    if (child.isIndirect()) {
      if (visited_.count(child.getObjGen())) return;
      stack_.push_back({child, object_location(child), 0, key});
      return;
    }
    if (depth + 1 > kMaxDirectDepth) {
      host_.stop(StopReason::limit, "pdf: objects nested deeper than " +
                                        std::to_string(kMaxDirectDepth) + " levels at " + location);
    }
    stack_.push_back({child, location, depth + 1, key});
  }

  void drain() {
    std::uint64_t visited_count = 0;
    while (!stack_.empty()) {
      Node node = std::move(stack_.back());
      stack_.pop_back();
      if (node.object.isIndirect() && !visited_.insert(node.object.getObjGen()).second) continue;
      if (++visited_count % kDeadlineInterval == 0) host_.check_deadline();
      if (node.object.isStream()) visit_stream(node);
      QPDFObjectHandle dict = node.object.isStream() ? node.object.getDict() : node.object;
      if (dict.isDictionary()) {
        visit_dictionary(dict, node);
      } else if (dict.isArray()) {
        visit_array(dict, node);
      }
    }
  }

  // Whether every filter of the stream is one qpdf decodes without an image codec (then the
  // data is decoded and counted); an image codec's data (DCT, JPX, JBIG2, CCITT) is copied
  // as it is, so that qpdf never expands it either.
  static bool simple_filters(QPDFObjectHandle dict, bool& plain_flate) {
    static const std::set<std::string, std::less<>> kSimple{
        "/FlateDecode", "/Fl",  "/ASCIIHexDecode",  "/AHx", "/ASCII85Decode", "/A85",
        "/LZWDecode",   "/LZW", "/RunLengthDecode", "/RL"};
    QPDFObjectHandle filter = dict.getKey("/Filter");
    std::vector<QPDFObjectHandle> filters;
    if (filter.isArray()) {
      filters = filter.getArrayAsVector();
    } else if (!filter.isNull()) {
      filters.push_back(filter);
    }
    plain_flate = filters.size() == 1 && filters[0].isNameAndEquals("/FlateDecode");
    return std::all_of(filters.begin(), filters.end(),
                       [](QPDFObjectHandle f) { return f.isName() && kSimple.count(f.getName()); });
  }

  void visit_stream(const Node& node) {
    QPDFObjectHandle stream = node.object;
    bool plain_flate = false;
    if (!simple_filters(stream.getDict(), plain_flate)) return;
    // Data without a filter is compressed (by policy), other chains become plain Flate.
    const bool normalize = plain_flate                                   ? false
                           : stream.getDict().getKey("/Filter").isNull() ? options_.compress_streams
                                                                         : true;
    std::vector<std::uint8_t> decoded;
    const Decoded first = decode_within_budget(stream, host_, node.location, qpdf_dl_specialized,
                                               normalize ? &decoded : nullptr);
    if (first.ok) {
      if (normalize && first.filtered)
        store_stream_data(stream, decoded, options_.compress_streams);
      return;
    }
    // Keep what decodes, as viewers show it; the output then reads without error.
    document_.note_repair(node.location + ": stream data does not decode; kept what decoded");
    if (!normalize) {
      decoded.clear();
      if (!decode_within_budget(stream, host_, node.location, qpdf_dl_specialized, &decoded)
               .filtered) {
        return;  // raw bytes of a codec qpdf does not decode: left as they are
      }
    }
    store_stream_data(stream, decoded, options_.compress_streams);
  }

  // Removes an entry; whatever only it referred to goes with it, not as hidden data.
  void drop_key(QPDFObjectHandle dict, const std::string& key) {
    dropped_.push_back(dict.getKey(key));
    dict.removeKey(key);
  }

  void remove_key(QPDFObjectHandle dict, const std::string& key, const std::string& kind,
                  const std::string& location, const std::string& detail) {
    report(kind, location + " " + key, detail);
    drop_key(dict, key);
  }

  void visit_dictionary(QPDFObjectHandle dict, const Node& node) {
    const std::string type = name_of(dict, "/Type");
    if (type == "/Annot" || dict.hasKey("/Rect") || type == "/Outlines" || dict.hasKey("/FT")) {
      ++summary_.interactive;
    }
    if (dict.hasKey("/AA")) {
      QPDFObjectHandle triggers = dict.getKey("/AA");
      std::string listed;
      if (triggers.isDictionary()) {
        for (const std::string& trigger : triggers.getKeys()) listed += trigger;
      }
      remove_key(dict, "/AA", "pdf.additional_actions", node.location,
                 "additional actions " + excerpt(listed));
    }
    if (dict.hasKey("/JS")) {
      remove_key(dict, "/JS", "pdf.javascript", node.location, "JavaScript entry");
    }
    if (dict.hasKey("/AF") && !keep_embedded_) {
      remove_key(dict, "/AF", "pdf.associated_file", node.location, "associated files");
    }
    if (type == "/Page" && dict.hasKey("/ID")) {
      remove_key(dict, "/ID", "pdf.web_capture", node.location, "Web Capture page identifier");
    }
    const bool link = name_of(dict, "/Subtype") == "/Link";
    for (const std::string& key : dict.getKeys()) {
      QPDFObjectHandle child = dict.getKey(key);
      const std::string location = node.location + " " + key;
      if (key == "/Next" && child.isArray()) {
        filter_array(child, location, key);
        push(child, location, node.depth, key);
        continue;
      }
      bool already_reported = false;
      const auto removal = judge(dict, key, child, location, already_reported);
      if (!removal) {
        push(child, location, node.depth, key);
        continue;
      }
      if (!already_reported) record(*removal, location);
      dropped_.push_back(child);
      dict.removeKey(key);
      if (link && removal->kind == "pdf.uri" && removal->done == Done::neutralized &&
          !dict.hasKey("/Contents")) {
        dict.replaceKey("/Contents", QPDFObjectHandle::newUnicodeString(uri_of(child)));
      }
    }
  }

  std::string uri_of(QPDFObjectHandle action) {
    QPDFObjectHandle uri = action.getKey("/URI");
    return uri.isString() ? uri.getStringValue() : std::string();
  }

  // Removes the unacceptable items of an array of actions in place.
  void filter_array(QPDFObjectHandle array, const std::string& location, const std::string& key) {
    for (int i = array.getArrayNItems() - 1; i >= 0; --i) {
      QPDFObjectHandle item = array.getArrayItem(i);
      const std::string item_location = location + "[" + std::to_string(i) + "]";
      bool already_reported = false;
      const auto removal = judge(array, key, item, item_location, already_reported);
      if (!removal) continue;
      if (!already_reported) record(*removal, item_location);
      dropped_.push_back(item);
      array.eraseItem(i);
    }
  }

  void visit_array(QPDFObjectHandle array, const Node& node) {
    // Name and number tree leaves hold key/value pairs: a value goes with its key.
    const bool pairs = node.key == "/Names" || node.key == "/Nums";
    const int count = array.getArrayNItems();
    std::vector<bool> keep(static_cast<std::size_t>(count), true);
    const std::string item_key = node.key == "/Next" ? "/Next" : "";
    for (int i = 0; i < count; ++i) {
      if (pairs && i % 2 == 0) continue;
      QPDFObjectHandle item = array.getArrayItem(i);
      const std::string location = node.location + "[" + std::to_string(i) + "]";
      bool already_reported = false;
      const auto removal = judge(array, item_key, item, location, already_reported);
      if (!removal) continue;
      if (!already_reported) record(*removal, location);
      dropped_.push_back(item);
      keep[static_cast<std::size_t>(i)] = false;
      if (pairs) keep[static_cast<std::size_t>(i - 1)] = false;
    }
    for (int i = count - 1; i >= 0; --i) {
      if (!keep[static_cast<std::size_t>(i)]) array.eraseItem(i);
    }
    for (int i = array.getArrayNItems() - 1; i >= 0; --i) {
      push(array.getArrayItem(i), node.location + "[" + std::to_string(i) + "]", node.depth,
           std::string());
    }
  }

  // Objects in the file that the rebuilt document no longer reaches and that no finding
  // named: earlier revisions' leftovers, orphans, trailer extras.
  void report_hidden(std::uint64_t extra_trailer_keys) {
    std::set<QPDFObjGen> removed;
    std::vector<QPDFObjectHandle> todo = dropped_;
    for (const auto& [og, removal] : intrinsic_) {
      if (removal) todo.push_back(pdf_.getObjectByObjGen(og));
    }
    // Everything only reachable through a removed object went with it.
    while (!todo.empty()) {
      QPDFObjectHandle object = todo.back();
      todo.pop_back();
      if (object.isIndirect() &&
          (visited_.count(object.getObjGen()) || !removed.insert(object.getObjGen()).second)) {
        continue;
      }
      QPDFObjectHandle dict = object.isStream() ? object.getDict() : object;
      if (dict.isDictionary()) {
        for (const std::string& key : dict.getKeys()) todo.push_back(dict.getKey(key));
      } else if (dict.isArray()) {
        for (int i = 0; i < dict.getArrayNItems(); ++i) todo.push_back(dict.getArrayItem(i));
      }
    }
    std::uint64_t hidden = 0;
    for (const auto& [og, entry] : pdf_.getXRefTable()) {
      if (visited_.count(og) || removed.count(og)) continue;
      QPDFObjectHandle object = pdf_.getObjectByObjGen(og);
      if (object.isStream()) {
        const std::string type = name_of(object.getDict(), "/Type");
        if (type == "/ObjStm" || type == "/XRef") continue;
      }
      if (object.isDictionary() && (object.hasKey("/Linearized") || object.hasKey("/Filter"))) {
        continue;  // linearization parameters, the encryption dictionary
      }
      if (object.isNull()) continue;
      ++hidden;
    }
    if (hidden == 0 && extra_trailer_keys == 0) return;
    host_.finding("pdf.hidden_data", "file", Done::removed,
                  std::to_string(hidden) + " object(s) no page or catalog entry refers to, " +
                      std::to_string(extra_trailer_keys) + " unknown trailer key(s)");
  }

  QpdfDocument& document_;
  QPDF& pdf_;
  Host& host_;
  const PdfOptions& options_;
  bool keep_embedded_;
  std::vector<Node> stack_;
  std::vector<QPDFObjectHandle> dropped_;  // removed subtrees not named in intrinsic_
  std::set<QPDFObjGen> visited_;
  std::map<QPDFObjGen, std::optional<Removal>> intrinsic_;
  std::map<QPDFObjGen, std::string> sanitized_;
  bool signature_removed_ = false;
  WalkSummary summary_;
};

}  // namespace

WalkSummary remove_active_content(QpdfDocument& document, const PdfOptions& options,
                                  bool embedded_files_kept) {
  return Walk(document, options, embedded_files_kept).run();
}

}  // namespace sanitize::formats::pdf
