#!/usr/bin/env python3
"""The slow tier: sanitized office documents must open in LibreOffice.

Runs every input folder through `sanitize batch`, takes the office documents it delivered
(ODF: odt ods odp odg and templates; OOXML: docx xlsx pptx and templates, whatever modules this
build has), a sample of at most --per-type of each extension, and converts them to PDF with
`soffice --headless --convert-to pdf` in a private profile. Fails when a conversion fails or
leaves no PDF, or when there was nothing to convert.

Skipped (exit 77) unless SANITIZE_SLOW_TESTS=1, and when LibreOffice is not installed
(scripts/packages-slow.txt lists its packages; `scripts/test.sh --slow` installs them).

usage: libreoffice_convert.py SANITIZE_BIN INPUT_DIR [INPUT_DIR...] [--per-type N]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SKIP = 77
OFFICE_EXTENSIONS = ("odt", "ott", "ods", "ots", "odp", "otp", "odg", "otg",
                     "docx", "dotx", "xlsx", "xltx", "pptx", "potx", "ppsx")
BATCH_TIMEOUT_SECONDS = 600
CONVERT_TIMEOUT_SECONDS = 900


def office_program():
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def sample(files, per_type):
    """At most per_type files of each extension, spread evenly over the sorted list."""
    by_extension = {}
    for path in sorted(files):
        by_extension.setdefault(path.suffix.lower().lstrip("."), []).append(path)
    chosen = []
    for extension in sorted(by_extension):
        group = by_extension[extension]
        if len(group) <= per_type:
            chosen += group
        else:
            step = len(group) / per_type
            chosen += [group[int(i * step)] for i in range(per_type)]
    return chosen


def sanitize_all(binary, inputs, work):
    delivered = []
    for number, folder in enumerate(inputs):
        out = work / f"clean-{number}"
        process = subprocess.run([binary, "batch", str(folder), str(out), "--reports",
                                  str(work / f"reports-{number}")],
                                 capture_output=True, timeout=BATCH_TIMEOUT_SECONDS)
        if process.returncode not in (0, 1, 2):
            raise RuntimeError(f"sanitize batch {folder} exited {process.returncode}: "
                               f"{process.stderr.decode(errors='replace')[-500:]}")
        delivered += [path for path in out.rglob("*")
                      if path.is_file() and path.suffix.lower().lstrip(".") in OFFICE_EXTENSIONS]
    return delivered


def is_pdf(path):
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        return handle.read(5) == b"%PDF-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("inputs", nargs="+", type=Path)
    parser.add_argument("--per-type", type=int, default=12)
    args = parser.parse_args()
    if os.environ.get("SANITIZE_SLOW_TESTS") != "1":
        print("SKIPPED: the LibreOffice tier runs with SANITIZE_SLOW_TESTS=1 (scripts/test.sh --slow)")
        return SKIP
    program = office_program()
    if program is None:
        print("SKIPPED: LibreOffice is not installed (scripts/packages-slow.txt)")
        return SKIP
    inputs = [folder for folder in args.inputs if folder.is_dir()]
    for folder in sorted(set(args.inputs) - set(inputs)):
        print(f"note: {folder} is absent, not used")

    with tempfile.TemporaryDirectory(prefix="sanitize-lo-") as temp:
        work = Path(temp)
        chosen = sample(sanitize_all(args.binary, inputs, work), args.per_type)
        if not chosen:
            print("FAIL: sanitize delivered no office document to convert")
            return 1
        # One flat folder of unique names, so that one LibreOffice run converts them all.
        staged = work / "staged"
        staged.mkdir()
        names = {}
        for number, path in enumerate(chosen):
            target = staged / f"{number:03d}-{path.name}"
            shutil.copyfile(path, target)
            names[target] = path
        pdfs = work / "pdf"
        profile = work / "profile"
        process = subprocess.run(
            [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(pdfs), *map(str, names)],
            capture_output=True, timeout=CONVERT_TIMEOUT_SECONDS)
        failures = 0
        for target, original in names.items():
            converted = pdfs / (target.stem + ".pdf")
            ok = is_pdf(converted)
            failures += not ok
            relative = original.relative_to(work)
            print(f"{'ok  ' if ok else 'FAIL'} {relative}: "
                  f"{f'{converted.stat().st_size} bytes of PDF' if ok else 'no PDF'}")
        if failures:
            print(process.stdout.decode(errors="replace")[-2000:])
            print(process.stderr.decode(errors="replace")[-2000:])
        print(f"{len(names) - failures}/{len(names)} office documents convert to PDF")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
