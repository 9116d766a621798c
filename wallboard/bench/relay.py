"""Many boards behind one ``wallboard relay``: what 8x8 sees, what the relay costs.

The simulator runs in this process (threads); the relay is the real ``wallboard relay``
command in its own process, so its CPU time and memory are its own (read from
``/proc``: Linux); the boards are N real pollers (the board's
:class:`~wallboard.live.poller.Poller`, phase-locked, with the real client sending
``If-None-Match``) in this process, each with its own connection pool, polling the relay.

After ``warmup`` cycles (phase learning) it counts over ``cycles`` cache cycles:

* requests the simulator (8x8's side) received per endpoint, per cycle;
* the relay's CPU seconds per minute, its resident and peak memory;
* the age of the relay's data when a board received new data (``X-Wallboard-Age``):
  the extra delay a viewer sees because the relay stands between it and 8x8;
* body bytes per poll from relay to a board as they cross the wire (If-None-Match:
  unchanged answers are 304 without a body; new data gzipped), against the same polls
  without If-None-Match (every poll a full gzipped body). Headers (about 400 bytes an
  answer) are not counted.
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import httpx

from wallboard.clients.rtstats import RealtimeClient
from wallboard.live.poller import Poller
from wallboard.live.schedule import schedule_for
from wallboard.sim.simulator import Simulator

RELAY_TOKEN = "bench-relay-token"


@dataclass
class RelayFigures:
    boards: int
    agents: int
    cycle: float
    upstream_per_cycle: dict[str, float]
    relay_cpu_per_minute: float
    relay_rss_mb: float
    relay_peak_mb: float
    viewer_age_median: float
    viewer_age_p95: float
    polls_per_board_cycle: float
    bytes_per_poll: float
    bytes_per_poll_without_inm: float
    not_modified_share: float
    full_body_bytes: int
    gzip_body_bytes: int


class _CountingStream(httpx.AsyncByteStream):
    def __init__(self, stream, board: "_Board") -> None:
        self.stream, self.board = stream, board

    async def __aiter__(self):
        async for chunk in self.stream:
            if self.board.counting:
                self.board.wire_bytes += len(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self.stream.aclose()


class _CountingTransport(httpx.AsyncHTTPTransport):
    """Counts body bytes as they come off the wire (gzipped, or none for a 304)."""

    def __init__(self, board: "_Board") -> None:
        super().__init__()
        self.board = board

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await super().handle_async_request(request)
        response.stream = _CountingStream(response.stream, self.board)
        return response


@dataclass
class _Board:
    client: RealtimeClient = None  # type: ignore[assignment]
    wire_bytes: int = 0
    ages: list[float] = field(default_factory=list)
    polls: int = 0
    not_modified: int = 0
    counting: bool = False

    async def agents(self):
        fetched = await self.client.agents()
        self._note(fetched)
        return fetched

    async def queues(self):
        fetched = await self.client.queues()
        self._note(fetched)
        return fetched

    def _note(self, fetched) -> None:
        if not self.counting:
            return
        self.polls += 1
        if fetched.not_modified:
            self.not_modified += 1

        elif fetched.relayed is not None:
            self.ages.append(fetched.relayed.age)


def _proc_cpu(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _proc_memory(pid: int) -> tuple[float, float]:
    """(resident, peak resident) in MiB."""
    found = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", open(f"/proc/{pid}/status").read(), re.M))
    return int(found.get("VmRSS", 0)) / 1024, int(found.get("VmHWM", 0)) / 1024


def _start_relay(sim: Simulator, interval: float) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "WALLBOARD_REALTIME_TOKEN": "demo", "WALLBOARD_RELAY_TOKEN": RELAY_TOKEN, "WALLBOARD_CONFIG": os.devnull}
    process = subprocess.Popen(
        [sys.executable, "-m", "wallboard", "relay", "--port", "0", "--tenant", "demo",
         "--realtime-url", sim.realtime_url, "--interval", f"{interval:g}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    found = re.search(r"at (http://\S+)", line)
    if not found:
        process.kill()
        raise RuntimeError(f"the relay did not start: {line!r}")
    return process, found.group(1)


async def _body_sizes(url: str) -> tuple[int, int]:
    async with httpx.AsyncClient(auth=("demo", RELAY_TOKEN), timeout=60) as raw:
        plain = await raw.get(url + "/agents.json", headers={"Accept-Encoding": "identity"})
        packed = await raw.get(url + "/agents.json", headers={"Accept-Encoding": "gzip"})
        return len(plain.content), int(packed.headers.get("content-length", len(packed.content)))


async def _run(boards: int, agents: int, cycle: float, warmup: int, cycles: int) -> RelayFigures:
    with Simulator(seed=11, agents=agents, queues=max(4, agents // 50), cycle=cycle) as sim:
        relay, url = _start_relay(sim, cycle)
        try:
            clients = []
            for _ in range(boards):
                board = _Board()
                board.client = RealtimeClient(url, "demo", RELAY_TOKEN, transport=_CountingTransport(board))
                clients.append(board)
            pollers = [Poller(board, cycle, lambda snapshot: None, schedule=schedule_for(cycle, cycle)) for board in clients]
            tasks = [asyncio.create_task(poller.run()) for poller in pollers]
            await asyncio.sleep(warmup * cycle)
            before_requests = dict(sim.requests)
            before_cpu = _proc_cpu(relay.pid)
            for board in clients:
                board.counting = True
            started = time.monotonic()
            await asyncio.sleep(cycles * cycle)
            elapsed = time.monotonic() - started
            cpu = _proc_cpu(relay.pid) - before_cpu
            requests = {name: (sim.requests[name] - before_requests.get(name, 0)) / (elapsed / cycle) for name in ("agents", "queues")}
            for board in clients:
                board.counting = False
            rss, peak = _proc_memory(relay.pid)
            full, packed = await _body_sizes(url)
            for poller in pollers:
                poller.stop()
            await asyncio.gather(*tasks, return_exceptions=True)
            for board in clients:
                await board.client.aclose()
        finally:
            relay.terminate()
            relay.wait(timeout=20)
    ages = sorted(age for board in clients for age in board.ages) or [0.0]
    polls = sum(board.polls for board in clients) or 1
    body = sum(board.wire_bytes for board in clients)  # as sent: gzipped bodies, nothing for a 304
    changed = polls - sum(board.not_modified for board in clients)
    # without If-None-Match every poll carries a full (gzipped) body
    per_changed = body / changed if changed else float(packed)
    return RelayFigures(
        boards=boards,
        agents=agents,
        cycle=cycle,
        upstream_per_cycle=requests,
        relay_cpu_per_minute=cpu / elapsed * 60,
        relay_rss_mb=rss,
        relay_peak_mb=peak,
        viewer_age_median=statistics.median(ages),
        viewer_age_p95=ages[min(len(ages) - 1, int(0.95 * len(ages)))],
        polls_per_board_cycle=polls / boards / (elapsed / cycle),
        bytes_per_poll=body / polls,
        bytes_per_poll_without_inm=per_changed,
        not_modified_share=1 - changed / polls,
        full_body_bytes=full,
        gzip_body_bytes=packed,
    )


def measure(boards: int, agents: int, cycle: float, warmup: int, cycles: int) -> RelayFigures:
    return asyncio.run(_run(boards, agents, cycle, warmup, cycles))
