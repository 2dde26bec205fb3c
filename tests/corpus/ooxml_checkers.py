"""Independent checks of Office Open XML outputs (docx, xlsx, pptx), with Python's zipfile and
lxml only. They re-implement what they check (relationship resolution, field-code parsing,
formula scanning) rather than trusting anything the sanitizer wrote about itself."""

import io
import posixpath
import re
import zipfile
from urllib.parse import unquote

from lxml import etree

from formula_checks import unsafe_hyperlink_formula


class CheckFailed(Exception):
    pass


CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NAMESPACES = {
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
X_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
XV_NS = "urn:schemas-microsoft-com:office:excel"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

# Relationship types (their last segment), content types and part names that must never be
# delivered.
FORBIDDEN_TYPES = {
    "vbaproject", "wordvbadata", "vbaprojectsignature", "vbaprojectsignatureagile",
    "vbaprojectsignaturev3", "keymapcustomizations", "attachedtoolbars", "control",
    "activexcontrolbinary", "ctrlprop", "oleobject", "package", "attachedtemplate",
    "extensibility", "usercustomization", "xlmacrosheet", "xlintlmacrosheet", "dialogsheet",
    "connections", "mailmergesource", "mailmergeheadersource", "recipientdata",
    "volatiledependencies", "xmlmaps", "querytable", "webextension", "webextensiontaskpanes",
    "afchunk", "printersettings", "externallink", "externallinkpath", "font", "origin",
    "signature", "certificate", "subdocument", "frame", "audio", "video", "media",
}
FORBIDDEN_CONTENT_WORDS = (
    "vbaproject", "vbadata", "activex", "oleobject", "macrosheet", "dialogsheet", "connections",
    "querytable", "webextension", "printersettings", "externallink", "controlproperties",
    "macroenabled", "image/x-emf", "image/x-wmf", "image/svg",
)
FORBIDDEN_NAME_PARTS = (
    "vbaproject", "vbadata", "activex", "macrosheets/", "dialogsheets/", "customui/",
    "printersettings", "externallinks/", "embeddings/", "connections.xml", "querytables/",
    "webextensions/",
)
DANGEROUS_FIELDS = {"DDE", "DDEAUTO", "INCLUDETEXT", "INCLUDEPICTURE", "LINK", "IMPORT", "RD",
                    "DATABASE", "MACROBUTTON"}
ALLOWED_ACTIONS = ("ppaction://hlinkshowjump", "ppaction://hlinksldjump", "ppaction://noaction",
                   "ppaction://customshow", "ppaction://media")
CALLING_FUNCTIONS = re.compile(r"(?<![A-Za-z0-9_.])(?:_xlfn\.)?(RTD|CALL|REGISTER|REGISTER\.ID|EXEC|"
                               r"WEBSERVICE|IMAGE)\s*\(", re.I)
MACRO_MAINS = re.compile(r"macroenabled", re.I)
SAFE_LINK = re.compile(r"^\s*(https?://|mailto:|#)", re.I)

PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                         load_dtd=False)


def open_package(data):
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise CheckFailed(f"not a zip: {error}")


def content_types(archive):
    root = etree.fromstring(archive.read("[Content_Types].xml"), PARSER)
    defaults = {}
    overrides = {}
    for child in root:
        if child.tag == f"{{{CT_NS}}}Default":
            defaults[child.get("Extension", "").lower()] = child.get("ContentType", "")
        elif child.tag == f"{{{CT_NS}}}Override":
            overrides[child.get("PartName", "").lstrip("/").lower()] = child.get("ContentType", "")
    return defaults, overrides


def content_type_of(name, defaults, overrides):
    if name.lower() in overrides:
        return overrides[name.lower()]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return defaults.get(extension)


def rels_name(source):
    folder, _, file_name = source.rpartition("/")
    return f"{folder + '/' if folder else ''}_rels/{file_name}.rels"


