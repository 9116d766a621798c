"""The summary figures and the trends (issue 15), against hand-computed values."""

from __future__ import annotations

from wallboard.core.model.realtime import Agent, Queue
from wallboard.core.views.summary import summarise, summary_line, weighted_sla
from wallboard.core.views.trends import TrendStore, direction, sparkline, trend_line
from wallboard.core.wire.rtstats import parse_agents, parse_queues


def test_the_seed_examples_summarised_by_hand(seed_agents_xml, seed_queues_xml):
    agents = parse_agents(seed_agents_xml, "xml").records
    queues = parse_queues(seed_queues_xml, "xml").records
    summary = summarise(agents, queues)
    # outbound queue: 4 waiting, longest 1113 s; sales-chat: 1 waiting, longest 0
    assert (summary.waiting, summary.longest_wait, summary.longest_queue) == (5, 1113, "outbound queue")
    # both send day-sla-activity -1: no service level yet, not 0%
    assert summary.sla_today is None
    # abandoned (2 + 1) / (accepted (10 + 0) + abandoned 3) = 3 / 13
    assert round(summary.abandon_today, 4) == round(100 * 3 / 13, 4)
    # both seed agents are Offered (status 1): busy, none available; no handling time today
    assert (summary.available, summary.busy, summary.on_break, summary.occupancy) == (0, 2, 0, None)
    assert summary_line(summary) == (
        "waiting 5 · longest 18:33 (outbound queue) · SLA today — · abandoned 23.1% · avail 0 · busy 2 · break 0 · occupancy —"
    )
    # a "serving" view takes the agents from the queues' counts
    serving = summarise(agents, queues, from_queues=True)
    assert (serving.available, serving.on_break) == (0 + 2, 2 + 0)


def test_service_level_is_weighted_by_volume_not_an_average_of_percentages():
    queues = (
        Queue(queue_id="1", day_sla_activity=90.0, day_queued=900),
        Queue(queue_id="2", day_sla_activity=10.0, day_queued=100),
        Queue(queue_id="3", day_sla_activity=0.0, day_queued=0),  # nothing queued: no weight
        Queue(queue_id="4", day_sla_activity=None, day_queued=50),  # no SLA yet: left out
    )
    assert weighted_sla(queues) == (90 * 900 + 10 * 100) / 1000  # 82, where the average says 50


def test_occupancy_is_handling_out_of_handling_plus_available_time():
    agents = (
        Agent(agent_id="a", status=2, day_processing_time=3000, day_wrap_up_time=600, day_available_time=2400, day_break_time=900),
        Agent(agent_id="b", status=0, day_processing_time=1000, day_wrap_up_time=400, day_available_time=1600),
        Agent(agent_id="c", status=9),  # no times: not counted
    )
    summary = summarise(agents, ())
    assert summary.occupancy == 100 * (3600 + 1400) / (3600 + 1400 + 2400 + 1600)
    assert (summary.available, summary.busy) == (1, 1)
    assert summary.waiting is None and summary.sla_today is None and summary.abandon_today is None


def test_the_trend_store_keeps_the_last_hour_and_one_sample_per_answer():
    store = TrendStore(window=3600, max_samples=1000)
    for minute in range(90):
        store.record((Queue(queue_id="1", queue_size=minute % 10, sla_activity=80.0),), minute * 60.0, key=minute)
    assert not store.record((Queue(queue_id="1"),), 89 * 60.0, key=89), "the same answer twice is kept once"
    now = 89 * 60.0
    waiting, sla = store.queue_series("1", now)
    assert [mono for mono, _ in waiting][0] >= now - 3600
    assert len(waiting) == 61 and all(value == 80.0 for _, value in sla)
    assert len(store.samples) == 61, "older answers are forgotten"
    bounded = TrendStore(max_samples=5)
    for i in range(20):
        bounded.record((), float(i), key=i)
    assert len(bounded.samples) == 5


def test_a_sparkline_puts_each_answer_in_its_slice_and_leaves_gaps_blank():
    series = [(0.0, 0.0), (1800.0, 5.0), (3599.0, 10.0)]
    assert sparkline(series, 3600.0, 4, window=3600.0) == "▁ ▅█"
    assert sparkline([], 3600.0, 4) == "    ", "after a restart: empty"
    assert sparkline([(3500.0, 3.0)], 3600.0, 4, top=100.0) == "   ▁"
    assert direction(series) == "↑" and direction([(0, 5.0), (1, 2.0)]) == "↓" and direction([]) == "→"


def test_the_summary_trend_sums_waiting_and_weights_sla_over_the_views_queues():
    store = TrendStore()
    store.record(
        (
            Queue(queue_id="1", queue_size=4, day_sla_activity=90.0, day_queued=90),
            Queue(queue_id="2", queue_size=6, day_sla_activity=50.0, day_queued=10),
        ),
        100.0,
        key=1,
    )
    waiting, sla = store.summary_series(None, 100.0)
    assert waiting == [(100.0, 10)] and sla == [(100.0, 86.0)]
    waiting, sla = store.summary_series(["2"], 100.0)
    assert waiting == [(100.0, 6)] and sla == [(100.0, 50.0)]
    assert trend_line(waiting, sla, 100.0, cells=3).startswith("wait ")


def test_the_plain_output_has_the_same_summary(seed_agents_xml, seed_queues_xml):
    from wallboard.core.model.snapshot import Feed, Snapshot
    from wallboard.core.model.thresholds import Thresholds
    from wallboard.plain import PlainReport

    agents = parse_agents(seed_agents_xml, "xml").records
    queues = parse_queues(seed_queues_xml, "xml").records
    snapshot = Snapshot(agents=Feed().succeeded(agents, 0.0, 1.0), queues=Feed().succeeded(queues, 0.0, 1.0))
    lines = PlainReport(Thresholds(), view="Sales").receive(snapshot, 1.0).out
    assert "Summary (Sales): " + summary_line(summarise(agents, queues)) in lines


async def test_trends_survive_tab_and_view_switches():
    from tests.test_views_board import make_app, ready

    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(app, pilot)
        store = app.context.trends
        assert len(store.samples) == 1  # the first answer
        before = list(store.samples)
        await pilot.press("2")
        await pilot.press("v")
        await pilot.press("1")
        await pilot.press("v")
        await pilot.pause()
        assert list(store.samples) == before, "switching neither clears nor re-records"
        await pilot.press("2")
        for _ in range(20):
            await pilot.pause(0.02)
            if app.board.queue_board.tiles:
                break
        tile = next(iter(app.board.queue_board.tiles.values()))
        await pilot.pause()
        assert tile._shown.get("trend", "").startswith("wait ")
        assert "last 60 min  wait " in str(app.board.tab("queues").summary.render())
