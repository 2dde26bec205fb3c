#!/usr/bin/env bash
# Runs every libFuzzer target of a build for a fixed time, seeded from the generated corpus
# and the kept reproducers. A crash leaves its input in fuzz-findings/<target>/: add it to
# tests/fuzz/reproducers/ (named after its issue) so the tests replay it from then on.
#   usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
build="$1"
seconds="$2"

seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
# Files of the corpus share names across folders (two sound.pdf): numbered, not refused.
find "$build/corpus/generated" -type f ! -name manifest.json -size -2M \
  -exec cp --backup=numbered -t "$seeds" {} +
cp tests/fuzz/reproducers/* "$seeds" 2>/dev/null || true
cp formats/*/fuzz_seeds/* "$seeds" 2>/dev/null || true

status=0
for fuzzer in $(cat "$build/fuzzers.txt"); do
  name="$(basename "$fuzzer")"
  mkdir -p "fuzz-findings/$name"
  work="$(mktemp -d)"
  echo "-- $name"
  if ! "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
      -artifact_prefix="fuzz-findings/$name/" -print_final_stats=1 "$work" "$seeds" \
      > "fuzz-findings/$name.log" 2>&1; then
    echo "   $name found a crash: fuzz-findings/$name/"
    tail -40 "fuzz-findings/$name.log"
    status=1
  else
    grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "fuzz-findings/$name.log" || true
  fi
  rm -rf "$work"
done
exit "$status"
