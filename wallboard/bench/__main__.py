"""``python -m wallboard.bench``: print the performance and freshness figures.

Sections (all by default): ``refresh`` (the per-refresh targets, one table), ``parse``,
``apply``, ``board``, ``freshness``, ``historical``, ``push`` (an agent's change to the
screen: the event stream against polling), ``relay`` (1, 10 and 50 boards behind one
``wallboard relay``; about six minutes). The board
section starts the simulator and the board in separate processes and runs about two
minutes per tenant size (learning the cache phase, then six 10 s windows); freshness
runs four minutes. ``--quick`` shortens both (fewer windows, a 2 s cache cycle for
freshness) for a look while working; the figures in PERFORMANCE.md come from a full run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from wallboard.bench import apply as apply_bench
from wallboard.bench import board as board_bench
from wallboard.bench import freshness as freshness_bench
from wallboard.bench import historical as historical_bench
from wallboard.bench import parse as parse_bench
from wallboard.bench import push as push_bench
from wallboard.bench import refresh as refresh_bench
from wallboard.bench import relay as relay_bench
from wallboard.bench import startup
from wallboard.bench.data import SIZES, machine, queues_for

SECTIONS = ("refresh", "parse", "apply", "board", "freshness", "historical", "push", "relay")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _kb(size: float) -> str:
    return f"{size / 1024:,.1f} KB"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *(line(r) for r in rows)])


def _print(text: str = "") -> None:
    print(text, flush=True)


def run_parse(sizes) -> None:
    _print("## Parsing one /agents payload (CPU, median)\n")
    rows = []
    for n in sizes:
        f = parse_bench.measure(n)
        rows.append([f"{n:,}", _kb(f.json_bytes), _ms(f.json_seconds), _kb(f.xml_bytes), _ms(f.xml_seconds)])
    _print(_table(["agents", "JSON size", "JSON parse", "XML size", "XML parse"], rows))
    _print()


def run_apply(sizes, rounds: int) -> dict[int, apply_bench.ApplyFigures]:
    _print("## Applying one refresh with 10 % of agents changed (CPU to the painted frame, median)\n")
    _print("Headless at 160x45 on the counting driver; naive = a DataTable of the same rows, cleared and refilled.\n")
    rows, figures = [], {}
    for n in sizes:
        f = asyncio.run(apply_bench.measure(n, rounds))
        figures[n] = f
        rows.append([f"{n:,}", _ms(f.board_seconds), _ms(f.naive_seconds), f"{f.ratio:.3f}", _kb(f.board_bytes), _kb(f.naive_bytes)])
    _print(_table(["agents", "board", "naive rebuild", "ratio", "board frame", "naive frame"], rows))
    _print()
    return figures


def run_board(sizes, windows: int, warmup: float, size: str) -> dict[int, board_bench.BoardFigures]:
    _print(f"## The board at steady state, {size}, against the simulator in another process\n")
    _print(
        f"CPU and bytes: median of {windows} windows of one 10 s cache cycle, times 6. "
        "Full repaint: one forced repaint of the whole screen. Startup: `wallboard run` in a pseudo-terminal of that size, "
        "spawn to the first frame showing every agent, median of 5 starts (bytecode cached, as from the second start on).\n"
    )
    rows, figures = [], {}
    for n in sizes:
        f = board_bench.measure(n, windows=windows, warmup=warmup, size=size)
        figures[n] = f
        per_second = f.bytes_per_minute / 60
        rows.append([
            f"{n:,}", f"{queues_for(n):,}", f"{f.cpu_per_minute:.2f} s", f"{f.cpu_per_minute / 60 * 100:.1f} %",
            _kb(f.bytes_per_minute), _kb(f.full_repaint_bytes), f"{per_second / f.full_repaint_bytes * 100:.1f} %",
            f"{f.peak_rss_mb:.0f} MB", f"{f.startup_seconds:.2f} s", "yes" if f.locked else "no",
        ])
    _print(_table(
        ["agents", "queues", "CPU/min", "of a core", "bytes/min", "full repaint", "bytes/s ÷ repaint", "peak RSS", "startup", "phase locked"],
        rows,
    ))
    _print()
    return figures


def run_freshness(cycle: float, seconds: float, warmup: float) -> list[freshness_bench.FreshnessResult]:
    _print(f"## Freshness: fixed-period against phase-locked polling ({cycle:g} s cache cycle, same run)\n")
    _print(
        "lag = arrival of new data minus the cache refresh that produced it; age = sampled every 0.1 s, "
        f"now minus the refresh of the data shown (at best half a cycle, {cycle / 2:g} s, for any poller). "
        f"Measured from {warmup:g} s to {seconds:g} s; 4 fixed boards started at spread moments stand for a random start.\n"
    )
    results = asyncio.run(freshness_bench.compare(cycle=cycle, seconds=seconds, warmup=warmup))
    rows = [
        [r.name, f"{r.lag_median:.2f} s", f"{r.lag_p95:.2f} s", f"{r.age_median:.2f} s", f"{r.age_p95:.2f} s",
         f"{r.requests_per_minute:.2f}", "—" if r.locked_after is None else f"{r.locked_after:.0f} s"]
        for r in results
    ]
    _print(_table(["polling", "lag median", "lag p95", "age median", "age p95", "requests/min/endpoint", "locked after"], rows))
    _print()
    return results


def run_historical(rounds: int) -> historical_bench.ListingFigures:
    _print("## Reading a whole listing: the Historical tab's `M` against `wallboard report`\n")
    _print(
        "Call records of the last 7 whole days (the CLI 1,000 a page, the board 500; pages: the board's), from the simulator in another process. "
        "CLI: `wallboard report call-records --format csv`, spawn to exit. Board: Enter, then `M` at the "
        f"first batch, until the last row is drawn (headless at 160x45, every frame rendered). Median of {rounds}.\n"
    )
    f = historical_bench.measure(days=7, rounds=rounds)
    _print(_table(
        ["records", "pages", "CLI wall", "CLI CPU", "board wall", "board CPU"],
        [[f"{f.records:,}", f"{f.pages:,}", f"{f.cli_seconds:.1f} s", f"{f.cli_cpu:.1f} s", f"{f.board_seconds:.1f} s", f"{f.board_cpu:.1f} s"]],
    ))
    _print()
    return f


def run_push(seconds: float, warmup: float) -> list[push_bench.PushFigures]:
    _print("## An agent's status change to the screen: push against polling\n")
    _print(
        "300 simulated agents; each change is timed from the moment it happens (within a cache cycle; the cache shows it "
        f"at the next refresh) to the first snapshot the board draws with it. {seconds:.0f} s per mode after {warmup:.0f} s of warm-up.\n"
    )
    results = asyncio.run(push_bench.compare(seconds, warmup))
    _print(_table(
        ["mode", "changes", "median", "95th percentile"],
        [[r.name, f"{r.changes:,}", f"{r.median:.2f} s", f"{r.p95:.2f} s"] for r in results],
    ))
    _print()
    return results


def run_relay(quick: bool) -> list[relay_bench.RelayFigures]:
    cycle, warmup, cycles = (2.0, 4, 8) if quick else (10.0, 8, 6)  # the relay learns the phase in about a minute
    _print(f"## Boards behind one relay (simulator cache cycle {cycle:g} s; {cycles} cycles counted after {warmup} of warm-up)\n")
    _print("The relay is the real `wallboard relay` process; the boards are real pollers (phase-locked, If-None-Match).\n")
    runs = [(1, 200), (10, 200), (50, 200), (50, 500 if quick else 2000)]
    figures = []
    for boards, agents in runs:
        figures.append(relay_bench.measure(boards, agents, cycle, warmup, cycles))
        _print(f"- {boards} boards at {agents:,} agents: done")
    _print()
    rows = [
        [
            f"{f.boards}", f"{f.agents:,}",
            f"{f.upstream_per_cycle['agents']:.2f} / {f.upstream_per_cycle['queues']:.2f}",
            f"{f.relay_cpu_per_minute:.2f} s", f"{f.relay_rss_mb:.0f} / {f.relay_peak_mb:.0f} MB",
            f"{f.viewer_age_median:.2f} / {f.viewer_age_p95:.2f} s",
            f"{f.polls_per_board_cycle:.2f}", f"{f.not_modified_share * 100:.0f} %",
            f"{_kb(f.bytes_per_poll)}", f"{_kb(f.bytes_per_poll_without_inm)}",
            f"{_kb(f.full_body_bytes)} / {_kb(f.gzip_body_bytes)}",
        ]
        for f in figures
    ]
    headers = [
        "boards", "agents", "8x8 requests/cycle (agents / queues)", "relay CPU/min", "relay RSS / peak",
        "data age at viewer (median / p95)", "polls/board/cycle (both endpoints)", "304s", "wire body bytes/poll", "without If-None-Match",
        "/agents body (plain / gzip)",
    ]
    _print(_table(headers, rows))
    _print()
    return figures


def _check(label: str, ok: bool, detail: str) -> None:
    _print(f"- [{'x' if ok else ' '}] {label}: {detail}")


LARGE = (10_000, 100)
"""The largest tenant the board is held to: 10,000 agents, 100 queues."""


def run_refresh(quick: bool) -> list[tuple[str, bool, str]]:
    """The per-refresh targets, side by side in one run; returns (target, met, figures)."""
    _print("## A refresh against decoding its answer (one run, side by side)\n")
    _print(
        "Refresh: CPU of the board process from asking both feeds (as `r` does) to the frame drawn after both "
        "answers were applied: fetch + parse + apply + paint, median of rounds (lowest–highest). json.loads: the "
        "standard library's, of the same tenant's /agents body, in the same process after every round (median of three; the ratio is of the two medians). Board CPU: `wallboard simulate` "
        "and the board in processes of their own, phase-locked, 160x45, median window × windows per minute. "
        "XML/JSON: parsing the same /agents data (CPU, median); reading the text alone: the XML text into columns by "
        "its one regular expression, before any value is converted. 10,000 agents: the board polling at a 2 s "
        "cycle while a key (down/up) is pressed every 0.37 s; latency = key event to the frame showing the "
        "cursor moved. Startup: `wallboard run` in a pseudo-terminal, spawn to the frame showing every agent, "
        "median of 5.\n"
    )
    checks: list[tuple[str, bool, str]] = []
    rows = []
    rounds = 5 if quick else 9
    for n in (2000, 5000):
        f = refresh_bench.measure_cost(n, queues_for(n), rounds=rounds)
        low, high = f.refresh_spread
        rows.append([f"refresh CPU ÷ json.loads, {n:,} agents", f"{_ms(f.refresh_seconds)} ({_ms(low)}–{_ms(high)}) ÷ {_ms(f.json_loads_seconds)}", f"{f.ratio:.2f}×", "≤ 2×"])
        checks.append((f"client CPU per refresh ≤ 2× json.loads at {n:,} agents", f.ratio <= 2, rows[-1][1] + f" = {f.ratio:.2f}×"))
    for cycle, limit in ((2.0, 2.0), (10.0, 1.3)):
        windows = (8 if quick else 15) if cycle < 5 else (3 if quick else 6)
        warmup = (20 if quick else 40) if cycle < 5 else (30 if quick else 90)
        small = board_bench.measure(50, windows=windows, warmup=warmup, cycle=cycle, starts=0)
        big = board_bench.measure(2000, windows=windows, warmup=warmup, cycle=cycle, starts=0)
        ratio = big.cpu_per_minute / small.cpu_per_minute
        detail = f"{big.cpu_per_minute / 60 * 100:.1f} % ÷ {small.cpu_per_minute / 60 * 100:.1f} % of a core"
        rows.append([f"board CPU at {cycle:g} s, 2,000 ÷ 50 agents", detail, f"{ratio:.2f}×", f"≤ {limit:g}×"])
        checks.append((f"board CPU at a {cycle:g} s interval, 2,000 agents ≤ {limit:g}× 50", ratio <= limit, f"{detail} = {ratio:.2f}×"))
    for n in (2000, 5000):
        f = parse_bench.measure(n)
        ratio = f.xml_seconds / f.json_seconds
        detail = f"{_ms(f.xml_seconds)} ÷ {_ms(f.json_seconds)} (reading the text alone: {_ms(f.xml_read_seconds)})"
        rows.append([f"XML ÷ JSON parse, {n:,} agents", detail, f"{ratio:.2f}×", "≤ 3×"])
        checks.append((f"XML parse ≤ 3× JSON parse at {n:,} agents", ratio <= 3, f"{detail} = {ratio:.2f}×"))
    agents, queues = LARGE
    k = refresh_bench.measure_keys(agents, queues, seconds=20 if quick else 40)
    rows.append([f"{agents:,} agents, 2 s: cycles with new data", f"{k.refreshed} of {k.cycles} ({k.cpu_share * 100:.0f} % of a core)", "", "all"])
    rows.append([f"{agents:,} agents: key press to its frame", f"median {_ms(k.latency_median)}, p95 {_ms(k.latency_p95)}, max {_ms(k.latency_max)} ({k.presses} presses)", "", "≤ 100 ms"])
    rows.append([f"{agents:,} agents: peak memory", f"{k.peak_rss_mb:.0f} MB", "", "< 250 MB"])
    checks.append((f"{agents:,} agents keep up at a 2 s interval", k.refreshed >= k.cycles - 1, f"new data in {k.refreshed} of {k.cycles} cycles"))
    checks.append((f"{agents:,} agents: a key press shows within 100 ms", k.latency_max <= 0.1, rows[-2][1]))
    checks.append((f"{agents:,} agents: memory under 250 MB", k.peak_rss_mb < 250, f"{k.peak_rss_mb:.0f} MB"))
    simulator, url = board_bench.start_simulator(5000, queues_for(5000))
    try:
        starts = startup.measure(url, 5000, starts=3 if quick else 5)
    finally:
        simulator.terminate()
        simulator.wait(10)
    first = sorted(starts)[len(starts) // 2]
    rows.append(["startup to first data, 5,000 agents", f"{first:.2f} s ({min(starts):.2f}–{max(starts):.2f} s)", "", "≤ 1.0 s"])
    checks.append(("startup to first painted data ≤ 1.0 s at 5,000 agents", first <= 1.0, f"{first:.2f} s"))
    _print(_table(["measure", "figures", "ratio", "target"], rows))
    _print()
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wallboard.bench", description=__doc__)
    parser.add_argument("sections", nargs="*", metavar="SECTION", help=f"any of {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="agent counts (default 50,500,2000,5000)")
    parser.add_argument("--quick", action="store_true", help="shorter runs, for a look while working")
    parser.add_argument("--size", default="160x45", help="terminal size for the board section (default 160x45)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {unknown[0]!r}: choose from {', '.join(SECTIONS)}")
    sections = args.sections or list(SECTIONS)
    sizes = [int(n) for n in args.sizes.split(",") if n]
    _print("# wallboard benchmark\n")
    for key, value in machine().items():
        _print(f"- {key}: {value}")
    _print("- CPU figures are process CPU time (user + system), not wall time; the medians of repeated runs.\n")
    started = time.monotonic()
    apply_figures = board_figures = None
    fresh = None
    refresh_checks = []
    if "refresh" in sections:
        refresh_checks = run_refresh(args.quick)
    if "parse" in sections:
        run_parse(sizes)
    if "apply" in sections:
        apply_figures = run_apply(sizes, rounds=5 if args.quick else 9)
    if "board" in sections:
        board_figures = run_board(sizes, windows=3 if args.quick else 6, warmup=30 if args.quick else 90, size=args.size)
    if "freshness" in sections:
        fresh = run_freshness(2.0, 60.0, 25.0) if args.quick else run_freshness(10.0, 240.0, 90.0)
    if "historical" in sections:
        run_historical(rounds=1 if args.quick else 3)
    pushed = None
    if "push" in sections:
        pushed = run_push(30.0, 12.0) if args.quick else run_push(120.0, 25.0)
    relayed = run_relay(args.quick) if "relay" in sections else None
    _print("## Targets\n")
    for label, ok, detail in refresh_checks:
        _check(label, ok, detail)
    if apply_figures and 2000 in apply_figures:
        ratio = apply_figures[2000].ratio
        _check("refresh apply ≤ 0.2× the naive rebuild at 2,000 agents", ratio <= 0.2, f"{ratio:.3f}×")
    if board_figures and 50 in board_figures and 2000 in board_figures:
        small, big = board_figures[50].cpu_per_minute, board_figures[2000].cpu_per_minute
        _check("board CPU at 2,000 agents ≤ 3× that at 50", big <= 3 * small, f"{big:.2f} s vs {small:.2f} s per minute ({big / small:.2f}×)")
    if board_figures:
        worst = max(f.bytes_per_minute / 60 / f.full_repaint_bytes for f in board_figures.values())
        _check("terminal output per second ≤ 10 % of a full repaint", worst <= 0.10, f"worst {worst * 100:.1f} %")
        for n, f in sorted(board_figures.items()):
            _check(f"startup to first painted data ≤ 1.5 s at {n:,} agents", f.startup_seconds <= 1.5, f"{f.startup_seconds:.2f} s (`wallboard run`, median of 5)")
    if fresh:
        locked = next(r for r in fresh if r.name == "phase-locked")
        fixed = next(r for r in fresh if r.name == "fixed")
        _check("median data lag ≤ 1.5 s with phase-locked polling", locked.lag_median <= 1.5, f"{locked.lag_median:.2f} s (fixed: {fixed.lag_median:.2f} s)")
        _check(
            "about one request per cache cycle per endpoint",
            locked.requests_per_minute <= 1.25 * 60 / (2.0 if args.quick else 10.0),
            f"{locked.requests_per_minute:.2f}/min (fixed: {fixed.requests_per_minute:.2f}/min)",
        )
    if pushed:
        p95 = pushed[0].p95
        _check("95th percentile change-to-screen under 1 s with push", p95 < 1.0, f"{p95:.2f} s (polling: {', '.join(f'{r.p95:.2f} s' for r in pushed[1:])})")
    if relayed:
        worst = max(max(f.upstream_per_cycle.values()) for f in relayed)
        _check("about one 8x8 request per cache cycle per endpoint with 1, 10, 50 boards behind one relay", worst <= 1.25, f"at most {worst:.2f}")
    _print(f"\n(ran for {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
