#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "formats/executable/executable_format.hpp"
#include "sanitize/engine.hpp"

namespace {

sanitize::Result run(const std::string& bytes, std::string_view name) {
  static const sanitize::Engine engine(sanitize::Policy::defaults(),
                                       {&sanitize::formats::executable_format()});
  return engine.sanitize({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, name);
}

std::string minimal_pe() {
  std::string pe(0x100, '\0');
  pe[0] = 'M';
  pe[1] = 'Z';
  pe[0x3C] = static_cast<char>(0x80);
  pe.replace(0x80, 4, std::string("PE\0\0", 4));
  return pe;
}

}  // namespace

TEST_CASE("a PE renamed report.pdf is blocked, naming the real type and the mismatch") {
  const auto result = run(minimal_pe(), "report.pdf");
  CHECK(result.verdict == sanitize::Verdict::blocked);
  CHECK(result.output.empty());
  CHECK(result.report.block_reason == sanitize::BlockReason::dangerous_type);
  CHECK(result.report.detected_type == "pe");
  CHECK(result.report.block_detail.find("declared as .pdf") != std::string::npos);
}

TEST_CASE("the ELF of this very test is blocked") {
  std::ifstream self("/proc/self/exe", std::ios::binary);
  const std::string elf((std::istreambuf_iterator<char>(self)), std::istreambuf_iterator<char>());
  const auto result = run(elf, "report.pdf");
  CHECK(result.report.block_reason == sanitize::BlockReason::dangerous_type);
  CHECK(result.report.detected_type == "elf");
}

TEST_CASE("shortcuts, OneNote, CHM and disk images are recognized by signature") {
  const std::string lnk(
      "\x4C\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46"
      "rest",
      24);
  CHECK(run(lnk, "a.txt").report.detected_type == "lnk");
  const std::string one("\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3 body",
                        21);
  CHECK(run(one, "a.one").report.detected_type == "onenote");
  CHECK(run(std::string("ITSF\x03\x00\x00\x00 help", 13), "h.chm").report.detected_type == "chm");
  std::string iso(0x9000, '\0');
  iso.replace(0x8000, 6,
              "\x01"
              "CD001");
  CHECK(run(iso, "x.iso").report.detected_type == "disk_image");
}

TEST_CASE("plain text starting with MZ is not a program") {
  const auto result = run("MZ Motors quarterly report\n", "a.txt");
  CHECK(result.report.block_reason == sanitize::BlockReason::unknown_type);
}

TEST_CASE("the root CLSID of an OLE2 file identifies MSI packages") {
  std::string ole(1024 + 128, '\0');
  ole.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
  ole[0x1E] = 9;  // 512-byte sectors
  ole[0x30] = 1;  // directory in sector 1, at offset 1024
  ole.replace(1024 + 0x50, 16,
              std::string("\x84\x10\x0C\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16));
  const auto clsid = sanitize::formats::ole2_root_clsid(
      {reinterpret_cast<const std::uint8_t*>(ole.data()), ole.size()});
  REQUIRE(clsid.has_value());
  CHECK((*clsid)[0] == 0x84);
  ole[0x30] = 100;  // a directory beyond the end
  CHECK_FALSE(sanitize::formats::ole2_root_clsid(
                  {reinterpret_cast<const std::uint8_t*>(ole.data()), ole.size()})
                  .has_value());
}
