#!/usr/bin/env python3
"""Runs every real-world sample of the shared public corpus through the `sanitize` command.

The folder is ../shared/corpus/public beside the repository, or $SANITIZE_PUBLIC_CORPUS.
When it is absent the tier is skipped (exit code 77) and says so.

Rules, per MANIFEST.tsv's `expected` column:
  * a file handled by a placeholder (no module for its format yet) must be blocked as
    unsupported_format (or, for placeholders that know better, encrypted or dangerous_type),
    whatever it is expected to be: the tier tightens by itself as modules land;
  * threat: blocked, or delivered with nothing active left (independent checks per type);
    an ODF threat that is delivered must also have findings, and every entry of the input
    must be in the output or named by one;
  * Word, Excel and PowerPoint files are rebuilt, never blocked, unless encrypted;
  * office-encrypted: blocked as encrypted, the detail saying "encrypted document";
  * benign: delivered, and the output is valid;
  * malformed: blocked, or delivered valid;
  * always: an exit code of 0, 1 or 2 within the time limit; never a crash or a hang.

usage: check_public.py SANITIZE_BIN
"""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checkers  # noqa: E402
import odf_checks  # noqa: E402

SKIP = 77
TIMEOUT_SECONDS = 120
PLACEHOLDER_REASONS = {"unsupported_format", "encrypted", "dangerous_type"}
ODF_TYPES = {"odt", "ott", "ods", "ots", "odp", "otp", "odg", "otg"}
OOXML_TYPES = {"ooxml_word", "ooxml_excel", "ooxml_powerpoint"}


def corpus_root():
    configured = os.environ.get("SANITIZE_PUBLIC_CORPUS")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "shared" / "corpus" / "public"


def delivered_checks(detected_type, data, output, report):
    """Independent validity and 'nothing active' checks for the types with a module."""
    if detected_type in OOXML_TYPES:
        ooxml = checkers.ooxml_checkers
        ooxml.ooxml_valid(output)
        ooxml.ooxml_inert(output)
        ooxml.ooxml_plain_type(output, report["output"]["name"])
        ooxml.ooxml_parts_accounted(data, output, checkers.finding_locations(report))
    elif detected_type == "zip":
        checkers.zip_valid(output)
        checkers.zip_names_safe(output)
    elif detected_type in ("csv", "tsv"):
        checkers.csv_no_formula(output)
    elif detected_type == "pdf":
        checkers.pdf_valid(output)
        checkers.pdf_nothing_active(output)
    elif detected_type == "txt":
        checkers.decode_text(output)
    elif detected_type in ODF_TYPES:
        odf_checks.delivered(output)
        odf_checks.odf_entries_accounted(data, output, report)


def check(binary, path, expected, category, work):
    out_dir = work / "out"
    out_dir.mkdir()
    report_path = work / "report.json"
    process = subprocess.run(
        [binary, "file", str(path), "-o", str(out_dir), "--report", str(report_path)],
        capture_output=True, timeout=TIMEOUT_SECONDS)
    if process.returncode not in (0, 1, 2):
        return [f"exit code {process.returncode}: {process.stderr.decode(errors='replace')[-300:]}"]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    verdict = report["verdict"]
    reason = report.get("block", {}).get("reason")
    outputs = list(out_dir.iterdir())
    problems = []
    if category == "office-encrypted":
        detail = report.get("block", {}).get("detail", "")
        if verdict != "blocked" or reason != "encrypted" or "encrypted document" not in detail:
            problems.append(f"encrypted document gave {verdict}/{reason}: {detail}")
        return problems
    if report["format"] == "unsupported":
        if verdict != "blocked" or reason not in PLACEHOLDER_REASONS:
            problems.append(f"placeholder gave {verdict}/{reason}")
        return problems
    if verdict == "blocked":
        if outputs:
            problems.append("blocked but an output was written")
        if expected == "benign" or report["detected_type"] in OOXML_TYPES:
            problems.append(f"{expected} file blocked: {reason}: {report['block']['detail']}")
        return problems
    if not outputs:
        return ["delivered verdict without an output"]
    try:
        delivered_checks(report["detected_type"], path.read_bytes(), outputs[0].read_bytes(), report)
    except (checkers.CheckFailed, Exception) as failure:
        problems.append(f"output check failed: {failure}")
    if report["detected_type"] in ODF_TYPES and expected == "threat" and verdict != "sanitized":
        problems.append(f"an ODF threat came out {verdict}: nothing was removed")
    return problems


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 64
    root = corpus_root()
    manifest = root / "MANIFEST.tsv"
    if not manifest.is_file():
        print(f"SKIPPED: the public corpus is not at {root} (set SANITIZE_PUBLIC_CORPUS)")
        return SKIP
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return checkers.run_cases(
        rows, lambda row, work: check(sys.argv[1], root / row["relative_path"], row["expected"],
                                      row["category"], work),
        lambda row: row["relative_path"], lambda row: row["expected"], "public samples")

if __name__ == "__main__":
    sys.exit(main())
