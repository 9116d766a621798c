"""Property tests of the parser: whatever arrives, the answer is records or a typed error.

Random bytes, valid simulator and seed payloads mutated at random (cut, spliced, bytes
flipped, hostile text inserted), and random JSON and XML trees built from the real field
names. For every input, ``parse_agents`` / ``parse_queues`` return a :class:`Parsed`
whose records all have an identifier and carry no control characters, or raise
:class:`ParseError` with a short one-line message. Any other exception, a record without
an id, or a control character that survives, fails the test.

Example counts come from the Hypothesis profile (tests/conftest.py): moderate by default;
``WALLBOARD_HYPOTHESIS_PROFILE=thorough`` runs many more.
"""

from __future__ import annotations

import json
import math
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, strategies as st

from tests.helpers.clocks import EPOCH, FakeClock
from tests.helpers.data import FIXTURES
from wallboard.core.model.fields import Kind
from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.wire.payload import MAX_PROBLEMS, ParseError, Parsed
from wallboard.core.wire.rtstats import field_specs, parse_agents, parse_queues
from wallboard.core.text import MAX_TEXT_LENGTH
from wallboard.core.wire import rtstats_render as render
from wallboard.sim.names import HOSTILE_AGENT_NAMES, HOSTILE_QUEUE_NAME
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.rtstats_wire import agents_wire, queues_wire

PARSERS = {"agents": (parse_agents, Agent), "queues": (parse_queues, Queue)}
FORMATS = ("json", "xml")

# --- what "clean" means -----------------------------------------------------------------

_FORBIDDEN = frozenset(
    [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
     *range(0x2066, 0x206A), *range(0xFFF9, 0xFFFC), 0x2028, 0x2029, *range(0xD800, 0xE000)]
)


def control_characters(text: str) -> list[str]:
    return [hex(ord(ch)) for ch in text if ord(ch) in _FORBIDDEN]


def check(parser, record_type, body, fmt) -> Parsed | ParseError:
    """Parse ``body``; assert the outcome is well-formed; return it."""
    try:
        result = parser(body, fmt)
    except ParseError as error:
        message = str(error)
        assert message and "\n" not in message, repr(message)
        assert not control_characters(message), (message, control_characters(message))
        assert len(message) <= 300, message
        return error
    assert isinstance(result, Parsed)
    assert isinstance(result.records, tuple) and isinstance(result.problems, tuple)
    assert result.skipped >= 0 and len(result.problems) <= MAX_PROBLEMS
    for problem in result.problems:
        assert isinstance(problem, str) and not control_characters(problem), problem
    specs = field_specs(record_type)
    for record in result.records:
        assert type(record) is record_type
        key = getattr(record, specs[0].name)
        assert isinstance(key, str) and key.strip(), f"a record without an id: {record!r}"
        for spec in specs:
            value = getattr(record, spec.name)
            if spec.kind in (Kind.KEY, Kind.TEXT, Kind.WORD):
                assert isinstance(value, str), (spec.name, value)
                assert not control_characters(value), (spec.name, value, control_characters(value))
                assert len(value) <= MAX_TEXT_LENGTH
                assert value == value.strip()
            elif value is not None:
                assert isinstance(value, (int, float)) and not isinstance(value, bool), (spec.name, value)
                assert math.isfinite(value), (spec.name, value)
                if spec.kind in (Kind.COUNT, Kind.SECONDS, Kind.PERCENT, Kind.ID):
                    assert value >= 0, (spec.name, value)
                if spec.kind is Kind.EPOCH:
                    assert value > 0, (spec.name, value)
    return result


# --- valid payloads to start from -------------------------------------------------------


def _simulator_bodies() -> dict[tuple[str, str], list[bytes]]:
    clock = FakeClock(EPOCH)
    scenario = RealtimeScenario(11, 12, 4, phase=0.0, clock=clock, hostile=True)
    clock.advance(30)
    scenario.sync()
    agents, queues = agents_wire(scenario), queues_wire(scenario)
    return {
        ("agents", "json"): [render.json_list("agent", agents), render.json_single("agent", agents[0])],
        ("agents", "xml"): [render.xml_list("agents", "agent", agents), render.xml_single("agent", agents[1]),
                            (FIXTURES / "seed_agents.xml").read_bytes()],
        ("queues", "json"): [render.json_list("queue", queues), render.json_single("queue", queues[0])],
        ("queues", "xml"): [render.xml_list("queues", "queue", queues), render.xml_single("queue", queues[-1]),
                            (FIXTURES / "seed_queues.xml").read_bytes()],
    }


VALID = _simulator_bodies()
HOSTILE_TEXT = [*HOSTILE_AGENT_NAMES, HOSTILE_QUEUE_NAME, "\ud800", "\u2028\u2029", "\x00", "&#27;]0;x&#7;",
                "<!DOCTYPE a>", "]]>", "\\ud83d", "\x1b", "\x9d0;t\x9c", "-1", "1e999", "NaN"]


def test_the_valid_payloads_parse_with_records():
    for (kind, fmt), bodies in VALID.items():
        parser, record_type = PARSERS[kind]
        for body in bodies:
            result = check(parser, record_type, body, fmt)
            assert isinstance(result, Parsed) and result.records, (kind, fmt, body[:80])


