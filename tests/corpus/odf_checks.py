"""Independent checks of ODF outputs (odt, ods, odp, odg and templates). They read packages
with Python's zipfile and lxml only, never libsanitize, and match markup by namespace URI."""

import io
import re
import zipfile
from urllib.parse import unquote

from lxml import etree

from checkers import CheckFailed, finding_locations, of_both, of_output
from formula_checks import unsafe_hyperlink_formula


OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
FORM = "urn:oasis:names:tc:opendocument:xmlns:form:1.0"
SCRIPT = "urn:oasis:names:tc:opendocument:xmlns:script:1.0"
PRESENTATION = "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
CONFIG = "urn:oasis:names:tc:opendocument:xmlns:config:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
XFORMS = "http://www.w3.org/2002/xforms"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

ODF_MEDIA_TYPE = "application/vnd.oasis.opendocument."
ODF_NAMESPACE = "urn:oasis:names:tc:opendocument:xmlns:"
OF_NAMESPACE = "urn:oasis:names:tc:opendocument:xmlns:of:1.2"
DOCUMENT_PARTS = ("content.xml", "styles.xml", "meta.xml", "settings.xml")
ACTIVE_FOLDERS = ("Basic/", "Dialogs/", "Scripts/", "Configurations2/")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Elements that run code, embed foreign objects or reach outside the document.
ACTIVE_ELEMENTS = {
    (OFFICE, "script"), (SCRIPT, "event-listener"), (TEXT, "script"), (TEXT, "execute-macro"),
    (TABLE, "error-macro"), (DRAW, "object-ole"), (DRAW, "applet"), (DRAW, "plugin"),
    (DRAW, "floating-frame"), (TEXT, "dde-connection-decl"), (TEXT, "dde-connection"),
    (TABLE, "dde-link"), (OFFICE, "dde-source"), (TABLE, "database-source-sql"),
    (TABLE, "database-source-table"), (TABLE, "database-source-query"),
    (FORM, "connection-resource"), (META, "template"), (TEXT, "section-source"),
    (TABLE, "table-source"), (TABLE, "cell-range-source"),
}
LINK_ELEMENTS = {(TEXT, "a"), (DRAW, "a"), (FORM, "button"), (PRESENTATION, "event-listener")}
SAFE_PRESENTATION_ACTIONS = {"none", "previous-page", "next-page", "first-page", "last-page",
                             "hide", "stop", "fade-out", "show", "sound"}
SCRIPT_URL = re.compile(r"^\s*(vnd\.sun\.star\.script|macro|javascript|vbscript|livescript|"
                        r"vnd\.sun\.star\.cmd|service|slot|vnd\.sun\.star\.job):|^\s*\.uno:", re.I)
WEB_URL = re.compile(r"^\s*(https?|ftps?|mailto|news|tel):", re.I)
ANY_SCHEME = re.compile(r"^\s*[a-z][a-z0-9+.-]*:", re.I)
REMOTE_FUNCTION = re.compile(r"(^|[^A-Za-z0-9_])([A-Za-z0-9_.]*\.)?(DDE|WEBSERVICE|RTD)\s*\(", re.I)
EXTERNAL_REFERENCE = re.compile(r"'(?:[^']|'')*'#")
PROGRAM = re.compile(r"\.(exe|com|bat|cmd|scr|pif|cpl|msi|msp|msc|vbs|vbe|js|jse|wsf|wsh|hta|ps1|"
                     r"psm1|lnk|url|scf|reg|inf|jar|application|appref-ms|chm|sh|dll)(\s|\"|$)", re.I)
PICTURE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM",
                      b"II*\x00", b"MM\x00*")


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=True)


def _parse(name, data, strict=True):
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise CheckFailed(f"{name}: does not parse: {error}")
    if not strict:
        return root
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise CheckFailed(f"{name}: has a DOCTYPE")
    if any(True for _ in root.iter(etree.PI)) or any(
            isinstance(node, etree._ProcessingInstruction) for node in root.itersiblings(preceding=True)):
        raise CheckFailed(f"{name}: has a processing instruction")
    return root


def _qname(element):
    name = etree.QName(element)
    return name.namespace, name.localname


