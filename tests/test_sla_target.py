"""Which SLA target a queue is judged by (issue 13 item 2).

The vendor calls ``sla-target`` "target hours for raising SLA" and its own example
queues send 0: the service's value is a percentage only when it is a plausible one.
"""

import json

import pytest

from wallboard.core.views.detail import queue_sections
from wallboard.core.model.realtime import Queue
from wallboard.core.wire.rtstats import parse_queues
from wallboard.core.views.queues import queue_text
from wallboard.core.model.thresholds import Level, Thresholds, choose_sla_target, queue_findings
from wallboard.plain import render_queues

T = Thresholds(sla_target=80)


def queue_with_target(value) -> Queue:
    """A queue as the service sends it (JSON), so -1 and text go through the parser."""
    record = {"queue-id": "7", "queue-name": "Sales", "sla-activity": 75, "sla-target": value}
    return parse_queues(json.dumps({"queue": record}), "json").records[0]


@pytest.mark.parametrize("value", [1, 50, 85, 85.5, 100, "90"])
def test_a_plausible_percentage_is_the_queues_own_target(value):
    target = choose_sla_target(queue_with_target(value), T)
    assert (target.percent, target.source, target.note) == (float(value), "queue", "the queue's own target")


@pytest.mark.parametrize(
    "value, why",
    [
        (0, "the queue's sla-target 0 is not a percentage from 1 to 100"),
        (0.8, "the queue's sla-target 0.8 is not a percentage from 1 to 100"),
        (101, "the queue's sla-target 101 is not a percentage from 1 to 100"),
        (3600, "the queue's sla-target 3600 is not a percentage from 1 to 100"),
        (-1, "the queue sends no sla-target"),
        ("", "the queue sends no sla-target"),
        ("n/a", "the queue sends no sla-target"),
        (None, "the queue sends no sla-target"),
    ],
)
def test_anything_else_falls_back_to_the_configured_target_and_says_why(value, why):
    target = choose_sla_target(queue_with_target(value), T)
    assert (target.percent, target.source, target.note) == (80, "config", f"from the config: {why}")


def test_the_seeds_queues_are_judged_by_the_configured_target(seed_queues_xml):
    outbound, sales_chat = parse_queues(seed_queues_xml, "xml").records
    for queue in (outbound, sales_chat):
        assert queue.sla_target == 0  # <sla-target>0</sla-target>
        assert choose_sla_target(queue, T).source == "config"
    rows = {row[0]: row[1] for row in queue_sections(outbound, T)[0].rows}
    assert rows["SLA target"] == "80%  (from the config: the queue's sla-target 0 is not a percentage from 1 to 100)"


def test_an_implausible_target_never_judges_the_queue():
    """3600 (perhaps seconds) read as a percentage would put every queue in alert."""
    queue = queue_with_target(3600)
    assert [f.text for f in queue_findings(queue, T)] == ["SLA 75% < 80%"]
    assert queue_findings(queue, T)[0].level is Level.WARNING
    assert queue_text(queue, T).sla_caption == "SLA % · target 80%"


def test_the_queue_detail_says_which_target_is_used():
    rows = {row[0]: row[1] for row in queue_sections(queue_with_target(90), T)[0].rows}
    assert rows["SLA target"] == "90%  (the queue's own target)"


def test_the_plain_output_shows_the_target_the_board_judges_by():
    lines = render_queues([queue_with_target(0), queue_with_target(95)], T)
    header = lines[0]
    start = header.index("Target")
    targets = [line[start : start + 6].strip() for line in lines[2:]]
    assert targets == ["80%", "95%"]
