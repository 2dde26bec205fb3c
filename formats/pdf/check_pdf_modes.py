#!/usr/bin/env python3
"""The PDF module's two modes end to end, through the `sanitize` command (sandboxed), checked
with tools that do not link libsanitize (tests/corpus/checkers.py: qpdf, pdfinfo, pdftotext):

  * rasterize, on every generated PDF that rebuild delivers and on the public PDF samples:
    delivered, nothing active, accepted by qpdf --check, same page count and page sizes, and
    for the benign cases every word of the input's text in the output's text layer;
  * rebuild, on the public PDF samples (the generated ones are covered by check_corpus.py):
    the same bytes in two time zones, and a second run on the output is clean and changes
    nothing.

The public samples are ../shared/corpus/public (or $SANITIZE_PUBLIC_CORPUS); without them
only the generated cases run.

usage: check_pdf_modes.py SANITIZE_BIN CORPUS_DIR
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
import checkers  # noqa: E402

TIMEOUT_SECONDS = 120
RASTERIZE_POLICY = '[formats.pdf]\nmode = "rasterize"\ndpi = 72\n'


def sanitize(binary, source, work, policy=None, tz="UTC"):
    """Runs one file; returns (report, output bytes or None)."""
    out_dir = Path(tempfile.mkdtemp(dir=work))
    report_path = out_dir.with_suffix(".json")
    args = [binary, "file", str(source), "-o", str(out_dir), "--report", str(report_path)]
    if policy:
        policy_path = out_dir.with_suffix(".toml")
        policy_path.write_text(policy, encoding="utf-8")
        args += ["--policy", str(policy_path)]
    subprocess.run(args, capture_output=True, timeout=TIMEOUT_SECONDS, env=dict(os.environ, TZ=tz))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    outputs = list(out_dir.iterdir())
    return report, (outputs[0].read_bytes() if outputs else None)


def readable_pages(data):
    try:
        return checkers.pdf_pages(data)
    except (checkers.CheckFailed, AttributeError):
        return None  # poppler cannot read the input either: nothing to compare with


def check_rasterize(binary, source, work, benign):
    data = source.read_bytes()
    report, output = sanitize(binary, source, work, RASTERIZE_POLICY)
    if output is None:
        detail = report.get("block", {})
        return [f"rasterize blocked: {detail.get('reason')}: {detail.get('detail')}"]
    problems = []
    for check in (checkers.pdf_valid, checkers.pdf_nothing_active, checkers.pdf_not_encrypted):
        try:
            check(output)
        except checkers.CheckFailed as failure:
            problems.append(f"rasterize {check.__name__}: {failure}")
    pages = readable_pages(data)
    if pages is not None and pages != checkers.pdf_pages(output):
        problems.append(f"rasterize: pages and sizes {pages} became {checkers.pdf_pages(output)}")
    if benign:
        try:
            checkers.pdf_same_words(data, output)
        except checkers.CheckFailed as failure:
            problems.append(f"rasterize: {failure}")
    return problems


def check_rebuild(binary, source, work):
    report, output = sanitize(binary, source, work)
    if output is None:
        return []  # a block is check_public.py's business
    problems = []
    _, tokyo = sanitize(binary, source, work, tz="Asia/Tokyo")
    if tokyo != output:
        problems.append("rebuild differs between TZ=UTC and TZ=Asia/Tokyo")
    again_source = Path(work) / "again.pdf"
    again_source.write_bytes(output)
    again_report, again = sanitize(binary, again_source, work)
    if again != output:
        problems.append(f"a second rebuild changed the output ({again_report['verdict']})")
    elif again_report["verdict"] != "clean":
        problems.append(f"a second rebuild still finds {sorted(checkers.finding_kinds(again_report))}")
    return problems


def public_pdfs():
    configured = os.environ.get("SANITIZE_PUBLIC_CORPUS")
    root = Path(configured) if configured else ROOT.parent / "shared" / "corpus" / "public"
    manifest = root / "MANIFEST.tsv"
    if not manifest.is_file():
        print(f"note: no public corpus at {root}: its PDFs are skipped")
        return []
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return [(root / row["relative_path"], row["expected"] == "benign") for row in rows
                if row["category"].startswith("pdf-") or row["category"] == "benign-pdf"]


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 64
    binary, corpus = sys.argv[1], Path(sys.argv[2])
    cases = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    items = [(corpus / c["path"], "pdf_text_equal" in c["checks"], False) for c in cases
             if c["path"].startswith("pdf/") and c["verdict"] != "blocked"]
    items += [(path, benign, True) for path, benign in public_pdfs()]

    def check(item, work):
        path, benign, public = item
        problems = check_rasterize(binary, path, work, benign)
        if public:
            problems += check_rebuild(binary, path, work)
        return problems

    return checkers.run_cases(items, check, lambda item: item[0].name,
                              lambda item: "public" if item[2] else "generated", "PDF files")


if __name__ == "__main__":
    sys.exit(main())
