"""The v5 (Contact Center Real-time Metrics) parser: the vendor's documented examples
verbatim (NEWER-APIS.md 1.7), the unit decisions both ways, and hostile answers."""

from __future__ import annotations

import json

import pytest

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.wire.ccrealtime import (
    AGENT_METRIC_KEYS,
    QUEUE_METRIC_KEYS,
    Units,
    iso_epoch,
    parse_agents,
    parse_queues,
    status_code,
)
from wallboard.core.wire.payload import Limits, LimitError, ParseError

# --- the documented examples, verbatim ---------------------------------------------------

QUEUES_EXAMPLE = """[ {"id":"103","name":"Appointments",
   "metrics":[ {"key":"entered.today","value":7}, {"key":"handling.rt","value":0} ] } ]"""

AGENTS_IN_QUEUE_GROUPS_EXAMPLE = """{"agents":[{"id":"ag…","name":"John Agent",
            "metrics":{"status.rt":"Available","timeOnStatus.rt":123,"timeOnStatusCode.rt":23}}],
 "queues":[{"queueId":"2046","assignedAgents":["ag…","ag…"],
            "agentMetrics":[{"id":"ag…","name":"John Agent","metrics":{"accepted.today.inQueue":2}}]}]}"""


def test_the_documented_queue_example_fills_what_it_has_and_nothing_else():
    parsed = parse_queues(QUEUES_EXAMPLE)
    assert parsed.problems == () and parsed.skipped == 0
    (queue,) = parsed.records
    assert (queue.queue_id, queue.name, queue.day_queued, queue.agents_busy) == ("103", "Appointments", 7, 0)
    # every other field is "no value", never a made-up 0
    assert queue.queue_size is None and queue.sla_activity is None and queue.fifteen_min_accepted is None
    assert queue.agents_logged_out is None and queue.assigned_agent_count is None
    assert queue.media_type == ""


def test_the_documented_agents_in_queue_groups_example_reads_the_metrics_map():
    parsed = parse_agents(AGENTS_IN_QUEUE_GROUPS_EXAMPLE)
    (agent,) = parsed.records
    assert agent.agent_id == "ag…" and agent.name == "John Agent"
    assert agent.state.label == "Available"
    # timeOnStatus is documented in milliseconds: 123 ms is 0 s (rounded), 23 ms too
    assert agent.time_in_status == 0 and agent.time_on_status_code == 0
    assert agent.day_accepted_count is None  # only the .inQueue figure was sent, per queue


def test_includetotals_row_is_ignored_quietly():
    body = json.dumps([
        {"id": "103", "name": "Appointments", "metrics": [{"key": "entered.today", "value": 7}]},
        {"id": None, "name": "totals", "metrics": [{"key": "total.entered.today", "value": 7}]},
    ])
    parsed = parse_queues(body)
    assert [q.queue_id for q in parsed.records] == ["103"] and parsed.problems == () and parsed.skipped == 0


def test_numbers_as_strings_as_the_group_examples_send_them():
    body = '[{"id":"7","name":"Sales","metrics":[{"key":"availableIdle.rt","value":"0"},{"key":"onBreak.rt","value":"2"}]}]'
    (queue,) = parse_queues(body).records
    assert queue.agents_available == 0 and queue.agents_on_break == 2


def test_null_interval_figures_are_no_value():
    body = '[{"id":"1","name":"Q","metrics":[{"key":"accepted.int-15m","value":null},{"key":"accepted.today","value":3}]}]'
    (queue,) = parse_queues(body).records
    assert queue.fifteen_min_accepted is None and queue.day_accepted == 3
    assert not Queue(fifteen_min_accepted=None).has_intervals


def test_milliseconds_become_seconds_everywhere_times_are_read():
    body = json.dumps([{"id": "1", "name": "Q", "metrics": [
        {"key": "interactionsLongestWaitInQueue.rt", "value": 29951},
        {"key": "interactionsAvgWaitTime.today", "value": 29947.4},
        {"key": "slaTimeThreshold.today", "value": 20000},
    ]}])
    (queue,) = parse_queues(body).records
    assert (queue.longest_wait_time, queue.day_avg_wait_time, queue.sla_threshold) == (30, 30, 20)


# --- percent scale: decided in Units, tested both ways -----------------------------------

PERCENT_BODY = json.dumps([{"id": "1", "name": "Q", "metrics": [
    {"key": "slaPercentage.today", "value": 0.8},
    {"key": "slaPercentage.int-1h", "value": 1.0},
    {"key": "slaPercentageTarget.today", "value": 0.85},
]}])


def test_percentages_are_fractions_by_default():
    (queue,) = parse_queues(PERCENT_BODY).records
    assert queue.day_sla_activity == pytest.approx(80.0)
    assert queue.sla_1h == pytest.approx(100.0)
    assert queue.sla_target == pytest.approx(85.0)


def test_percentages_on_the_0_to_100_scale_when_configured():
    units = Units(percent_scale="percent")
    body = PERCENT_BODY.replace("0.85", "85").replace("0.8", "80")
    (queue,) = parse_queues(body, units).records
    assert queue.day_sla_activity == pytest.approx(80.0) and queue.sla_target == pytest.approx(85.0)
    assert queue.sla_1h == pytest.approx(1.0)  # on this scale 1.0 is one percent


def test_a_percentage_outside_the_scale_is_a_problem_and_no_value():
    body = '[{"id":"1","name":"Q","metrics":[{"key":"slaPercentage.today","value":85}]}]'
    parsed = parse_queues(body)
    assert parsed.records[0].day_sla_activity is None
    assert any("outside the fraction scale" in p for p in parsed.problems)


