#include "formats/executable/executable_format.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

namespace sanitize::formats {
namespace {

using namespace std::string_view_literals;

const std::vector<TypeSpec> kTypes{
    {"pe",
     "Windows program (PE)",
     {"exe", "dll", "sys", "scr", "cpl", "ocx", "com", "efi", "xll"},
     BlockReason::dangerous_type},
    {"elf", "Linux program (ELF)", {"", "so", "bin", "run"}, BlockReason::dangerous_type},
    {"macho",
     "macOS program (Mach-O) or Java class",
     {"", "dylib", "class"},
     BlockReason::dangerous_type},
    {"msi",
     "Windows Installer package (MSI/MSP/MST)",
     {"msi", "msp", "mst"},
     BlockReason::dangerous_type},
    {"lnk", "Windows shortcut (LNK)", {"lnk"}, BlockReason::dangerous_type},
    {"onenote", "OneNote document", {"one", "onepkg"}, BlockReason::dangerous_type},
    {"chm", "Compiled HTML Help (CHM)", {"chm"}, BlockReason::dangerous_type},
    {"disk_image",
     "Disk image (ISO, UDF, VHD, VHDX, DMG)",
     {"iso", "img", "udf", "vhd", "vhdx", "dmg"},
     BlockReason::dangerous_type},
    {"wasm", "WebAssembly module", {"wasm"}, BlockReason::dangerous_type},
    {"program", "Program or binary image", {}, BlockReason::dangerous_type},
};

struct Signature {
  std::string_view type;
  std::size_t offset;
  std::string_view bytes;
};

constexpr Signature kSignatures[] = {
    {"elf", 0,
     "\x7F"
     "ELF"sv},
    {"macho", 0, "\xFE\xED\xFA\xCE"sv},
    {"macho", 0, "\xFE\xED\xFA\xCF"sv},
    {"macho", 0, "\xCE\xFA\xED\xFE"sv},
    {"macho", 0, "\xCF\xFA\xED\xFE"sv},
    {"macho", 0, "\xCA\xFE\xBA\xBE"sv},
    {"lnk", 0,
     "\x4C\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46"sv},
    {"onenote", 0, "\xE4\x52\x5C\x7B\x8C\xD8\xA7\x4D\xAE\xB1\x53\x78\xD0\x29\x96\xD3"sv},
    {"chm", 0, "ITSF\x03\x00\x00\x00"sv},
    {"disk_image", 0x8000,
     "\x01"
     "CD001"sv},
    {"disk_image", 0x8800,
     "\x01"
     "CD001"sv},
    {"disk_image", 0x9000,
     "\x01"
     "CD001"sv},
    {"disk_image", 0x8000,
     "\x00"
     "BEA01"sv},
    {"disk_image", 0, "conectix"sv},
    {"disk_image", 0, "vhdxfile"sv},
    {"wasm", 0, "\0asm"sv},
};

bool has_at(std::span<const std::uint8_t> bytes, std::size_t offset, std::string_view signature) {
  return bytes.size() >= offset + signature.size() &&
         std::equal(signature.begin(), signature.end(),
                    bytes.begin() + static_cast<std::ptrdiff_t>(offset),
                    [](char c, std::uint8_t b) { return static_cast<std::uint8_t>(c) == b; });
}

std::uint32_t read_u32(std::span<const std::uint8_t> bytes, std::size_t offset) {
  return bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) |
         (static_cast<std::uint32_t>(bytes[offset + 3]) << 24);
}

// "MZ" and, where its header says, "PE\0\0". A bare "MZ" is left to libmagic: plenty of
// text starts with those two letters.
bool is_pe(std::span<const std::uint8_t> bytes) {
  if (!has_at(bytes, 0, "MZ") || bytes.size() < 0x40) return false;
  return has_at(bytes, read_u32(bytes, 0x3C), "PE\0\0"sv);
}

// Fixed VHD and DMG images carry their signature in a 512-byte footer.
bool has_image_footer(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 512) return false;
  const std::size_t footer = bytes.size() - 512;
  return has_at(bytes, footer, "conectix") || has_at(bytes, footer, "koly");
}

// {000C1084-...} installer, {000C1086-...} patch, {000C1082-...} transform.
bool is_msi(std::span<const std::uint8_t> bytes) {
  const auto clsid = ole2_root_clsid(bytes);
  if (!clsid) return false;
  constexpr std::uint8_t kTail[] = {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0,
                                    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
  const auto& id = *clsid;
  const bool installer_family = id[1] == 0x10 && id[2] == 0x0C && id[3] == 0x00 &&
                                (id[0] == 0x84 || id[0] == 0x86 || id[0] == 0x82);
  return installer_family && std::equal(std::begin(kTail), std::end(kTail), id.begin() + 2);
}

class ExecutableFormat final : public Format {
 public:
  std::string_view name() const override { return "executable"; }
  std::span<const TypeSpec> types() const override { return kTypes; }

  std::optional<Claim> claim(const Probe& probe) const override {
    const auto bytes = probe.bytes;
    if (is_pe(bytes)) return Claim{"pe", ClaimStrength::specific, probe.description()};
    for (const auto& signature : kSignatures) {
      if (has_at(bytes, signature.offset, signature.bytes)) {
        return Claim{std::string(signature.type), ClaimStrength::specific, probe.description()};
      }
    }
    if (has_image_footer(bytes))
      return Claim{"disk_image", ClaimStrength::specific, probe.description()};
    if (probe.family == Family::ole2 && (is_msi(bytes) || probe.mime == "application/x-msi")) {
      return Claim{"msi", ClaimStrength::specific, {}};
    }
    if (probe.family == Family::executable) {
      return Claim{"program", ClaimStrength::specific, probe.description()};
    }
    return std::nullopt;
  }
};

}  // namespace

std::optional<std::span<const std::uint8_t, 16>> ole2_root_clsid(
    std::span<const std::uint8_t> bytes) {
  constexpr std::size_t kHeaderSize = 512;
  if (!has_at(bytes, 0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv) || bytes.size() < kHeaderSize) {
    return std::nullopt;
  }
  const unsigned shift = bytes[0x1E] | (bytes[0x1F] << 8);
  if (shift != 9 && shift != 12) return std::nullopt;
  const std::uint32_t first_directory_sector = read_u32(bytes, 0x30);
  const std::uint64_t sector_size = std::uint64_t{1} << shift;
  const std::uint64_t root = (static_cast<std::uint64_t>(first_directory_sector) + 1) * sector_size;
  constexpr std::size_t kClsidOffset = 0x50;
  if (first_directory_sector >= 0xFFFFFFFA || root + kClsidOffset + 16 > bytes.size()) {
    return std::nullopt;
  }
  return bytes.subspan(root + kClsidOffset).first<16>();
}

const Format& executable_format() {
  static const ExecutableFormat format;
  return format;
}

}  // namespace sanitize::formats
