"""XLIFF 2 documents of translation work: written and read with lxml, never as strings.

One ``<file>`` per kind of item, one ``<group>`` per item, one ``<unit>`` per field. A unit's
id names the kind, the item's id and the field (``events.42.title``); its metadata (the
XLIFF 2 Metadata module) carries a fingerprint of the original as exported, so an import
can tell that the original changed since. The text is kept as is (``xml:space="preserve"``).
"""

import hashlib
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
# XLIFF 2.1 keeps the 2.0 namespace; 2.2 has its own.
XLIFF_NAMESPACES = (XLIFF, "urn:oasis:names:tc:xliff:document:2.2")
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
HASH_TYPE = "original-sha256"
UNIT_ID = re.compile(r"(?P<kind>[a-z_]+)\.(?P<pk>[0-9]+)\.(?P<field>[a-z_]+)")
NOT_READY = "initial"  # a segment in this state is not translated yet (XLIFF 2's default)


class XliffError(ValueError):
    """The file is not an XLIFF 2 document this site can read; the message says why."""


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Unit:
    """One field of one item: its original, and its translation if the file holds one."""

    kind: str
    pk: int
    field: str
    source: str
    target: str = ""
    ready: bool = False  # the target is a translation (not empty, not marked initial)
    source_hash: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (category, text)

    @property
    def id(self) -> str:
        return f"{self.kind}.{self.pk}.{self.field}"


@dataclass
class Document:
    source_language: str
    target_language: str
    units: list[Unit]
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (unit id, why)


def _q(name: str, namespace: str = XLIFF) -> str:
    return f"{{{namespace}}}{name}"


def document_write(document: Document, *, labels: dict[tuple[str, int], str]) -> bytes:
    """The XLIFF 2.0 file of ``document``; ``labels`` name each item (its group)."""
    root = etree.Element(_q("xliff"), nsmap={None: XLIFF, "mda": MDA})
    root.set("version", "2.0")
    root.set("srcLang", document.source_language)
    root.set("trgLang", document.target_language)
    files, groups = {}, {}
    for unit in document.units:
        if unit.kind not in files:
            files[unit.kind] = etree.SubElement(root, _q("file"), id=unit.kind, original=unit.kind)
            files[unit.kind].set(XML_SPACE, "preserve")
        key = (unit.kind, unit.pk)
        if key not in groups:
            groups[key] = etree.SubElement(
                files[unit.kind], _q("group"), id=f"{unit.kind}.{unit.pk}", name=labels[key]
            )
        _unit_write(groups[key], unit)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _unit_write(group, unit: Unit) -> None:
    element = etree.SubElement(group, _q("unit"), id=unit.id, name=unit.field)
    metadata = etree.SubElement(element, _q("metadata", MDA))
    meta_group = etree.SubElement(metadata, _q("metaGroup", MDA), category="newsroom")
    etree.SubElement(meta_group, _q("meta", MDA), type=HASH_TYPE).text = text_hash(unit.source)
    if unit.notes:
        notes = etree.SubElement(element, _q("notes"))
        for category, text in unit.notes:
            etree.SubElement(notes, _q("note"), category=category).text = text
    segment = etree.SubElement(element, _q("segment"))
    etree.SubElement(segment, _q("source")).text = unit.source


def document_read(data: bytes) -> Document:
    """The units of an XLIFF 2 file (as a CAT tool gives it back)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        message = _("This file is not well-formed XML: %(error)s") % {"error": error}
        raise XliffError(message) from error
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "xliff" or namespace not in XLIFF_NAMESPACES:
        raise XliffError(_("This file is not an XLIFF 2 document (its root is not <xliff>)."))
    if not root.get("version", "").startswith("2."):
        raise XliffError(
            _("This is XLIFF %(version)s; export a new file: it is XLIFF 2.")
            % {"version": root.get("version", "?")}
        )
    # A CAT tool may give a region ("en-US"): the site's languages are the primary tags.
    languages = [root.get(name, "").split("-")[0].lower() for name in ("srcLang", "trgLang")]
    document = Document(*languages, units=[])
    for element in root.iter(f"{{{namespace}}}unit"):
        unit_id = element.get("id", "")
        if match := UNIT_ID.fullmatch(unit_id):
            document.units.append(_unit_read(element, namespace, **match.groupdict()))
        else:
            document.unreadable.append((unit_id, _("this unit's id is not one this site gave")))
    return document


def _unit_read(element, namespace: str, *, kind: str, pk: str, field: str) -> Unit:
    """A unit's source and target, over every segment a CAT tool may have split it into."""
    source, target, ready = [], [], True
    for part in element.iterchildren(f"{{{namespace}}}segment", f"{{{namespace}}}ignorable"):
        found = part.find(f"{{{namespace}}}source")
        source.append("".join(found.itertext()) if found is not None else "")
        found = part.find(f"{{{namespace}}}target")
        text = "".join(found.itertext()) if found is not None else ""
        target.append(text)
        is_segment = etree.QName(part).localname == "segment"
        if is_segment and source[-1].strip() and (not text or part.get("state") == NOT_READY):
            ready = False
    meta = element.find(f".//{{{MDA}}}meta[@type='{HASH_TYPE}']")
    return Unit(
        kind=kind,
        pk=int(pk),
        field=field,
        source="".join(source),
        target="".join(target),
        ready=ready and bool("".join(target).strip()),
        source_hash=meta.text.strip() if meta is not None and meta.text else "",
    )
