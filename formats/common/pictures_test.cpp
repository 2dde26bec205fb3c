#include "formats/common/pictures.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

using sanitize::formats::Picture;

namespace {

Picture sniff(std::string_view bytes) {
  return sanitize::formats::sniff_picture(
      {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
}

}  // namespace

TEST_CASE("pictures are known by their signature") {
  CHECK(sniff("\x89PNG\r\n\x1A\n\0\0\0\rIHDR") == Picture::png);
  CHECK(sniff("\xFF\xD8\xFF\xE0 JFIF") == Picture::jpeg);
  CHECK(sniff("GIF89a....") == Picture::gif);
  CHECK(sniff(std::string("RIFF\0\0\0\0WEBPVP8 ", 16)) == Picture::webp);
  CHECK(sniff(std::string("\x01\0\0\0", 4) + std::string(36, '\0') + " EMF") == Picture::emf);
  CHECK(sniff(std::string("\xD7\xCD\xC6\x9A", 4)) == Picture::wmf);
  CHECK(sniff("VCLMTF") == Picture::svm);
  CHECK(sniff("\xEF\xBB\xBF <svg xmlns=\"http://www.w3.org/2000/svg\"/>") == Picture::svg);
  CHECK(sniff("MZ\x90") == Picture::unknown);
  CHECK(sniff("") == Picture::unknown);
}

TEST_CASE("what a name, an extension or a media type says") {
  using sanitize::formats::declared_picture;
  using sanitize::formats::picture_of_extension;
  using sanitize::formats::picture_of_media_type;
  CHECK(declared_picture("Pictures/A.JPG", "image/png") == Picture::jpeg);
  CHECK(
      declared_picture("ObjectReplacements/Object 1",
                       "application/x-openoffice-gdimetafile;windows_formatname=\"GDIMetaFile\"") ==
      Picture::svm);
  CHECK(declared_picture("Pictures/noextension", "") == Picture::unknown);
  CHECK(picture_of_extension("jfif") == Picture::jpeg);
  CHECK(picture_of_extension("EMZ") == Picture::emf);
  CHECK(picture_of_extension("exe") == Picture::unknown);
  CHECK(picture_of_media_type("image/x-png") == Picture::png);
  CHECK(picture_of_media_type("application/vnd.ms-office.vbaProject") == Picture::unknown);
  CHECK(sanitize::formats::is_metafile(Picture::wmf));
  CHECK_FALSE(sanitize::formats::is_raster(Picture::svg));
}
