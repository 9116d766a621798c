"""How old is the data on screen: fixed-period polling against phase-locked polling.

One simulator serves every board under test (each with its own tenant name, so its
requests are told apart). The simulator knows when its cache refreshed the data it
served, so for each board we know, at every moment, how old the data it shows is:

* **lag**: for each answer that brought new data, arrival time minus the moment the
  cache refreshed that data (how late news reaches the screen);
* **age on screen**: sampled every ``sample_every`` seconds, now minus the refresh
  moment of the data shown. Its floor is half a cache period for any poller, since the
  cache itself only changes once per period.

Fixed-period boards start at evenly spread moments, so together they stand for a board
started at a random moment; the phase-locked board starts at once.
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import math
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from wallboard.clients.http import Timeouts
from wallboard.clients.rtstats import RealtimeClient
from wallboard.core.model.snapshot import Snapshot
from wallboard.live.schedule import PhaseLockedSchedule
from wallboard.live.poller import FEEDS, Poller, Schedule
from wallboard.sim.rtstats import RealtimeEndpoints
from wallboard.sim.scenario import RealtimeScenario
from wallboard.sim.server import Request, Response, SimServer
from wallboard.urls import REALTIME_PATH

TOKEN = "bench"


class RecordingScenario(RealtimeScenario):
    """A scenario that tells each request thread when the state it serves was refreshed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.local = threading.local()

    def view(self) -> tuple[int, float]:
        index, boundary = super().view()
        self.local.refreshed = self.now  # the state's own time: the refresh that made it
        return index, boundary

    def jump(self, phase: float) -> None:
        """The service restarts with another phase: later refreshes follow the new one."""
        with self.lock:
            self.phase = phase % self.cycle
            self.cycle_index = self.cycle_at(self.clock())


@dataclass(frozen=True, slots=True)
class Served:
    at: float  # wall time the answer was produced
    refreshed: float  # wall time the cache refreshed the data in it


class LoggingEndpoints(RealtimeEndpoints):
    """Real-time endpoints that accept any tenant with the bench token and log each answer."""

    def __init__(self, scenario: RecordingScenario) -> None:
        super().__init__(scenario, "bench", TOKEN)
        self.served: dict[tuple[str, str], list[Served]] = defaultdict(list)
        self._log_lock = threading.Lock()

    def _list(self, request: Request, list_tag: str, item_tag: str, source) -> Response:
        response = super()._list(request, list_tag, item_tag, source)
        if response.status == 200:
            served = Served(time.time(), self.scenario.local.refreshed)  # type: ignore[attr-defined]
            with self._log_lock:
                self.served[(_user(request), list_tag)].append(served)
        return response

    def _check_auth(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        try:
            _, _, password = base64.b64decode(header.partition(" ")[2]).decode().partition(":")
        except ValueError:
            password = ""
        if not hmac.compare_digest(password.encode(), TOKEN.encode()):
            return Response(403, b"forbidden", "text/plain")
        return None

    def answers(self, tenant: str, feed: str) -> list[Served]:
        with self._log_lock:
            return list(self.served[(tenant, feed)])


def _user(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return base64.b64decode(header.partition(" ")[2]).decode().partition(":")[0]


@dataclass
class Board:
    """One poller under test and what it showed."""

    name: str
    tenant: str
    schedule: Schedule
    start_after: float = 0.0
    answers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FEEDS, 0))
    shown: dict[str, float] = field(default_factory=dict)  # feed -> refresh moment of the data shown
    lags: list[float] = field(default_factory=list)
    ages: list[float] = field(default_factory=list)
    poller: Poller | None = None
    previous: Snapshot | None = None


@dataclass(frozen=True)
class FreshnessResult:
    name: str
    boards: int
    lags: tuple[float, ...]
    ages: tuple[float, ...]
    requests_per_minute: float  # per endpoint, in the measured window
    locked_after: float | None = None  # seconds from start until both endpoints locked
    relearns: int = 0
    relocked_after_jump: float | None = None

    @property
    def lag_median(self) -> float:
        return statistics.median(self.lags) if self.lags else math.nan

    @property
    def lag_p95(self) -> float:
        return percentile(self.lags, 95)

    @property
    def age_median(self) -> float:
        return statistics.median(self.ages) if self.ages else math.nan

    @property
    def age_p95(self) -> float:
        return percentile(self.ages, 95)