def source_of(rels):
    if rels == "_rels/.rels":
        return ""
    folder, _, file_name = rels.rpartition("/")
    assert folder.endswith("_rels") and file_name.endswith(".rels")
    parent = folder[: -len("_rels")]
    return parent + file_name[: -len(".rels")]


def resolve(source, target):
    target = unquote(target.split("#", 1)[0]).replace("\\", "/")
    if target.startswith("/"):
        path = target[1:]
    else:
        path = posixpath.join(posixpath.dirname(source), target)
    normalized = posixpath.normpath(path)
    if normalized.startswith("..") or normalized == ".":
        return None
    return normalized


def is_xml(name, content_type):
    return (content_type or "").endswith("xml") or name.endswith((".xml", ".rels", ".vml"))


def parse_parts(archive):
    """Every XML part parsed: {name: tree}. Fails on a DOCTYPE or a processing instruction."""
    defaults, overrides = content_types(archive)
    trees = {}
    for info in archive.infolist():
        name = info.filename
        if name.endswith("/") or name == "[Content_Types].xml":
            continue
        content_type = content_type_of(name, defaults, overrides)
        if content_type is None:
            raise CheckFailed(f"{name}: no content type covers it")
        if not is_xml(name, content_type):
            continue
        try:
            tree = etree.fromstring(archive.read(name), PARSER).getroottree()
        except etree.XMLSyntaxError as error:
            raise CheckFailed(f"{name}: not well-formed XML: {error}")
        if tree.docinfo.doctype:
            raise CheckFailed(f"{name}: has a DOCTYPE")
        if any(isinstance(node, etree._ProcessingInstruction) for node in tree.iter()):
            raise CheckFailed(f"{name}: has a processing instruction")
        trees[name] = tree
    return trees, defaults, overrides


def relationships(trees):
    """{source part: {Id: (type, target, external)}} for every relationship part."""
    result = {}
    for name, tree in trees.items():
        if not name.endswith(".rels"):
            continue
        entries = {}
        for node in tree.getroot():
            if node.tag == f"{{{REL_NS}}}Relationship":
                entries[node.get("Id")] = (node.get("Type", ""), node.get("Target", ""),
                                           node.get("TargetMode") == "External")
        result[source_of(name)] = entries
    return result


def ooxml_valid(output):
    """A package that independent tools accept: every part has a content type, every XML part
    parses, every internal relationship target exists, every r:id in a part resolves."""
    with open_package(output) as archive:
        bad = archive.testzip()
        if bad is not None:
            raise CheckFailed(f"{bad}: CRC mismatch")
        names = {info.filename for info in archive.infolist() if not info.filename.endswith("/")}
        trees, _, _ = parse_parts(archive)
    if "_rels/.rels" not in names:
        raise CheckFailed("no _rels/.rels")
    graph = relationships(trees)
    for source, entries in graph.items():
        if source and source not in names:
            raise CheckFailed(f"relationships of {source}, which is not in the package")
        for rel_id, (rel_type, target, external) in entries.items():
            if external:
                continue
            resolved = resolve(source, target)
            if resolved not in names:
                raise CheckFailed(f"{source or 'package'} {rel_id} ({rel_type}) -> {target}: missing")
    for name, tree in trees.items():
        if name.endswith(".rels"):
            continue
        ids = graph.get(name, {})
        for node in tree.iter():
            if not isinstance(node.tag, str):
                continue
            for attribute, value in node.attrib.items():
                namespace = attribute[1:].split("}")[0] if attribute.startswith("{") else ""
                local = attribute.split("}")[-1]
                if (namespace in R_NAMESPACES or (namespace == O_NS and local == "relid")) and value:
                    if value not in ids:
                        raise CheckFailed(f"{name}: {node.tag} refers to a missing relationship {value}")


def first_word(code):
    code = code.strip()
    if code.startswith("="):
        return "="
    match = re.match(r'"?([^\s"\\]*)', code)
    return match.group(1).upper() if match else ""


