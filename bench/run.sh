#!/bin/sh
# Builds sanitize-bench in Release and runs it over the generated corpus, the public corpus
# when present and the generated large inputs, printing the table.
#   bench/run.sh [sanitize-bench options, e.g. --repeat 5 or --json]
# Environment: BUILD_DIR (default build/), LARGE_DIR (default $TMPDIR/sanitize-bench-large),
# PUBLIC_CORPUS (default ../shared/corpus/public next to the source tree).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
large=${LARGE_DIR:-${TMPDIR:-/tmp}/sanitize-bench-large}
public=${PUBLIC_CORPUS:-$root/../shared/corpus/public}

# Timings of a Debug or sanitizer build mean nothing; never switch someone's build type.
if [ -f "$build/CMakeCache.txt" ]; then
  type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
  asan=$(sed -n 's/^SANITIZE_ASAN:[A-Z]*=//p' "$build/CMakeCache.txt")
  if [ "$type" != Release ] || [ "$asan" = ON ]; then
    echo "run.sh: $build is a $type build${asan:+ (SANITIZE_ASAN=$asan)}; set BUILD_DIR to a Release one" >&2
    exit 64
  fi
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$build" sanitize-bench sanitize-spool-bench sanitize_cli corpus

set -- "$@" "$build/corpus/generated"
if [ -d "$public" ]; then
  set -- "$@" "$public"
else
  echo "run.sh: no public corpus at $public: skipped" >&2
fi
"$build/bench/sanitize-bench" --large "$large" --pdf-scaling "$large/pdf" "$@"
echo
"$build/bench/sanitize-spool-bench" --sanitize "$build/service/cli/sanitize" \
  --scratch "$build/spool-bench-scratch"