@st.composite
def mutated(draw, kind: str, fmt: str) -> bytes:
    body = bytearray(draw(st.sampled_from(VALID[(kind, fmt)])))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(body)))
        choice = draw(st.integers(0, 5))
        if choice == 0:  # cut short
            del body[at:]
        elif choice == 1:  # lose a slice
            del body[at : at + draw(st.integers(1, 200))]
        elif choice == 2:  # flip some bytes
            for offset in range(draw(st.integers(1, 8))):
                if at + offset < len(body):
                    body[at + offset] = draw(st.integers(0, 255))
        elif choice == 3:  # insert random bytes
            body[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif choice == 4:  # insert hostile text
            body[at:at] = draw(st.sampled_from(HOSTILE_TEXT)).encode("utf-8", "surrogatepass")
        else:  # repeat a slice
            body[at:at] = body[at : at + draw(st.integers(1, 300))]
    return bytes(body)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", PARSERS)
@given(data=st.data())
def test_mutated_payloads_give_records_or_a_typed_error(kind, fmt, data):
    parser, record_type = PARSERS[kind]
    check(parser, record_type, data.draw(mutated(kind, fmt)), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@given(body=st.binary(max_size=400) | st.text(max_size=200))
def test_random_bytes_and_text_give_records_or_a_typed_error(fmt, body):
    for parser, record_type in PARSERS.values():
        check(parser, record_type, body, fmt)


# --- random JSON built from the real field names ----------------------------------------

AGENT_KEYS = [name for spec in field_specs(Agent) for name in spec.wire_names]
QUEUE_KEYS = [name for spec in field_specs(Queue) for name in spec.wire_names]
SPECIAL_CHARACTERS = "\x00\x07\x1b\x7f\x85\x9b\x9c\x9d\u061c\u200e\u202e\u2066\u2028\u2029\ufff9\ud800\udfff[]/;"
characters = st.characters(exclude_categories=()) | st.sampled_from(SPECIAL_CHARACTERS)
hostile_text = st.text(characters, max_size=30) | st.sampled_from(HOSTILE_TEXT)
scalars = (
    st.none() | st.booleans() | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | hostile_text
)


def json_values(keys: list[str]):
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(keys) | st.text(max_size=8), children, max_size=4),
        max_leaves=8,
    )


def json_records(keys: list[str]):
    return st.dictionaries(st.sampled_from(keys) | hostile_text, scalars | json_values(keys), max_size=12)


def json_documents(kind: str):
    keys = AGENT_KEYS if kind == "agents" else QUEUE_KEYS
    item, plural = ("agent", "agents") if kind == "agents" else ("queue", "queues")
    records = st.lists(json_records(keys) | scalars, max_size=5)
    return st.one_of(
        records.map(lambda items: {item: items}),
        json_records(keys).map(lambda record: {item: record}),
        records.map(lambda items: {plural: {item: items}}),
        records,
        json_values(keys + [item, plural]),
    )


@pytest.mark.parametrize("kind", PARSERS)
@given(data=st.data())
def test_random_json_documents_give_records_or_a_typed_error(kind, data):
    document = data.draw(json_documents(kind))
    parser, record_type = PARSERS[kind]
    check(parser, record_type, json.dumps(document, allow_nan=True), "json")


@pytest.mark.parametrize("kind", PARSERS)
@given(data=st.data())
def test_hostile_text_in_every_text_field_comes_out_clean(kind, data):
    parser, record_type = PARSERS[kind]
    specs = [spec for spec in field_specs(record_type) if spec.kind in (Kind.KEY, Kind.TEXT, Kind.WORD)]
    records = [
        {spec.wire_names[0]: data.draw(hostile_text) for spec in specs} for _ in range(data.draw(st.integers(1, 4)))
    ]
    item = "agent" if kind == "agents" else "queue"
    check(parser, record_type, json.dumps({item: records}), "json")
    xml = "".join(
        f"<{item}>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in record.items()) + f"</{item}>" for record in records
    )
    check(parser, record_type, f"<{kind}>{xml}</{kind}>".encode("utf-8", "surrogatepass"), "xml")


def test_one_bad_record_never_drops_the_others():
    good = [{"agent-id": f"a{i}", "agent-name": f"Agent {i}", "agent-status": i % 6} for i in range(5)]
    bad = [
        {"agent-name": "no id at all"},
        {"agent-id": {"nested": True}, "agent-name": "id of the wrong type"},
        {"agent-id": "w", "agent-status": "busy", "time-in-status": {"deep": 1}, "agent-name": 12.5, "group-id": -4},
        "not a record",
        None,
    ]
    mixed = [record for pair in zip(good, bad) for record in pair]
    result = check(parse_agents, Agent, json.dumps({"agent": mixed}), "json")
    assert [agent.agent_id for agent in result.records] == ["a0", "a1", "a2", "w", "a3", "a4"]
    assert result.skipped == 4
    wrong = result.records[3]
    assert (wrong.status, wrong.time_in_status, wrong.name, wrong.group_id) == (None, None, "12.5", None)


