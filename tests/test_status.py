"""The header, the STALE banner, snapshots and back-off: what tells a supervisor to trust the data."""

import random

from wallboard.core.backoff import Backoff
from wallboard.core.models import Agent, Queue
from wallboard.core.snapshot import Feed, Health, Snapshot
from wallboard.core.status import Part, banner, connection, fit_parts, header_parts
from wallboard.core.totals import totals
from wallboard.errors import ServerBusyError, without_retry_note
from zoneinfo import ZoneInfo

UTC = ZoneInfo("UTC")
AGENTS = (Agent(agent_id="a", status=0), Agent(agent_id="b", status=2), Agent(agent_id="c", status=2), Agent(agent_id="d", status=7))
QUEUES = (Queue(queue_id="1", name="Sales", queue_size=3, longest_wait_time=95), Queue(queue_id="2", name="Chat", queue_size=2, longest_wait_time=20))


def live(records, mono=100.0, wall=1_700_000_000.0):
    return Feed(records, wall, mono, Health.LIVE, version=1)


def test_totals():
    t = totals(AGENTS, QUEUES)
    assert t.agents_by_state[:3] == (("available", 1), ("offered", 0), ("busy", 2))
    assert t.agents_by_state[-1] == ("unknown", 1)
    assert (t.agents, t.waiting, t.longest_wait, t.longest_wait_queue) == (4, 5, 95, "Sales")
    empty = totals((), ())
    assert (empty.waiting, empty.longest_wait) == (None, None)


def test_header_when_live():
    snapshot = Snapshot(live(AGENTS), live(QUEUES), interval=10)
    parts = header_parts("acme", snapshot, totals(AGENTS, QUEUES), 1_700_000_003.0, 103.0, UTC)
    assert [p.text for p in parts] == ["acme", "22:13:23", "as of 22:13:20 (3.0s)", "● live", "●1 ■2 ?1", "waiting 5", "longest 1:35"]


def test_header_dates_data_by_the_cache_refresh_once_the_phase_is_locked():
    from wallboard.core.phase import CacheSync

    snapshot = Snapshot(live(AGENTS, mono=100.0), live(QUEUES, mono=101.0), interval=10)
    locked = CacheSync(refresh=99.75, spread=0.2, period=10.0, locked=True)  # refreshes at ...9.75 on mono
    parts = header_parts("acme", snapshot, totals((), ()), 1_700_000_003.0, 103.0, UTC, {"agents": locked, "queues": locked})
    # both answers came from the refresh at 99.75; wall - mono = 1_699_999_900, so :9.75 + 0 -> ":09.8"
    assert [p.text for p in parts[:4]] == ["acme", "22:13:23", "as of 22:13:19 (3.2s)", "synced :09.8"]
    learning = CacheSync(refresh=99.0, spread=3.0, period=10.0, locked=False)
    parts = header_parts("acme", snapshot, totals((), ()), 1_700_000_003.0, 103.0, UTC, {"agents": learning, "queues": None})
    assert [p.text for p in parts[:4]] == ["acme", "22:13:23", "as of 22:13:20 (3.0s)", "syncing"]
    old = header_parts("acme", snapshot, totals((), ()), 1_700_000_012.0, 112.0, UTC, {"agents": locked, "queues": locked})
    assert old[2] == Part("as of 22:13:19 (12s)", "dim", 3) and old[3] == Part("synced :09.8", "dim", 5)


def test_header_says_stale_with_the_age_after_two_intervals():
    snapshot = Snapshot(live(AGENTS), live(QUEUES), interval=10)
    assert "STALE" not in " ".join(p.text for p in header_parts("acme", snapshot, totals((), ()), 0, 120.0, UTC))
    parts = header_parts("acme", snapshot, totals((), ()), 0, 165.0, UTC)
    assert Part("STALE 1m 05s", "stale", 1) in parts


def test_the_header_never_says_live_beside_stale():
    """The issue's `STALE 4m 02s │ ● live`: the last try succeeded, the next answer is
    overdue. The header says what it waits for, and the banner says why it is stale."""
    snapshot = Snapshot(live(AGENTS, mono=100.0), live(QUEUES, mono=150.0), interval=10)
    texts = [p.text for p in header_parts("acme", snapshot, totals((), ()), 0, 165.0, UTC)]
    assert "STALE 1m 05s" in texts and "● live" not in texts
    assert "… waiting for agents" in texts
    assert banner(snapshot, 165.0) == (
        "⚠ STALE — agents data is 1m 05s old (queues still live) — "
        "no answer yet to the last request: the server or the network is slow"
    )


