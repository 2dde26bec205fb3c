// Large inputs the corpus does not have: the same bytes on every run, so that runs on
// different days or machines measure the same work.
#pragma once

#include <filesystem>
#include <vector>

namespace sanitize::bench {

// Writes into `dir` (created when missing) a 100 MB UTF-8 CSV of numbers and text with a
// few formula cells, a 50 MB CP932 text, a zip of 2,000 small text files, a zip holding a
// 200 MB text file, a zip nested 4 levels deep, ODF text documents of 30 and 300 pages with
// pictures, an ODF spreadsheet of 200,000 rows, Word documents of 2, 30 and 300 pages with
// pictures, a presentation of 30 slides with pictures and an 18 MB workbook. Returns their
// paths. Throws on failure.
std::vector<std::filesystem::path> generate_large_inputs(const std::filesystem::path& dir);

}  // namespace sanitize::bench
