#!/usr/bin/env bash
# Sets up, builds, and runs every test: unit and integration tests of the Release build, then
# the hardened tier (AddressSanitizer + UBSan build running the unit tests, each libFuzzer
# target for a short fixed time from the generated corpus, every kept reproducer replayed).
#   --slow   longer fuzzing (SANITIZE_FUZZ_SECONDS, default 600 s per target with --slow), and
#            the LibreOffice tier: installs scripts/packages-slow.txt and converts sanitized
#            office documents to PDF (tests/office/)
set -euo pipefail
cd "$(dirname "$0")/.."

fuzz_seconds="${SANITIZE_FUZZ_SECONDS:-20}"
slow_lists=()
if [ "${1:-}" = "--slow" ]; then
  fuzz_seconds="${SANITIZE_FUZZ_SECONDS:-600}"
  slow_lists=(scripts/packages-slow.txt)
fi

scripts/setup.sh "${slow_lists[@]}"
jobs="$(nproc)"

echo "== Release build: unit and integration tests"
ctest --test-dir build --output-on-failure -j "$jobs"

if [ "${#slow_lists[@]}" -gt 0 ]; then
  echo "== Slow tier: LibreOffice converts sanitized office documents to PDF"
  SANITIZE_SLOW_TESTS=1 ctest --test-dir build --output-on-failure -L slow
fi

echo "== AddressSanitizer + UBSan build with the libFuzzer targets (clang)"
CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSANITIZE_ASAN=ON -DSANITIZE_FUZZ=ON
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" -L unit

echo "== Fuzzing, ${fuzz_seconds} s per target"
scripts/fuzz.sh build-asan "$fuzz_seconds"