def test_connection_states():
    assert connection(Snapshot(), 0).text == "… connecting"
    retrying = Snapshot(live(AGENTS).failed("busy", False, 112.0), live(QUEUES))
    assert connection(retrying, 100.0).text == "↻ agents retrying in 12s"
    both = Snapshot(Feed().failed("x", False, 130.0), Feed().failed("y", False, 105.0))
    assert connection(both, 100.0).text == "↻ both retrying in 30s"
    refused = Snapshot(live(AGENTS).failed("the tenant name or data-request token was refused", True, None), live(QUEUES))
    assert connection(refused, 100.0) == Part("✖ credentials refused · r to retry", "alert", 1)


def test_fit_parts_drops_least_important_first():
    parts = [Part("tenant", priority=1), Part("12:00:00", priority=1), Part("as of 11:59:58", priority=3), Part("● live", priority=2), Part("●1 ■2", priority=4)]
    assert [p.text for p in fit_parts(parts, 200)] == [p.text for p in parts]
    assert [p.text for p in fit_parts(parts, 40)] == ["tenant", "12:00:00", "● live"]
    assert [p.text for p in fit_parts(parts, 5)] == ["tenant", "12:00:00"]


def test_banner_names_the_stale_feed_and_why():
    agents = live(AGENTS, mono=100.0).failed("the server is busy (HTTP 503) answering agents from h", False, 180.0)
    snapshot = Snapshot(agents, live(QUEUES, mono=150.0), interval=10)
    assert banner(snapshot, 110.0) is None
    assert banner(snapshot, 165.0) == (
        "⚠ STALE — agents data is 1m 05s old (queues still live) — "
        "the server is busy (HTTP 503) answering agents from h; retrying in 15s"
    )


def test_header_and_banner_give_the_boards_own_wait():
    """The server said Retry-After: 5, the back-off chose 43 s: both lines say 43 s (and count down)."""
    error = ServerBusyError("the server is busy (HTTP 503) answering agents from h; retrying in 5s", status=503, retry_after=5)
    reason = without_retry_note(str(error))
    assert reason == "the server is busy (HTTP 503) answering agents from h"
    agents = live(AGENTS, mono=100.0).failed(reason, False, 140.0 + 43)
    snapshot = Snapshot(agents, live(QUEUES, mono=135.0), interval=10)
    for now, wait in ((140.0, "43s"), (150.5, "33s")):
        header = " ".join(p.text for p in header_parts("acme", snapshot, totals((), ()), 0, now, UTC))
        assert f"↻ agents retrying in {wait}" in header
        assert banner(snapshot, now).endswith(f"answering agents from h; retrying in {wait}")
        assert "5s" not in banner(snapshot, now)


def test_banner_on_refusal_says_what_to_do():
    snapshot = Snapshot(Feed().failed("the tenant name or data-request token was refused (HTTP 403)", True, None), Feed())
    assert banner(snapshot, 0.0) == (
        "✖ CREDENTIALS REFUSED — the tenant name or data-request token was refused (HTTP 403). "
        "Polling has stopped: fix it, then press r."
    )


def test_feed_versions_only_move_when_records_change():
    feed = Feed()
    first = feed.succeeded(AGENTS, 1.0, 1.0)
    same = first.succeeded(AGENTS, 2.0, 2.0)
    other = same.succeeded(AGENTS[:2], 3.0, 3.0)
    assert (first.version, same.version, other.version) == (1, 1, 2)
    failed = other.failed("x", False, 9.0).failed("y", False, 19.0)
    assert (failed.failures, failed.records, failed.health) == (2, AGENTS[:2], Health.RETRYING)
    assert failed.succeeded(AGENTS, 4.0, 4.0).failures == 0


def test_records_age_counts_from_the_answer_that_brought_the_records():
    first = Feed().succeeded(AGENTS, 1.0, 100.0)
    same = first.succeeded(AGENTS, 2.0, 106.0)
    assert (same.age(110.0), same.records_age(110.0)) == (4.0, 10.0)
    assert same.failed("x", False, 120.0).records_age(110.0) == 10.0
    other = same.succeeded(AGENTS[:2], 3.0, 112.0)
    assert other.records_age(115.0) == 3.0
    assert Feed().records_age(5.0) is None
    assert Feed(AGENTS, 0.0, 50.0).records_age(60.0) == 10.0  # made directly: since it arrived


