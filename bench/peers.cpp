#include "bench/peers.hpp"

#include <algorithm>

namespace sanitize::bench {
namespace {

// Far beyond what any peer needs for the largest generated input; only a hang gets here.
constexpr std::chrono::minutes kPeerTimeLimit(10);

// Two programs run one after the other, as one peer run.
ChildEnd then(const ChildEnd& first, const ChildEnd& second) {
  ChildEnd both = first.ok() ? second : first;
  both.elapsed_ms = first.elapsed_ms + second.elapsed_ms;
  both.peak_rss_mb = std::max(first.peak_rss_mb, second.peak_rss_mb);
  return both;
}

// Removes what unzip wrote, including folders it made read-only as the archive said.
void remove_unpacked(const std::filesystem::path& folder) {
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(folder, error);
       it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_directory(error) && !it->is_symlink(error)) {
      std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                   std::filesystem::perm_options::add, error);
    }
  }
  std::filesystem::remove_all(folder);
}

}  // namespace

std::string iconv_encoding_of(std::string_view description) {
  const auto colon = description.rfind(": ");
  if (colon == std::string_view::npos) return "UTF-8";
  std::string_view name = description.substr(colon + 2);
  // A byte order mark is the encoding's own business: iconv decodes it as U+FEFF.
  if (const auto bom = name.find(" (BOM)"); bom != std::string_view::npos) {
    name = name.substr(0, bom);
  }
  return std::string(name);
}

std::vector<Peer> Peer::for_type(std::string_view type, const std::filesystem::path& scratch_dir) {
  std::vector<Peer> peers;
  if (type == "txt" || type == "csv" || type == "tsv") {
    // Validating the encoding is the text module's own work, less the formula cells.
    peers.push_back(Peer(Kind::iconv_to_utf8, "iconv", {"iconv"}, scratch_dir));
  }
  if (type == "ooxml_word" || type == "ooxml_excel" || type == "ooxml_powerpoint") {
    // The metadata cleaner a user would pick for Office files: it rebuilds the package too.
    peers.push_back(Peer(Kind::mat2, "mat2", {"mat2"}, scratch_dir));
  }
  if (type == "zip" || type.starts_with("ooxml_") || type == "odt" || type == "ods" ||
      type == "odp" || type == "odg") {
    // Unpacking and repacking by hand: what a user would do to "rebuild" an archive, and
    // the least any rebuild of an Office package has to do.
    peers.push_back(Peer(Kind::unzip_then_zip, "unzip+zip", {"unzip", "zip"}, scratch_dir));
  }
  if (type == "pdf") {
    // A bare structural rewrite: what qpdf alone does to every object and stream.
    peers.push_back(Peer(Kind::qpdf_rewrite, "qpdf", {"qpdf"}, scratch_dir));
  }
  return peers;
}

Peer::Peer(Kind kind, std::string label, const std::vector<std::string_view>& programs,
           std::filesystem::path scratch_dir)
    : kind_(kind), label_(std::move(label)), scratch_dir_(std::move(scratch_dir)) {
  for (const std::string_view program : programs) {
    const auto path = find_program(program);
    if (!path) {
      missing_program_ = std::string(program);
      return;
    }
    programs_.push_back(*path);
  }
}

ChildEnd Peer::run(const std::filesystem::path& file, std::string_view description) const {
  switch (kind_) {
    case Kind::iconv_to_utf8:
      return run_iconv(file, description);
    case Kind::unzip_then_zip:
      return run_unzip_then_zip(file);
    case Kind::qpdf_rewrite: {
      const std::filesystem::path rewritten = scratch_dir_ / "rewritten.pdf";
      const ChildEnd end = run_program(
          {programs_[0].string(), std::filesystem::absolute(file).string(), rewritten.string()},
          scratch_dir_, kPeerTimeLimit);
      std::filesystem::remove(rewritten);
      return end;
    }
    case Kind::mat2:
      return run_mat2(file);
  }
  return {};
}

ChildEnd Peer::run_iconv(const std::filesystem::path& file, std::string_view description) const {
  return run_program({programs_[0].string(), "-f", iconv_encoding_of(description), "-t", "UTF-8",
                      std::filesystem::absolute(file).string()},
                     scratch_dir_, kPeerTimeLimit);
}

ChildEnd Peer::run_unzip_then_zip(const std::filesystem::path& file) const {
  const std::filesystem::path unpacked = scratch_dir_ / "unpacked";
  const std::filesystem::path repacked = scratch_dir_ / "repacked.zip";
  // zip adds to an archive that exists: start from nothing every time.
  remove_unpacked(unpacked);
  std::filesystem::remove(repacked);
  std::filesystem::create_directories(unpacked);
  const ChildEnd unzip =
      run_program({programs_[0].string(), "-qq", "-o", std::filesystem::absolute(file).string(),
                   "-d", unpacked.string()},
                  scratch_dir_, kPeerTimeLimit);
  // -y stores symbolic links as links: following one that a hostile archive planted (to /,
  // to /dev/zero) would make zip read outside the scratch folder, or forever.
  const ChildEnd zip = run_program({programs_[1].string(), "-qrXy", repacked.string(), "."},
                                   unpacked, kPeerTimeLimit);
  remove_unpacked(unpacked);
  std::filesystem::remove(repacked);
  return then(unzip, zip);
}

ChildEnd Peer::run_mat2(const std::filesystem::path& file) const {
  // mat2 writes NAME.cleaned.EXT beside its input: it works on a copy in the scratch folder
  // (the copy is not timed), never next to the original.
  const std::filesystem::path folder = scratch_dir_ / "mat2";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  const std::filesystem::path copy = folder / file.filename();
  std::filesystem::copy_file(file, copy);
  const ChildEnd end = run_program({programs_[0].string(), copy.string()}, folder, kPeerTimeLimit);
  std::filesystem::remove_all(folder);
  return end;
}

}  // namespace sanitize::bench
