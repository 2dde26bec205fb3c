// Worksheets stream: their rows of cells can be hundreds of megabytes of XML, far more than a
// DOM can hold in the memory a worker has. The sheetData element is read with expat and
// written back as it is read, formulas checked on the way; the rest of the sheet (columns,
// hyperlinks, validations, drawings, objects...), always small, is cleaned as a DOM like any
// other part, and the rows are spliced back in.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "formats/ooxml/cleaning.hpp"
#include "formats/ooxml/plan.hpp"
#include "formats/ooxml/xml_clean.hpp"

namespace sanitize::formats::ooxml {

// The cleaned worksheet; nullopt when the part is not one the streaming path reads (not
// UTF-8, a DOCTYPE, no sheetData, XML that expat refuses): the DOM path then takes it.
std::optional<std::vector<std::uint8_t>> clean_worksheet_streaming(
    std::span<const std::uint8_t> bytes, const PlannedPart& part, const Options& options,
    Findings& findings, WorkbookFacts& facts);

}  // namespace sanitize::formats::ooxml
