#!/usr/bin/env python3
"""Runs the `sanitize` command over the generated corpus and checks, with checkers that do not
link libsanitize, that every case ends as its manifest says, that nothing active remains,
that nothing disappeared unreported, and that outputs are deterministic: the same in every
time zone, and unchanged when sanitized again.

usage: check_corpus.py SANITIZE_BIN CORPUS_DIR
"""

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import checkers  # noqa: E402

EXIT_CODES = {"clean": 0, "sanitized": 1, "blocked": 2}
TIMEOUT_SECONDS = 120


def sanitize(binary, source, out_dir, report_path, tz="UTC"):
    env = dict(os.environ, TZ=tz)
    process = subprocess.run(
        [binary, "file", str(source), "-o", str(out_dir), "--report", str(report_path)],
        capture_output=True, timeout=TIMEOUT_SECONDS, env=env)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    outputs = list(out_dir.iterdir())
    output = outputs[0].read_bytes() if outputs else None
    return process, report, output, (outputs[0].name if outputs else None)


def check_case(binary, root, case, work):
    source = root / case["path"]
    data = source.read_bytes()
    first = work / "first"
    first.mkdir()
    process, report, output, output_name = sanitize(binary, source, first, work / "first.json")
    problems = []
    expected = case["verdict"]
    if report["verdict"] != expected:
        detail = report.get("block", {}).get("detail", "")
        problems.append(f"verdict {report['verdict']} ({detail}), expected {expected}")
    if process.returncode != EXIT_CODES[report["verdict"]]:
        problems.append(f"exit code {process.returncode} for verdict {report['verdict']}")
    if expected == "blocked":
        reason = report.get("block", {}).get("reason")
        if case["block_reason"] and reason != case["block_reason"]:
            problems.append(f"block reason {reason}, expected {case['block_reason']}")
        if output is not None:
            problems.append("a blocked file left an output")
        return problems
    missing = set(case["findings"]) - checkers.finding_kinds(report)
    if missing:
        problems.append(f"findings missing: {sorted(missing)}")
    if output is None:
        return problems + ["no output for a delivered file"]
    for check in case["checks"]:
        try:
            checkers.run_check(check, data, output, report)
        except checkers.CheckFailed as failure:
            problems.append(f"{check}: {failure}")
        except Exception as error:  # a checker crash is a failure of the case, not the run
            problems.append(f"{check}: {type(error).__name__}: {error}")

    # Determinism: another time zone gives the same bytes.
    tokyo = work / "tokyo"
    tokyo.mkdir()
    _, _, tokyo_output, _ = sanitize(binary, source, tokyo, work / "tokyo.json", "Asia/Tokyo")
    if tokyo_output != output:
        problems.append("output differs between TZ=UTC and TZ=Asia/Tokyo")
    # Idempotence: sanitizing the output again changes nothing.
    again_input = work / "again-input"
    again_input.mkdir()
    again_source = again_input / output_name
    again_source.write_bytes(output)
    again = work / "again"
    again.mkdir()
    _, again_report, again_output, _ = sanitize(binary, again_source, again, work / "again.json")
    if again_output != output:
        problems.append(f"a second pass changed the output (verdict {again_report['verdict']})")
    elif again_report["verdict"] != "clean":
        problems.append(f"a second pass still finds {sorted(checkers.finding_kinds(again_report))}")
    return problems


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 64
    binary, root = sys.argv[1], Path(sys.argv[2])
    cases = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return checkers.run_cases(
        cases, lambda case, work: check_case(binary, root, case, work),
        lambda case: case["path"], lambda case: case["description"], "corpus cases")

if __name__ == "__main__":
    sys.exit(main())
