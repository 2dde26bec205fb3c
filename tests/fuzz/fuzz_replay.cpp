// Replays every kept fuzz reproducer and every module's fuzz seed through the engine: each
// must end in a verdict, with no output when blocked. Names of reproducers say which issue
// found them. Replaying nothing is a failure: the folders were not found.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

#include "sanitize/defaults.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: fuzz_replay DIR...\n";
    return 64;
  }
  const auto engine = sanitize::make_default_engine();
  int replayed = 0;
  int failures = 0;
  for (int arg = 1; arg < argc; ++arg) {
    for (const auto& file : std::filesystem::directory_iterator(argv[arg])) {
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
  }
  std::cout << "replayed " << replayed << " files, " << failures << " failures\n";
  return failures == 0 && replayed > 0 ? 0 : 1;
}
