// Replays every kept fuzz reproducer through the engine: each must end in a verdict, with no
// output when blocked. Names in the folder say which issue found them.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "sanitize/defaults.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_replay REPRODUCER_DIR\n";
    return 64;
  }
  const auto engine = sanitize::make_default_engine();
  int replayed = 0;
  int failures = 0;
  for (const auto& file : std::filesystem::directory_iterator(argv[1])) {
    if (!file.is_regular_file() || file.path().filename().string().starts_with(".")) continue;
    std::ifstream in(file.path(), std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
    const auto result = engine->sanitize(bytes, file.path().filename().string());
    ++replayed;
    if (result.verdict == sanitize::Verdict::blocked && !result.output.empty()) {
      std::cerr << file.path() << ": blocked but produced output\n";
      ++failures;
    }
  }
  std::cout << "replayed " << replayed << " reproducers, " << failures << " failures\n";
  return failures == 0 ? 0 : 1;
}