def field_codes(tree):
    """Every field's code in a WordprocessingML tree: simple fields, and complex fields with
    their instruction text gathered across runs; a code that starts with a nested field is
    returned as None (it cannot be read without evaluating the nested field)."""
    codes = []
    stack = []  # [code, in_result, starts_with_field]
    for node in tree.iter():
        if node.tag == f"{{{W_NS}}}fldSimple":
            codes.append(node.get(f"{{{W_NS}}}instr", ""))
        elif node.tag == f"{{{W_NS}}}fldChar":
            kind = node.get(f"{{{W_NS}}}fldCharType")
            if kind == "begin":
                if stack and not stack[-1][1] and not stack[-1][0].strip():
                    stack[-1][2] = True
                stack.append(["", False, False])
            elif kind == "separate" and stack:
                stack[-1][1] = True
            elif kind == "end" and stack:
                code, _, assembled = stack.pop()
                codes.append(None if assembled else code)
        elif node.tag in (f"{{{W_NS}}}instrText", f"{{{W_NS}}}delInstrText"):
            if stack and not stack[-1][1]:
                stack[-1][0] += node.text or ""
    codes.extend(None if assembled else code for code, _, assembled in stack)
    return codes


def formula_is_active(formula):
    """A DDE call (app|topic!item), a function that reaches outside the workbook, or a
    HYPERLINK to a file, a share or a computed target."""
    outside = re.sub(r'"(?:[^"]|"")*"', '""', formula)
    outside = re.sub(r"'(?:[^']|'')*'", "''", outside)
    return ("|" in outside or CALLING_FUNCTIONS.search(outside) is not None
            or unsafe_hyperlink_formula(formula))


def ooxml_inert(output):
    """Nothing active left: no macros, controls, OLE objects, external relationships other
    than web and mail hyperlinks, dangerous field codes, DDE formulas, program actions."""
    with open_package(output) as archive:
        trees, defaults, overrides = parse_parts(archive)
        for info in archive.infolist():
            lowered = info.filename.lower()
            if any(part in lowered for part in FORBIDDEN_NAME_PARTS):
                raise CheckFailed(f"{info.filename}: a part that carries active content")
            content_type = (content_type_of(info.filename, defaults, overrides) or "").lower()
            if any(word in content_type for word in FORBIDDEN_CONTENT_WORDS):
                raise CheckFailed(f"{info.filename}: content type {content_type}")
    for source, entries in relationships(trees).items():
        for rel_id, (rel_type, target, external) in entries.items():
            if rel_type.rsplit("/", 1)[-1].lower() in FORBIDDEN_TYPES:
                raise CheckFailed(f"{source or 'package'} {rel_id}: relationship type {rel_type}")
            if external and (rel_type != HYPERLINK_TYPE or not SAFE_LINK.match(target)):
                raise CheckFailed(f"{source or 'package'} {rel_id}: external {rel_type} -> {target}")
    for name, tree in trees.items():
        for code in field_codes(tree):
            if code is None:
                raise CheckFailed(f"{name}: a field code assembled from a nested field")
            if first_word(code) in DANGEROUS_FIELDS:
                raise CheckFailed(f"{name}: field {code.strip()[:60]!r}")
        for node in tree.iter():
            if not isinstance(node.tag, str):
                continue
            namespace, _, local = node.tag[1:].partition("}") if node.tag.startswith("{") else ("", "", node.tag)
            if namespace == X_NS and local in ("f", "formula", "formula1", "formula2", "definedName"):
                if formula_is_active(node.text or ""):
                    raise CheckFailed(f"{name}: active formula {node.text[:60]!r}")
                if local == "definedName" and re.match(r"(_xlnm\.)?auto_(open|close)", node.get("name", ""), re.I):
                    raise CheckFailed(f"{name}: auto-run name {node.get('name')}")
            if namespace == X_NS and local in ("ddeLink", "oleLink", "webPublishObjects"):
                raise CheckFailed(f"{name}: {local}")
            if namespace == A_NS and local in ("hlinkClick", "hlinkHover", "hlinkMouseOver"):
                action = node.get("action", "")
                if action and not action.lower().startswith(ALLOWED_ACTIONS):
                    raise CheckFailed(f"{name}: action {action}")
            if namespace == XV_NS and local == "FmlaMacro" and (node.text or "").strip():
                raise CheckFailed(f"{name}: form control macro {node.text}")
            if namespace == XDR_NS and node.get("macro"):
                raise CheckFailed(f"{name}: shape macro {node.get('macro')}")
            if namespace == W_NS and local in ("altChunk", "subDoc", "control", "mailMerge", "frameset"):
                raise CheckFailed(f"{name}: w:{local}")
            if namespace == O_NS and local == "OLEObject":
                raise CheckFailed(f"{name}: o:OLEObject")
            if namespace == P_NS and local in ("oleObj", "control"):
                raise CheckFailed(f"{name}: p:{local}")
            if namespace == X_NS and local in ("oleObject", "control"):
                raise CheckFailed(f"{name}: {local}")
            if namespace in (V_NS, O_NS):
                for attribute in ("href", f"{{{O_NS}}}href"):
                    value = node.get(attribute)
                    if value and not SAFE_LINK.match(value):
                        raise CheckFailed(f"{name}: VML link {value}")


