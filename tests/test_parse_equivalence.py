"""The fast parse reads every answer exactly as the plain one does.

The plain parse is the parser with every speed-up off: the standard library's JSON
decoder, xmltodict for XML, every value through the general conversion rules, no
records reused from the previous answer. The fast parse (msgspec, the conversion a column
at a time of :mod:`~wallboard.core.wire.rtstats_columns`, the fast paths of the record
loop, the ElementTree reader, :class:`~wallboard.core.wire.rtstats.Reuse`) must give equal
results over the benchmark's payloads, the seed examples and the fuzz corpus of
``tests/test_parse_properties.py``: the same records, problems, skipped count and repair
flag, or the same refusal (its type and its words). Every comparison is made twice: with
the columns tried first (as the board parses), and with the record loop's fast paths
alone (as it parses whatever the columns refuse).
"""

from __future__ import annotations

import contextlib
import json
import re

import pytest
from hypothesis import given, strategies as st

from tests.helpers.data import FIXTURES
from tests.test_parse_limits import many
from tests.test_parse_properties import FORMATS, HOSTILE_TEXT, PARSERS, VALID, json_documents, mutated, xml_documents
from wallboard.bench.data import payloads, scenario
from wallboard.core.wire import flat_xml, payload, rtstats, rtstats_columns
from wallboard.core.wire.payload import MAX_RECORDS, ParseError
from wallboard.core.wire import rtstats_render as render
from wallboard.core.wire.rtstats import Reuse
from wallboard.sim.rtstats_wire import agents_wire, queues_wire


@contextlib.contextmanager
def plain():
    """Every speed-up off: the parser as it was before them."""
    saved = payload.FAST_DECODE, rtstats.FAST_PATHS, rtstats.COLUMNS, flat_xml.FAST_XML
    payload.FAST_DECODE, rtstats.FAST_PATHS, rtstats.COLUMNS, flat_xml.FAST_XML = None, False, False, False
    try:
        yield
    finally:
        payload.FAST_DECODE, rtstats.FAST_PATHS, rtstats.COLUMNS, flat_xml.FAST_XML = saved


@contextlib.contextmanager
def switched(module, flag: str, on: bool):
    """One of the parser's speed-ups (a flag of its module) on or off for the block."""
    saved = getattr(module, flag)
    setattr(module, flag, on)
    try:
        yield
    finally:
        setattr(module, flag, saved)


def columns(on: bool):
    """The conversion a column at a time tried first (as the board parses), or not."""
    return switched(rtstats, "COLUMNS", on)


def alike(on: bool):
    """Plain XML lists read by the one-pattern reader first (as the board parses), or by ElementTree."""
    return switched(flat_xml, "TEMPLATE_XML", on)


def outcome(parser, body, fmt, **options):
    try:
        return parser(body, fmt, **options)
    except ParseError as error:
        return (type(error), str(error))


def assert_same(kind: str, body, fmt: str, reuse: Reuse | None = None, *, by_columns: tuple[bool, ...] = (True, False)) -> None:
    parser, _ = PARSERS[kind]
    with plain():
        expected = outcome(parser, body, fmt)
    for on in by_columns:
        for pattern in (True, False) if fmt == "xml" else (True,):
            with columns(on), alike(pattern):
                fast = outcome(parser, body, fmt, reuse=reuse)
            assert fast == expected, (kind, fmt, on, pattern, body[:200])


def test_the_fast_decoder_is_there():
    """Installed with the board (pyproject): without it these tests would compare the plain parse with itself."""
    assert payload.FAST_DECODE is not None


@pytest.mark.parametrize("agents", [50, 500, 2000])
def test_the_bench_payloads(agents):
    bodies = payloads(agents)
    for fmt in FORMATS:
        assert_same("agents", bodies[fmt], fmt)
    assert_same("queues", bodies["queues"], "json")


