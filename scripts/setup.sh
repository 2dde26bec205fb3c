#!/usr/bin/env bash
# Installs every Debian package the project needs (scripts/packages.txt, the one list, plus
# any further lists named as arguments, e.g. scripts/packages-slow.txt) and builds it in
# Release into build/. Run as root or with sudo available.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_prefix=()
if [ "$(id -u)" -ne 0 ]; then sudo_prefix=(sudo); fi
mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/packages.txt "$@")
"${sudo_prefix[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo_prefix[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${packages[@]}"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$(nproc)"
