"""The one guard for every XML source: hostile XML (entity declarations) is refused before any
parser sees the bytes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from crawlers.parsers import ParseError

# Feeds and the EDIS web service never declare entities; a declaration is an XXE or an
# entity-expansion bomb, so refusing the whole document is safe and cheap.
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class HostileXMLError(ParseError):
    """The XML declares entities or an internal DTD subset (XXE, billion laughs)."""


def _scan_view(payload: bytes) -> bytes:
    # UTF-16 would hide "<!ENTITY" from a byte scan; view it as UTF-8 first.
    if payload.startswith(_UTF16_BOMS):
        return payload.decode("utf-16", errors="replace").encode("utf-8")
    if payload[:4] in (b"\x00<\x00?", b"<\x00?\x00"):
        enc = "utf-16-be" if payload[0] == 0 else "utf-16-le"
        return payload.decode(enc, errors="replace").encode("utf-8")
    return payload


def check_xml(payload: bytes, source: str) -> bytes:
    """The payload unchanged if it declares no entities or internal DTD; else HostileXMLError."""
    view = _scan_view(payload)
    if _ENTITY.search(view):
        raise HostileXMLError(source, "xml", "refused hostile XML (EntitiesForbidden)")
    if _DOCTYPE.search(view):
        raise HostileXMLError(source, "xml", "refused hostile XML (DTD internal subset)")
    return payload


def parse_xml(payload: bytes, source: str, expected_root: str) -> ET.Element:
    """The checked payload parsed without DTDs, entities or network access; root tag verified."""
    check_xml(payload, source)
    try:
        root = fromstring(payload, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise HostileXMLError(source, "xml", f"refused hostile XML ({type(exc).__name__})") from exc
    except ET.ParseError as exc:
        raise ParseError(source, "xml", f"not well-formed XML ({exc})") from exc
    if root.tag != expected_root:
        raise ParseError(source, "xml", f"root element is <{root.tag}>, expected <{expected_root}>")
    return root
