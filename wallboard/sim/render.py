"""Wire forms of simulated records: the envelopes the real service uses.

JSON lists are ``{"agent": [...]}`` (singular key), single records ``{"agent": {...}}``,
an empty list ``{"agent": ""}`` as older 8x8 services answer. XML is ``<agents><agent>``
with every value as text and empty elements for "no value".
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape


def _json_value(value: object) -> object:
    return "" if value is None else value


def json_list(item_tag: str, items: list[dict[str, object]]) -> bytes:
    payload = [{key: _json_value(value) for key, value in item.items()} for item in items]
    return json.dumps({item_tag: payload or ""}, ensure_ascii=False, separators=(",", ":")).encode()


def json_single(item_tag: str, item: dict[str, object]) -> bytes:
    payload = {key: _json_value(value) for key, value in item.items()}
    return json.dumps({item_tag: payload}, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_item(item_tag: str, item: dict[str, object], out: list[str]) -> None:
    out.append(f"<{item_tag}>")
    for key, value in item.items():
        if value is None or value == "":
            out.append(f"<{key}/>")
        else:
            out.append(f"<{key}>{_xml_text(value)}</{key}>")
    out.append(f"</{item_tag}>")


def _xml_text(value: object) -> str:
    # Control characters go out raw, as a naive server would send them: XML 1.0 cannot
    # carry them, so such a document is not well-formed and the client must cope.
    return escape(str(value))


def xml_list(list_tag: str, item_tag: str, items: list[dict[str, object]]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<{list_tag}>"]
    for item in items:
        _xml_item(item_tag, item, out)
    out.append(f"</{list_tag}>")
    return "\n".join(out).encode()


def xml_single(item_tag: str, item: dict[str, object]) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    _xml_item(item_tag, item, out)
    return "\n".join(out).encode()
