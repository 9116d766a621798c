"""Every envelope the service (or an older one) answers with, and every hostile body."""

import json

import pytest

from wallboard.core.wire.payload import MAX_PROBLEMS, ParseError
from wallboard.core.wire.rtstats import parse_agents, parse_queues

ONE = {"agent-id": "jdoe", "agent-name": "Jane Doe", "agent-status": 0}
TWO = {"agent-id": "bob", "agent-name": "Bob", "agent-status": 4}


def ids(result):
    return [agent.agent_id for agent in result.records]


@pytest.mark.parametrize(
    "document, expected",
    [
        ({"agent": [ONE, TWO]}, ["jdoe", "bob"]),
        ({"agent": ONE}, ["jdoe"]),
        ({"agent": []}, []),
        ({"agent": ""}, []),
        ({"agent": None}, []),
        ({}, []),
        ("", []),
        (None, []),
        ([ONE, TWO], ["jdoe", "bob"]),
        ({"agents": {"agent": [ONE]}}, ["jdoe"]),
        (ONE, ["jdoe"]),
    ],
    ids=[
        "list", "single-object", "empty-list", "empty-string", "null-list", "empty-object",
        "empty-string-document", "null-document", "bare-list", "xml-style-nesting", "bare-record",
    ],
)
def test_json_envelopes(document, expected):
    assert ids(parse_agents(json.dumps(document), "json")) == expected


def test_json_queue_envelope_uses_the_singular_key():
    result = parse_queues(json.dumps({"queue": [{"queue-id": 115, "queue-name": "Sales"}]}), "json")
    assert [(q.queue_id, q.name) for q in result.records] == [("115", "Sales")]


def test_json_unknown_envelope_is_an_error():
    with pytest.raises(ParseError, match="no 'agent' list"):
        parse_agents(json.dumps({"error": "nope"}), "json")


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<agents><agent><agent-id>a</agent-id></agent><agent><agent-id>b</agent-id></agent></agents>", ["a", "b"]),
        ("<agents><agent><agent-id>a</agent-id></agent></agents>", ["a"]),
        ("<agents/>", []),
        ("<agents></agents>", []),
        ("<agents>\n</agents>", []),
        ("<agent><agent-id>solo</agent-id></agent>", ["solo"]),
        ('<?xml version="1.0"?>\n<agents><agent><agent-id>a</agent-id></agent></agents>', ["a"]),
    ],
    ids=["many", "one", "self-closed", "empty", "whitespace", "single-endpoint", "declaration"],
)
def test_xml_envelopes(body, expected):
    assert ids(parse_agents(body, "xml")) == expected


def test_xml_numbers_and_json_numbers_convert_the_same():
    xml = "<agents><agent><agent-id>a</agent-id><day-login-time>3600</day-login-time><agent-status>2</agent-status></agent></agents>"
    js = json.dumps({"agent": [{"agent-id": "a", "day-login-time": 3600, "agent-status": 2}]})
    assert parse_agents(xml, "xml").records == parse_agents(js, "json").records


@pytest.mark.parametrize("raw", [-1, "-1", "", None, " "])
def test_sentinels_and_empty_values_are_none(raw):
    record = {"agent-id": "a", "time-in-status": raw, "last-login-time": raw, "day-login-time": raw}
    agent = parse_agents(json.dumps({"agent": record}), "json").records[0]
    assert (agent.time_in_status, agent.last_login_time, agent.day_login_time) == (None, None, None)


def test_negative_percentages_and_counts_are_none():
    queue = parse_queues(
        json.dumps({"queue": {"queue-id": "1", "sla-activity": -1, "thirty-min-sla-activity": "-1", "queue-size": -3}}),
        "json",
    ).records[0]
    assert (queue.sla_activity, queue.thirty_min_sla_activity, queue.queue_size) == (None, None, None)


def test_minus_one_is_a_real_code_for_phone_lines():
    agent = parse_agents(json.dumps({"agent": {"agent-id": "a", "phone-line1-status": -1}}), "json").records[0]
    assert agent.line1_status == -1
    assert agent.line1.label == "Not in use"


def test_empty_xml_elements_are_none():
    agent = parse_agents(
        "<agents><agent><agent-id>a</agent-id><status-code-item-id/><group-id></group-id></agent></agents>", "xml"
    ).records[0]
    assert (agent.status_code_item_id, agent.group_id, agent.status_code_short) == (None, None, "")