def _is_picture(data):
    return data.startswith(PICTURE_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


class Package:
    def __init__(self, data):
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as error:
            raise CheckFailed(f"not a zip: {error}")
        self.infos = self.archive.infolist()
        self.names = [info.filename for info in self.infos]
        self.manifest = {}
        self.encrypted = []
        if "META-INF/manifest.xml" in self.names:
            root = _parse("META-INF/manifest.xml", self.read("META-INF/manifest.xml"))
            for entry in root.iter(f"{{{MANIFEST}}}file-entry"):
                path = entry.get(f"{{{MANIFEST}}}full-path")
                self.manifest[path] = entry.get(f"{{{MANIFEST}}}media-type")
                if entry.find(f"{{{MANIFEST}}}encryption-data") is not None:
                    self.encrypted.append(path)

    def read(self, name):
        """The first entry of that name (zipfile's own lookup takes the last)."""
        return self.archive.read(next(info for info in self.infos if info.filename == name))

    def documents(self):
        """The folders of the root document and of every embedded ODF object."""
        folders = [""]
        for path, media_type in self.manifest.items():
            if path != "/" and path.endswith("/") and (media_type or "").startswith(ODF_MEDIA_TYPE):
                folders.append(path)
        return folders

    def xml_parts(self):
        for folder in self.documents():
            for part in DOCUMENT_PARTS:
                if folder + part in self.names:
                    yield folder, folder + part, _parse(folder + part, self.read(folder + part))


def _resolve(folder, href):
    parts = [p for p in folder.split("/") if p]
    for piece in href.split("#")[0].split("?")[0].split("/"):
        if piece == "..":
            if not parts:
                return None
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def odf_valid(output):
    """A package office applications open: mimetype first and stored, every XML part
    parses without DOCTYPE or processing instruction, and the manifest lists exactly the
    entries there are."""
    package = Package(output)
    bad = package.archive.testzip()
    if bad is not None:
        raise CheckFailed(f"entry {bad!r} fails its CRC")
    first = package.infos[0] if package.infos else None
    if first is None or first.filename != "mimetype":
        raise CheckFailed("mimetype is not the first entry")
    if first.compress_type != zipfile.ZIP_STORED or first.extra:
        raise CheckFailed("mimetype is compressed or has an extra field")
    mimetype = package.read("mimetype").decode("ascii", "replace")
    if not mimetype.startswith(ODF_MEDIA_TYPE):
        raise CheckFailed(f"mimetype is {mimetype!r}")
    for name in package.names:
        if name.endswith(".xml") or name.endswith(".rdf"):
            _parse(name, package.read(name))
    if package.manifest.get("/") != mimetype:
        raise CheckFailed(f"the manifest's root type {package.manifest.get('/')!r} is not {mimetype!r}")
    if package.encrypted:
        raise CheckFailed(f"encryption data left in the manifest: {package.encrypted}")
    entries = set(package.names) - {"mimetype", "META-INF/manifest.xml"}
    for name in entries:
        if not name.endswith("/") and name not in package.manifest:
            raise CheckFailed(f"{name!r} is not in the manifest")
    for path in package.manifest:
        if path == "/":
            continue
        if path.endswith("/"):
            if not any(name.startswith(path) for name in entries):
                raise CheckFailed(f"the manifest lists the folder {path!r}, which holds nothing")
        elif path not in entries:
            raise CheckFailed(f"the manifest lists {path!r}, which is not in the package")
    for folder, part, root in package.xml_parts():
        for element in root.iter(etree.Element):
            href = element.get(XLINK_HREF)
            if href is None or _qname(element) in LINK_ELEMENTS or href.startswith("#"):
                continue
            if ANY_SCHEME.match(href) or href.startswith(("/", "\\")):
                continue  # odf_no_active judges these
            target = _resolve(folder, href.replace("%20", " "))
            if target and target not in entries and target + "/" not in package.manifest:
                raise CheckFailed(f"{part}: {href!r} points at no entry")


def odf_no_active(output):
    """Nothing that runs code, embeds a foreign object or reaches outside the document."""
    package = Package(output)
    for name in package.names:
        for folder in package.documents():
            relative = name[len(folder):] if name.startswith(folder) else None
            if relative and relative.startswith(ACTIVE_FOLDERS):
                raise CheckFailed(f"{name!r}: macro, script or UI configuration entry left")
        if name.startswith("META-INF/") and "signatures" in name:
            raise CheckFailed(f"{name!r}: signature left")
        if not name.endswith("/"):
            data = package.read(name)
            if data.startswith(OLE2_MAGIC):
                raise CheckFailed(f"{name!r}: OLE storage left")
            if "Pictures/" in name and not _is_picture(data):
                raise CheckFailed(f"{name!r}: not a raster picture")
    for _, part, root in package.xml_parts():
        for element in root.iter(etree.Element):
            qname = _qname(element)
            if (qname[0] or "").startswith(ODF_NAMESPACE) and not qname[0].endswith(":1.0") \
                    and qname[0] != OF_NAMESPACE:
                raise CheckFailed(f"{part}: {element.tag}: a variant ODF namespace (applications "
                                  "may read it as the 1.0 one)")
            if qname in ACTIVE_ELEMENTS:
                raise CheckFailed(f"{part}: {element.tag} left")
            if qname == (PRESENTATION, "event-listener"):
                action = element.get(f"{{{PRESENTATION}}}action")
                if action not in SAFE_PRESENTATION_ACTIONS:
                    raise CheckFailed(f"{part}: presentation action {action!r} left")
            if qname == (FORM, "form") and (element.get(XLINK_HREF) or element.get(f"{{{FORM}}}datasource")):
                raise CheckFailed(f"{part}: form with a target or a data source left")
            if qname == (XFORMS, "submission"):
                raise CheckFailed(f"{part}: an XForms submission left")
            if qname == (XFORMS, "instance") and ANY_SCHEME.match(element.get("src", "")):
                raise CheckFailed(f"{part}: an XForms instance loads {element.get('src')!r}")
            image_data = element.get(f"{{{FORM}}}image-data", "").strip()
            if ANY_SCHEME.match(image_data) or image_data.startswith(("/", "\\", "../")):
                raise CheckFailed(f"{part}: a control shows the picture {image_data!r} from outside")
            if qname == (CONFIG, "config-item") and element.get(f"{{{CONFIG}}}name") == "PrinterSetup":
                raise CheckFailed(f"{part}: printer driver data left")
            for attribute, value in element.attrib.items():
                if SCRIPT_URL.match(value):
                    raise CheckFailed(f"{part}: {attribute}={value!r} names a macro or script")
            formula = element.get(f"{{{TABLE}}}formula")
            if formula and (REMOTE_FUNCTION.search(re.sub(r'"[^"]*"', '""', formula))
                            or EXTERNAL_REFERENCE.search(formula)
                            or unsafe_hyperlink_formula(formula)):
                raise CheckFailed(f"{part}: formula {formula!r} reaches outside")
            href = element.get(XLINK_HREF)
            if href is None:
                continue
            stripped = href.strip()
            if stripped.startswith(("\\\\", "//", "/", "\\")) or (
                    ANY_SCHEME.match(stripped) and not WEB_URL.match(stripped)):
                raise CheckFailed(f"{part}: {element.tag} links to {href!r}")
            if PROGRAM.search(unquote(stripped)) and not WEB_URL.match(stripped):
                raise CheckFailed(f"{part}: {element.tag} links to the program {href!r}")
            if qname not in LINK_ELEMENTS and (WEB_URL.match(stripped) or stripped.startswith("../")):
                raise CheckFailed(f"{part}: {element.tag} loads {href!r} from outside")


def _paragraph_text(root):
    """Text as shown: inline picture data (base64) is no text."""
    def shown(element):
        return "".join(element.xpath(".//text()[not(ancestor::office:binary-data)]",
                                     namespaces={"office": OFFICE}))
    return "\n".join(shown(element) for element in root.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h"))


def odf_text_same(data, output):
    """The text of every paragraph and heading of every document of the package."""
    source, result = Package(data), Package(output)
    for folder in source.documents():
        for part in ("content.xml", "styles.xml"):
            name = folder + part
            if name not in source.names:
                continue
            if name not in result.names:
                raise CheckFailed(f"{name} is gone")
            before = _paragraph_text(_parse(name, source.read(name), strict=False))
            after = _paragraph_text(_parse(name, result.read(name)))
            if before != after:
                raise CheckFailed(f"{name}: the text changed: {before[:200]!r} -> {after[:200]!r}")


def odf_pictures_kept(data, output):
    """Every raster picture of the input is in the output, byte for byte."""
    source, result = Package(data), Package(output)
    for name in source.names:
        if "Pictures/" not in name or name.endswith("/"):
            continue
        picture = source.read(name)
        if _is_picture(picture) and (name not in result.names or result.read(name) != picture):
            raise CheckFailed(f"the picture {name!r} is missing or changed")


def odf_objects_kept(data, output):
    """Every embedded ODF object (chart, formula...) of the input is in the output."""
    source, result = Package(data), Package(output)
    for folder in source.documents()[1:]:
        if folder not in result.manifest or folder + "content.xml" not in result.names:
            raise CheckFailed(f"the embedded object {folder!r} is gone")


def odf_entries_accounted(data, output, report):
    """Every entry of the input is in the output or named by a finding."""
    source, result = Package(data), Package(output)
    locations = finding_locations(report)
    for name in source.names:
        if name in result.names or name in locations or name in ("mimetype", "META-INF/manifest.xml"):
            continue
        if name.endswith("/") and any(kept.startswith(name) for kept in result.names):
            continue
        raise CheckFailed(f"entry {name!r} disappeared without a finding")


def delivered(output):
    """What every delivered ODF file must pass."""
    odf_valid(output)
    odf_no_active(output)


# The ODF checks a manifest may name: name -> check(data, output, report).
CHECKS = {
    "odf_valid": of_output(odf_valid),
    "odf_no_active": of_output(odf_no_active),
    "odf_text_same": of_both(odf_text_same),
    "odf_pictures_kept": of_both(odf_pictures_kept),
    "odf_objects_kept": of_both(odf_objects_kept),
    "odf_entries_accounted": odf_entries_accounted,
}
