// The default format table. Adding a format: its folder, plus one line here.
#include "sanitize/defaults.hpp"

#include "formats/executable/executable_format.hpp"
#include "formats/odf/odf_format.hpp"
#include "formats/ooxml/ooxml_format.hpp"
#include "formats/pdf/pdf_format.hpp"
#include "formats/text/text_format.hpp"
#include "formats/unsupported/unsupported_format.hpp"
#include "formats/zip/zip_format.hpp"

namespace sanitize {

const FormatTable& default_formats() {
  static const FormatTable table{
      &formats::executable_format(),  &formats::ooxml_format(), &formats::odf_format(),
      &formats::unsupported_format(), &formats::text_format(),  &formats::zip_format(),
      &formats::pdf_format(),
  };
  return table;
}

std::unique_ptr<Engine> make_default_engine(Policy policy) {
  return std::make_unique<Engine>(std::move(policy), default_formats());
}

}  // namespace sanitize