def test_wrong_types_become_none_without_dropping_the_record():
    records = [
        {"agent-id": "a", "agent-name": "Ann", "day-login-time": "lots", "agent-status": [1], "group-id": True},
        {"agent-id": "b", "agent-name": {"nested": 1}, "agent-status": 2},
    ]
    result = parse_agents(json.dumps({"agent": records}), "json")
    first, second = result.records
    assert (first.agent_id, first.day_login_time, first.status, first.group_id) == ("a", None, 1, None)
    assert (second.agent_id, second.name, second.status) == ("b", "", 2)
    assert "agent #1: day-login-time is not a number" in result.problems
    assert "agent #2: agent-name is not text" in result.problems


def test_records_without_id_or_not_objects_are_skipped():
    result = parse_agents(json.dumps({"agent": [ONE, "junk", 42, {"agent-name": "no id"}, TWO]}), "json")
    assert ids(result) == ["jdoe", "bob"]
    assert result.skipped == 3


def test_problems_are_bounded():
    records = [{"agent-id": f"a{i}", "day-login-time": "x"} for i in range(500)]
    result = parse_agents(json.dumps({"agent": records}), "json")
    assert len(result.records) == 500
    assert len(result.problems) == MAX_PROBLEMS


def test_numeric_strings_floats_and_absurd_values():
    agent = parse_agents(
        json.dumps({"agent": {"agent-id": 42, "day-login-time": "12.6", "time-in-status": 1e300, "day-break-time": "NaN"}}),
        "json",
    ).records[0]
    assert (agent.agent_id, agent.day_login_time, agent.time_in_status, agent.day_break_time) == ("42", 13, None, None)


def test_text_is_cleaned_at_the_boundary():
    agent = parse_agents(
        json.dumps({"agent": {"agent-id": "a\x1b[2J", "agent-name": "\x1b]0;owned\x07Eve [b]x[/]"}}), "json"
    ).records[0]
    assert (agent.agent_id, agent.name) == ("a", "Eve [b]x[/]")


def test_queue_media_words_are_normalised():
    queue = parse_queues(json.dumps({"queue": {"queue-id": "1", "media-type": " Phone "}}), "json").records[0]
    assert queue.media_type == "phone"
    assert queue.media.label == "Phone"


# --- hostile and broken bodies ------------------------------------------------------------


def test_billion_laughs_is_refused_without_expanding():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
        + "]><agents><agent><agent-id>&lol9;</agent-id></agent></agents>"
    )
    with pytest.raises(ParseError, match="document type"):
        parse_agents(bomb, "xml")


def test_external_entities_are_refused():
    body = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><agents><agent><agent-id>&x;</agent-id></agent></agents>'
    with pytest.raises(ParseError, match="document type"):
        parse_agents(body, "xml")


def test_truncated_xml_is_an_error_not_a_shorter_list(seed_agents_xml):
    with pytest.raises(ParseError, match="cut short"):
        parse_agents(seed_agents_xml[: len(seed_agents_xml) // 2], "xml")


def test_truncated_json_is_an_error():
    body = json.dumps({"agent": [ONE, TWO]})
    with pytest.raises(ParseError, match="not valid JSON"):
        parse_agents(body[:-5], "json")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_empty_body_is_an_error(fmt):
    with pytest.raises(ParseError, match="empty response"):
        parse_agents(b"", fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_garbage_is_an_error(fmt):
    with pytest.raises(ParseError):
        parse_agents(b"\x00\xffGARBAGE<<{]}not a payload\xfe", fmt)


def test_html_error_page_is_an_error():
    with pytest.raises(ParseError):
        parse_agents(b"<html><body>Service Unavailable</body></html>", "xml")


def test_wrong_root_is_an_error():
    with pytest.raises(ParseError, match="expected <agents>"):
        parse_agents("<queues><queue><queue-id>1</queue-id></queue></queues>", "xml")


def test_deeply_nested_json_is_an_error():
    with pytest.raises(ParseError):
        parse_agents("[" * 100_000 + "]" * 100_000, "json")


def test_unclosed_record_inside_a_closed_root_is_an_error():
    with pytest.raises(ParseError, match="unclosed"):
        parse_agents("<agents><agent><agent-id>a</agent-id><agent-name>x</name></agents>", "xml")


def test_repaired_xml_unescapes_entities():
    body = "<agents><agent><agent-id>a</agent-id><agent-name>Tom &amp; Jerry &#233;</agent-name><day-accepted-count>1</wrong></agent></agents>"
    result = parse_agents(body, "xml")
    assert result.repaired is True
    assert result.records[0].name == "Tom & Jerry é"


def test_unknown_format_is_an_error():
    with pytest.raises(ParseError, match="unknown format"):
        parse_agents("{}", "yaml")  # type: ignore[arg-type]
