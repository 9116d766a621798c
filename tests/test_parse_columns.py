"""The conversion a column at a time (:mod:`wallboard.core.wire.rtstats_columns`) against the
plain parse, on whole answers whose columns mix every kind of value a field may hold:
a column is only as plain as its least plain value, and whatever it refuses, the record
loop must read as the plain parse does."""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from tests.test_parse_equivalence import TRICKY, assert_same
from wallboard.bench.data import scenario
from wallboard.core.wire import rtstats_render as render
from wallboard.sim.rtstats_wire import agents_wire, queues_wire

SIM = scenario(8)
WIRE = {"agents": ("agent", agents_wire(SIM)), "queues": ("queue", queues_wire(SIM))}
JSON_VALUES = st.sampled_from(TRICKY)
XML_VALUES = st.sampled_from([value for value in TRICKY if isinstance(value, str) and value.isprintable()] + ["7", "-1", ""])


def _answer(data, kind: str, values) -> list[dict]:
    tag, records = WIRE[kind]
    answer = [dict(record) for record in records]
    for _ in range(data.draw(st.integers(1, 6))):  # a few values changed, anywhere
        record = data.draw(st.sampled_from(answer))
        key = data.draw(st.sampled_from(sorted(record)))
        record[key] = data.draw(values)
    return answer


@settings(max_examples=300, deadline=None)
@given(data=st.data(), kind=st.sampled_from(sorted(WIRE)))
def test_json_answers_with_a_few_values_of_every_kind(data, kind):
    tag, _ = WIRE[kind]
    assert_same(kind, json.dumps({tag: _answer(data, kind, JSON_VALUES)}).encode(), "json")


@settings(max_examples=200, deadline=None)
@given(data=st.data(), kind=st.sampled_from(sorted(WIRE)))
def test_xml_answers_with_a_few_values_of_every_kind(data, kind):
    tag, _ = WIRE[kind]
    answer = [{key: ("" if value is None else value) for key, value in record.items()} for record in _answer(data, kind, XML_VALUES)]
    assert_same(kind, render.xml_list(f"{tag}s", tag, answer), "xml")
