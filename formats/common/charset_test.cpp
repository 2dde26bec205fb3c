#include "formats/common/charset.hpp"

#include <doctest/doctest.h>

#include <string>

using sanitize::formats::shortened;

TEST_CASE("a long value is shortened at a character boundary") {
  CHECK(shortened("short") == "short");
  CHECK(shortened(std::string(120, 'a')) == std::string(120, 'a'));
  CHECK(shortened(std::string(121, 'a')) == std::string(120, 'a') + "...");
  // 「あ」 is three bytes: a cut at byte 5 would split the second one.
  CHECK(shortened("あああ", 5) == "あ...");
  CHECK(shortened("あああ", 6) == "ああ...");
}
