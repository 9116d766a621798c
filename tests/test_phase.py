"""The cache-phase tracker on synthetic timelines: a cache that refreshes at
``phase + k * period``, requests that take ``latency`` and are answered half-way.

Every figure here is exact for the timeline given (no clocks, no randomness).
"""

import math

import pytest

from wallboard.live.phase import Bracket, CacheSync, PhaseTracker, Plan, data_moment


class Cache:
    """A cache refreshed every ``period`` at ``phase``; ``quiet`` spans change nothing.

    :meth:`shift` moves the phase from a given moment on (a restarted service): refreshes
    before that moment stay where they were.
    """

    def __init__(self, phase: float, period: float = 10.0, latency: float = 0.05) -> None:
        self.phases = [(-math.inf, phase)]
        self.period = period
        self.latency = latency
        self.quiet: tuple[float, float] | None = None

    def shift(self, moment: float, phase: float) -> None:
        self.phases.append((moment, phase))

    def refresh_before(self, moment: float) -> float:
        latest = -math.inf
        for i, (start, phase) in enumerate(self.phases):
            end = self.phases[i + 1][0] if i + 1 < len(self.phases) else math.inf
            if moment < start:
                break
            last = phase + math.floor((min(moment, end) - phase) / self.period) * self.period
            if last >= start and last <= moment:
                latest = max(latest, last)
        return latest


class Run:
    """Drives a tracker against a cache: each answer goes where the tracker says."""

    def __init__(self, tracker: PhaseTracker, cache: Cache, start: float = 0.0) -> None:
        self.tracker = tracker
        self.cache = cache
        self.now = start
        self.served: float | None = None  # refresh moment of the data last served
        self.polls: list[tuple[float, bool, float, Plan]] = []  # (sent, changed, lag, plan that sent it)
        self.plan = Plan.LEARN
        self.told = False  # tell the tracker when quiet data hides a refresh (another endpoint saw it)
        self.refresh_seen: float | None = None  # the latest refresh any request came after

    def until(self, end: float) -> "Run":
        while self.now < end:
            self.step()
        return self

    def step(self) -> None:
        cache = self.cache
        sent = self.now
        served_at = sent + cache.latency / 2
        refresh = cache.refresh_before(served_at)
        changed = self.served is None or refresh != self.served
        if cache.quiet and cache.quiet[0] <= sent < cache.quiet[1] and self.served is not None:
            changed = False  # refreshed, to the same content: later answers compare with this one
        self.served = refresh
        answered = sent + cache.latency
        # what another endpoint would know: a refresh came before this request was sent
        refreshed = self.told and not changed and cache.refresh_before(sent) != self.refresh_seen
        self.refresh_seen = refresh
        self.tracker.observe(sent, answered, changed, refreshed)
        self.polls.append((sent, changed, answered - refresh, self.plan))
        following = self.tracker.next_poll()
        assert following >= answered
        self.plan = self.tracker.plan
        self.now = following

    def between(self, start: float, end: float):
        return [poll for poll in self.polls if start <= poll[0] < end]


def lags(polls):
    return [round(lag, 6) for _, changed, lag, _ in polls if changed]


def test_learns_the_phase_by_bisection_then_polls_once_per_cycle_just_after_the_refresh():
    run = Run(PhaseTracker(10.0), Cache(phase=3.7)).until(60)
    sent = [round(poll[0], 6) for poll in run.polls]
    # half a period, then bisection of the bracket (first probe unchanged, so the end of it)
    assert sent[:6] == [0.0, 5.0, 12.525, 15.15, 23.7875, 33.18125]
    tracker = run.tracker
    assert tracker.locked and tracker.relearns == 0
    estimate = tracker.estimate
    assert estimate.width <= 0.2
    assert estimate.after % 10 < 3.7 + 0.025 <= estimate.until % 10  # the true refresh (as served) is inside
    run.until(200)
    steady = run.between(60, 200)
    # one request per cycle, plus a drift check (unchanged) just before the tenth refresh
    assert [plan for *_, plan in steady] == [Plan.REGULAR] * 9 + [Plan.EARLY] + [Plan.REGULAR] * 5
    assert steady[9][1] is False
    assert set(lags(steady)) == {round(estimate.until + 0.1 + 0.05 - 3.7 - 50, 6)}  # end of bracket + margin + latency
    assert max(lags(steady)) < 0.4