# --- agents ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, label",
    [("Available", "Available"), ("Handling", "Busy"), ("OnBreak", "On break"), ("LoggedOut", "Logged out"),
     ("WorkingOffline", "Work offline"), ("WrapUp", "Post-processing"), ("Offering", "Offered")],
)
def test_status_words_map_onto_the_board_states(word, label):
    assert Agent(status=status_code(word)).state.label == label


def test_an_unknown_status_word_is_shown_as_unknown_with_the_word():
    state = Agent(status=status_code("Meditating")).state
    assert state.label == "Unknown (Meditating)" and state.category == "unknown"


def test_a_full_agent_record():
    body = json.dumps([{"id": "agAD21EBR1RhuV2TNDivaaa", "name": "Ann", "groupId": "12", "groupName": "Sales", "metrics": [
        {"key": "status.rt", "value": "OnBreak"},
        {"key": "statusCode.rt", "value": "Lunch"},
        {"key": "timeOnStatus.rt", "value": 754000},
        {"key": "lastLogin.rt", "value": "2022-12-16T16:28:08.013Z"},
        {"key": "activeChannels.rt", "value": [{"id": "phone", "name": "Phone", "count": 1}]},
        {"key": "accepted.today", "value": 12},
        {"key": "loggedInTime.today", "value": 3600000},
        {"key": "handlingTime.today", "value": 1800000},
    ]}])
    (agent,) = parse_agents(body).records
    assert agent.group_id == 12 and agent.state.label == "On break" and agent.status_code_short == "Lunch"
    assert agent.time_in_status == 754 and agent.last_login_time == 1671208088
    assert agent.channels == ("Phone ×1",) and agent.day_accepted_count == 12
    assert agent.utilisation == pytest.approx(50.0)
    assert agent.line1_status is None  # v5 has no phone-line codes
    assert agent.media.label == "Phone"  # from the active channel


def test_iso_times():
    assert iso_epoch("2022-12-16T16:28:08.013Z") == 1671208088
    assert iso_epoch("yesterday") is None and iso_epoch("2022-12-16T16:28:08") is None  # no zone: unknown


def test_the_metric_selection_is_the_tables_keys_without_repeats():
    assert len(QUEUE_METRIC_KEYS) == len(set(QUEUE_METRIC_KEYS))
    assert "slaPercentage.int-15m" in QUEUE_METRIC_KEYS and "status.rt" in AGENT_METRIC_KEYS
    assert not any(key.endswith(".inQueue") for key in AGENT_METRIC_KEYS)


# --- hostile answers ---------------------------------------------------------------------


def test_markup_and_escapes_in_names_are_cleaned():
    body = json.dumps([{"id": "1", "name": "[b]Sales\x1b[31m", "metrics": []}])
    (queue,) = parse_queues(body).records
    assert "\x1b" not in queue.name


def test_records_without_id_repeated_ids_and_bad_values_are_reported_not_fatal():
    body = json.dumps([
        {"id": "1", "name": "A", "metrics": [{"key": "entered.today", "value": "lots"}]},
        {"name": "no id"},
        {"id": "1", "name": "A again"},
        "junk",
        {"id": "2", "name": "B", "metrics": "???"},
        {"id": "3", "name": "C", "metrics": [{"key": "entered.today", "value": -4}, {"key": "slaPercentage.today", "value": True}]},
    ])
    parsed = parse_queues(body)
    assert [q.queue_id for q in parsed.records] == ["1", "2", "3"]
    assert parsed.records[0].day_queued is None and parsed.records[2].day_queued is None
    assert parsed.skipped == 3
    assert len(parsed.problems) >= 5


@pytest.mark.parametrize("body", ["", "{", '{"fault":{"faultstring":"Invalid access token"}}', "42", '[{"name":"x"}]'])
def test_answers_that_are_not_the_metrics_are_errors(body):
    with pytest.raises(ParseError):
        parse_queues(body)


def test_too_many_records_are_refused():
    body = json.dumps([{"id": str(i), "name": "q", "metrics": []} for i in range(20)])
    with pytest.raises(LimitError):
        parse_queues(body, limits=Limits(max_records=10))


# --- what the views make of v5's extra figures -------------------------------------------


def test_queue_detail_shows_the_interval_figures_only_where_the_source_has_them():
    from wallboard.core.model.thresholds import Thresholds
    from wallboard.core.views.detail import queue_sections
    from wallboard.core.views.queues import queue_text

    legacy = Queue(queue_id="1", name="Q", thirty_min_sla_activity=90.0)
    assert [s.title for s in queue_sections(legacy, Thresholds())] == ["Now", "Agents", "Activity"]
    assert queue_text(legacy, Thresholds()).sla_30.startswith("30m SLA 90")
    v5 = Queue(queue_id="1", name="Q", fifteen_min_accepted=4, fifteen_min_sla_activity=75.0, sla_1h=80.0, sla_4h=None, sla_threshold=20)
    sections = queue_sections(v5, Thresholds())
    assert [s.title for s in sections][-2:] == ["Intervals", "Service level"]
    intervals = dict((row[0], row[1:]) for row in sections[-2].rows)
    assert intervals["Accepted"] == ("4", "—", "—")  # 15 min given; 30 min and today not: dashes, not 0
    assert queue_text(v5, Thresholds()).sla_30 == "SLA 15m 75% · 1h 80% · 4h —"
