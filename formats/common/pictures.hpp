// Pictures inside packages (OOXML, ODF): what their bytes are, what their name and media type
// say they are, and which of them can be delivered without a module that decodes them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace sanitize::formats {

enum class Picture { unknown, png, jpeg, gif, bmp, tiff, webp, emf, wmf, svm, svg };

// What the bytes are, by their signature.
Picture sniff_picture(std::span<const std::uint8_t> bytes);
// What an extension (no dot, any case) or a media type (parameters ignored) says.
Picture picture_of_extension(std::string_view extension);
Picture picture_of_media_type(std::string_view media_type);
// What the entry name's extension, else its media type, says; unknown when neither names a
// picture type.
Picture declared_picture(std::string_view name, std::string_view media_type);

std::string_view picture_name(Picture picture);
std::string_view picture_media_type(Picture picture);
// Raster formats whose signature is checked here; the bytes are delivered as they came.
bool is_raster(Picture picture);
// Vector metafiles (EMF, WMF, StarView SVM) that no module validates yet.
bool is_metafile(Picture picture);
// Already compressed: stored in the package, not deflated again.
bool is_compressed(Picture picture);

}  // namespace sanitize::formats
