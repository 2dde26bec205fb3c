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


# PDF: qpdf's JSON of every object, walked here; poppler's pdfinfo and pdftotext.
PDF_FORBIDDEN_KEYS = {"/JS", "/AA", "/XFA", "/NeedsRendering", "/SpiderInfo", "/URLS", "/IDS",
                      "/EmbeddedFiles", "/EF", "/AF", "/Perms", "/JavaScript",
                      "/AlternatePresentations", "/Encrypt"}
PDF_FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR",
                         "/GoToE", "/Rendition", "/Movie", "/Sound", "/RichMediaExecute",
                         "/GoTo3DView"}
PDF_ALLOWED_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread", "/Hide", "/SetOCGState", "/Trans",
                       "/ResetForm"}
PDF_STANDARD_NAMED = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}
PDF_FORBIDDEN_ANNOTATIONS = {"/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"}
PDF_FORBIDDEN_TYPES = {"/Sig", "/DocTimeStamp", "/EmbeddedFile", "/3D", "/Sound"}
PDF_SAFE_SCHEMES = ("http:", "https:", "mailto:", "ftp:", "tel:")
REFERENCE = re.compile(r"^\d+ \d+ R$")
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def write_temp(data, suffix=".pdf"):
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)
    with handle:
        handle.write(data)
    return handle.name


def run_tool(args, data=None, ok=(0,)):
    """Runs a tool on `data` (written to a temporary file that replaces "{}" in args)."""
    path = write_temp(data) if data is not None else None
    try:
        process = subprocess.run([path if a == "{}" else a for a in args], capture_output=True,
                                 timeout=120)
    finally:
        if path:
            Path(path).unlink()
    if process.returncode not in ok:
        raise CheckFailed(f"{args[0]} exited {process.returncode}: "
                          f"{process.stderr.decode(errors='replace')[-300:]}")
    return process.stdout


def pdf_valid(output):
    """qpdf --check accepts the file without a warning."""
    run_tool(["qpdf", "--check", "{}"], output)


def pdf_text(data):
    return run_tool(["pdftotext", "-enc", "UTF-8", "{}", "-"], data).decode("utf-8")


def pdf_json_objects(data):
    import json
    document = json.loads(run_tool(["qpdf", "--json=2", "--json-key=qpdf",
                                    "--json-stream-data=none", "{}"], data, ok=(0, 3)))
    return document["qpdf"][1]


def pdf_string(value):
    if isinstance(value, str) and value.startswith("u:"):
        return value[2:]
    if isinstance(value, str) and value.startswith("b:"):
        return bytes.fromhex(value[2:]).decode("latin-1")
    return ""


def pdf_nothing_active(output):
    """Walks every object qpdf --json lists (reachable or not) for anything active."""
    objects = pdf_json_objects(output)
    resolved = {}
    for key, item in objects.items():
        name = key[4:] if key.startswith("obj:") else key
        resolved[name] = item.get("value", item.get("stream", {}).get("dict"))

    def resolve(value):
        if isinstance(value, str) and REFERENCE.match(value):
            return resolved.get(value)
        return value

    def problem_in(where, node, is_stream):
        if isinstance(node, list):
            for index, item in enumerate(node):
                found = problem_in(f"{where}[{index}]", item, False)
                if found:
                    return found
            return None
        if not isinstance(node, dict):
            return None
        for key in node:
            if key in PDF_FORBIDDEN_KEYS:
                return f"{where}: {key}"
        action = node.get("/S")
        if action in PDF_FORBIDDEN_ACTIONS:
            return f"{where}: /S {action}"
        if action == "/Named" and node.get("/N") not in PDF_STANDARD_NAMED:
            return f"{where}: named action {node.get('/N')}"
        if action == "/URI":
            uri = pdf_string(node.get("/URI")).strip().lower()
            if ":" in uri.split("/")[0] and not uri.startswith(PDF_SAFE_SCHEMES):
                return f"{where}: link to {uri!r}"
            if uri.startswith(("\\", "//", "/\\", "\\/")):
                return f"{where}: link to {uri!r}"
        for key in ("/A", "/Next", "/OpenAction", "/PA"):
            target = resolve(node.get(key))
            if isinstance(target, dict) and "/S" in target and target["/S"] not in PDF_ALLOWED_ACTIONS:
                return f"{where}: {key} action {target['/S']}"
            if key == "/OpenAction" and isinstance(target, dict) and target.get("/S") != "/GoTo":
                return f"{where}: open action {target.get('/S')}"
        if node.get("/Subtype") in PDF_FORBIDDEN_ANNOTATIONS and ("/Rect" in node or node.get("/Type") == "/Annot"):
            return f"{where}: {node['/Subtype']} annotation"
        if node.get("/Type") in PDF_FORBIDDEN_TYPES:
            return f"{where}: /Type {node['/Type']}"
        if is_stream and ("/F" in node or node.get("/Subtype") in ("/PS", "/U3D", "/PRC")):
            return f"{where}: external, PostScript or 3D stream"
        for key, value in node.items():
            found = problem_in(f"{where} {key}", value, False)
            if found:
                return found
        return None

    for key, item in objects.items():
        is_stream = "stream" in item
        node = item["stream"]["dict"] if is_stream else item.get("value", item)
        found = problem_in(key, node, is_stream)
        if found:
            raise CheckFailed(f"active content left: {found}")