def test_age_is_monotonic_and_never_negative():
    feed = live(AGENTS, mono=100.0)
    assert feed.age(130.5) == 30.5
    assert feed.age(90.0) == 0.0
    assert Feed().age(5.0) is None


def test_backoff_doubles_with_jitter_up_to_the_cap_and_never_below_the_interval():
    backoff = Backoff(interval=10, cap=60, rng=random.Random(1))
    delays = [backoff.delay(n) for n in range(1, 8)]
    assert delays[0] == 10
    assert 15 <= delays[1] <= 20 and 30 <= delays[2] <= 40 and 45 <= delays[3] <= 60
    assert all(45 <= d <= 60 for d in delays[4:])
    assert all(d >= 10 for d in delays)


def test_backoff_honours_retry_after():
    backoff = Backoff(interval=10, cap=60, rng=random.Random(1))
    assert backoff.delay(1, retry_after=45) == 45
    assert backoff.delay(1, retry_after=2) == 10


def test_backoff_jitter_spreads_boards():
    delays = {round(Backoff(10, rng=random.Random(seed)).delay(3), 3) for seed in range(20)}
    assert len(delays) > 10


def test_banner_without_any_data_says_why_nothing_is_shown():
    refused_connection = "connection refused for agents from h:9: is the server running, and is the URL right?"
    snapshot = Snapshot(Feed().failed(refused_connection, False, 110.0), Feed().failed("x", False, 110.0), interval=10)
    assert banner(snapshot, 100.0) == f"⚠ NO DATA YET (agents and queues) — {refused_connection}; retrying in 10s"
    one = Snapshot(live(AGENTS, mono=95.0), Feed().failed("cannot resolve the host for queues", False, 110.0), interval=10)
    assert banner(one, 100.0) == "⚠ NO DATA YET (queues) — cannot resolve the host for queues; retrying in 10s"
    assert banner(Snapshot(), 100.0) is None, "still connecting: nothing has failed yet"


def test_failure_messages_are_cleaned_before_they_reach_the_screen():
    feed = Feed().failed("the JSON response has no 'agent' list (keys: \x1b]0;pwned\x07x\u202e\ud800)" + "!" * 1000, False, 1.0)
    assert feed.error.startswith("the JSON response has no 'agent' list (keys: x)")
    assert len(feed.error) == 400 and feed.error.endswith("…")


def test_as_of_follows_the_clock_when_the_wall_clock_jumps():
    snapshot = Snapshot(live(AGENTS, mono=100.0, wall=1_700_000_000.0), live(QUEUES, mono=100.0), interval=10)

    def texts(wall, mono):
        return [p.text for p in header_parts("acme", snapshot, totals((), ()), wall, mono, UTC)][1:4]

    assert texts(1_700_000_005.0, 105.0) == ["22:13:25", "as of 22:13:20 (5.0s)", "● live"]
    # NTP steps the clock back an hour, then forward a day: "as of" is always the clock
    # minus the data's (monotonic) age, never after the clock, and nothing turns stale
    assert texts(1_700_000_005.0 - 3600, 106.0) == ["21:13:25", "as of 21:13:19 (6.0s)", "● live"]
    assert texts(1_700_000_005.0 + 86400, 107.0) == ["22:13:25", "as of 22:13:18 (7.0s)", "● live"]


def test_a_suspend_makes_the_data_stale_with_its_real_age():
    snapshot = Snapshot(live(AGENTS, mono=100.0), live(QUEUES, mono=100.0), interval=10)
    eight_hours = 100.0 + 8 * 3600
    parts = [p.text for p in header_parts("acme", snapshot, totals((), ()), 1_700_000_000.0 + 8 * 3600, eight_hours, UTC)]
    assert "STALE 8h 00m" in parts and "as of 22:13:20 (8h 00m)" in parts
    assert banner(snapshot, eight_hours) == (
        "⚠ STALE — agents and queues data is 8h 00m old — no answer yet to the last request: the server or the network is slow"
    )
    assert "● live" not in parts and "… waiting for both" in parts