def percentile(values, pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(0, math.ceil(pct / 100 * len(ordered)) - 1)
    return ordered[rank]


async def compare(
    *,
    cycle: float = 10.0,
    seconds: float = 240.0,
    warmup: float = 60.0,
    agents: int = 200,
    queues: int = 10,
    fixed_boards: int = 4,
    seed: int = 3,
    phase: float | None = None,
    jump_at: float | None = None,
    jump_by: float = 0.0,
    sample_every: float = 0.1,
) -> list[FreshnessResult]:
    """Run fixed and phase-locked boards side by side against one simulated cache."""
    scenario = RecordingScenario(seed, agents, queues, cycle=cycle, phase=phase)
    server = SimServer()
    endpoints = LoggingEndpoints(scenario)
    endpoints.install(server)
    server.start()
    boards = [Board("phase-locked", "locked", PhaseLockedSchedule(cycle, cycle))]
    boards += [
        Board("fixed", f"fixed{i}", Schedule(cycle), start_after=i * cycle / fixed_boards) for i in range(fixed_boards)
    ]
    started = time.monotonic()
    window_start = started + warmup
    locked_at: float | None = None
    jumped_at: float | None = None
    relock: float | None = None
    relearns_at_jump: list[int] = []
    clients = [
        RealtimeClient(server.url + REALTIME_PATH, board.tenant, TOKEN, timeouts=Timeouts(2, 5, 10)) for board in boards
    ]
    tasks: list[asyncio.Task] = []
    try:
        for board, client in zip(boards, clients):
            board.poller = Poller(client, cycle, _observer(board, endpoints, window_start), schedule=board.schedule)
            tasks.append(asyncio.create_task(_run_later(board)))
        locked_board = boards[0]
        schedule = locked_board.schedule
        assert isinstance(schedule, PhaseLockedSchedule)
        while (now := time.monotonic()) < started + seconds:
            wall = time.time()
            if now >= window_start:
                for board in boards:
                    if len(board.shown) == len(FEEDS):
                        board.ages.extend(wall - moment for moment in board.shown.values())
            trackers = list(schedule.trackers.values())
            if locked_at is None and all(tracker.locked for tracker in trackers):
                locked_at = now - started
            if jump_at is not None and jumped_at is None and now - started >= jump_at:
                jumped_at = now
                relearns_at_jump = [tracker.relearns for tracker in trackers]
                scenario.jump(scenario.phase + jump_by)
            if jumped_at is not None and relock is None:
                moved = [t for t, before in zip(trackers, relearns_at_jump) if t.relearns > before]
                if moved and all(t.locked for t in moved):  # the endpoints that noticed are locked again
                    relock = now - jumped_at
            await asyncio.sleep(sample_every)
    finally:
        for board in boards:
            if board.poller is not None:
                board.poller.stop()
        await asyncio.gather(*tasks, return_exceptions=True)
        for client in clients:
            await client.aclose()
        server.stop()
    window = (seconds - warmup) / 60
    end_wall = time.time()
    window_start_wall = end_wall - (time.monotonic() - window_start)
    results = []
    for name in ("phase-locked", "fixed"):
        group = [board for board in boards if board.name == name]
        requests = sum(
            1
            for board in group
            for feed in FEEDS
            for served in endpoints.answers(board.tenant, feed)
            if served.at >= window_start_wall
        )
        trackers = list(schedule.trackers.values()) if name == "phase-locked" else []
        results.append(
            FreshnessResult(
                name,
                len(group),
                tuple(lag for board in group for lag in board.lags),
                tuple(age for board in group for age in board.ages),
                requests / len(group) / len(FEEDS) / window,
                locked_at if name == "phase-locked" else None,
                sum(tracker.relearns for tracker in trackers),
                relock if name == "phase-locked" else None,
            )
        )
    return results


async def _run_later(board: Board) -> None:
    await asyncio.sleep(board.start_after)
    assert board.poller is not None
    await board.poller.run()


def _observer(board: Board, endpoints: LoggingEndpoints, window_start: float):
    def on_snapshot(snapshot: Snapshot) -> None:
        previous, board.previous = board.previous, snapshot
        for name in FEEDS:
            feed = getattr(snapshot, name)
            before = getattr(previous, name) if previous is not None else None
            if feed is before or feed.received_mono is None or (before is not None and feed.received_mono == before.received_mono):
                continue
            board.answers[name] += 1
            answers = endpoints.answers(board.tenant, name)
            if len(answers) < board.answers[name]:
                continue  # a failed answer is not logged (none are expected here)
            refreshed = answers[board.answers[name] - 1].refreshed
            board.shown[name] = refreshed
            changed = before is None or feed.version != before.version
            if changed and time.monotonic() >= window_start:
                board.lags.append(time.time() - refreshed)

    return on_snapshot
