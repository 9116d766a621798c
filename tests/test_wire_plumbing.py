"""The plumbing both parsers share: one way to refuse a payload, the same bounds, the same
messages, and field tables that cannot drift from the model."""

import itertools

import pytest

from wallboard.core.model.analytics import CALL_RECORDS, COMPANY
from wallboard.core.model.fields import Kind
from wallboard.core.model.realtime import Agent
from wallboard.core.wire.analytics import AnalyticsParseError, parse_page, parse_pbx_page, parse_summary
from wallboard.core.wire.payload import LimitError, Limits, ParseError
from wallboard.core.wire.rtstats import AGENT_FIELDS, QUEUE_FIELDS, field_table, parse_agents


@pytest.mark.parametrize("body", ["", "   ", "{", "[1, 2", '{"a": ' * 100_000])
def test_both_parsers_refuse_a_broken_body_in_the_same_words(body):
    with pytest.raises(ParseError) as realtime:
        parse_agents(body, "json")
    with pytest.raises(AnalyticsParseError) as analytics:
        parse_summary(body, COMPANY)
    assert str(realtime.value) == str(analytics.value)


def test_work_analytics_pages_are_bounded_like_real_time_answers():
    page = '{"meta": {"totalRecordCount": 4, "scrollId": "x"}, "data": [%s]}' % ",".join(['{"callId": "1"}'] * 4)
    assert len(parse_page(page, CALL_RECORDS, limits=Limits(max_records=4)).records) == 4
    with pytest.raises(AnalyticsParseError, match=r"^the answer holds more than 3 call records; refused$"):
        parse_page(page, CALL_RECORDS, limits=Limits(max_records=3))
    ticks = itertools.count(step=10.0)
    slow = Limits(seconds=5.0, clock=lambda: next(ticks))
    many = "[%s]" % ",".join(['{"pbxId": "p"}'] * 3000)
    with pytest.raises(AnalyticsParseError, match="took longer than 5 s"):
        parse_summary(many, COMPANY, limits=slow)
    with pytest.raises(AnalyticsParseError, match="more than 1 PBXs"):
        parse_pbx_page('{"_embedded": {"pbxList": [{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}]}}', Limits(max_records=1))


def test_a_limit_is_a_parse_error_of_its_own():
    assert issubclass(LimitError, ParseError) and issubclass(AnalyticsParseError, ParseError)


def test_the_real_time_field_tables_cover_the_model_exactly():
    assert [spec.name for spec in AGENT_FIELDS] == list(Agent.__struct_fields__)
    assert AGENT_FIELDS[0].kind is Kind.KEY and QUEUE_FIELDS[0].kind is Kind.KEY
    with pytest.raises(TypeError, match="each of its fields once"):
        field_table(Agent, tuple((spec.name, spec.kind, *spec.wire_names) for spec in AGENT_FIELDS[1:]))
    rows = tuple((spec.name, Kind.COUNT if spec.name == "name" else spec.kind, *spec.wire_names) for spec in AGENT_FIELDS)
    with pytest.raises(TypeError, match="Agent.name must default to None"):
        field_table(Agent, rows)
