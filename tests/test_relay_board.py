"""Boards behind `wallboard relay`: revalidation (If-None-Match, 304) and the relay's
staleness shown as the board's own, over real loopback HTTP (simulator -> relay -> board)."""

from __future__ import annotations


from tests.helpers.data import fixed_settings
from tests.helpers.board import banner, header
from tests.helpers.waiting import until
from tests.helpers.relay import RELAY_TOKEN, relay_for as _relay_for, started as _started, stop as _stop, until_true as _until
from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.core.model.snapshot import Health
from wallboard.live import clock
from wallboard.live.poller import Poller
from wallboard.themes import bundled_themes_dir
from wallboard.ui.app import WallboardApp

INTERVAL = 0.2
TIMEOUTS = Timeouts(connect=5, read=5, total=10)  # generous: a busy machine must not fail the board's own requests


class Offset:
    """The relay's monotonic clock, which a test can move forward (its data ages at once)."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return clock.monotonic() + self.ahead


async def test_a_board_client_revalidates_and_304_returns_the_same_records(simulator):
    relay = _relay_for(simulator)
    try:
        url = await _started(relay)
        async with RealtimeClient(url, "demo", RELAY_TOKEN) as viewer:
            first = await viewer.agents()
            again = await viewer.agents()
        assert not first.not_modified and first.size > 0
        assert again.not_modified and again.size == 0
        assert again.result.records == first.result.records
        assert again.relayed is not None and again.relayed.live
        assert relay.served[304] == 1
    finally:
        await _stop(relay)


async def test_a_poller_behind_a_failing_relay_dates_the_data_by_the_relays_age(simulator):
    relay_clock = Offset()
    relay = _relay_for(simulator, interval=INTERVAL, mono=relay_clock)
    try:
        url = await _started(relay)
        simulator.faults = "500=1"
        await _until(lambda: relay.published.snapshot.agents.failures > 0)
        relay_clock.ahead = 300.0  # the relay has been failing for five minutes
        snapshots = []
        async with RealtimeClient(url, "demo", RELAY_TOKEN) as viewer:
            poller = Poller(viewer, INTERVAL, snapshots.append)
            poller_task = __import__("asyncio").create_task(poller.run())
            await _until(lambda: snapshots and snapshots[-1].agents.received_mono is not None)
            poller.stop()
            await poller_task
        feed = snapshots[-1].agents
        assert feed.health is Health.RETRYING and feed.failures == 0
        assert feed.error.startswith("the relay cannot refresh from 8x8: the server failed (HTTP 500)")
        assert 299 <= feed.age(clock.monotonic()) <= 330
        assert feed.records  # the relay's last good data, kept
    finally:
        await _stop(relay)


async def test_a_board_behind_a_stale_relay_says_stale_with_the_true_age_and_the_relays_reason(simulator):
    relay_clock = Offset()
    relay = _relay_for(simulator, interval=INTERVAL, mono=relay_clock)
    try:
        url = await _started(relay)
        async with RealtimeClient(url, "demo", RELAY_TOKEN, timeouts=TIMEOUTS) as client:
            app = WallboardApp(fixed_settings(interval=INTERVAL), source=client, theme_dirs=[bundled_themes_dir()])
            async with app.run_test(size=(120, 36)) as pilot:
                await until(pilot, lambda: "● live" in header(app), what="live through the relay", app=app)
                assert banner(app) is None
                simulator.faults = "500=1"  # 8x8 fails behind the relay...
                await until(pilot, lambda: relay.published.snapshot.agents.failures > 0, app=app)
                relay_clock.ahead = 150.0  # ...and has for two and a half minutes
                await until(pilot, lambda: "STALE 2m" in header(app), what="STALE with the relay's age", app=app)
                text = banner(app) or ""
                assert "data is 2m" in text, text
                assert "the relay cannot refresh from 8x8: the server failed (HTTP 500)" in text, text
                assert "● live" not in header(app)
                simulator.faults = ""  # 8x8 is back: so is every board behind the relay
                relay_clock.ahead = 0.0
                await until(pilot, lambda: "● live" in header(app) and banner(app) is None, timeout=10, what="live again", app=app)
    finally:
        await _stop(relay)


def test_data_dated_by_a_relay_is_not_dated_again_by_the_cache_phase():
    """Seen by hand: behind a dead relay the header said 'as of 06:20:11 (1m 02s)' beside
    'STALE 52s': the relay's age, then the board's phase sync took another period off."""
    from tests.helpers.relay import WALL
    from wallboard.core.model.realtime import Agent
    from wallboard.core.model.snapshot import Feed, Snapshot
    from wallboard.core.views.header import data_age
    from wallboard.live.phase import CacheSync

    sync = CacheSync(refresh=100.3, spread=0.1, period=10.0, locked=True)  # the relay refreshes at :00.3
    feed = Feed().succeeded((Agent(agent_id="a"),), WALL, 100.0).relay_failing("the relay cannot refresh", 200.0)
    assert data_age(Snapshot(agents=feed, queues=feed), 160.0, {"agents": sync, "queues": sync}) == 60.0


def test_a_relay_behind_a_relay_passes_the_first_ones_reason_on_once():
    from wallboard.core.wire.relayed import Relayed
    from wallboard.live.poller import _relay_reason

    first = _relay_reason(Relayed("stale", 30.0, "connection refused for agents"))
    assert first == "the relay cannot refresh from 8x8: connection refused for agents"
    assert _relay_reason(Relayed("stale", 31.0, first)) == first
    assert _relay_reason(Relayed("refused", 1.0, "HTTP 403")).startswith("the relay's 8x8 credentials were refused")