def test_a_drift_check_goes_just_before_the_refresh_every_tenth_cycle():
    run = Run(PhaseTracker(10.0), Cache(phase=3.7)).until(400)
    window = run.between(100, 400)
    early = [poll for poll in window if poll[3] is Plan.EARLY]
    assert len(window) == 33 and len(early) == 3  # 30 cycles: 30 regular requests and 3 checks
    assert all(not changed for _, changed, _, _ in early)
    assert run.tracker.relearns == 0 and run.tracker.misses == 0


def test_a_refresh_that_moves_later_is_caught_by_follow_ups_and_relearnt():
    cache = Cache(phase=3.7)
    run = Run(PhaseTracker(10.0), cache).until(100)
    cache.shift(100, 6.7)  # the service restarted: refreshes now come 3 s later
    run.until(103.9)
    run.until(112)
    cycle = run.between(103.9, 112)
    assert [(plan, changed) for _, changed, _, plan in cycle] == [
        (Plan.REGULAR, False),
        (Plan.FOLLOW, False),
        (Plan.FOLLOW, False),
        (Plan.FOLLOW, True),
    ]
    assert run.tracker.relearns == 1
    run.until(300)
    assert run.tracker.locked
    assert max(lags(run.between(200, 300))) < 0.4
    assert len(run.between(200, 300)) <= 11


def test_a_refresh_that_moves_earlier_is_found_by_the_next_drift_check():
    cache = Cache(phase=3.7)
    run = Run(PhaseTracker(10.0), cache).until(100)
    cache.shift(100, 0.7)
    run.until(300)
    tracker = run.tracker
    assert tracker.relearns == 1 and tracker.locked
    changed_early = [poll for poll in run.between(100, 300) if poll[3] is Plan.EARLY and poll[1]]
    assert len(changed_early) == 1  # the check that saw the refresh had already happened
    assert max(lags(run.between(250, 300))) < 0.4
    assert estimate_contains(tracker.estimate, 0.7 + 0.025)


def test_quiet_data_costs_one_request_per_cycle_and_keeps_the_lock():
    cache = Cache(phase=3.7)
    run = Run(PhaseTracker(10.0), cache).until(100)
    estimate = run.tracker.estimate
    cache.quiet = (100, 300)
    run.until(300)
    quiet = run.between(110, 300)
    assert len(quiet) == 19 and not any(changed for _, changed, _, _ in quiet)
    assert run.tracker.misses == 1 and run.tracker.relearns == 0
    assert run.tracker.estimate == estimate and run.tracker.locked
    cache.quiet = None
    run.until(400)
    assert max(lags(run.between(300, 400))) < 0.4


def test_a_period_that_is_not_the_assumed_one_falls_back_to_the_fixed_interval():
    run = Run(PhaseTracker(10.0), Cache(phase=3.7, period=15.0)).until(200)
    tracker = run.tracker
    assert tracker.unsteady and tracker.plan is Plan.FIXED and tracker.sync() is None
    fixed = [poll for poll in run.polls if poll[3] is Plan.FIXED]
    gaps = {round(b[0] - a[0], 6) for a, b in zip(fixed, fixed[1:])}
    assert gaps == {10.0}


def test_quiet_data_known_to_be_quiet_costs_no_follow_ups_and_no_misses():
    # a small tenant's queues, one refresh in two changing nothing, while the agents did change
    cache = Cache(phase=3.7)
    run = Run(PhaseTracker(10.0), cache).until(100)
    run.told = True
    for cycle in range(10, 60):
        cache.quiet = (cycle * 10 + 3.0, cycle * 10 + 9.5) if cycle % 2 == 0 else None
        run.until((cycle + 1) * 10)
    tracker = run.tracker
    assert tracker.misses == 0 and tracker.relearns == 0 and tracker.locked
    assert not [poll for poll in run.polls if poll[3] is Plan.FOLLOW]
    assert len(run.between(100, 600)) == 50 + 5  # one per cycle and a drift check every tenth
    assert max(lags(run.between(100, 600))) < 0.4


def test_a_cache_faster_than_assumed_still_gives_fresh_data_once_per_period():
    run = Run(PhaseTracker(10.0), Cache(phase=0.3, period=1.0)).until(300)
    late = run.between(200, 300)
    assert len(late) <= 11
    assert max(lags(late)) < 1.0


def test_a_slow_answer_stops_the_bisection_where_it_cannot_narrow_and_locks():
    run = Run(PhaseTracker(10.0), Cache(phase=3.7, latency=0.6)).until(300)
    assert run.tracker.locked
    late = run.between(200, 300)
    assert len(late) <= 11 and max(lags(late)) < 2.0


