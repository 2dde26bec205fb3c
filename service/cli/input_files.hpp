// Opening the files to sanitize: read-only, never through a symbolic link.
#pragma once

#include <string>
#include <string_view>

#include "sanitize/unique_fd.hpp"

namespace sanitize::cli {

// Opens a file named on the command line. A symbolic link as its last component is refused,
// a FIFO does not block the open. Throws UsageError saying why it cannot be used, including
// when it is not a regular file.
UniqueFd open_input_file(const std::string& path);

// Open `relative` ('/'-separated, no "." or ".." components) below the directory open on
// `root_fd`, refusing a symbolic link at every component, so that a folder swapped for a
// link while a batch runs cannot lead outside the input folder. Throw std::system_error.
UniqueFd open_input_beneath(int root_fd, std::string_view relative);
UniqueFd open_directory_beneath(int root_fd, std::string_view relative);

}  // namespace sanitize::cli
