"""Real Time Statistics answers written out: the envelopes the real service uses.

JSON lists are ``{"agent": [...]}`` (singular key), single records ``{"agent": {...}}``,
an empty list ``{"agent": ""}`` as older 8x8 services answer. XML is ``<agents><agent>``
with every value as text and empty elements for "no value".

The simulator writes its scenario's records with :func:`list_body` and
:func:`single_body`; anything that re-serves records the board has parsed (a relay in
front of many boards) writes them back with :func:`records_body`, which the parser
reads back to the same records (``tests/test_wire_render.py``).
"""

from __future__ import annotations

import json
from typing import Sequence
from xml.sax.saxutils import escape

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.wire.rtstats import Format, field_specs

CONTENT_TYPES = {"json": "application/json", "xml": "application/xml"}
ENVELOPES: dict[type, tuple[str, str]] = {Agent: ("agents", "agent"), Queue: ("queues", "queue")}
"""(list tag, item tag) of each record type, as ``/agents`` and ``/queues`` send them."""


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


def list_body(list_tag: str, item_tag: str, items: list[dict[str, object]], fmt: Format) -> bytes:
    """A list answer (``/agents``, ``/queues``) in ``fmt``."""
    return json_list(item_tag, items) if fmt == "json" else xml_list(list_tag, item_tag, items)


def single_body(item_tag: str, item: dict[str, object], fmt: Format) -> bytes:
    """A one-record answer (``/agent/{id}``, ``/queue/{id}``) in ``fmt``."""
    return json_single(item_tag, item) if fmt == "json" else xml_single(item_tag, item)


def record_wire(record: Agent | Queue) -> dict[str, object]:
    """A model record in this API's wire form: every field under its documented name,
    in table order; "no value" as ``None`` (``""`` in JSON, an empty XML element)."""
    return {spec.wire_names[0]: getattr(record, spec.name) for spec in field_specs(type(record))}


def records_body(records: Sequence[Agent | Queue], record_type: type, fmt: Format) -> bytes:
    """Parsed records served again as the list answer they came from."""
    list_tag, item_tag = ENVELOPES[record_type]
    return list_body(list_tag, item_tag, [record_wire(record) for record in records], fmt)