def test_a_slow_answer_against_a_short_cycle_still_gets_every_refresh():
    # 10,000 agents against a 2 s cache: a 0.7 s round trip locks on a bracket almost a
    # period wide; each cycle's refresh must still be fetched (one request per cycle), not
    # every other one (the next cycle was once counted from the bracket's start plus the
    # round trip, which skipped a cycle whenever the two passed a period)
    run = Run(PhaseTracker(2.0), Cache(phase=0.55, period=2.0, latency=0.7)).until(120)
    assert run.tracker.locked
    late = run.between(60, 120)
    changed = [poll for poll in late if poll[1]]
    assert len(changed) >= 29  # 30 refreshes in the minute, a drift check may cost one
    assert len(late) <= 33


def test_a_longer_interval_polls_every_few_cycles_still_just_after_a_refresh():
    run = Run(PhaseTracker(10.0, interval=30.0), Cache(phase=3.7)).until(600)
    late = run.between(300, 600)
    assert len(late) in (10, 11)
    assert max(lags(late)) < 0.4


def test_a_shorter_period_scales_the_margins():
    run = Run(PhaseTracker(1.0), Cache(phase=0.37, period=1.0, latency=0.005)).until(30)
    assert run.tracker.locked
    assert max(lags(run.between(20, 30))) < 0.04


def test_brackets_narrow_the_estimate_and_a_contradiction_replaces_it():
    tracker = PhaseTracker(10.0)
    tracker.observe(0.0, 0.1, True)
    tracker.observe(5.0, 5.1, True)
    assert tracker.estimate == Bracket(0.0, 5.1)
    tracker.observe(12.0, 12.1, False)
    tracker.observe(14.0, 14.1, True)  # (12, 14.1] folds onto (10, 15.1]
    assert tracker.estimate == Bracket(12.0, 14.1)
    tracker.observe(30.0, 30.1, True)  # 16 s after the last request: no information
    assert tracker.estimate == Bracket(12.0, 14.1)
    tracker.observe(38.0, 38.1, False)
    tracker.observe(39.0, 39.1, True)  # (38, 39.1]: after the old estimate's end
    assert tracker.estimate == Bracket(38.0, 39.1) and tracker.relearns == 1


def test_cache_sync_dates_data_by_the_refresh_before_it_arrived():
    sync = CacheSync(refresh=3.75, spread=0.1, period=10.0, locked=True)
    assert sync.last_refresh(53.8) == pytest.approx(53.75)
    assert sync.last_refresh(53.7) == pytest.approx(43.75)
    assert data_moment(53.8, sync) == pytest.approx(53.75)
    assert data_moment(53.8, None) == 53.8
    assert data_moment(53.8, CacheSync(3.75, 4.0, 10.0, locked=False)) == 53.8
    assert data_moment(None, sync) is None
    assert sync.phase_of(1_000_000_000.5) == pytest.approx(4.25)


def test_nothing_to_plan_before_the_first_answer_and_periods_must_be_positive():
    assert PhaseTracker().next_poll() == 0.0
    with pytest.raises(ValueError):
        PhaseTracker(0)


def estimate_contains(estimate: Bracket, moment: float, period: float = 10.0) -> bool:
    offset = (moment - estimate.after) % period
    return 0 < offset <= estimate.width


def test_a_lock_holds_when_answers_get_faster():
    cache = Cache(phase=0.37, period=1.0, latency=0.02)
    run = Run(PhaseTracker(1.0), cache).until(20)
    width = run.tracker.estimate.width
    assert run.tracker.locked and 0.02 < width < 0.1  # locked near 2.5 latencies (bisection can do no better)
    cache.latency = 0.001  # now the width is more than 2.5 latencies, but nothing contradicts it
    run.until(40)
    assert run.tracker.locked and run.tracker.relearns == 0
    assert {plan for *_, plan in run.between(25, 40)} == {Plan.REGULAR, Plan.EARLY}


def test_the_v5_five_second_cache_is_learnt_as_the_ten_second_one_is():
    """source = cc-realtime: the same tracker, given the v5 period, locks onto a 5 s cache."""
    run = Run(PhaseTracker(5.0), Cache(phase=1.85, period=5.0)).until(40)
    assert run.tracker.locked and run.tracker.relearns == 0
    steady = run.between(40, 100) if run.until(100) else []
    assert len([poll for poll in steady if poll[3] is Plan.REGULAR]) >= 10  # about one request per 5 s cycle
    assert max(lags(steady)) < 0.2
