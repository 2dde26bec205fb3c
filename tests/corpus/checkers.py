"""Independent checks of sanitized outputs. They use Python's own parsers (zipfile, csv,
codecs) and never libsanitize, so that a blind spot of the sanitizer is not shared."""

import csv
import io
import subprocess
import tempfile
from pathlib import Path
import re
import stat
import unicodedata
import zipfile

import ooxml_checkers

DANGEROUS_EXTENSIONS = {
    "exe", "dll", "com", "scr", "pif", "cpl", "msi", "msp", "bat", "cmd", "vbs", "vbe", "js",
    "jse", "wsf", "wsh", "hta", "ps1", "psm1", "lnk", "url", "scf", "reg", "inf", "jar", "iso",
    "img", "vhd", "vhdx", "one", "chm", "slk", "iqy", "sh", "docm", "xlsm", "pptm", "dotm",
    "xltm", "potm", "ppsm", "xlam", "ppam",
}
RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9]|conin\$|conout\$)$", re.I)
PLAIN_NUMBER = re.compile(r"^[+-]?(?=.*\d)[\d.,\s()/%+-]*([eE][+-]?\d+)?[\d.,\s()/%]*$")
FORMULA_START = "=+-@"


CheckFailed = ooxml_checkers.CheckFailed


def raw_name(info):
    """The stored bytes of an entry name (zipfile decodes unflagged names as CP437)."""
    if info.flag_bits & 0x800:
        return info.filename.encode("utf-8")
    return info.filename.encode("cp437")


def decode_name(info):
    """The name as a person on Japanese Windows sees it."""
    raw = raw_name(info)
    if info.flag_bits & 0x800:
        return raw.decode("utf-8", "replace")
    for encoding in ("ascii", "utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("cp437")


def fold(name):
    return unicodedata.normalize("NFC", name).casefold().rstrip(". ")


def zip_valid(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise CheckFailed(f"zip entry {bad!r} fails its CRC")


def zip_names_safe(data, depth=0):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        seen = set()
        for info in archive.infolist():
            name = info.filename
            if not name.isascii() and not info.flag_bits & 0x800:
                raise CheckFailed(f"{name!r}: non-ASCII name without the UTF-8 flag")
            if info.flag_bits & 0x1:
                raise CheckFailed(f"{name!r}: encrypted entry delivered")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode):
                raise CheckFailed(f"{name!r}: link or device entry delivered")
            if name.startswith("/") or "\\" in name or ":" in name:
                raise CheckFailed(f"{name!r}: absolute, backslash or stream name")
            if any(ord(c) < 32 or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in name):
                raise CheckFailed(f"{name!r}: control character in name")
            parts = name.rstrip("/").split("/")
            for part in parts:
                if part in ("", ".", "..") or part.endswith((".", " ")):
                    raise CheckFailed(f"{name!r}: unsafe component {part!r}")
                if RESERVED.match(part.split(".")[0].rstrip(" ")):
                    raise CheckFailed(f"{name!r}: reserved device name")
            extension = parts[-1].rsplit(".", 1)[-1].lower() if "." in parts[-1] else ""
            if not name.endswith("/") and extension in DANGEROUS_EXTENSIONS:
                raise CheckFailed(f"{name!r}: dangerous extension delivered")
            key = fold(name.rstrip("/"))
            if key in seen:
                raise CheckFailed(f"{name!r}: collides with another entry")
            seen.add(key)
            if extension == "zip" and depth < 8:
                zip_names_safe(archive.read(info), depth + 1)


def finding_locations(report):
    locations = {f["location"] for f in report["findings"]}
    for child in report["children"]:
        locations |= finding_locations(child)
    return locations


def zip_entries_accounted(data, output, report):
    """Every entry of the input is in the output or named by a finding."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # Python cannot list it either; the expectation covers it
    with source, zipfile.ZipFile(io.BytesIO(output)) as result:
        delivered = {info.filename for info in result.infolist()}
        stems = {name.rsplit(".", 1)[0] for name in delivered}
        named = finding_locations(report)
        for info in source.infolist():
            name = decode_name(info).replace("\\", "/")
            if name in delivered or name in named:
                continue
            if name.rsplit(".", 1)[0] in stems:  # delivered under a converted extension
                continue
            raise CheckFailed(f"entry {name!r} disappeared without a finding")


def zip_contains(output, name):
    with zipfile.ZipFile(io.BytesIO(output)) as archive:
        names = [info.filename for info in archive.infolist()]
    if name not in names:
        raise CheckFailed(f"{name!r} not in the output (it holds {names})")


def decode_text(data):
    for encoding in ("utf-8-sig", "cp932", "euc_jp", "utf-16"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise CheckFailed("output text is in no known encoding")


def dangerous_cell(cell):
    stripped = cell.lstrip(" \t\r")
    if not stripped or stripped[0] not in FORMULA_START:
        return False
    if stripped in ("-", "+"):
        return False
    return not PLAIN_NUMBER.match(stripped)


def csv_no_formula(output, delimiter=None):
    text = decode_text(output)
    if delimiter is None:
        delimiter = "\t" if text.count("\t") > text.count(",") else ","
    for row_number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
        for column, cell in enumerate(row, 1):
            if dangerous_cell(cell):
                raise CheckFailed(f"row {row_number} column {column}: formula {cell[:40]!r} left")


OOXML_CHECKS = {
    "ooxml_valid": lambda data, output, report: ooxml_checkers.ooxml_valid(output),
    "ooxml_inert": lambda data, output, report: ooxml_checkers.ooxml_inert(output),
    "ooxml_plain_type": lambda data, output, report: ooxml_checkers.ooxml_plain_type(
        output, report["output"]["name"]),
    "ooxml_parts_accounted": lambda data, output, report: ooxml_checkers.ooxml_parts_accounted(
        data, output, finding_locations(report)),
    "ooxml_same_text": lambda data, output, report: ooxml_checkers.ooxml_same_text(data, output),
    "ooxml_pictures_kept": lambda data, output, report: ooxml_checkers.ooxml_pictures_kept(
        data, output),
}


def run_check(check, data, output, report):
    if check == "same_bytes":
        if output != data:
            raise CheckFailed("output bytes differ from the input")
    elif check == "csv_no_formula":
        csv_no_formula(output)
    elif check == "zip_valid":
        zip_valid(output)
    elif check == "zip_names_safe":
        zip_names_safe(output)
    elif check == "zip_entries_accounted":
        zip_entries_accounted(data, output, report)
    elif check.startswith("zip_contains="):
        zip_contains(output, check.split("=", 1)[1])
    elif check in OOXML_CHECKS:
        OOXML_CHECKS[check](data, output, report)
    else:
        raise CheckFailed(f"unknown check {check!r}")


def finding_kinds(report):
    kinds = {f["kind"] for f in report["findings"]}
    for child in report["children"]:
        kinds |= finding_kinds(child)
    return kinds


def run_cases(items, check, label, describe, what):
    """Runs check(item, work_dir) -> [problems] for each item in a fresh folder, prints one
    line per item and a total; returns the exit code."""
    failures = 0
    for item in items:
        with tempfile.TemporaryDirectory() as work:
            try:
                problems = check(item, Path(work))
            except subprocess.TimeoutExpired as timeout:
                problems = [f"hung: no answer within {timeout.timeout} s"]
        print(f"{'ok  ' if not problems else 'FAIL'} {label(item)}: {describe(item)}")
        for problem in problems:
            print(f"       {problem}")
        failures += bool(problems)
    print(f"{len(items) - failures}/{len(items)} {what} pass")
    return 1 if failures else 0
