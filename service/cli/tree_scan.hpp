// The list of files a batch processes: every regular file below the input folder.
#pragma once

#include <string>
#include <vector>

namespace sanitize::cli {

struct SkippedEntry {
  std::string path;    // relative to the input folder
  std::string reason;  // for people: "symbolic link (not followed)", an error...
  // Whether it could not be read, rather than being passed over by rule (links, devices):
  // unread content counts as a failure.
  bool unreadable = false;
};

struct TreeScan {
  std::vector<std::string> files;     // relative '/'-separated paths, in byte order
  std::vector<SkippedEntry> skipped;  // in byte order of their paths
};

// Walks the directory open on `root_fd` without following symbolic links. Anything that
// is not a regular file or a directory is skipped and listed, and so is anything that
// cannot be read (marked unreadable).
TreeScan scan_tree(int root_fd);

}  // namespace sanitize::cli