def main_content_type(output):
    with open_package(output) as archive:
        trees, defaults, overrides = parse_parts(archive)
    for rel_type, target, external in relationships(trees).get("", {}).values():
        if rel_type.endswith("/officeDocument") and not external:
            main = resolve("", target)
            return content_type_of(main, defaults, overrides) or ""
    raise CheckFailed("no main part")


def ooxml_plain_type(output, output_name):
    """A macro-enabled input comes out as its plain type, in content and in name."""
    content_type = main_content_type(output)
    if MACRO_MAINS.search(content_type):
        raise CheckFailed(f"main part is still {content_type}")
    extension = output_name.rsplit(".", 1)[-1].lower()
    if extension.endswith("m"):
        raise CheckFailed(f"delivered as .{extension}")


def ooxml_parts_accounted(data, output, locations):
    """Every part of the input (folder entries are not parts) is in the output or named by
    a finding; a main part may come back under its plain extension's name."""
    with open_package(data) as source, open_package(output) as result:
        delivered = {info.filename for info in result.infolist()}
        for info in source.infolist():
            name = info.filename.replace("\\", "/")
            if name.endswith("/") or name in delivered or name in locations:
                continue
            raise CheckFailed(f"part {name!r} disappeared without a finding")


def text_of_package(data):
    """The document's text, in part order: w:t, a:t and shared strings (si/t, r/t)."""
    with open_package(data) as archive:
        texts = []
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            if not info.filename.endswith(".xml"):
                continue
            try:
                tree = etree.fromstring(archive.read(info.filename), PARSER)
            except etree.XMLSyntaxError:
                continue
            for node in tree.iter(f"{{{W_NS}}}t", f"{{{A_NS}}}t", f"{{{X_NS}}}t"):
                texts.append(node.text or "")
        return "".join(texts)


def ooxml_same_text(data, output):
    before = text_of_package(data)
    after = text_of_package(output)
    if before != after:
        for index, (a, b) in enumerate(zip(before, after)):
            if a != b:
                break
        else:
            index = min(len(before), len(after))
        raise CheckFailed(f"text differs at {index}: {before[index:index + 40]!r} became "
                          f"{after[index:index + 40]!r}")


def media(data):
    with open_package(data) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()
                if re.search(r"\.(png|jpe?g|gif|bmp|tiff?)$", info.filename, re.I)}


def charts(data):
    with open_package(data) as archive:
        return {info.filename for info in archive.infolist()
                if re.search(r"charts/chart\d*\.xml$", info.filename)}


def ooxml_pictures_kept(data, output):
    """Every raster picture and chart of the input is in the output, byte for byte."""
    before, after = media(data), media(output)
    for name, content in before.items():
        if after.get(name) != content:
            raise CheckFailed(f"picture {name} is missing or changed")
    missing = charts(data) - charts(output)
    if missing:
        raise CheckFailed(f"charts missing: {sorted(missing)}")
