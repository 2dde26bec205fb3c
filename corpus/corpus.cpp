#include "corpus.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace sanitize::corpus {

Writer::Writer(std::filesystem::path root) : root_(std::move(root)) {
  std::filesystem::create_directories(root_);
}

void Writer::add(std::string_view path, std::span<const std::uint8_t> bytes,
                 Expectation expectation, std::string_view description) {
  for (const auto& existing : cases_) {
    if (existing.path == path) throw std::logic_error("corpus path used twice: " + existing.path);
  }
  const std::filesystem::path target = root_ / std::filesystem::path(std::string(path));
  std::filesystem::create_directories(target.parent_path());
  std::ofstream file(target, std::ios::binary | std::ios::trunc);
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  if (!file) throw std::runtime_error("cannot write " + target.string());
  cases_.push_back(Case{std::string(path), std::move(expectation), std::string(description)});
}

void Writer::add(std::string_view path, std::string_view text, Expectation expectation,
                 std::string_view description) {
  add(path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
      std::move(expectation), description);
}

void Writer::finish() const {
  nlohmann::ordered_json manifest = nlohmann::ordered_json::array();
  for (const auto& c : cases_) {
    manifest.push_back({{"path", c.path},
                        {"verdict", c.expectation.verdict},
                        {"block_reason", c.expectation.block_reason},
                        {"findings", c.expectation.findings},
                        {"checks", c.expectation.checks},
                        {"description", c.description}});
  }
  std::ofstream file(root_ / "manifest.json", std::ios::trunc);
  file << manifest.dump(1) << "\n";
  if (!file) throw std::runtime_error("cannot write the corpus manifest");
}

Expectation delivered(std::string verdict, std::vector<std::string> findings,
                      const std::vector<std::string>& checks,
                      const std::vector<std::string>& extra) {
  Expectation expectation{std::move(verdict), "", std::move(findings), checks};
  expectation.checks.insert(expectation.checks.end(), extra.begin(), extra.end());
  return expectation;
}

Expectation blocked(std::string reason) {
  return Expectation{"blocked", std::move(reason), {}, {}};
}

}  // namespace sanitize::corpus
