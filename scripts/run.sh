#!/usr/bin/env bash
# Sets up, builds, and runs the main job: the spool gateway (`sanitize spool --once`) on a
# local spool in out/gateway/ whose inbox is seeded with the generated test corpus. Every
# file is sanitized in a sandboxed worker and delivered into the outbox, or quarantined with
# a notice delivered in its place; every step is in the signed audit log, which is then
# verified.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
gateway=out/gateway
rm -rf out
mkdir -p "$gateway/spool/inbox"
# The corpus, less its manifest (which describes the files, and is not one of them).
cp -r build/corpus/generated/. "$gateway/spool/inbox/"
rm -f "$gateway/spool/inbox/manifest.json"
# The key that signs the audit log's head: here an HMAC secret; docs/spool.md shows Ed25519.
head -c 48 /dev/urandom > "$gateway/audit.key"
chmod 600 "$gateway/audit.key"
cat > "$gateway/gateway.toml" <<'TOML'
[spool]
root = "spool"
instance = "local"
workers = 2
settle_ms = 200
min_free_bytes = 0
[audit]
key_file = "audit.key"
[syslog]
target = ""
TOML

build/service/cli/sanitize spool --config "$gateway/gateway.toml" --once
echo
build/service/cli/sanitize audit verify "$gateway/spool/audit" --key "$gateway/audit.key"
build/service/cli/sanitize audit export --csv "$gateway/spool/audit" -o "$gateway/monthly-report.csv"

count() { find "$1" -type f ! -name '.*' | wc -l; }
echo
echo "clean files:   $gateway/spool/outbox/      ($(count "$gateway/spool/outbox") files, notices of blocked files included: *.blocked.txt)"
echo "quarantine:    $gateway/spool/quarantine/  ($(find "$gateway/spool/quarantine" -mindepth 1 -maxdepth 1 | wc -l) blocked files, each with its report)"
echo "originals:     $gateway/spool/originals/   (kept for the retention period)"
echo "reports:       $gateway/spool/reports/"
echo "audit log:     $gateway/spool/audit/local/audit.jsonl (signed head: $gateway/spool/audit/local/head)"
echo "monthly CSV:   $gateway/monthly-report.csv"
echo "metrics:       $gateway/spool/state/local.prom"