def pdf_pages(data):
    """Page count and each page's displayed size (rotation applied), from poppler."""
    info = run_tool(["pdfinfo", "-f", "1", "-l", "100000", "{}"], data).decode("utf-8", "replace")
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    sizes = []
    rotations = dict(re.findall(r"^Page\s+(\d+) rot:\s+(\d+)", info, re.M))
    for number, width, height in re.findall(r"^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", info, re.M):
        w, h = float(width), float(height)
        if int(rotations.get(number, "0")) % 180 == 90:
            w, h = h, w
        sizes.append((round(w), round(h)))
    return count, sizes


def pdf_pages_equal(data, output):
    before, after = pdf_pages(data), pdf_pages(output)
    if before != after:
        raise CheckFailed(f"pages and sizes {before} became {after}")


def pdf_text_equal(data, output):
    if pdf_text(data) != pdf_text(output):
        raise CheckFailed("pdftotext of the output differs from that of the input")


def pdf_same_words(data, output):
    """Every word pdftotext finds in the input is in the output's text (rasterize)."""
    text = "".join(pdf_text(output).split())
    missing = [word for word in pdf_text(data).split() if word not in text]
    if missing:
        raise CheckFailed(f"{len(missing)} words missing from the output, e.g. {missing[:5]}")


def pdf_not_encrypted(output):
    run_tool(["qpdf", "--is-encrypted", "{}"], output, ok=(2,))


def pdf_no_eicar(output):
    """The EICAR string is nowhere, not even inside a compressed stream."""
    expanded = run_tool(["qpdf", "--qdf", "--object-streams=disable", "--decode-level=all",
                         "{}", "-"], output, ok=(0, 3))
    if EICAR in output or EICAR in expanded:
        raise CheckFailed("the EICAR test string is in the output")


def of_output(check):
    """A check of the output alone, as an entry of a check table."""
    return lambda data, output, report: check(output)


def of_both(check):
    """A check comparing the input with the output, as an entry of a check table."""
    return lambda data, output, report: check(data, output)


def same_bytes(data, output):
    if output != data:
        raise CheckFailed("output bytes differ from the input")


# The checks a manifest may name (and zip_contains=NAME): name -> check(data, output, report).
CHECKS = {
    "same_bytes": of_both(same_bytes),
    "csv_no_formula": of_output(csv_no_formula),
    "zip_valid": of_output(zip_valid),
    "zip_names_safe": of_output(zip_names_safe),
    "zip_entries_accounted": zip_entries_accounted,
    "pdf_valid": of_output(pdf_valid),
    "pdf_nothing_active": of_output(pdf_nothing_active),
    "pdf_pages_equal": of_both(pdf_pages_equal),
    "pdf_text_equal": of_both(pdf_text_equal),
    "pdf_not_encrypted": of_output(pdf_not_encrypted),
    "pdf_no_eicar": of_output(pdf_no_eicar),
    "ooxml_valid": of_output(ooxml_checkers.ooxml_valid),
    "ooxml_inert": of_output(ooxml_checkers.ooxml_inert),
    "ooxml_plain_type": lambda data, output, report: ooxml_checkers.ooxml_plain_type(
        output, report["output"]["name"]),
    "ooxml_parts_accounted": lambda data, output, report: ooxml_checkers.ooxml_parts_accounted(
        data, output, finding_locations(report)),
    "ooxml_same_text": of_both(ooxml_checkers.ooxml_same_text),
    "ooxml_pictures_kept": of_both(ooxml_checkers.ooxml_pictures_kept),
}


def run_check(check, data, output, report):
    if check.startswith("zip_contains="):
        zip_contains(output, check.split("=", 1)[1])
        return
    import odf_checks  # here, not at the top: it imports this module
    checks = {**CHECKS, **odf_checks.CHECKS}
    if check not in checks:
        raise CheckFailed(f"unknown check {check!r}")
    checks[check](data, output, report)


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
