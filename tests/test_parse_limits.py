"""Answers under the size cap that would cost minutes and gigabytes are refused at once.

The issue measured ``{"agent":[{},{},…]}`` at 32 MiB (786 s, 865 MB), 1.5 million minimal
agents (141 s, 944 MB) and XML nested 4.8 million deep (48 s, 2.2 GB, then "accepted"
with 0 records). Each is refused here with its own reason, before the work is done.
"""

from __future__ import annotations

import itertools
import json

import pytest

from wallboard.core.wire.payload import MAX_RECORDS, Limits, LimitError, ParseError
from wallboard.core.wire.rtstats import parse_agents, parse_queues

STILL = Limits(clock=lambda: 0.0)
"""The real limits on a clock that stands still: the size limits decide, never the machine's
pace (a busy machine can spend the 15 s budget on a huge body before counting it out)."""


def many(item: bytes, count: int, envelope: bytes = b'{"agent":[%s]}') -> bytes:
    return envelope % b",".join([item] * count)


@pytest.mark.parametrize(
    "body",
    [
        many(b"{}", MAX_RECORDS + 1),
        b'{"agent":[' + b",".join(b'{"agent-id":"%d"}' % i for i in range(MAX_RECORDS + 1)) + b"]}",
        many(b"[]", 2 * MAX_RECORDS + 100),
        many(b"1", 100 * MAX_RECORDS + 100),
        many(b'"x"', 100 * MAX_RECORDS + 100),
    ],
    ids=["empty objects", "minimal agents", "empty arrays", "numbers", "strings"],
)
def test_too_many_json_records_or_values_are_refused(body):
    with pytest.raises(LimitError, match=r"^the answer holds more than 50,000 agents; refused$"):
        parse_agents(body, "json", STILL)


def test_names_full_of_brackets_and_commas_are_not_mistaken_for_too_many_values():
    name = "[,]" * 300
    body = json.dumps({"agent": [{"agent-id": f"a{i}", "agent-name": name} for i in range(200)]})
    small = Limits(max_records=250)  # 200 records, but 180,000 "[" and "," inside the names
    assert len(parse_agents(body, "json", small).records) == 200


def test_the_record_limit_is_the_limit():
    body = b'{"queue":[' + b",".join(b'{"queue-id":"%d"}' % i for i in range(10)) + b"]}"
    assert len(parse_queues(body, "json", Limits(max_records=10)).records) == 10
    with pytest.raises(LimitError, match="more than 9 queues"):
        parse_queues(body, "json", Limits(max_records=9))


def test_xml_nested_millions_deep_is_refused_at_once():
    deep = b"<agents><agent>" + b"<x>" * 1_000_000 + b"</x>" * 1_000_000 + b"</agent></agents>"
    with pytest.raises(LimitError, match=r"^the XML response is nested more than 16 deep; refused$"):
        parse_agents(deep, "xml", STILL)
    unclosed = b"<agents>" + b"<agent>" * 1_000_000
    with pytest.raises(LimitError, match="nested more than 16 deep"):
        parse_agents(unclosed, "xml", STILL)


def test_too_many_xml_records_are_refused_strict_or_repaired():
    strict = b"<agents>" + b"<agent><agent-id>1</agent-id></agent>" * (MAX_RECORDS + 1) + b"</agents>"
    with pytest.raises(LimitError, match="more than 50,000 agents"):
        parse_agents(strict, "xml", STILL)
    # the vendor's wrong closing names send a body to the repair path: bounded there too
    repaired = b"<agents>" + b"<agent><agent-id>1</agent-ident></agent>" * (MAX_RECORDS + 1) + b"</agents>"
    with pytest.raises(LimitError, match="more than 50,000 agents"):
        parse_agents(repaired, "xml", STILL)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_parsing_is_bounded_in_time(fmt):
    """A clock that moves a second per look: the work stops once the budget is spent."""
    ticks = itertools.count()
    limits = Limits(seconds=3.0, clock=lambda: float(next(ticks)))
    records = [{"agent-id": f"a{i}", "agent-name": f"Agent {i}"} for i in range(20_000)]
    if fmt == "json":
        body = json.dumps({"agent": records})
    else:
        body = "<agents>" + "".join(f"<agent><agent-id>{r['agent-id']}</agent-id></agent>" for r in records) + "</agents>"
    with pytest.raises(LimitError, match=r"^reading the answer took longer than 3 s; refused$"):
        parse_agents(body, fmt, limits)
    # the same body on a clock that stands still: every other limit allows it (the real
    # clock would make this a timed test, which a busy machine fails)
    assert len(parse_agents(body, fmt, STILL).records) == 20_000


@pytest.mark.parametrize(
    "body, fmt",
    [
        (many(b"{}", 1000), "json"),
        (b'{"agent":[{"agent-name":"no id"},"junk",42]}', "json"),
        (b"<agents><agent><agent><agent><x>1</x></agent></agent></agent></agents>", "xml"),
    ],
)
def test_an_answer_whose_every_record_was_refused_is_a_bad_answer(body, fmt):
    """Not a good empty answer: the board would show "no agents" and call itself live."""
    with pytest.raises(ParseError, match=r"^not one of the [0-9,]+ agents in it could be read \(agent #1 "):
        parse_agents(body, fmt)


def test_an_empty_answer_is_still_a_good_empty_answer():
    assert parse_agents(b'{"agent":[]}', "json").records == ()
    assert parse_agents(b"<agents></agents>", "xml").records == ()