def test_the_seed_examples_and_the_simulators_payloads():
    assert_same("agents", (FIXTURES / "seed_agents.xml").read_bytes(), "xml")
    assert_same("queues", (FIXTURES / "seed_queues.xml").read_bytes(), "xml")
    for (kind, fmt), bodies in VALID.items():
        for body in bodies:
            assert_same(kind, body, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_plain_answer_is_converted_a_column_at_a_time(fmt, monkeypatch):
    """The bench's answers are what real ones look like: the columns must take them, JSON
    decoded straight into its fields (or the comparisons above would test the record loop
    and the dicts only)."""
    taken: list[bool] = []
    typed: list[bool] = []
    convert, typed_plain = rtstats_columns.convert_columns, rtstats._typed_plain

    def spy(*args):
        columns = convert(*args)
        taken.append(columns is not None)
        return columns

    def typed_spy(*args):
        parsed = typed_plain(*args)
        typed.append(parsed is not None)
        return parsed

    monkeypatch.setattr(rtstats_columns, "convert_columns", spy)
    monkeypatch.setattr(rtstats, "_typed_plain", typed_spy)
    bodies = payloads(500)
    agents = rtstats.parse_agents(bodies[fmt], fmt)
    queues = rtstats.parse_queues(bodies["queues"], "json")
    assert taken == [True, True] and len(agents.records) == 500 and len(queues.records) == 25
    assert typed == ([True, True] if fmt == "json" else [True])
    assert agents.problems == () and queues.problems == ()
    body = bodies["json"].replace(b'"agent-id":"', b'"agent-id":"  ', 1)  # one id with spaces: still plain
    assert rtstats.parse_agents(body, "json").records[0].agent_id == rtstats.parse_agents(bodies["json"], "json").records[0].agent_id
    taken.clear()
    typed.clear()
    rtstats.parse_agents(bodies["json"].replace(b'"agent-status":', b'"agent-status":1.5,"x":', 1), "json")
    assert taken == [False, False] and typed == [False]  # a float where a code belongs: the record loop reads it, and says so
    taken.clear()
    rtstats.parse_agents(bodies["json"].replace(b'"agent-status":', b'"x":', 1), "json")
    assert taken == [False] and typed == [False, False]  # a field missing: the typed decoding refuses it, the dicts do too


EDGES = [
    b'{"agent":[{"agent-id":"a","day-accepted-count":123456789012345678901234567890}]}',  # beyond 64 bits
    b'{"agent":[{"agent-id":123456789012345678901234567890}],"queue":[{"queue-id":18446744073709551616}]}',
    b'{"agent":[{"agent-id":"a","agent-name":"\\ud800"}]}',  # a lone surrogate
    b'{"agent":[{"agent-id":"a","day-accepted-count":NaN,"time-in-status":Infinity}]}',
    b'{"agent":[{"agent-id":"a","time-in-status":1e400}]}',
    b'\xef\xbb\xbf{"agent":[{"agent-id":"a"}]}',  # a byte order mark
    b'{"agent":[{"agent-id":"a\xff\xfe"}]}',  # invalid UTF-8
    b'{"agent":[{"agent-id":"a","agent-id":"b"}]}',  # a repeated key
    b'{"agent":[{"agent-id":"a","agent-name":-0.0,"group-id":1.0,"agent-status":true}]}',
    b'{"AGENT":[{"Agent-Id":"a"}],"agent":{"agent-id":"b"}}',  # keys in another case are not ours
    b'{"agent":[{"agent-id":"","agent-name":"x"},{"agent-id":"a","agent-status":-1,"phone-line1-status":-1}]}',
    b'{"agent":[{"agent-id":"a","unknown-field":[1,{"x":2}],"agent-name":""}]}',
    b"[" * 1200 + b"]" * 1200,  # nested too deeply
    b"  \t\n ",
    b"\x1c\x1d",
    "\u2028".encode(),
    b'{"agent":[{"agent-id":"a"}]} trailing',
    many(b"{}", MAX_RECORDS + 1),
    many(b"[]", 2 * MAX_RECORDS + 100),
    many(b"1", 100 * MAX_RECORDS + 100),
    json.dumps({"agent": [{"agent-id": f"a{i}", "agent-name": "[,]" * 300} for i in range(200)]}).encode(),
]


@pytest.mark.parametrize("body", EDGES, ids=range(len(EDGES)))
@pytest.mark.parametrize("fmt", FORMATS)
def test_edges_of_the_json_grammar_and_the_limits(body, fmt):
    for kind in PARSERS:
        assert_same(kind, body, fmt)
        assert_same(kind, body.decode("utf-8", "replace"), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", PARSERS)
@given(data=st.data())
def test_mutated_payloads(kind, fmt, data):
    assert_same(kind, data.draw(mutated(kind, fmt)), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@given(body=st.binary(max_size=400) | st.text(max_size=200))
def test_random_bytes_and_text(fmt, body):
    for kind in PARSERS:
        assert_same(kind, body, fmt)


@pytest.mark.parametrize("kind", PARSERS)
@given(data=st.data())
def test_random_json_documents(kind, data):
    document = data.draw(json_documents(kind))
    text = json.dumps(document)
    assert_same(kind, text, "json")
    assert_same(kind, text.encode("utf-8", "surrogatepass"), "json")


@pytest.mark.parametrize("kind", PARSERS)
@given(data=st.data())
def test_random_xml_trees(kind, data):
    assert_same(kind, data.draw(xml_documents(kind)), "xml")


@pytest.mark.parametrize("text", HOSTILE_TEXT, ids=range(len(HOSTILE_TEXT)))
@pytest.mark.parametrize("kind", PARSERS)
def test_hostile_text_in_a_real_payload(kind, text):
    sim = scenario(12)
    items = agents_wire(sim) if kind == "agents" else queues_wire(sim)
    name = "agent-name" if kind == "agents" else "queue-name"
    items = [{**item, name: text} for item in items]
    tag = "agent" if kind == "agents" else "queue"
    assert_same(kind, json.dumps({tag: items}).encode(), "json")  # escaped: a lone surrogate travels as \ud800
    assert_same(kind, render.xml_list(f"{tag}s", tag, items).decode() if text.isprintable() else "", "xml")


# --- records reused from the last answer ----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_successive_answers_reusing_the_last_ones_records(fmt):
    sim = scenario(500)
    reuse = {"agents": Reuse(), "queues": Reuse()}
    reused = 0
    for _ in range(4):
        agents, queues = agents_wire(sim), queues_wire(sim)
        bodies = {"agents": render.json_list("agent", agents), "queues": render.json_list("queue", queues)}
        if fmt == "xml":
            bodies = {"agents": render.xml_list("agents", "agent", agents), "queues": render.xml_list("queues", "queue", queues)}
        for kind, body in bodies.items():
            assert_same(kind, body, fmt, reuse[kind], by_columns=(False,))  # what the columns refuse
        reused += reuse["agents"].reused
        sim.clock.now += 10
        sim.sync()
    assert reused > 500, "most agents change only their durations from one answer to the next"


DURATIONS = [-2, -1, 0, 5, 2**53, 2**53 + 1, None, "7", 1.0, True, -(2**53) - 1]


def test_durations_of_reused_records_whatever_they_hold():
    # whole records (every field, so the durations are read all at once), answer after
    # answer with only the durations moving, through every kind of value they may hold
    sim = scenario(30)
    records = agents_wire(sim)
    durations = [key for key in records[0] if key.endswith("-time") and key != "last-login-time"] + ["time-in-status"]
    assert len(durations) > 5
    reuse = Reuse()
    for turn in range(len(DURATIONS) + 1):
        answer = [
            {**record, **{key: DURATIONS[(turn + i) % len(DURATIONS)] if turn else 3 for key in durations}}
            for i, record in enumerate(records)
        ]
        assert_same("agents", json.dumps({"agent": answer}).encode(), "json", reuse, by_columns=(False,))
        assert turn == 0 or reuse.reused > 0  # the records were reused, their durations read afresh


SAME_BUT = [1, "1", 1.0, -0.0, 0.0, 0, True, None, "", " 1 ", [1], {"#text": "1"}, -1, -2, 2**53, 2**53 + 1, 10**20]


@pytest.mark.parametrize("field", ["agent-name", "group-id", "agent-status", "time-in-status", "day-login-time", "day-offered-count"])
def test_a_value_that_equals_another_of_another_type_is_never_taken_for_it(field):
    reuse = Reuse()
    for value in SAME_BUT + SAME_BUT[::-1]:
        body = json.dumps({"agent": [{"agent-id": "a", field: value, "time-in-status": 5}]}).encode()
        assert_same("agents", body, "json", reuse)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", PARSERS)
@given(data=st.data())
def test_sequences_of_mutated_payloads_with_one_reuse(kind, fmt, data):
    reuse = Reuse()
    for _ in range(data.draw(st.integers(2, 4))):
        body = data.draw(st.sampled_from(VALID[(kind, fmt)]) | mutated(kind, fmt))
        assert_same(kind, body, fmt, reuse)


TRICKY = [None, "", " ", "0", "12", " 12", "12 ", "-1", "+3", "1.5", "1e3", "٣", "²", "0" * 15, "9" * 16, "x", "Ünï",
          "a\x1bb", 0, 5, -1, -5, 2**53, 2**53 + 1, -(2**53), -(2**53) - 1, 1.5, -0.0, True, False, [], {}, [3], {"#text": "4"}]


@pytest.mark.parametrize("value", TRICKY, ids=range(len(TRICKY)))
def test_every_kind_of_field_with_tricky_values(value):
    from tests.test_parse_properties import AGENT_KEYS, QUEUE_KEYS

    for kind, keys, tag in (("agents", AGENT_KEYS, "agent"), ("queues", QUEUE_KEYS, "queue")):
        record = {key: value for key in keys}
        record[keys[0]] = "id-1"
        assert_same(kind, json.dumps({tag: [record]}).encode(), "json")
        if isinstance(value, str) and value.isprintable():
            leaves = "".join(f"<{key}>{value}</{key}>" for key in keys[1:])
            assert_same(kind, f"<{tag}s><{tag}><{keys[0]}>id-1</{keys[0]}>{leaves}</{tag}></{tag}s>", "xml")


XML_EDGES = [
    "<agents><agent><agent-id>a</agent-id><agent-name> Ann </agent-name></agent></agents>",
    "<agents>\n  <agent>\n    <agent-id>a</agent-id>\n  </agent>\n</agents>\n",
    "<agents><agent/></agents>",
    "<agents><agent></agent><agent></agent></agents>",
    "<agents><agent><agent-id>a</agent-id><agent-id>b</agent-id><agent-id/></agent></agents>",
    "<agents><agent><agent-id>a</agent-id><agent-name><![CDATA[<b>x</b>]]></agent-name></agent></agents>",
    "<agents><agent><agent-id>a</agent-id><!-- note --><agent-name>x<!--c-->y</agent-name></agent></agents>",
    "<agents><agent><agent-id>a</agent-id><?pi x?></agent></agents>",
    '<agents xmlns="urn:x"><agent><agent-id>a</agent-id></agent></agents>',
    '<agents xmlns:n="urn:x"><agent><n:agent-id>a</n:agent-id><agent-id>b</agent-id></agent></agents>',
    "<agents><agent><n:agent-id>a</n:agent-id></agent></agents>",
    '<agents><agent id="1"><agent-id>a</agent-id></agent></agents>',
    '<agents><agent><agent-id kind="x">a</agent-id></agent></agents>',
    '<agents version="2"><agent><agent-id>a</agent-id></agent></agents>',
    "<agents>text<agent><agent-id>a</agent-id></agent></agents>",
    "<agents><agent>text<agent-id>a</agent-id></agent></agents>",
    "<agents><agent><agent-id>a</agent-id>tail</agent></agents>",
    "<agents><agent><agent-id>a</agent-id></agent>tail</agents>",
    "<agents><agent><agent-id><b>a</b></agent-id></agent></agents>",
    "<agents><queue><queue-id>q</queue-id></queue><agent><agent-id>a</agent-id></agent></agents>",
    "<agent><agent-id>a</agent-id></agent>",
    "<agents><agent><agent-id>a&amp;b&#65;&#x42;</agent-id><agent-name>&lt;x&gt;</agent-name></agent></agents>",
    "<agents><agent><agent-id>a</agent-id><agent-name>&unknown;</agent-name></agent></agents>",
    '<?xml version="1.0" encoding="ISO-8859-1"?><agents><agent><agent-id>é</agent-id></agent></agents>',
    '<?xml version="1.0" encoding="utf-8"?><agents><agent><agent-id>é</agent-id></agent></agents>',
    '<?xml version="1.0"?><agents><agent><agent-id>é\u00a0\u0085</agent-id></agent></agents>',
    ' <?xml version="1.0"?><agents><agent><agent-id>a</agent-id></agent></agents>',
    "<agents><agent><agent-id>a</agent-id></agent></agents><agents/>",
    "<agents><agent><day-accepted-count>10</all-day-accepted></agent></agents>",
    "<agents><agent><agent-id>a</agent-id><agent-status>-1</agent-status><time-in-status> 12 </time-in-status></agent></agents>",
    "<agents>" + "<agent><agent-id>a</agent-id>" + "<x>" * 300 + "</x>" * 300 + "</agent>" + "</agents>",
]


@pytest.mark.parametrize("body", XML_EDGES, ids=range(len(XML_EDGES)))
def test_edges_of_xml(body):
    assert_same("agents", body, "xml")
    assert_same("agents", body.encode("utf-8"), "xml")


def _whole_records(kind: str) -> str:
    """A real answer of three records, every field in each (the column path's kind)."""
    sim = scenario(3)
    tag = kind[:-1]
    items = agents_wire(sim) if kind == "agents" else queues_wire(sim)
    return render.xml_list(kind, tag, items).decode()


def _first_leaf(body: str, kind: str) -> str:
    """The second leaf of the first record (its first is the id), as it stands."""
    start = body.index(f"<{kind[:-1]}>") + len(kind) + 1
    leaves = re.findall(r"<([a-zA-Z-]+)>[^<]*</\1>", body[start:])
    return leaves[1]


WHOLE_RECORD_EDITS = {
    "as sent": lambda b, leaf: b,
    "a padded number": lambda b, leaf: re.sub(rf"<{leaf}>([^<]*)<", rf"<{leaf}> \1 <", b, count=1),
    "a padded text": lambda b, leaf: b.replace("-name>", "-name> ", 1),
    "empty elements both ways": lambda b, leaf: re.sub(
        rf"<{leaf}>[^<]+</{leaf}>", f"<{leaf}></{leaf}>", re.sub(rf"<{leaf}>[^<]+</{leaf}>", f"<{leaf}/>", b, count=1), count=1
    ),
    "text between records": lambda b, leaf: b.replace("\n<agent>", "x<agent>", 1).replace("\n<queue>", "x<queue>", 1),
    "an element between records": lambda b, leaf: b.replace("\n<agent>", "<x/><agent>", 1).replace("\n<queue>", "<x/><queue>", 1),
    "an unclosed element between records": lambda b, leaf: b.replace("\n<agent>", "<x><agent>", 1).replace("\n<queue>", "<x><queue>", 1),
    "windows line ends": lambda b, leaf: b.replace("\n", "\r\n"),
    "an entity in a name": lambda b, leaf: b.replace("-name>", "-name>R&amp;D ", 1),
    "a slash and angle in a name": lambda b, leaf: b.replace("-name>", "-name>a/>b ", 1),
    "an angle in a name": lambda b, leaf: b.replace("-name>", "-name>a>b ", 1),
    "a control character in a name": lambda b, leaf: b.replace("-name>", "-name>\x01", 1),
    "a tab and a newline in a name": lambda b, leaf: b.replace("-name>", "-name>a\tb\nc", 1),
    "a non-breaking space around a name": lambda b, leaf: b.replace("-name>", "-name>\u00a0", 1),
    "a CDATA end in a name": lambda b, leaf: b.replace("-name>", "-name>]]>", 1),
    "leaves in another order in one record": lambda b, leaf: re.sub(
        rf"(<{leaf}>[^<]*</{leaf}>)(\s*)(<([a-zA-Z-]+)>[^<]*</\4>)", r"\3\2\1", b, count=1
    ),
    "a leaf missing from one record": lambda b, leaf: re.sub(rf"<{leaf}>[^<]*</{leaf}>", "", b, count=1),
    "a leaf missing from the last record": lambda b, leaf: re.sub(rf"(.*)<{leaf}>[^<]*</{leaf}>", r"\1", b, count=1, flags=re.S),
    "an unknown leaf in every record": lambda b, leaf: b.replace(f"<{leaf}>", f"<zz-extra>1</zz-extra><{leaf}>"),
    "a leaf twice in the first record": lambda b, leaf: b.replace(f"<{leaf}>", f"<{leaf}>1</{leaf}><{leaf}>", 1),
    "a leaf nested": lambda b, leaf: b.replace(f"<{leaf}>", f"<{leaf}><b>1</b>", 1),
    "tabs between leaves": lambda b, leaf: b.replace("\n<", "\t<"),
    "text after the last record": lambda b, leaf: re.sub(r"(</agent>|</queue>)(\s*</(agents|queues)>)", r"\1junk\2", b),
    "another element after the list": lambda b, leaf: b + "<more/>",
    "an empty record": lambda b, leaf: b.replace("\n<agent>", "<agent></agent><agent>", 1).replace("\n<queue>", "<queue/><queue>", 1),
}


@pytest.mark.parametrize("edit", WHOLE_RECORD_EDITS, ids=list(WHOLE_RECORD_EDITS))
@pytest.mark.parametrize("kind", PARSERS)
def test_whole_xml_records_read_by_one_pattern_or_by_elementtree_alike(kind, edit):
    # answers with every field in every record: the ones the pattern reader and the
    # column conversion take, each edited the way a server or a proxy might
    body = _whole_records(kind)
    edited = WHOLE_RECORD_EDITS[edit](body, _first_leaf(body, kind))
    if edit != "as sent":
        assert edited != body
    assert_same(kind, edited, "xml")
    assert_same(kind, edited.encode("utf-8", "surrogatepass"), "xml")


@pytest.mark.parametrize("kind", PARSERS)
def test_a_whole_answer_is_read_by_the_pattern_and_converted_by_columns(kind, monkeypatch):
    # the fast path is taken for what real servers send (else the test above proves little)
    taken = []
    real = rtstats._parsed_from_columns
    monkeypatch.setattr(rtstats, "_parsed_from_columns", lambda *a, **k: taken.append(True) or real(*a, **k))
    body = _whole_records(kind)
    assert flat_xml.plain_columns(body, kind, kind[:-1], payload.Budget(payload.Limits(), kind)) is not None
    parsed = PARSERS[kind][0](body, "xml")
    assert taken == [True] and len(parsed.records) == body.count(f"</{kind[:-1]}>") > 1


def test_an_xml_answer_the_columns_refuse_is_read_once(monkeypatch):
    # read by the pattern, refused by the column conversion (a field under another name):
    # its records come from that one reading, neither the pattern nor ElementTree again
    reads = {"pattern": 0, "tree": 0}
    pattern, tree = rtstats.alike_columns, rtstats.flat_records

    def counted(name, real):
        return lambda *args, **kwargs: reads.__setitem__(name, reads[name] + 1) or real(*args, **kwargs)

    monkeypatch.setattr(rtstats, "alike_columns", counted("pattern", pattern))
    monkeypatch.setattr(rtstats, "flat_records", counted("tree", tree))
    body = _whole_records("agents").replace("time-in-status>", "time-in-state>")
    parsed = rtstats.parse_agents(body, "xml")
    assert reads == {"pattern": 1, "tree": 0}
    assert len(parsed.records) == body.count("</agent>")
    assert_same("agents", body, "xml")
