// File names that come from the untrusted side, made safe for the LGWAN side (an SMB share
// read by Windows) before anything is created under them.
#pragma once

#include <string>
#include <string_view>

namespace sanitize::spool {

// Longest name, in bytes, that the gateway creates: room is left under NAME_MAX (255) for
// " (12345)" and the ".blocked.txt" of a notice.
inline constexpr std::size_t kMaxSafeNameBytes = 200;

// A name that is valid UTF-8 (a name in CP932 is decoded, other invalid bytes become "_"),
// has no control, bidirectional-override, path-separator or Windows-reserved characters
// ("_" instead), no leading dot or trailing dots and spaces, is not a reserved Windows
// device name (CON, NUL, COM1... get a "_" in front), and is at most kMaxSafeNameBytes
// long (the stem is shortened, the extension kept). Never empty, "." or "..".
std::string safe_name(std::string_view name);

// Names the pick-up never takes: Office lock files (~$*), partial downloads and temporary
// files (*.part, *.tmp, *.crdownload), and dot files (hidden, and the gateway's own
// temporaries).
bool is_temporary_name(std::string_view name);

}  // namespace sanitize::spool
