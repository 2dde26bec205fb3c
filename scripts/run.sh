#!/usr/bin/env bash
# Sets up, builds, and runs the main job on the embedded default: the generated test corpus
# goes through `sanitize batch` into out/clean/, with one report per file in out/reports/.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
rm -rf out
mkdir -p out
set +e
build/service/cli/sanitize batch build/corpus/generated out/clean --reports out/reports
status=$?
set -e
echo
echo "clean files: out/clean/   reports: out/reports/   (exit code $status: the worst verdict)"
if [ "$status" -gt 2 ]; then exit "$status"; fi
