#include "formats/common/formula_links.hpp"

#include <doctest/doctest.h>

using sanitize::formats::has_unsafe_hyperlink_call;

TEST_CASE("HYPERLINK calls to web addresses and places in the document are safe") {
  CHECK_FALSE(has_unsafe_hyperlink_call("HYPERLINK(\"https://www.city.example.lg.jp/\",\"市\")"));
  CHECK_FALSE(has_unsafe_hyperlink_call("of:=HYPERLINK( \"mailto:a@example.jp\" ; \"mail\")"));
  CHECK_FALSE(has_unsafe_hyperlink_call("HYPERLINK(\"#Sheet2!A1\")"));
  CHECK_FALSE(has_unsafe_hyperlink_call("SUM(A1:A3)+LEN(\"HYPERLINK(\"\"file://x\"\")\")"));
  CHECK_FALSE(has_unsafe_hyperlink_call("'HYPERLINK(x'!A1"));
}

TEST_CASE("HYPERLINK calls to files, shares or computed targets are not") {
  CHECK(has_unsafe_hyperlink_call("HYPERLINK(\"file://attacker.example/share\",\"x\")"));
  CHECK(has_unsafe_hyperlink_call("hyperlink(\"\\\\attacker\\share\\a.docx\")"));
  CHECK(has_unsafe_hyperlink_call("_xlfn.HYPERLINK(A1)"));
  CHECK(has_unsafe_hyperlink_call("of:=ORG.X.HYPERLINK(\"https:\"&\"//x\")"));
  CHECK(has_unsafe_hyperlink_call("IF(1,HYPERLINK(\"https://a\"&B2),0)"));
  CHECK(has_unsafe_hyperlink_call("HYPERLINK(\"ms-msdt:/id x\")"));
  CHECK(has_unsafe_hyperlink_call("HYPERLINK(\"https://unclosed"));
}