# --- random XML trees built from the real element names ---------------------------------


def xml_documents(kind: str):
    keys = AGENT_KEYS if kind == "agents" else QUEUE_KEYS
    item, plural = ("agent", "agents") if kind == "agents" else ("queue", "queues")
    names = st.sampled_from([*keys, item, plural, "x", "data", "agent-idx", "queues2"])
    text = (st.text(max_size=20) | st.sampled_from(HOSTILE_TEXT)).map(escape)
    leaf = st.tuples(names, text, st.sampled_from(["", "/", "wrong"])).map(
        lambda t: f"<{t[0]}/>" if t[2] == "/" else f"<{t[0]}>{t[1]}</{'x' + t[0] if t[2] else t[0]}>"
    )
    tree = st.recursive(
        leaf,
        lambda children: st.tuples(names, st.lists(children, max_size=5)).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
        ),
        max_leaves=10,
    )
    records = st.lists(st.lists(leaf | tree, max_size=6).map(lambda body: f"<{item}>{''.join(body)}</{item}>"), max_size=4)
    return st.one_of(
        records.map(lambda rs: f"<{plural}>{''.join(rs)}</{plural}>"),
        records.map(lambda rs: f'<?xml version="1.0"?>\n<{plural}>{"".join(rs)}</{plural}>'),
        tree,
    )


@pytest.mark.parametrize("kind", PARSERS)
@given(data=st.data())
def test_random_xml_trees_give_records_or_a_typed_error(kind, data):
    body = data.draw(xml_documents(kind))
    cut = data.draw(st.integers(0, len(body)) | st.just(len(body)))
    parser, record_type = PARSERS[kind]
    check(parser, record_type, body[:cut].encode("utf-8", "surrogatepass"), "xml")


# --- entities and pathological bodies ----------------------------------------------------

BOMB = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10 if i else "lol"}">' for i in range(10))


@pytest.mark.parametrize(
    "body",
    [
        f'<?xml version="1.0"?><!DOCTYPE agents [{BOMB}]><agents><agent><agent-id>&l9;</agent-id></agent></agents>',
        f"<!doctype agents [{BOMB}]><agents><agent><agent-id>&l9;</agent-id></agent></agents>",
        f"<!  DOCTYPE agents [{BOMB}]><agents><agent><agent-id>&l9;</agent-id></agent></agents>",
        '<!DOCTYPE agents SYSTEM "http://127.0.0.1:9/evil.dtd"><agents><agent><agent-id>a</agent-id></agent></agents>',
        '<!DOCTYPE a [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]><agents/>',
        '<agents><!ENTITY x SYSTEM "file:///etc/passwd"><agent><agent-id>&x;</agent-id></agent></agents>',
        # the same declarations where the strict parse fails and the repair path runs
        f"<!DOCTYPE agents [{BOMB}]><agents><agent><agent-id>&l9;</agent-id><a>1</b></agent></agents>",
    ],
    ids=["billion-laughs", "lower-case", "spaced", "external-dtd", "parameter-entity", "entity-without-doctype", "repair-path"],
)
def test_entity_declarations_are_refused(body):
    with pytest.raises(ParseError, match="document type; refused"):
        parse_agents(body, "xml")


def test_an_undeclared_entity_is_never_expanded():
    result = check(parse_agents, Agent, "<agents><agent><agent-id>a&x;b</agent-id><a>1</b></agent></agents>", "xml")
    assert [agent.agent_id for agent in result.records] == ["a&x;b"]


def test_a_utf16_body_cannot_smuggle_a_document_type_past_the_check():
    body = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE agents [{BOMB}]><agents><agent><agent-id>&l9;</agent-id></agent></agents>'
    outcome = check(parse_agents, Agent, body.encode("utf-16"), "xml")
    assert isinstance(outcome, ParseError) or all("lol" not in a.agent_id for a in outcome.records)


@pytest.mark.parametrize(
    "body",
    [
        "<agents><agent><agent-id>x</agent-id><a" + "a" * 200_000 + "</agent></agents>",
        "<agents>" + "<agent>" * 100_000 + "</agents>",
        "<agents><agent>" + "<a " + "/" * 200_000 + "</agent></agents>",
        "<agents>" + "<agent><agent-id>a</agent-id><x>1</y " * 50_000 + "</agent></agents>",
        "<agents><agent><agent-id>a</agent-id></agent>" + "x" * 200_000 + "<agent><agent-id>b</agent-id></agent></agents>",
        "<agents>" + "<agent><agent-id>a</agent-id><x>" * 50_000 + "</agents>",
        "<agents><agent><agent-id>a</agent-id></agent>" + "<agent> " * 100_000 + "</agents>",
    ],
    ids=["long-tag-name", "unclosed-records", "slash-run", "unclosed-tags", "text-run-between-records", "records-cut-short", "openings-only"],
)
def test_pathological_xml_is_read_in_one_pass(body):
    # The repair patterns were once cubic and quadratic here: these bodies took minutes.
    # Each now parses in milliseconds; a regression shows as this test hanging.
    check(parse_agents, Agent, body, "xml")

