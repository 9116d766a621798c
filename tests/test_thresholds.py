import pytest

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.views.queues import queue_text
from wallboard.core.model.thresholds import Level, Thresholds, break_level, queue_findings, queue_level, sla_target

T = Thresholds()  # waits 60/180 s, waiting 5/10, SLA target 80 with a 10-point alert margin


def queue(**fields):
    return Queue(queue_id="1", name="Sales", **fields)


@pytest.mark.parametrize(
    "wait, level", [(None, Level.OK), (0, Level.OK), (59, Level.OK), (60, Level.WARNING), (179, Level.WARNING), (180, Level.ALERT)]
)
def test_longest_wait(wait, level):
    assert queue_level(queue(longest_wait_time=wait), T) is level


@pytest.mark.parametrize("size, level", [(4, Level.OK), (5, Level.WARNING), (10, Level.ALERT)])
def test_waiting_count(size, level):
    assert queue_level(queue(queue_size=size), T) is level


@pytest.mark.parametrize(
    "sla, target, level",
    [(85, 80, Level.OK), (80, 80, Level.OK), (79, 80, Level.WARNING), (70, 80, Level.WARNING), (69.9, 80, Level.ALERT), (50, 0, Level.ALERT), (None, 80, Level.OK)],
)
def test_sla_against_target(sla, target, level):
    assert queue_level(queue(sla_activity=sla, sla_target=target), T) is level


def test_queue_without_target_uses_the_configured_one():
    assert sla_target(queue(sla_target=0), Thresholds(sla_target=90)) == 90
    assert sla_target(queue(sla_target=85), Thresholds(sla_target=90)) == 85


def test_findings_say_what_is_wrong_worst_first():
    findings = queue_findings(queue(longest_wait_time=200, queue_size=6, sla_activity=75, sla_target=80), T)
    assert [(f.metric, f.level, f.text) for f in findings] == [
        ("longest_wait", Level.ALERT, "longest wait 3:20 ≥ 3:00"),
        ("waiting", Level.WARNING, "6 waiting ≥ 5"),
        ("sla", Level.WARNING, "SLA 75% < 80%"),
    ]


def test_queue_text_says_alert_in_words():
    text = queue_text(queue(longest_wait_time=200, queue_size=1, sla_activity=90, sla_target=80, media_type="phone"), T)
    assert text.status == "▲ ALERT: longest wait 3:20 ≥ 3:00"
    assert text.level is Level.ALERT and text.longest_level is Level.ALERT and text.waiting_level is Level.OK
    assert text.longest_value == "3:20" and text.sla_value == "90" and text.media == "Phone"
    assert queue_text(queue(sla_activity=None), T).status == "✓ OK"


def test_break_levels_only_apply_on_break():
    on_break = Agent(agent_id="a", status=4)
    assert break_level(on_break, 14 * 60, T) is Level.OK
    assert break_level(on_break, 15 * 60, T) is Level.WARNING
    assert break_level(on_break, 30 * 60, T) is Level.ALERT
    assert break_level(Agent(agent_id="b", status=5), 99 * 60, T) is Level.OK
    assert break_level(on_break, None, T) is Level.OK


def test_every_queue_rule_judges_a_queue_by_the_thresholds_for_that_queue():
    """``Thresholds.for_queue`` is the one seam a per-queue rule plugs into: the level,
    the findings, the SLA target and the tile's text all follow what it answers."""

    class Stricter(Thresholds):
        def for_queue(self, queue):
            return Thresholds(waiting_warning=1, waiting_alert=2, sla_target=95.0) if queue.name == "Sales" else self

    strict = Stricter()
    sales, support = queue(queue_size=2, sla_activity=90.0), Queue(queue_id="2", name="Support", queue_size=2, sla_activity=90.0)
    assert queue_level(sales, strict) is Level.ALERT and queue_level(support, strict) is Level.OK
    assert sla_target(sales, strict) == 95.0 and sla_target(support, strict) == 80.0
    assert [f.metric for f in queue_findings(sales, strict)] == ["waiting", "sla"]
    assert "95%" in queue_text(sales, strict).sla and queue_text(support, strict).level is Level.OK
