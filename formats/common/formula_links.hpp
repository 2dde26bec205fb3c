// HYPERLINK() calls in spreadsheet formulas (Excel cells, Calc table:formula). A link to a
// file: URL or a UNC path leaks the user's Windows credentials when clicked, and a target
// built at calculation time (a cell reference, a concatenation) can be one.
#pragma once

#include <cstddef>
#include <string_view>

namespace sanitize::formats {

// The index of the quote that closes the string literal ("...") or quoted name ('...')
// opened at `open`, a doubled quote being an escaped one; formula.size() when it is never
// closed.
std::size_t closing_quote(std::string_view formula, std::size_t open);

// True when the formula calls HYPERLINK (with any namespace prefix: _xlfn., of:...) with a
// first argument that is not a single string literal naming an http:, https: or mailto:
// address or a place in the document ("#Sheet1!A1").
bool has_unsafe_hyperlink_call(std::string_view formula);

}  // namespace sanitize::formats
