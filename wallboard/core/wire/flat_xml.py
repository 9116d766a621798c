"""XML read safely: no document types, bounded nesting, and flat records repaired.

* XML carrying a document type declaration is refused outright (:func:`refuse_doctype`),
  so no entity can be expanded (billion laughs) or fetched (external entities).
* :func:`parse_guarded` parses with parsers that count as they go: nesting deeper than
  the budget's limit, more records than it allows (elements two deep), or too long at
  it stop the parser at once with a :class:`~.payload.LimitError`.
* :func:`flat_records` reads a plain flat list (``<agents><agent><field>value</field>…``,
  no attributes, comments, namespaces, nesting, nor "=" anywhere) with ElementTree, whose tree is built
  in C: 4-5x faster than xmltodict's Python callbacks, and no new dependency (lxml would
  be faster still, a large binary dependency for the format that is not the default).
  It gives exactly the records xmltodict gives, and ``None`` for any other document,
  which then takes the guarded path (``tests/test_parse_equivalence.py``).
* :func:`alike_columns` reads the commonest plain list, every record the same leaves in
  the same order, with one regular expression per record and no tree: three times
  faster again, its values in columns for the column conversion (:func:`plain_columns`).
  Anything it is not sure of goes to ElementTree.
* :func:`repair` reads a list of flat records by their opening tags when the XML is not
  well-formed: the vendor's own examples close elements with the wrong name
  (``<day-accepted>10</all-day-accepted>``). A repaired document must still end with its
  root's closing tag: a body cut short in transit is an error, never a silently shorter
  list.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import Any, Callable

import xmltodict

from wallboard.core.wire.payload import CHECK_EVERY, FIELDS_PER_RECORD, Budget, LimitError, ParseError

_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def refuse_doctype(text: str) -> None:
    """Refuse XML that declares a document type or an entity."""
    if "!" in text and _DOCTYPE.search(text):  # a rare character found first, in C: a fifth of the search
        raise ParseError("the XML response declares a document type; refused for safety")


FAST_XML = True
"""Whether plain flat lists may be read by :func:`alike_columns` or :func:`flat_records`
(off: xmltodict reads everything)."""

_DECLARATION = re.compile(r"<\?xml\s[^<>]*\?>")
_UTF8 = re.compile(r"""encoding\s*=\s*["']utf-?8["']""", re.IGNORECASE)


def plain_start(text: str, item_tag: str, budget: Budget) -> tuple[int, int] | None:
    """Where the elements start (after the declaration) and how many ``<`` the text holds,
    if ``text`` may be a plain flat list (then :func:`alike_columns`, else
    :func:`flat_records` may read it); ``None`` when it is certainly not (the guarded path
    reads it). Rare characters are looked for before the pairs that hold them."""
    if not FAST_XML or ("!" in text and "<!" in text):
        return None  # comments, CDATA: left to xmltodict
    body_from = 0
    if text.startswith("<?"):
        declaration = _DECLARATION.match(text)
        if declaration is None or ("encoding" in declaration.group() and not _UTF8.search(declaration.group())):
            return None  # xmltodict would read the bytes in the declared encoding
        body_from = declaration.end()
    if text.find("?", body_from) != -1 and text.find("<?", max(1, body_from)) != -1:
        return None  # processing instructions: left to xmltodict
    if text.find("=", body_from) != -1:
        return None  # attributes, namespaces (or an "=" in a value): left to xmltodict
    # Every record of a real answer holds at most a hundred-odd tags: a document with more
    # tags than that per closed record may be nested deep, which only the guarded parser
    # refuses before building it.
    items = text.count(f"</{item_tag}>")
    angles = text.count("<")
    if items > budget.limits.max_records or angles > 2 * (FIELDS_PER_RECORD + 2) * (items + 1):
        return None
    return body_from, angles


def flat_records(text: str, list_tag: str, item_tag: str, budget: Budget) -> list[Any] | None:
    """The records of ``<list_tag><item_tag>…`` as xmltodict reads them, each a dict of
    leaf name to stripped text or ``None`` (a repeated leaf: a list), or ``None`` for a
    record with neither; ``None`` instead of a list for any document that is not that
    plain (the caller takes the guarded path, which also gives every refusal its words).
    Read by ElementTree, for a text :func:`plain_start` has said may be plain."""
    try:
        root = ElementTree.fromstring(text)
    except (ElementTree.ParseError, ValueError):  # not well-formed; a lone surrogate (UnicodeEncodeError)
        return None
    budget.check_time()
    if root.tag != list_tag or _text(root.text):
        return None
    records: list[Any] = []
    for item in root:
        if item.tag != item_tag or _text(item.text) or _text(item.tail):
            return None
        leaves = list(item)
        if not leaves:
            records.append(None)  # xmltodict's reading of an empty element
            continue
        # each check and each step over the record's leaves in one pass in C
        tails = "".join(filter(None, map(_TAIL, leaves)))
        if (tails and not tails.isspace()) or any(map(len, leaves)):
            return None  # text between the leaves, or leaves with elements inside
        tags = list(map(_TAG, leaves))
        values = [(value.strip() or None) if value else None for value in map(_TEXT, leaves)]
        record = dict(zip(tags, values))
        records.append(record if len(record) == len(tags) else _repeated(tags, values))
    if records == [None]:
        return []  # one empty record: xmltodict reads the list as holding nothing
    return records


_TAG, _TEXT, _TAIL = attrgetter("tag"), attrgetter("text"), attrgetter("tail")

TEMPLATE_XML = True
"""Whether plain lists are read by :func:`alike_columns` first (off: ElementTree reads every one)."""

_XML_SPACE = " \t\n"
_LEAF_TAG = re.compile(r"<([A-Za-z_][A-Za-z0-9_.-]*)/?>", re.ASCII)
_EMPTY_IS_NONE = {"": None}


def plain_columns(text: str, list_tag: str, item_tag: str, budget: Budget) -> tuple[list[str], list[tuple]] | None:
    """:func:`alike_columns` of ``text`` if :func:`plain_start` says it may be plain."""
    start = plain_start(text, item_tag, budget)
    return None if start is None else alike_columns(text, start, list_tag, item_tag, budget)


def records_of_columns(tags: list[str], columns: list[tuple]) -> list[dict[str, Any]]:
    """:func:`alike_columns`'s reading as :func:`flat_records` gives it: a dict per record,
    values stripped, ``None`` for empty (as ElementTree's text)."""
    stripped = [tuple(map(str.strip, column)) for column in columns]
    nones = [map(_EMPTY_IS_NONE.get, column, column) for column in stripped]
    return [dict(zip(tags, values)) for values in zip(*nones)]


def alike_columns(text: str, start: tuple[int, int], list_tag: str, item_tag: str, budget: Budget) -> tuple[list[str], list[tuple]] | None:
    """The records of :func:`flat_records` as columns (the leaves' names, and each leaf's
    values as they stand, ``""`` for empty: the column conversion strips text and reads
    digits only), read without building a tree, when every record
    holds the same leaves in the same order (as every real answer does) and the text holds
    nothing but tags, XML white space and printable text (no entity, no ``\\r``); ``None``
    otherwise, and ElementTree reads it.

    The first record's leaves make one regular expression for a whole record, matched
    over the whole list in C. What it cannot have matched is counted: every ``<`` of the
    list must be in a record. Three times faster than ElementTree's tree, and the columns go
    straight to the column conversion (``tests/test_parse_equivalence.py`` holds this,
    ElementTree and xmltodict to the same results).
    """
    if not TEMPLATE_XML:
        return None
    body_from, angles = start  # from plain_start
    opening_tag, closing_tag = f"<{list_tag}>", f"</{list_tag}>"
    opening, end = text.find(opening_tag, body_from), text.rfind(closing_tag)
    if opening < 0 or end < opening or text[body_from:opening].strip(_XML_SPACE) or text[end + len(closing_tag):].strip(_XML_SPACE):
        return None
    body = text[opening + len(opening_tag) : end]
    first_from, first_to = body.find(f"<{item_tag}>"), body.find(f"</{item_tag}>")
    if first_from < 0 or first_to < first_from or "&" in body or "]]>" in body:
        return None
    tags = _LEAF_TAG.findall(body, first_from + len(item_tag) + 2, first_to)
    if not tags or len(set(tags)) != len(tags) or item_tag in tags:
        return None
    record = _record_pattern(item_tag, tuple(tags))
    found = record.findall(body)  # each leaf's text, per record
    budget.check_time()
    # Nothing was skipped but text between records (which xmltodict, and so every path,
    # ignores): every "<" of the list is in a record (2 per record, 2 per leaf, less one
    # per "/>"), and no "/>" is anywhere else.
    in_body = angles - text.count("<", 0, opening + len(opening_tag)) - text.count("<", end)  # ``angles``: the text's "<"
    if not found or in_body + body.count("/>") != len(found) * (2 + 2 * len(tags)):
        return None
    columns = list(zip(*found)) if len(tags) > 1 else [tuple(found)]  # one group: findall gives its values
    if not "".join(chain.from_iterable(columns)).isprintable():
        return None  # a control character, \\r or \\n in a value, or one XML may not hold (or Python deems unprintable)
    return tags, columns


@lru_cache(maxsize=16)
def _record_pattern(item_tag: str, tags: tuple[str, ...]) -> re.Pattern:
    # It starts with a literal tag, which the engine looks for before trying a match: each
    # try starts at a record's opening tag and ends within it (no group that could begin
    # anywhere, and make a long run of text quadratic: tests/test_parse_properties.py).
    leaf = "[ \t\n]*<{0}(?:>([^<]*)</{0}>|/>)"
    return re.compile(f"<{re.escape(item_tag)}>" + "".join(leaf.format(re.escape(tag)) for tag in tags) + f"[ \t\n]*</{re.escape(item_tag)}>")


def _repeated(tags: list[str], values: list[str | None]) -> dict[str, Any]:
    """A record with a leaf repeated: all of its values in a list, as xmltodict keeps them."""
    record: dict[str, Any] = {}
    for tag, value in zip(tags, values):
        if tag not in record:
            record[tag] = value
        elif isinstance(record[tag], list):
            record[tag].append(value)
        else:
            record[tag] = [record[tag], value]
    return record


def _text(value: str | None) -> bool:
    """Whether ``value`` holds more than white space (text where only elements belong)."""
    return bool(value) and not value.isspace()  # type: ignore[union-attr]


def parse_guarded(text: str, budget: Budget) -> Any:
    """``text`` parsed by xmltodict under the budget's bounds (entities never expanded).

    Not well-formed XML raises expat's error or ``ValueError``, for the caller to repair.
    """
    return xmltodict.parse(text, disable_entities=True, expat=_GuardedExpat(budget))


class _GuardedExpat:
    """Stands in for the ``expat`` module xmltodict uses: its parsers count as they go.

    Each opening tag is checked before xmltodict builds anything for it: nesting deeper
    than the limit, more records than the limit (elements two deep), or too long at it
    raise :class:`LimitError` from inside the parser, which stops at once.
    """

    def __init__(self, budget: Budget) -> None:
        self.budget = budget

    def ParserCreate(self, *args: Any, **kwargs: Any) -> "_GuardedParser":  # noqa: N802 (expat's name)
        from xml.parsers import expat

        return _GuardedParser(expat.ParserCreate(*args, **kwargs), self.budget)


class _GuardedParser:
    def __init__(self, inner: Any, budget: Budget) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_budget", budget)
        object.__setattr__(self, "_depth", 0)
        object.__setattr__(self, "_elements", 0)
        object.__setattr__(self, "_records", 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "StartElementHandler":
            value = self._guard_start(value)
        elif name == "EndElementHandler":
            value = self._guard_end(value)
        setattr(self._inner, name, value)

    def _guard_start(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        budget = self._budget
        limits = budget.limits

        def start(*args: Any) -> Any:
            depth = self._depth + 1
            object.__setattr__(self, "_depth", depth)
            if depth > limits.max_depth:
                raise LimitError(f"the XML response is nested more than {limits.max_depth} deep; refused")
            if depth == 2:
                records = self._records + 1
                object.__setattr__(self, "_records", records)
                if records > limits.max_records:
                    raise budget.too_many()
            elements = self._elements + 1
            object.__setattr__(self, "_elements", elements)
            if elements % CHECK_EVERY == 0:
                budget.check_time()
            return handler(*args)

        return start

    def _guard_end(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        def end(*args: Any) -> Any:
            object.__setattr__(self, "_depth", self._depth - 1)
            return handler(*args)

        return end


# Every pattern below is linear in the body's length: no two adjacent quantifiers can
# match the same characters, and no lazy ``.*?`` scans on to the end of the body once per
# opening tag. The repair runs on bodies of up to 32 MiB, so a quadratic pattern would
# let a hostile or broken server freeze the board.
_NAME = r"[A-Za-z_][\w.\-]*"
_LEAF = re.compile(
    rf"<({_NAME})(?:\s[^<>]*)?/>"  # <empty-element/>
    rf"|<({_NAME})(?:\s[^<>]*)?>([^<]*)</{_NAME}\s*>",  # <a>text</any-name>
)


def repair(text: str, list_tag: str, item_tag: str, budget: Budget) -> list[Any]:
    """Read flat records by their opening tags, tolerating wrong closing tag names."""
    if text.count(f"<{item_tag}") > budget.limits.max_records:
        raise budget.too_many()
    list_open = re.search(rf"<{list_tag}(?:\s[^<>]*)?>", text)
    if list_open:
        close = text.rfind(f"</{list_tag}>")
        if close < list_open.end():
            raise ParseError(f"the XML response was cut short (no closing </{list_tag}>)")
        return [_leaves(block) for block in _blocks(text, list_open.end(), close, item_tag)]
    item_open = re.search(rf"<{item_tag}(?:\s[^<>]*)?>", text)
    if item_open:
        close = text.rfind(f"</{item_tag}>")
        if close < item_open.end():
            raise ParseError(f"the XML response was cut short (no closing </{item_tag}>)")
        return [_leaves(text[item_open.end() : close])]
    raise ParseError(f"the response is not XML with <{list_tag}> records")


def _blocks(text: str, start: int, end: int, tag: str) -> list[str]:
    """The contents of each ``<tag>...</tag>`` between ``start`` and ``end``, in one pass.

    Opening and closing tags must alternate: an opening tag met while a record is still
    open means a record was never closed, which is an error rather than a merged record.
    Stray closing tags are ignored.
    """
    opens = re.compile(rf"<{tag}(?:\s[^<>]*)?>").finditer(text, start, end)
    closes = re.compile(rf"</{tag}\s*>").finditer(text, start, end)
    tags = sorted([(m.start(), m.end(), True) for m in opens] + [(m.start(), m.end(), False) for m in closes])
    blocks: list[str] = []
    content_from: int | None = None
    for tag_start, tag_end, opening in tags:
        if opening:
            if content_from is not None:
                raise ParseError(f"the XML response has an unclosed <{tag}> record")
            content_from = tag_end
        elif content_from is not None:
            blocks.append(text[content_from:tag_start])
            content_from = None
    if content_from is not None:
        raise ParseError(f"the XML response has an unclosed <{tag}> record")
    return blocks


def _leaves(block: str) -> dict[str, str | None]:
    record: dict[str, str | None] = {}
    for match in _LEAF.finditer(block):
        empty_name, name, value = match.groups()
        if empty_name:
            record.setdefault(empty_name, None)
        else:
            record.setdefault(name, _unescape(value))
    return record


_CHAR_REF = re.compile(r"&(#x[0-9A-Fa-f]+|#[0-9]+|amp|lt|gt|quot|apos);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref in _NAMED:
            return _NAMED[ref]
        try:
            return chr(int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:]))
        except (ValueError, OverflowError):
            return ""

    return _CHAR_REF.sub(replace, value)
