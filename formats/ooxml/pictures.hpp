// Pictures inside a package: what their bytes, their name and their content type say they are.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace sanitize::formats::ooxml {

enum class ImageFormat { png, jpeg, gif, bmp, tiff, emf, wmf, svg, other };

ImageFormat image_format_of_bytes(std::span<const std::uint8_t> bytes);
ImageFormat image_format_of_extension(std::string_view extension);
ImageFormat image_format_of_content_type(std::string_view content_type);
std::string_view to_string(ImageFormat format);

// EMF and WMF: kept only when the policy says so.
bool is_metafile(ImageFormat format);

}  // namespace sanitize::formats::ooxml
