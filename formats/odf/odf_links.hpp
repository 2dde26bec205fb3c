// What a link or resource reference (xlink:href and the like) points at, decided from its
// text alone: inside this package, inside this document, or somewhere that can run code,
// leak credentials or fetch content when the document opens.
#pragma once

#include <string>
#include <string_view>

namespace sanitize::formats::odf {

enum class Target {
  none,      // empty
  fragment,  // "#Bookmark", "#Slide 2": inside this document
  package,   // an entry or sub-document of this package ("Pictures/a.png", "./Object 1")
  script,    // runs code: vnd.sun.star.script:, macro:, .uno:, javascript:, vbscript:...
  unsafe,    // file:, UNC (\\server, //server), drive letters, smb:, every scheme not known
             // to be harmless (ms-msdt:, search-ms:, data:...), and relative paths to programs
  web,       // http:, https:, ftp:, mailto: and the like
  relative,  // a relative path that leaves the package: a file beside the document
};

struct Reference {
  Target target = Target::none;
  std::string package_path;  // for Target::package: the entry or folder, resolved, no "./"
};

// `folder` is the folder of the document holding the reference ("" or "Object 1/").
Reference classify_reference(std::string_view href, std::string_view folder);

// True for a value that names a macro or script (any attribute, not only links).
bool is_script_url(std::string_view value);

}  // namespace sanitize::formats::odf
